"""Loads the seed löften of `demo.seeds` into the database, idempotently.

Every object is found by a natural key (a police area by slug, a löfte by kommun and slug,
a focus area by its place in the löfte, a commitment by its place in the löfte, a
signatory or contact by name), created when missing and updated only where it differs from
the seed, so a second run changes nothing and a run after the seed changed re-syncs it.
Example activities are matched on (date, quantity, place, description): missing ones are
created, example activities the seed no longer produces are deleted, and activities entered
by people (`is_example=False`) are never touched. A löfte with the same address that is not
demo data is left alone, and whatever was added by hand to a demo löfte (another focus area,
commitment, contact) is kept.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from demo import seeds
from demo.problem_seeds import load_problems
from pledges.dates import add_months, local_datetime
from pledges.models import (
    Activity,
    Commitment,
    Contact,
    FocusArea,
    Municipality,
    Partner,
    Pledge,
    PoliceArea,
    PoliceRegion,
    Signatory,
)
from pledges.services import copy_pledge_for_next_period, next_title, publish_pledge

COMMITMENT_DEFAULTS = {
    "short_text": "",
    "police": False,
    "municipality": False,
    "partners": [],
    "responsible_note": "",
    "places": [],
    "kind": Commitment.TargetKind.QUALITATIVE,
    "quantity": None,
    "unit": "",
    "interval": "",
    "example": {},
}

EXAMPLE_NOTE = "Exempeldata från manage.py load_demo: inte en verklig insats."

# The demo's invented next löften (`DemoLoader.ensure_current_example`).
EXAMPLE_PREFIX = "Exempel: "
EXAMPLE_INTRODUCTION = (
    "Exempel: det här löftet är påhittat för att visa portalen. Det är inte publicerat av "
    "polisen och kommunen, utan skapat som nästa löfte efter det verkliga löftet nedan, så "
    "att det alltid finns ett pågående löfte att registrera insatser på."
)

# Demo löften count as published from 08:00 on their first day.
PUBLISHED_AT_TIME = datetime.time(8, 0)


@dataclass
class Result:
    """What a load did, per kind of object: created, updated, unchanged (and deleted)."""

    counts: Counter = field(default_factory=Counter)
    skipped: list = field(default_factory=list)
    pledges: list = field(default_factory=list)

    def add(self, kind, action, n=1):
        self.counts[(kind, action)] += n

    def summary_lines(self):
        kinds = []
        for kind, _action in self.counts:
            if kind not in kinds:
                kinds.append(kind)
        lines = []
        for kind in kinds:
            parts = [
                f"{self.counts[(kind, action)]} {action}"
                for action in ("created", "updated", "deleted", "unchanged", "skipped")
                if self.counts[(kind, action)]
            ]
            lines.append(f"{kind}: {', '.join(parts)}")
        return lines

    @property
    def changed(self):
        return any(
            n
            for (_kind, action), n in self.counts.items()
            if action in ("created", "updated", "deleted")
        )


def plural(n, noun):
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def text(lines):
    """A "one per line" field from a list."""
    return "\n".join(lines)


def published_at(day):
    return local_datetime(day, PUBLISHED_AT_TIME)


def example_activities(seed, focus_order, order, commitment_seed, *, today):
    """The example activities of one commitment as (date, quantity, place, description).

    A `series` is spread over the period with a random generator seeded by the commitment's
    position, so it is the same on every run; nothing is dated after `EXAMPLES_UNTIL`, the
    end of the period or `today`.
    """
    example = commitment_seed.get("example") or {}
    start, end = seed["start_date"], min(seed["end_date"], seeds.EXAMPLES_UNTIL)
    rows = list(example.get("entries", []))
    series = example.get("series")
    if series:
        rng = random.Random(f"{seed['municipality']}/{seed['slug']}/{focus_order}/{order}")
        days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
        if series.get("weekdays"):
            days = [day for day in days if day.weekday() in series["weekdays"]]
        for day in sorted(rng.sample(days, min(series["count"], len(days)))):
            place = rng.choice(series["places"])
            rows.append((day, 1, place, series["description"].format(place=place)))
    last = min(end, today)
    return [row for row in rows if start <= row[0] <= last]


class DemoLoader:
    def __init__(self, *, today=None):
        self.today = today or timezone.localdate()
        self.result = Result()

    # --- generic helpers -------------------------------------------------------------

    def save(self, kind, model, lookup, values):
        """Creates or updates one object found by `lookup`; saves only what changed."""
        obj = model.objects.filter(**lookup).order_by("pk").first()
        if obj is None:
            obj = model.objects.create(**lookup, **values)
            self.result.add(kind, "created")
            return obj
        changed = [key for key, value in values.items() if getattr(obj, key) != value]
        if changed:
            for key in changed:
                setattr(obj, key, values[key])
            if any(f.name == "updated_at" for f in model._meta.fields):
                changed.append("updated_at")
            obj.save(update_fields=changed)
            self.result.add(kind, "updated")
        else:
            self.result.add(kind, "unchanged")
        return obj

    def set_m2m(self, kind, manager, objects):
        """Sets a many-to-many relation only when it differs, so history stays quiet."""
        wanted = {obj.pk for obj in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(objects)
            self.result.add(kind, "updated")

    def partner(self, name):
        return self.save("partners", Partner, {"name": name}, {})

    # --- the load ----------------------------------------------------------------------

    @transaction.atomic
    def load(self):
        municipalities = self.municipalities()
        region = PoliceRegion.objects.filter(name=seeds.REGION).first()
        if region is None:
            raise CommandError(
                f"Police region {seeds.REGION} is missing. "
                "Run `manage.py load_reference_data` first."
            )
        areas = {
            area["slug"]: self.load_police_area(area, region, municipalities)
            for area in seeds.POLICE_AREAS
        }
        loaded = {}
        for seed in seeds.PLEDGES:
            loaded[seed["municipality"]] = self.load_pledge(
                seed, municipalities[seed["municipality"]], areas
            )
        for code in seeds.NEXT_EXAMPLE_FOR:
            if loaded.get(code) is not None:
                self.ensure_current_example(loaded[code])
        return self.result

    def ensure_current_example(self, pledge):
        """A current löfte to log on whatever the date: when the seed löfte's kommun has no
        löfte running today, its "next löfte" is made with the staff tool's code path
        (`copy_pledge_for_next_period`), for twelve months from this month, titled and
        marked as an invented example (`is_example`), and published. The seed löfte itself is
        not changed. An example that still runs today is kept, so a second run (and a run
        on another day of its period) changes nothing."""
        running = Pledge.objects.active().filter(municipality=pledge.municipality)
        running = running.current(self.today)
        if running.exists():
            self.result.add("example next pledges", "unchanged")
            return None
        start = self.today.replace(day=1)
        end = add_months(start, 12) - datetime.timedelta(days=1)
        title = next_title(pledge.title, old_start=pledge.start_date, new_start=start, new_end=end)
        new = copy_pledge_for_next_period(
            pledge=pledge,
            start_date=start,
            end_date=end,
            user=None,
            title=f"{EXAMPLE_PREFIX}{title}",
            introduction=f"{EXAMPLE_INTRODUCTION}\n\n{pledge.introduction}".strip(),
        )
        new.is_example = True
        new.is_demo = True
        new.save(update_fields=["is_example", "is_demo", "updated_at"])
        publish_pledge(pledge=new, at=published_at(start))
        self.result.add("example next pledges", "created")
        self.result.pledges.append(
            f"{pledge.municipality.name} {new.slug}: an example next löfte, {start}–{end}"
        )
        return new

    def municipalities(self):
        codes = {code for area in seeds.POLICE_AREAS for code in area["municipalities"]}
        codes |= {seed["municipality"] for seed in seeds.PLEDGES}
        found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
        missing = sorted(codes - found.keys())
        if missing:
            raise CommandError(
                f"The kommuner {', '.join(missing)} are missing: the reference data is not "
                "loaded. Run `manage.py load_reference_data` first, then `manage.py load_demo`."
            )
        return found

    def load_police_area(self, area, region, municipalities):
        obj = self.save(
            "police areas",
            PoliceArea,
            {"slug": area["slug"]},
            {
                "name": area["name"],
                "police_district": area["police_district"],
                "region": region,
            },
        )
        self.set_m2m(
            "police area kommuner",
            obj.municipalities,
            [municipalities[code] for code in area["municipalities"]],
        )
        return obj

    def load_pledge(self, seed, municipality, areas):
        label = f"{municipality.name} {seed['slug']}"
        existing = Pledge.objects.filter(municipality=municipality, slug=seed["slug"]).first()
        if existing is not None and not existing.is_demo:
            self.result.skipped.append(label)
            self.result.add("pledges", "skipped")
            return None

        pledge = self.save(
            "pledges",
            Pledge,
            {"municipality": municipality, "slug": seed["slug"]},
            {
                "police_area": areas[seed["police_area"]],
                "title": seed["title"],
                "start_date": seed["start_date"],
                "end_date": seed["end_date"],
                "period_stated": seed.get("period_stated", True),
                "introduction": seed["introduction"],
                "background": seed["background"],
                "goals": text(seed["goals"]),
                "focus_places": text(seed["focus_places"]),
                "follow_up_schedule": seed["follow_up_schedule"],
                "follow_up_description": seed["follow_up_description"],
                "source_url": "",
                "status": Pledge.Status.PUBLISHED,
                "published_at": published_at(seed["start_date"]),
                "is_demo": True,
            },
        )
        self.set_m2m(
            "pledge partners", pledge.partners, [self.partner(n) for n in seed["partners"]]
        )
        for order, person in enumerate(seed["signatories"], start=1):
            self.save(
                "signatories",
                Signatory,
                {"pledge": pledge, "name": person["name"]},
                {
                    "title": person["title"],
                    "organisation": person["organisation"],
                    "order": order,
                },
            )
        for order, person in enumerate(seed["contacts"], start=1):
            self.save(
                "contacts",
                Contact,
                {"pledge": pledge, "name": person["name"]},
                {
                    "role": person["role"],
                    "organisation": person["organisation"],
                    "phone": person["phone"],
                    "email": person["email"],
                    "order": order,
                },
            )

        commitments = activities = 0
        for focus_order, area in enumerate(seed["focus_areas"], start=1):
            # Problem areas (Ale) are no commitments: their quoted text follows the focus
            # area's own.
            description = "\n\n".join(
                [area["description"], *(item["text"] for item in area.get("problem_areas", []))]
            )
            focus_area = self.save(
                "focus areas",
                FocusArea,
                {"pledge": pledge, "order": focus_order},
                {"title": area["title"], "description": description},
            )
            for order, raw in enumerate(area["commitments"], start=1):
                item = {**COMMITMENT_DEFAULTS, **raw}
                commitments += 1
                commitment = self.load_commitment(pledge, focus_area, commitments, item)
                activities += self.load_examples(commitment, seed, focus_order, order, item)
        load_problems(self, seed, pledge)
        self.result.pledges.append(
            f"{label}: {plural(len(seed['focus_areas']), 'focus area')}, "
            f"{plural(commitments, 'commitment')}, {plural(activities, 'example activity')}"
        )
        return pledge

    def load_commitment(self, pledge, focus_area, order, item):
        """`order` runs through the whole löfte, so a commitment is found again even if its
        focus area was deleted in the meantime (which leaves it without one)."""
        example = item["example"] or {}
        commitment = self.save(
            "commitments",
            Commitment,
            {"pledge": pledge, "order": order},
            {
                "focus_area": focus_area,
                "text": item["text"],
                "short_text": item["short_text"],
                "responsible_police": item["police"],
                "responsible_municipality": item["municipality"],
                "responsible_note": item["responsible_note"],
                "places": text(item["places"]),
                # Every seed commitment names its kind (no default: tests/test_load_demo.py).
                "kind": item["commitment_kind"],
                "target_kind": item["kind"],
                "target_quantity": item["quantity"],
                "target_unit": item["unit"],
                "interval": item["interval"],
                "status": example.get("status", Commitment.Status.NOT_STARTED),
            },
        )
        self.set_m2m(
            "commitment partners",
            commitment.responsible_partners,
            [self.partner(name) for name in item["partners"]],
        )
        return commitment

    def load_examples(self, commitment, seed, focus_order, order, item):
        wanted = Counter(example_activities(seed, focus_order, order, item, today=self.today))
        have = {}
        for activity in commitment.activities.filter(is_example=True).order_by("pk"):
            key = (activity.date, activity.quantity, activity.place, activity.description)
            have.setdefault(key, []).append(activity.pk)

        to_delete = []
        for key, pks in have.items():
            keep = min(len(pks), wanted.get(key, 0))
            to_delete.extend(pks[keep:])
            self.result.add("example activities", "unchanged", keep)
        missing = []
        for key, n in wanted.items():
            missing.extend([key] * max(0, n - len(have.get(key, []))))

        if to_delete:
            Activity.objects.filter(pk__in=to_delete).delete()
            self.result.add("example activities", "deleted", len(to_delete))
        if missing:
            # bulk_create: invented rows need no change history of their own.
            Activity.objects.bulk_create(
                Activity(
                    commitment=commitment,
                    date=day,
                    quantity=quantity,
                    place=place,
                    description=description,
                    internal_note=EXAMPLE_NOTE,
                    is_example=True,
                )
                for day, quantity, place, description in missing
            )
            self.result.add("example activities", "created", len(missing))
        return sum(wanted.values())


def load_demo(*, today=None):
    """Loads (or re-syncs) the police areas and seed löften; returns a `Result`."""
    return DemoLoader(today=today).load()
