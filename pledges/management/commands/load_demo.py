from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Loads the demo data (the five seed löften). Placeholder until the pledges land."

    def handle(self, *args, **options):
        self.stdout.write("No demo data yet.")
