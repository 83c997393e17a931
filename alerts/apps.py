from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Residents follow a kommun's löfte by e-mail. Above `pledges` and `dialogues` in the
    layers: it reads both, and neither knows it exists."""

    name = "alerts"
    verbose_name = _("Bevakningar")

    def ready(self):
        from alerts import checks  # noqa: F401  (registers the deploy check)
