from django.urls import path

from pledges import http, views

app_name = "pledges"

urlpatterns = [
    path("", http.public_page(http.nation)(views.home), name="home"),
    path(
        "kommun/<slug:slug>/",
        http.public_page(http.municipality)(views.municipality),
        name="municipality",
    ),
    path(
        "kommun/<slug:slug>/lofte/<slug:pledge_slug>/",
        http.public_page(http.municipality)(views.pledge_detail),
        name="pledge",
    ),
    path(
        "kommun/<slug:slug>/lofte/<slug:pledge_slug>/atagande/<int:pk>/",
        http.public_page(http.municipality)(views.commitment_detail),
        name="commitment",
    ),
    path(
        "lokalpolisomrade/<slug:slug>/",
        http.public_page(http.police_area)(views.police_area),
        name="police_area",
    ),
]
