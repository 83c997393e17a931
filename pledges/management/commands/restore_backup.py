"""`manage.py restore_backup FILE`: loads a backup made with `dumpdata --natural-foreign
--natural-primary` into a migrated database, with django-simple-history switched off.

A dump already contains the history tables. simple-history skips raw saves, but it records
many-to-many changes (Commitment.responsible_partners) even during loaddata, which would add
history rows that were never in the dump and collide with the loaded ones. Restoring a
backup must give back exactly what was dumped (docs/production.md, "Backup and restore").
Django's own `loaddata` stays as it is for every other use.
"""

from django.conf import settings
from django.core.management.commands.loaddata import Command as LoadDataCommand
from django.db import DEFAULT_DB_ALIAS, transaction

from core.statistics import analyze
from pagecache.versions import REFERENCE, bump


class Command(LoadDataCommand):
    help = (
        "Restores a backup made with `dumpdata --natural-foreign --natural-primary` into a "
        "migrated database: Django's loaddata with the change history switched off, since the "
        "backup already holds the history. Takes loaddata's options, plus --dry-run."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Load the backup and roll it back: checks that it loads, saves nothing.",
        )

    def handle(self, *fixture_labels, dry_run=False, **options):
        previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        settings.SIMPLE_HISTORY_ENABLED = False
        try:
            database = options.get("database") or DEFAULT_DB_ALIAS
            # The content versions are the cache's, not data: loading a backup's older
            # counters could bring a key back to a value that already named other content.
            options["exclude"] = [*(options.get("exclude") or []), "pagecache.ContentVersion"]
            with transaction.atomic(using=database):
                super().handle(*fixture_labels, **options)
                # Raw saves pass no model save(): move every page's version, so no page
                # cached before the restore is served after it.
                bump({REFERENCE}, using=database)
                if dry_run:
                    transaction.set_rollback(True)
                    self.stdout.write("Dry run: the backup loads; nothing saved.")
        finally:
            settings.SIMPLE_HISTORY_ENABLED = previous
        if not dry_run:
            # Every table may have been filled: statistics for the whole database.
            analyze(using=database)
