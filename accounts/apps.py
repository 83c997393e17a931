from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konton och inloggning")

    def ready(self):
        # Audit logging of sign-ins only; no business logic lives in these handlers.
        from accounts import admin_swedish, signals  # noqa: F401

        admin_swedish.install()
