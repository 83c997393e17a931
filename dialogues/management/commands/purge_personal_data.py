from django.core.management.base import BaseCommand

from dialogues.services import purge_personal_data


class Command(BaseCommand):
    help = (
        "Blanks names, e-mail addresses, phone numbers and IP hashes in synpunkter and walk "
        "sign-ups older than each kommun's retention period "
        "(Municipality.personal_data_retention_months, default 12), in one transaction, and "
        "deletes rate-limit records older than a day. Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be erased; change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        counts = purge_personal_data(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} personal data in {counts['feedback']} synpunkter and "
            f"{counts['signups']} walk sign-ups; "
            f"{'would delete' if dry_run else 'deleted'} {counts['attempts']} rate-limit "
            f"records and {counts['tokens']} used form tokens."
        )
