"""Example walks and dialogues for the demo (`load_demo`). Everything here is marked
`is_example`, and the pages say "exempel". Idempotent: running it again changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from dialogues import services
from dialogues.models import Dialogue, Finding, SafetyWalk
from pledges.dates import local_datetime
from pledges.models import Activity, Commitment, Municipality, Problem

KUNGALV_COMMITMENT_START = "Två trygghetsvandringar"
KUNGALV_SURVEY_PROBLEM = "Otrygghet på Nordmannatorget och i Komarken"


def _at(days, hour):
    """A local time `days` from today at `hour`, rounded to the hour."""
    date = timezone.localdate() + datetime.timedelta(days=days)
    return local_datetime(date, datetime.time(hour))


def _write(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _example_walk(municipality, area, **fields):
    walk, created = SafetyWalk.objects.get_or_create(
        municipality=municipality, area=area, is_example=True, defaults=fields
    )
    return walk, created


def _count_on_commitment(walk, commitment, user=None):
    """Links a held example walk to the commitment, reusing the löfte's own example
    activity of that day (the pledges demo logs the two walks) so nothing counts twice."""
    pledge = commitment.pledge
    date = timezone.localdate(walk.starts_at)
    if not (pledge.start_date <= date <= pledge.end_date):
        return
    if walk.commitment_id != commitment.pk:
        walk.commitment = commitment
        walk.save(update_fields=["commitment"])
    if walk.activity_id is None:
        existing = Activity.objects.filter(
            commitment=commitment, date=date, safety_walk__isnull=True
        ).first()
        if existing is not None:
            walk.activity = existing
            walk.save(update_fields=["activity"])
    services.record_walk_held(walk=walk, user=user)


KUNGALV_HELD = [
    {
        "area": "Nordmannatorget",
        "date": datetime.date(2018, 11, 7),
        "meeting_point": "Nordmannatorget, vid fontänen",
        "participants": 17,
        "report": (
            "Boende, fastighetsägare, kommunen och polisen gick runt torget. Deltagarna pekade "
            "ut mörka gångvägar, buskage som skymmer sikten vid busshållplatsen och "
            "nedskräpning bakom centrumhuset."
        ),
        "findings": [
            ("Gångvägen mot Komarken", Finding.Category.LIGHTING, "municipality", "fixed", ""),
            (
                "Busshållplatsen vid torget",
                Finding.Category.VEGETATION,
                "municipality",
                "fixed",
                "",
            ),
            ("Bakom centrumhuset", Finding.Category.LITTER, "property_owner", "fixed", ""),
            (
                "Övergångsstället vid torget",
                Finding.Category.TRAFFIC,
                "trafikverket",
                "declined",
                "Sträckan ska byggas om; frågan tas upp i det arbetet.",
            ),
        ],
    },
    {
        "area": "Komarken",
        "date": datetime.date(2019, 4, 24),
        "meeting_point": "Komarkens centrum, vid affären",
        "participants": 12,
        "report": "Fokus på belysning och klotter kring skolan och gångtunnlarna.",
        "findings": [
            ("Gångtunneln under vägen", Finding.Category.LIGHTING, "municipality", "fixed", ""),
            ("Skolgården", Finding.Category.VANDALISM, "municipality", "fixed", ""),
            ("Cykelvägen mot centrum", Finding.Category.VEGETATION, "municipality", "open", ""),
        ],
    },
]


@transaction.atomic
def load_demo_dialogues(*, stdout=None):
    municipalities = {
        m.slug: m for m in Municipality.objects.filter(slug__in=["kungalv", "trollhattan"])
    }
    kungalv = municipalities.get("kungalv")
    if kungalv is not None:
        commitment = (
            Commitment.objects.filter(
                pledge__municipality=kungalv, text__startswith=KUNGALV_COMMITMENT_START
            )
            .select_related("pledge")
            .order_by("-pledge__start_date")
            .first()
        )
        if commitment is None:
            _write(stdout, "Kungälv: no 'Två trygghetsvandringar' commitment; walks not linked.")
        for spec in KUNGALV_HELD:
            starts = local_datetime(spec["date"], datetime.time(18))
            walk, created = _example_walk(
                kungalv,
                spec["area"],
                meeting_point=spec["meeting_point"],
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                organisers="Kungälvs kommun och lokalpolisområde Kungälv/Ale",
                accessibility="Cirka 2 km på asfalt, en del backar. Bänkar längs vägen.",
                participants=spec["participants"],
                report=spec["report"],
                status=SafetyWalk.Status.HELD,
            )
            if created:
                for place, category, responsible, status, reason in spec["findings"]:
                    Finding.objects.create(
                        walk=walk,
                        place=place,
                        category=category,
                        responsible=responsible,
                        status=status,
                        declined_reason=reason,
                        due_date=spec["date"] + datetime.timedelta(days=90),
                        fixed_on=spec["date"] + datetime.timedelta(days=40)
                        if status == "fixed"
                        else None,
                    )
            if commitment is not None and walk.activity_id is None:
                _count_on_commitment(walk, commitment)
        _example_walk(
            kungalv,
            "Ytterby centrum",
            meeting_point="Ytterby station, huvudentrén",
            starts_at=_at(21, 18),
            ends_at=_at(21, 20),
            organisers="Kungälvs kommun och lokalpolisområde Kungälv/Ale",
            accessibility="Cirka 1,5 km, plant och asfalterat.",
            capacity=25,
        )
        survey, _ = Dialogue.objects.get_or_create(
            municipality=kungalv,
            title="Trygghetsmätning i Kungälv",
            is_example=True,
            defaults={
                "date": datetime.date(2018, 5, 15),
                "format": Dialogue.Format.SAFETY_SURVEY,
                "status": Dialogue.Status.HELD,
                "participants": 412,
                "outcome": "Otrygghet kvällstid vid Nordmannatorget och Komarken lyftes av många.",
            },
        )
        if commitment is not None:
            survey.commitments.add(commitment)
        # The survey brought up the problem the löfte names (demo/problem_seeds.py).
        survey.problems.add(
            *Problem.objects.filter(
                pledge__municipality=kungalv, title=KUNGALV_SURVEY_PROBLEM, pledge__is_demo=True
            )
        )
        Dialogue.objects.get_or_create(
            municipality=kungalv,
            title="Medborgardialog om Ytterby",
            is_example=True,
            defaults={
                "date": timezone.localdate() + datetime.timedelta(days=35),
                "format": Dialogue.Format.MEETING,
                "place": "Ytterby bibliotek",
            },
        )
    trollhattan = municipalities.get("trollhattan")
    if trollhattan is not None:
        _example_walk(
            trollhattan,
            "Resecentrum",
            meeting_point="Trollhättan resecentrum, vid biljettautomaterna",
            starts_at=_at(14, 19),
            ends_at=_at(14, 21),
            organisers="Trollhättans stad och lokalpolisområde Östra Fyrbodal",
            accessibility="Cirka 1 km, hiss finns mellan plattformarna.",
            capacity=20,
        )
    _write(stdout, f"Example walks: {SafetyWalk.objects.filter(is_example=True).count()}.")
