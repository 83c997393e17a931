from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from core.statistics import analyze
from demo import seeds
from demo.accounts import create_demo_accounts
from demo.dialogues import load_demo_dialogues
from demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Loads the demo data: the five seed löften (Kungälv 2018-10-01–2019-09-30, Tanum 2017, "
        "Ale, Lysekil 2021-04-01–2022-12-31, Trollhättan 2025–2026) as published, with their "
        "focus areas, commitments, targets, responsible parties, signatories and contacts, "
        "and the three police areas they name (region Väst): Kungälv/Ale (polisområde "
        "Storgöteborg: Kungälv, Ale), Västra Fyrbodal (Uddevalla, Lysekil, Sotenäs, Munkedal, "
        "Tanum, Strömstad) and Östra Fyrbodal (Trollhättan, Vänersborg, Åmål, Dals-Ed, "
        "Bengtsfors, Mellerud); only kommuner confirmed from public sources are listed, "
        "Färgelanda and Lilla Edet are not. "
        f"Ale's seed gives no period: it is stored as {seeds.ALE_PERIOD[0]}–"
        f"{seeds.ALE_PERIOD[1]}, the year its page describes (assumed), only to order it, "
        "and its pages say the source gives no period; its problem areas are not loaded as "
        "commitments. Kungälv and Trollhättan get an invented next löfte ('Exempel: …', "
        "is_example) from the current month whenever they have none running, so every demo "
        "account has something to log. "
        "The löften are published and marked as demo data (is_demo); invented example "
        "activities and statuses are added so progress shows, every example activity flagged "
        'is_example and described "Exempel: …". Needs `load_reference_data` first. '
        "Idempotent: a second run changes nothing; a löfte with the same address that is not "
        "demo data is never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created or changed, save nothing.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        with transaction.atomic():
            result = load_demo()
            load_demo_dialogues(stdout=self.stdout if verbosity >= 1 else None)
            if settings.DEBUG:
                create_demo_accounts(stdout=self.stdout if verbosity >= 1 else None)
            else:
                # Known passwords must never reach a production database.
                self.stdout.write("Demo accounts not created: they are only made with DEBUG on.")
            if dry_run:
                transaction.set_rollback(True)

        if not dry_run:
            analyze("pledges", "dialogues")  # statistics for what was loaded
        prefix = "Dry run, nothing saved. " if dry_run else ""
        self.stdout.write(f"{prefix}Demo data {'would be ' if dry_run else ''}loaded.")
        if verbosity >= 1:
            for line in result.pledges + result.summary_lines():
                self.stdout.write(f"  {line}")
        for label in result.skipped:
            self.stderr.write(
                self.style.WARNING(f"  Skipped {label}: a löfte there is not demo data.")
            )
        if not result.changed:
            self.stdout.write("Nothing to change: the demo data is up to date.")
