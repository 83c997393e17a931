from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("tvastegsverifiering/", views.verify, name="verify"),
    path("tvastegsverifiering/aktivera/", views.enrol, name="enrol"),
    path("tvastegsverifiering/reservkoder/", views.backup_codes, name="backup_codes"),
]
