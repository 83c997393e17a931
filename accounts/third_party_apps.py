"""Third-party apps under Swedish names in the admin: the same apps (same labels, same
migrations), named in INSTALLED_APPS through these configs. Kept out of accounts/apps.py,
where a second AppConfig would stop Django choosing AccountsConfig for "accounts"."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticDefaultConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig


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
