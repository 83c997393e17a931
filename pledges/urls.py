from django.urls import path

from pledges import documents, national, views

app_name = "pledges"

urlpatterns = [
    path("", views.home, name="home"),
    path("kommun/<slug:slug>/", views.municipality, name="municipality"),
    path("kommun/<slug:slug>/lofte/<slug:pledge_slug>/", views.pledge_detail, name="pledge"),
    path(
        "kommun/<slug:slug>/lofte/<slug:pledge_slug>/atagande/<id:pk>/",
        views.commitment_detail,
        name="commitment",
    ),
    path("lokalpolisomrade/<slug:slug>/", views.police_area, name="police_area"),
    path("nationellt/", national.national, name="national"),
    path("nationellt/lan.csv", national.national_csv, name="national_csv"),
    path("nationellt/lan/<str:code>/", national.national_county, name="national_county"),
    path("dokument/<id:pledge_id>/", documents.pledge_document, name="pledge_document"),
]
