from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticDefaultConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konton och inloggning")

    def ready(self):
        # Audit logging of sign-ins only; no business logic lives in these handlers.
        from accounts import signals  # noqa: F401


# Third-party apps under Swedish names in the admin: the same apps (same labels, same
# migrations), named in INSTALLED_APPS through these configs.


class AxesConfig(AxesAppConfig):
    verbose_name = _("Spärr vid misslyckade inloggningar")


class TOTPConfig(TOTPDefaultConfig):
    verbose_name = _("Tvåstegsverifiering: autentiseringsappar")


class StaticConfig(StaticDefaultConfig):
    verbose_name = _("Tvåstegsverifiering: reservkoder")


class OTPConfig(AppConfig):
    name = "django_otp"
    verbose_name = _("Tvåstegsverifiering")


class SimpleHistoryConfig(AppConfig):
    name = "simple_history"
    verbose_name = _("Ändringshistorik")
