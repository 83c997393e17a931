from django.core.management.base import BaseCommand

from pledges.groups import ensure_staff_groups


class Command(BaseCommand):
    help = (
        "Creates or updates the staff groups ”Lokalpolisområde”, ”Kommunens samordnare” and "
        "”Nationell administratör” with their model permissions. Idempotent; run after "
        "every migrate."
    )

    def handle(self, *args, **options):
        for name, group in ensure_staff_groups().items():
            self.stdout.write(f"{name}: {group.permissions.count()} behörigheter")
