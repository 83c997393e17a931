"""Django's loaddata, with django-simple-history switched off while loading.

A dump already contains the history tables. simple-history skips raw saves, but it records
many-to-many changes (Commitment.responsible_partners) even during loaddata, which would add
history rows that were never in the dump and collide with the loaded ones. Restoring a
backup must give back exactly what was dumped (README, "Backup and restore").
"""

from django.conf import settings
from django.core.management.commands.loaddata import Command as LoadDataCommand


class Command(LoadDataCommand):
    help = LoadDataCommand.help + " History is not recorded while loading: the data has it."

    def handle(self, *fixture_labels, **options):
        previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        settings.SIMPLE_HISTORY_ENABLED = False
        try:
            return super().handle(*fixture_labels, **options)
        finally:
            settings.SIMPLE_HISTORY_ENABLED = previous
