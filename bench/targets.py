"""Prints, as JSON, the concrete addresses bench/run.py measures, picked from the database.

Run with the benchmark's environment (DATABASE_URL etc.); it reads, never writes.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from pledges.models import Activity, Commitment, Pledge  # noqa: E402


def pledge_targets(pledges):
    pledge = (
        pledges.current(timezone.localdate()).first() or pledges.order_by("-start_date").first()
    )
    if pledge is None:
        return {}
    commitment = (
        Commitment.objects.filter(pledge=pledge)
        .annotate(n=Count("activities"))
        .order_by("-n", "pk")
        .first()
    )
    return {
        "kommun": pledge.municipality.slug,
        "pledge": pledge.slug,
        "commitment": commitment.pk if commitment else None,
        "police_area": pledge.police_area.slug if pledge.police_area else None,
        "activities": commitment.n if commitment else 0,
        # One public activity of the commitment, for the API's record address.
        "activity": (
            Activity.objects.public().filter(commitment=commitment).order_by("-id").first().pk
            if commitment and commitment.n
            else None
        ),
    }


targets = {}
for slug in ("kungalv", "lysekil"):
    targets[slug] = pledge_targets(
        Pledge.objects.filter(municipality__slug=slug).exclude(slug__startswith="skala-")
    )
    targets[slug]["kommun"] = slug
generated = Pledge.objects.filter(slug__startswith="skala-")
busiest = (
    generated.values("municipality")
    .annotate(n=Count("commitments__activities"))
    .order_by("-n")
    .first()
)
targets["generated"] = (
    pledge_targets(generated.filter(municipality=busiest["municipality"])) if busiest else {}
)
# The staff report exports: the generated löfte with the most activities.
big = (
    generated.annotate(n=Count("commitments__activities")).order_by("-n", "pk").first()
    if busiest
    else None
)
if big is not None:
    targets["generated"]["big_pledge_id"] = big.pk
    targets["generated"]["big_pledge_activities"] = big.n
print(json.dumps(targets))
