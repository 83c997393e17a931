from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import PasswordResetRequest, SignInAttempt
from accounts.passwordreset import rate_limit


class Command(BaseCommand):
    help = (
        "Deletes sign-in attempts older than SIGNIN_AUDIT_RETENTION_DAYS, and forgotten-"
        "password requests older than their rate limit's window."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        expired = SignInAttempt.objects.expired()
        days = settings.SIGNIN_AUDIT_RETENTION_DAYS
        requests = PasswordResetRequest.objects.older_than(rate_limit()[2])
        if dry_run:
            count = expired.count()
            self.stdout.write(f"Would delete {count} sign-in attempts older than {days} days.")
            self.stdout.write(f"Would delete {requests.count()} forgotten-password requests.")
            return
        count, _ = expired.delete()
        self.stdout.write(f"Deleted {count} sign-in attempts older than {days} days.")
        count, _ = requests.delete()
        self.stdout.write(f"Deleted {count} forgotten-password requests.")
