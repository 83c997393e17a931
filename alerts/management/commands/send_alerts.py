from django.core.management.base import BaseCommand

from alerts.services import send_alerts


class Command(BaseCommand):
    help = (
        "E-mails each confirmed 'Bevaka löftet' subscriber a digest of what changed in their "
        "kommun's löften since their last digest: activities logged, follow-ups, target and "
        "period changes, safety walks and fixed findings, löften published or ended. Weekly "
        "or daily per subscriber, and only when something changed. Idempotent: a change is "
        "never sent twice, so it is safe to run from cron every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count the digests that are due; send nothing and change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        counts = send_alerts(dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            f"{counts['due']} subscriptions due; {verb.lower()} "
            f"{counts['sent']} digests; {counts['failed']} failed."
        )
        if counts["failed"]:
            self.stderr.write(f"{counts['failed']} digests failed; see the log. They are retried.")
