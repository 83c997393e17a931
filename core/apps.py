from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Gemensamt")

    def ready(self):
        # Before any URLconf is imported: `<id:...>` in every app's urls.py.
        from core import converters

        converters.register()
