from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("kommun/<slug:slug>/folj/", views.follow, name="follow"),
    path("kommun/<slug:slug>/bevaka/", views.subscribe, name="subscribe"),
    path("kommun/<slug:slug>/bevaka/skickat/", views.subscribe_sent, name="subscribe_sent"),
    path("bevaka/bekrafta/<str:token>/", views.confirm, name="confirm"),
    path("bevaka/avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
