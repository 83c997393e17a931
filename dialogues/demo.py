"""Example walks and dialogues for the demo (`load_demo`). Everything here is marked
`is_example`, and the pages say "exempel". Idempotent: running it again changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from dialogues import services
from dialogues.models import Dialogue, Finding, SafetyWalk
from pledges.models import Commitment, Municipality

KUNGALV_COMMITMENT_START = "Två trygghetsvandringar"


def _at(days, hour):
    """A local time `days` from today at `hour`, rounded to the hour."""
    date = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


def _write(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _example_walk(municipality, area, **fields):
    walk, created = SafetyWalk.objects.get_or_create(
        municipality=municipality, area=area, is_example=True, defaults=fields
    )
    if not created and walk.commitment_id is None and fields.get("commitment") is not None:
        # The löfte was loaded after the walks: link them now, and count a held one.
        walk.commitment = fields["commitment"]
        walk.save(update_fields=["commitment"])
        services.sync_walk_activity(walk=walk)
    return walk, created


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
            .order_by("-pledge__start_date")
            .first()
        )
        if commitment is None:
            _write(stdout, "Kungälv: no 'Två trygghetsvandringar' commitment; walks not linked.")
        held, created = _example_walk(
            kungalv,
            "Nordmannatorget och Komarken",
            commitment=commitment,
            meeting_point="Nordmannatorget, vid fontänen",
            starts_at=_at(-45, 18),
            ends_at=_at(-45, 20),
            organisers="Kungälvs kommun och lokalpolisområde Kungälv/Ale",
            accessibility=(
                "Cirka 2 km på asfalt, en längre backe upp mot Komarken. Bänkar längs vägen."
            ),
            capacity=30,
            participants=17,
            report=(
                "Deltagarna pekade ut mörka gångvägar mellan torget och Komarken, buskage som "
                "skymmer sikten vid busshållplatsen och nedskräpning bakom centrumhuset."
            ),
        )
        if created:
            findings = [
                ("Gångvägen Komarken–torget", Finding.Category.LIGHTING, "kommunen", "fixed", ""),
                (
                    "Busshållplatsen Nordmannatorget",
                    Finding.Category.VEGETATION,
                    "kommunen",
                    "fixed",
                    "",
                ),
                ("Bakom centrumhuset", Finding.Category.LITTER, "fastighetsagare", "open", ""),
                ("Parkeringen vid Komarken", Finding.Category.LIGHTING, "kommunen", "open", ""),
                (
                    "Övergångsstället vid torget",
                    Finding.Category.TRAFFIC,
                    "trafikverket",
                    "declined",
                    "Sträckan byggs om 2027; frågan tas upp då.",
                ),
            ]
            for place, category, responsible, status, reason in findings:
                Finding.objects.create(
                    walk=held,
                    place=place,
                    category=category,
                    responsible=responsible,
                    status=status,
                    declined_reason=reason,
                    due_date=timezone.localdate() + datetime.timedelta(days=30),
                    fixed_on=timezone.localdate() - datetime.timedelta(days=10)
                    if status == "fixed"
                    else None,
                )
            services.record_walk_held(walk=held)
        _example_walk(
            kungalv,
            "Ytterby centrum",
            commitment=commitment,
            meeting_point="Ytterby station, huvudentrén",
            starts_at=_at(21, 18),
            ends_at=_at(21, 20),
            organisers="Kungälvs kommun och lokalpolisområde Kungälv/Ale",
            accessibility="Cirka 1,5 km, plant och asfalterat.",
            capacity=25,
        )
        Dialogue.objects.get_or_create(
            municipality=kungalv,
            title="Trygghetsmätning i Kungälv",
            is_example=True,
            defaults={
                "date": timezone.localdate() - datetime.timedelta(days=120),
                "format": Dialogue.Format.SAFETY_SURVEY,
                "status": Dialogue.Status.HELD,
                "participants": 412,
                "outcome": "Otrygghet kvällstid vid Nordmannatorget och Komarken lyftes av många.",
            },
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
