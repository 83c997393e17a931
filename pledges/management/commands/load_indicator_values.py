from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pledges.indicator_loader import load


class Command(BaseCommand):
    help = (
        "Loads measured values of effect indicators from a CSV file (UTF-8, comma-separated) "
        "with the header kommunkod,indikator,period,värde,källa,kommentar. period is a year "
        '(2024) or a date (2024-05-31); värde takes a decimal comma (quoted: "23,5") or '
        "point; indikator is the indicator's name within the kommun (create indicators in the "
        "admin first). All or nothing: one bad line and nothing is saved, with a message "
        "naming the line. Idempotent: a value is found by indicator and period, so a second "
        "run adds nothing. See docs/staff.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, save nothing."
        )

    def handle(self, *args, file, dry_run=False, **options):
        try:
            text = file.read_bytes().decode("utf-8")
        except OSError as error:
            raise CommandError(f"Filen kunde inte läsas: {error}") from None
        except UnicodeDecodeError:
            raise CommandError("Filen är inte UTF-8. Spara den som CSV (UTF-8).") from None
        result = load(text=text, dry_run=dry_run)
        if not result.ok:
            raise CommandError("Inget sparades.\n" + "\n".join(result.errors))
        self.stdout.write(result.summary())
