import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from core.statistics import analyze
from pledges.models import Municipality, PoliceArea, PoliceRegion

COLUMNS = ["namn", "polisområde", "polisregion", "kommunkoder"]


class Command(BaseCommand):
    help = (
        "Loads lokalpolisområden from a CSV file (UTF-8, comma-separated) with the columns "
        "namn, polisområde, polisregion, kommunkoder and optionally kortnamn. kommunkoder are "
        "four-digit SCB codes separated by spaces; polisregion is a region's name (Väst). "
        "Idempotent: an area is found by its kortnamn (from the name when the column is "
        "missing), updated where it differs and its kommuner set to exactly those listed. "
        "All or nothing: one bad row and nothing is saved. See docs/staff.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, save nothing."
        )

    def handle(self, *args, file, dry_run=False, **options):
        self.load(file, dry_run)
        if not dry_run:
            analyze("pledges.PoliceArea")  # statistics for what was loaded

    @transaction.atomic
    def load(self, file, dry_run):
        rows = self.read(file)
        regions = {region.name.casefold(): region for region in PoliceRegion.objects.all()}
        municipalities = dict(Municipality.objects.values_list("code", "pk"))
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for number, raw in rows:
            row = {key: (value or "").strip() for key, value in raw.items() if key}
            name = row["namn"]
            if not name:
                raise CommandError(f"Rad {number}: namn saknas.")
            region = regions.get(row["polisregion"].casefold())
            if region is None:
                raise CommandError(
                    f"Rad {number}: okänd polisregion ”{row['polisregion']}”. "
                    "Kör load_reference_data först."
                )
            codes = row["kommunkoder"].replace(",", " ").split()
            unknown = [code for code in codes if code not in municipalities]
            if unknown:
                raise CommandError(f"Rad {number}: okända kommunkoder: {', '.join(unknown)}.")
            slug = row.get("kortnamn") or slugify(name)
            values = {
                "name": name,
                "police_district": row["polisområde"],
                "region": region,
            }
            area = PoliceArea.objects.filter(slug=slug).first()
            wanted = {municipalities[code] for code in codes}
            if area is None:
                area = PoliceArea.objects.create(slug=slug, **values)
                area.municipalities.set(wanted)
                counts["created"] += 1
                continue
            changed = {k: v for k, v in values.items() if getattr(area, k) != v}
            for key, value in changed.items():
                setattr(area, key, value)
            if changed:
                area.save(update_fields=list(changed))
            if set(area.municipalities.values_list("pk", flat=True)) != wanted:
                area.municipalities.set(wanted)
                changed["municipalities"] = True
            counts["updated" if changed else "unchanged"] += 1
        self.stdout.write(
            ("Dry run, nothing saved: " if dry_run else "")
            + f"{len(rows)} lokalpolisområden read; {counts['created']} created, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged."
        )
        if dry_run:
            transaction.set_rollback(True)

    def read(self, path):
        try:
            with path.open(encoding="utf-8-sig", newline="") as f:
                reader = csv.DictReader(f)
                header = [name.strip().lower() for name in reader.fieldnames or []]
                missing = [column for column in COLUMNS if column not in header]
                if missing:
                    raise CommandError(
                        f"Kolumner saknas: {', '.join(missing)}. Första raden ska vara "
                        "namn,polisområde,polisregion,kommunkoder (och gärna kortnamn)."
                    )
                reader.fieldnames = header
                return [(number, row) for number, row in enumerate(reader, start=2)]
        except FileNotFoundError as exc:
            raise CommandError(f"Filen finns inte: {path}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError("Filen kunde inte läsas. Spara den som CSV (UTF-8).") from exc
