from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitePagesConfig(AppConfig):
    name = "sitepages"
    verbose_name = _("Webbplatsens sidor")

    def ready(self):
        from sitepages import checks  # noqa: F401 - registers the deploy check
