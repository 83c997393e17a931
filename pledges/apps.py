from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Medborgarlöften")

    def ready(self):
        # The admin of problems and indicators extends the löfte admin (pledges/admin.py,
        # which the admin's autodiscovery has imported by now) with its inline.
        from pledges import problems_admin  # noqa: F401
