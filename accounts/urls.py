from django.urls import path, reverse_lazy

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("tvastegsverifiering/", views.verify, name="verify"),
    path("tvastegsverifiering/aktivera/", views.enrol, name="enrol"),
    path("tvastegsverifiering/reservkoder/", views.backup_codes, name="backup_codes"),
    # "Glömt lösenordet?" on the staff login; the mail links to set_password below.
    path(
        "losenord/glomt/",
        views.ForgottenPasswordView.as_view(),
        name="password_reset",
    ),
    path(
        "losenord/glomt/skickat/",
        views.ForgottenPasswordSentView.as_view(),
        name="password_reset_done",
    ),
    # The one-time link a new staff member gets by e-mail (accounts.services): Django's
    # password-reset view, signing the user in so that two-factor enrolment follows.
    path(
        "losenord/<uidb64>/<token>/",
        views.SetPasswordView.as_view(
            template_name="accounts/set_password.html",
            post_reset_login=True,
            post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
            success_url=reverse_lazy("accounts:enrol"),
        ),
        name="set_password",
    ),
]
