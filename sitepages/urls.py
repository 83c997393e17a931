from django.contrib import admin
from django.urls import path

from accounts.views import ForgottenPasswordView
from sitepages import views

urlpatterns = [
    path("om/", views.about, name="about"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # Never matched (accounts' own /konto/losenord/glomt/ is included first): the name
    # under which the admin's login page looks for its "Glömt lösenordet?" link.
    path(
        "konto/losenord/glomt/",
        ForgottenPasswordView.as_view(),
        name="admin_password_reset",
    ),
    # Before the admin's own /admin/r/, which ignores the staff scope.
    path(
        "admin/r/<id:content_type_id>/<path:object_id>/",
        admin.site.admin_view(views.admin_view_on_site),
        name="admin_view_on_site",
    ),
]
