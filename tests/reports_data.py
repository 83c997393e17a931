"""Shared data for the reports, API and feed tests: two LPOs, three kommuner, a published
löfte with activities and a follow-up, a draft löfte and an internal note carrying markers
that must never appear anywhere public."""

import datetime

import pytest
from django.utils import timezone

from pledges.dates import local_datetime
from pledges.models import FollowUp, FollowUpNote, Pledge
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    PledgeFactory,
    PoliceAreaFactory,
    UserFactory,
)

SECRET_NOTE = "HEMLIG-ANTECKNING-7f3a"
DRAFT_TITLE = "UTKAST-LOFTE-91bc"
DRAFT_ACTIVITY = "UTKAST-INSATS-55d1"
AUTHOR = "polis-forfattare-x9"


@pytest.fixture
def world(db):
    today = datetime.date.today()
    start = (
        today.replace(month=1, day=1)
        if today.month > 2
        else today.replace(year=today.year - 1, month=7, day=1)
    )
    kungalv = MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    ale = MunicipalityFactory(name="Ale", slug="ale", code="1440")
    trollhattan = MunicipalityFactory(name="Trollhättan", slug="trollhattan", code="1488")
    lpo = PoliceAreaFactory(name="Kungälv/Ale", slug="kungalv-ale", municipalities=[kungalv, ale])
    ostra = PoliceAreaFactory(
        name="Östra Fyrbodal", slug="ostra-fyrbodal", municipalities=[trollhattan]
    )
    pledge = PledgeFactory(
        municipality=kungalv,
        police_area=lpo,
        title="Trygg i Kungälv",
        slug="trygg",
        start_date=start,
        end_date=start.replace(year=start.year + 1) - datetime.timedelta(days=1),
    )
    patrols = CommitmentFactory(
        pledge=pledge,
        text="Fotpatrullering på Nordmannatorget minst 200 tillfällen",
        short_text="Fotpatrullering",
        target_quantity=200,
        target_unit="tillfällen",
    )
    controls = CommitmentFactory(
        pledge=pledge,
        text='=HYPERLINK("http://evil") trafikkontroller',
        target_kind="recurring",
        target_quantity=1,
        interval="month",
    )
    walk = CommitmentFactory(
        pledge=pledge,
        text="Trygghetsvandring i Ytterby",
        target_kind="milestone",
        target_quantity=None,
    )
    author = UserFactory(username=AUTHOR)
    first_month = start + datetime.timedelta(days=3)
    second_month = start + datetime.timedelta(days=40)
    ActivityFactory(
        commitment=patrols,
        date=first_month,
        quantity=5,
        internal_note=SECRET_NOTE,
        created_by=author,
        place="Nordmannatorget",
    )
    ActivityFactory(commitment=patrols, date=second_month, quantity=7, place="Komarken")
    ActivityFactory(commitment=controls, date=second_month, quantity=1, place="-Väg 168")
    follow_up = FollowUp.objects.create(
        pledge=pledge, date=second_month, title="Vårens uppföljning"
    )
    FollowUpNote.objects.create(follow_up=follow_up, commitment=patrols, note="Fler kvällspass.")

    draft = PledgeFactory(
        municipality=kungalv,
        police_area=lpo,
        title=DRAFT_TITLE,
        status=Pledge.Status.DRAFT,
        published_at=None,
        slug="utkast",
    )
    draft_commitment = CommitmentFactory(pledge=draft, text=DRAFT_TITLE + " åtagande")
    ActivityFactory(commitment=draft_commitment, description=DRAFT_ACTIVITY, date=first_month)

    other = PledgeFactory(
        municipality=trollhattan,
        police_area=ostra,
        title="Trollhättans löfte",
        slug="th",
        start_date=start,
        end_date=pledge.end_date,
    )
    other_commitment = CommitmentFactory(pledge=other, text="Trollhättans åtagande")
    ActivityFactory(commitment=other_commitment, date=first_month, quantity=3)

    lpo_user = MembershipFactory(
        police_area=lpo, user=UserFactory(username="polis.kungalv-ale")
    ).user
    coordinator = MembershipFactory(municipality=trollhattan).user
    superuser = UserFactory(username="admin", is_superuser=True)
    return {
        "kungalv": kungalv,
        "ale": ale,
        "trollhattan": trollhattan,
        "lpo": lpo,
        "ostra": ostra,
        "pledge": pledge,
        "patrols": patrols,
        "controls": controls,
        "walk": walk,
        "draft": draft,
        "other": other,
        "lpo_user": lpo_user,
        "coordinator": coordinator,
        "superuser": superuser,
        "start": start,
        "follow_up": follow_up,
    }


def login(client, user):
    # UserFactory sets the password after saving and skips the save, so the session hash
    # made from the in-memory user would not match the stored one: save first.
    user.save()
    client.force_login(user)


# --- r2data: walks, findings and synpunkter -------------------------------------------------

