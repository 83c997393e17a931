from django.core.management.base import BaseCommand

from alerts.services import purge_unconfirmed
from dialogues.services import purge_personal_data


class Command(BaseCommand):
    # The command lives in `alerts`, the top layer, so that one daily run covers every
    # app's personal data while `dialogues` stays unaware of alerts.
    help = (
        "Blanks names, e-mail addresses, phone numbers and IP hashes in synpunkter and walk "
        "sign-ups older than each kommun's retention period "
        "(Municipality.personal_data_retention_months, default 12), in one transaction, and "
        "deletes rate-limit records older than a day; deletes alert subscriptions left "
        "unconfirmed for 48 hours. Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be erased; change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        counts = purge_personal_data(dry_run=dry_run)
        alerts = purge_unconfirmed(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        delete = "would delete" if dry_run else "deleted"
        self.stdout.write(
            f"{verb} personal data in {counts['feedback']} synpunkter and "
            f"{counts['signups']} walk sign-ups; "
            f"{delete} {counts['attempts']} rate-limit "
            f"records and {counts['tokens']} used form tokens; "
            f"{delete} {alerts['unconfirmed']} unconfirmed alert subscriptions and "
            f"{alerts['confirmation_mails']} confirmation-mail records."
        )
