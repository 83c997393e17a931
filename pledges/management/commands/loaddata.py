"""Django's loaddata, with django-simple-history switched off while loading.

A dump already contains the history tables. simple-history skips raw saves, but it records
many-to-many changes (Commitment.responsible_partners) even during loaddata, which would add
history rows that were never in the dump and collide with the loaded ones. Restoring a
backup must give back exactly what was dumped (README, "Backup and restore").
"""

from django.conf import settings
from django.core.management.commands.loaddata import Command as LoadDataCommand

from pledges.freshness import REFERENCE, bump


class Command(LoadDataCommand):
    help = LoadDataCommand.help + " History is not recorded while loading: the data has it."

    def handle(self, *fixture_labels, **options):
        previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        settings.SIMPLE_HISTORY_ENABLED = False
        try:
            result = super().handle(*fixture_labels, **options)
        finally:
            settings.SIMPLE_HISTORY_ENABLED = previous
        # Raw saves pass no model save(): move every page's version, so no page cached
        # before the restore is served after it.
        bump({REFERENCE}, using=options.get("database"))
        return result