SIGNUP_NAME = "ANMALD-NAMN-3c7e"
SIGNUP_EMAIL = "anmald-4d2f@example.se"
FEEDBACK_TEXT = "OPUBLICERAD-SYNPUNKT-8a1b"
FEEDBACK_RAW_TEXT = "RAATEXT-PUBLICERAD-6e0c"
FEEDBACK_NOTE = "INTERN-SYNPUNKT-2b9d"
FEEDBACK_REPLY = "PRIVAT-SVAR-7c4a"
FEEDBACK_NAME = "SYNPUNKT-NAMN-1f5e"
FINDING_MARKER = "Gatlykta-vid-skolan"


def at(day, hour=18):
    return local_datetime(day, datetime.time(hour))


@pytest.fixture
def dialogue_world(world):
    """Walks, findings and synpunkter around `world`: in Kungälv, within the first 20 days
    one held walk with four findings (fixed, two open, declined) and one planned walk;
    a cancelled walk; a planned walk in the future; Trollhättan's walk and synpunkt, which
    Kungälv's report must not count. Personal data and unpublished text carry markers."""
    from dialogues.models import Feedback, Finding, SafetyWalk
    from tests.factories import (
        FeedbackCategoryFactory,
        FeedbackFactory,
        FindingFactory,
        SafetyWalkFactory,
        WalkSignupFactory,
    )

    start = world["start"]
    kungalv, trollhattan = world["kungalv"], world["trollhattan"]
    held = SafetyWalkFactory(
        municipality=kungalv,
        commitment=world["walk"],
        area="Ytterby centrum",
        starts_at=at(start + datetime.timedelta(days=5)),
        status=SafetyWalk.Status.HELD,
        participants=12,
        report="Belysningen behöver ses över.",
    )
    WalkSignupFactory(walk=held, name=SIGNUP_NAME, email=SIGNUP_EMAIL, people=2)
    FindingFactory(
        walk=held,
        place=FINDING_MARKER,
        status=Finding.Status.FIXED,
        fixed_on=start + datetime.timedelta(days=9),
    )
    FindingFactory(walk=held, category=Finding.Category.VEGETATION)
    FindingFactory(walk=held, category=Finding.Category.TRAFFIC, responsible="trafikverket")
    FindingFactory(walk=held, status=Finding.Status.DECLINED, declined_reason="Privat mark.")
    planned = SafetyWalkFactory(
        municipality=kungalv, area="Kode", starts_at=at(start + datetime.timedelta(days=12))
    )
    SafetyWalkFactory(
        municipality=kungalv,
        area="Inställd promenad",
        starts_at=at(start + datetime.timedelta(days=8)),
        status=SafetyWalk.Status.CANCELLED,
    )
    upcoming = SafetyWalkFactory(
        municipality=kungalv,
        area="Komarken",
        starts_at=timezone.now() + datetime.timedelta(days=14),
        is_example=True,
    )
    WalkSignupFactory(walk=upcoming, name=SIGNUP_NAME, email=SIGNUP_EMAIL)
    other_walk = SafetyWalkFactory(
        municipality=trollhattan,
        area="Trollhättans centrum",
        starts_at=at(start + datetime.timedelta(days=5)),
        status=SafetyWalk.Status.HELD,
    )
    FindingFactory(walk=other_walk)

    unsafe = FeedbackCategoryFactory(name="Otrygg plats", order=10)
    lighting = FeedbackCategoryFactory(name="Belysning", order=20)
    feedback = [
        FeedbackFactory(
            municipality=kungalv,
            category=unsafe,
            text=FEEDBACK_TEXT,
            name=FEEDBACK_NAME,
            email="synpunkt-5a3b@example.se",
            consent=True,
            internal_notes=FEEDBACK_NOTE,
            reply=FEEDBACK_REPLY,
        ),
        FeedbackFactory(
            municipality=kungalv,
            category=unsafe,
            text=FEEDBACK_RAW_TEXT,
            status=Feedback.Status.CLOSED,
            is_published=True,
            public_text="Mörkt vid busshållplatsen.",
            public_reply="Kommunen har satt upp en lampa.",
        ),
        FeedbackFactory(
            municipality=kungalv,
            category=lighting,
            text=FEEDBACK_TEXT,
            status=Feedback.Status.FORWARDED_POLICE,
        ),
        FeedbackFactory(municipality=trollhattan, category=lighting, text=FEEDBACK_TEXT),
    ]
    Feedback.objects.filter(pk__in=[f.pk for f in feedback]).update(
        created_at=at(start + datetime.timedelta(days=3))
    )
    return {**world, "held_walk": held, "planned_walk": planned, "upcoming_walk": upcoming}


PERSONAL_MARKERS = (
    SIGNUP_NAME,
    SIGNUP_EMAIL,
    FEEDBACK_TEXT,
    FEEDBACK_RAW_TEXT,
    FEEDBACK_NOTE,
    FEEDBACK_REPLY,
    FEEDBACK_NAME,
    "synpunkt-5a3b@example.se",
)
