import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from pledges.models import County, Municipality, PoliceRegion

REFERENCE_DIR = Path(settings.BASE_DIR) / "reference"


def read_csv(name):
    path = REFERENCE_DIR / name
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except FileNotFoundError as exc:
        raise CommandError(f"Reference file missing: {path}") from exc


def municipality_slugs(rows):
    """ASCII slugs from names (Kungälv → kungalv). Two names can fold to the same slug
    (Håbo and Habo): the one whose name is already ASCII keeps it, the other gets its
    kommunkod appended, so every kommun has a stable, unique address."""
    slugs = {}
    by_slug = {}
    for row in sorted(rows, key=lambda r: (not r["name"].isascii(), r["code"])):
        slug = slugify(row["name"])
        if slug in by_slug:
            slug = f"{slug}-{row['code']}"
        by_slug[slug] = row["code"]
        slugs[row["code"]] = slug
    return slugs


class Command(BaseCommand):
    help = (
        "Loads the 21 län, the 7 police regions and the 290 kommuner from the CSV files in "
        "reference/. Idempotent: run it again and only what changed is updated; existing "
        "addresses (slugs) are never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, save nothing."
        )

    @transaction.atomic
    def handle(self, *args, dry_run=False, **options):
        counts = {"created": 0, "updated": 0, "unchanged": 0}

        def save(model, lookup, values):
            obj = model.objects.filter(**lookup).first()
            if obj is None:
                obj = model.objects.create(**lookup, **values)
                counts["created"] += 1
                return obj
            changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
            if changed:
                for key, value in changed.items():
                    setattr(obj, key, value)
                obj.save(update_fields=list(changed))
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            return obj

        region_rows = read_csv("polisregioner.csv")
        county_rows = read_csv("lan.csv")
        municipality_rows = read_csv("kommuner.csv")

        region_by_county = {}
        for row in region_rows:
            region = save(PoliceRegion, {"name": row["name"]}, {"slug": slugify(row["name"])})
            for code in row["county_codes"].split():
                region_by_county[code] = region

        counties = {}
        for row in county_rows:
            counties[row["code"]] = save(
                County,
                {"code": row["code"]},
                {"name": row["name"], "police_region": region_by_county.get(row["code"])},
            )

        slugs = municipality_slugs(municipality_rows)
        existing_slugs = dict(Municipality.objects.values_list("code", "slug"))
        for row in municipality_rows:
            if row["county_code"] not in counties:
                raise CommandError(
                    f"Kommun {row['code']} names an unknown län {row['county_code']}"
                )
            values = {"name": row["name"], "county": counties[row["county_code"]]}
            if row["code"] not in existing_slugs:
                values["slug"] = slugs[row["code"]]
            save(Municipality, {"code": row["code"]}, values)

        self.stdout.write(
            ("Dry run, nothing saved: " if dry_run else "")
            + f"{len(region_rows)} police regions, {len(county_rows)} län, "
            f"{len(municipality_rows)} kommuner read; "
            f"{counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged."
        )
        if dry_run:
            transaction.set_rollback(True)
