"""Fixtures shared by more than one test module. Each name has one meaning: `staff_world`
is the admin and staff tests' world of scoped objects, `world` the reports, API and feed
tests' world of public and private data."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from pledges.groups import COORDINATOR_GROUP, POLICE_GROUP, ensure_staff_groups
from pledges.models import (
    FollowUp,
    FollowUpNote,
    Indicator,
    IndicatorValue,
    Pledge,
    PledgeExtension,
    Problem,
)
from tests import reports_data
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    FocusAreaFactory,
    MembershipFactory,
    MunicipalityFactory,
    PledgeFactory,
    PoliceAreaFactory,
    UserFactory,
)
from tests.reports_data import AUTHOR, DRAFT_ACTIVITY, DRAFT_TITLE, SECRET_NOTE


def pytest_configure(config):
    # Hashed static files need `collectstatic`; tests serve the plain files instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def reference_data(db):
    """The 21 län, 7 police regions and 290 kommuner, loaded as in production."""
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _two_factor_off_unless_tested(settings):
    """Staff tests log in with force_login, which has no second factor. Two-factor login
    is on in production and is tested on its own (tests/test_twofactor*.py switch it on)."""
    settings.REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _national_pages_without_lag(settings):
    """National pages may follow a write by up to NATION_LAG seconds in production
    (pagecache.pages.PublicPage.previous); tests that write and read a national page at
    once expect the write. tests/test_page_lag.py sets the lag it tests."""
    settings.PAGE_CACHE_NATION_LAG = 0


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (cached fragments and national summaries) and
    no kept figures, so query counts do not depend on which test ran before (and versions,
    which start again in every test's database, never meet figures of another test)."""
    from pagecache import store

    store.clear()
    yield
    store.clear()


@pytest.fixture(autouse=True)
def _swedish_outside_requests():
    """A request in English leaves English active in its thread (as Django's own locale
    middleware does); code that runs outside a request in the next test must not see it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# --- Staff and admin: personas in a world of two areas ------------------------------------


@pytest.fixture
def fast_password_hashing(settings):
    # Real hashing costs about a second per user on a shared CI core.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class StaffWorld:
    pass


def _area_objects(pledge, suffix):
    """One object of every scoped model under `pledge`."""
    objects = {"pledge": pledge}
    objects["focusarea"] = FocusAreaFactory(pledge=pledge, title=f"Fokus {suffix}")
    objects["commitment"] = CommitmentFactory(
        pledge=pledge, focus_area=objects["focusarea"], text=f"Åtagande {suffix}"
    )
    objects["activity"] = ActivityFactory(commitment=objects["commitment"], place=f"Plats {suffix}")
    objects["signatory"] = pledge.signatories.create(name=f"Undertecknare {suffix}")
    objects["contact"] = pledge.contacts.create(name=f"Kontakt {suffix}", role="kommunpolis")
    objects["pledgeextension"] = PledgeExtension.objects.create(
        pledge=pledge,
        previous_end_date=pledge.end_date - datetime.timedelta(days=30),
        new_end_date=pledge.end_date,
        reason=f"Förlängning {suffix}",
    )
    objects["followup"] = FollowUp.objects.create(
        pledge=pledge, date=timezone.localdate(), title=f"Uppföljning {suffix}"
    )
    objects["followupnote"] = FollowUpNote.objects.create(
        follow_up=objects["followup"], commitment=objects["commitment"], note=f"Not {suffix}"
    )
    objects["problem"] = Problem.objects.create(pledge=pledge, title=f"Problem {suffix}")
    objects["indicator"] = Indicator.objects.create(
        municipality=pledge.municipality, name=f"Indikator {suffix}"
    )
    objects["indicator"].problems.add(objects["problem"])
    return objects


@pytest.fixture
def staff_world(db):
    """Three kommuner in two police areas; `ours` and `theirs` hold one object of every
    scoped model, in Kungälv and in Trollhättan."""
    w = StaffWorld()
    w.kungalv = MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    w.ale = MunicipalityFactory(name="Ale", slug="ale", code="1440")
    w.trollhattan = MunicipalityFactory(name="Trollhättan", slug="trollhattan", code="1488")
    w.police_area = PoliceAreaFactory(
        name="Kungälv/Ale", slug="kungalv-ale", municipalities=[w.kungalv, w.ale]
    )
    w.police_area_east = PoliceAreaFactory(
        name="Östra Fyrbodal", slug="ostra-fyrbodal", municipalities=[w.trollhattan]
    )
    w.ours = _area_objects(
        PledgeFactory(municipality=w.kungalv, police_area=w.police_area, title="Tryggare Kungälv"),
        "Kungälv",
    )
    w.theirs = _area_objects(
        PledgeFactory(
            municipality=w.trollhattan, police_area=w.police_area_east, title="Tryggare Trollhättan"
        ),
        "Trollhättan",
    )
    w.ours["municipality"] = w.kungalv
    w.theirs["municipality"] = w.trollhattan
    w.ours["policearea"] = w.police_area
    w.theirs["policearea"] = w.police_area_east
    return w


@pytest.fixture
def personas(staff_world):
    groups = ensure_staff_groups()
    police = UserFactory(username="polis.kungalv-ale")
    police.groups.add(groups[POLICE_GROUP])
    MembershipFactory(user=police, police_area=staff_world.police_area)
    coordinator = UserFactory(username="samordnare.trollhattan")
    coordinator.groups.add(groups[COORDINATOR_GROUP])
    MembershipFactory(user=coordinator, municipality=staff_world.trollhattan)
    nomember = UserFactory(username="personal.utan.omrade")
    nomember.groups.add(groups[POLICE_GROUP])
    superuser = UserFactory(username="nationell", is_superuser=True)
    return {
        "police": police,
        "coordinator": coordinator,
        "nomember": nomember,
        "superuser": superuser,
    }


@pytest.fixture
def login_as(client):
    def login(user):
        # UserFactory sets the password after saving; the session hash must match the
        # stored one, so log in the user as stored.
        user.refresh_from_db()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


# --- Reports, API and feeds ----------------------------------------------------------------


@pytest.fixture
def world(db, fast_password_hashing):
    """The reports, API and feed world: two police areas, three kommuner, a published löfte
    with activities and a follow-up, a draft löfte and an internal note carrying markers
    (tests/reports_data.py) that must never appear anywhere public. Its users sign in with
    force_login: their passwords are hashed the fast way (a second each otherwise)."""
    today = datetime.date.today()
    start = (
        today.replace(month=1, day=1)
        if today.month > 2
        else today.replace(year=today.year - 1, month=7, day=1)
    )
    kungalv = MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    ale = MunicipalityFactory(name="Ale", slug="ale", code="1440")
    trollhattan = MunicipalityFactory(name="Trollhättan", slug="trollhattan", code="1488")
    police_area = PoliceAreaFactory(
        name="Kungälv/Ale", slug="kungalv-ale", municipalities=[kungalv, ale]
    )
    police_area_east = PoliceAreaFactory(
        name="Östra Fyrbodal", slug="ostra-fyrbodal", municipalities=[trollhattan]
    )
    pledge = PledgeFactory(
        municipality=kungalv,
        police_area=police_area,
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
        pledge=pledge,
        date=second_month,
        title="Vårens uppföljning",
        # Approved by both parties: published (pledges.services.approve_follow_up).
        police_approved_at=timezone.now(),
        municipality_approved_at=timezone.now(),
    )
    FollowUpNote.objects.create(follow_up=follow_up, commitment=patrols, note="Fler kvällspass.")

    draft = PledgeFactory(
        municipality=kungalv,
        police_area=police_area,
        title=DRAFT_TITLE,
        status=Pledge.Status.DRAFT,
        published_at=None,
        slug="utkast",
    )
    draft_commitment = CommitmentFactory(pledge=draft, text=DRAFT_TITLE + " åtagande")
    ActivityFactory(commitment=draft_commitment, description=DRAFT_ACTIVITY, date=first_month)

    other = PledgeFactory(
        municipality=trollhattan,
        police_area=police_area_east,
        title="Trollhättans löfte",
        slug="th",
        start_date=start,
        end_date=pledge.end_date,
    )
    other_commitment = CommitmentFactory(pledge=other, text="Trollhättans åtagande")
    ActivityFactory(commitment=other_commitment, date=first_month, quantity=3)

    # The problem picture (pledges.problems): Kungälv's problem with an indicator and two
    # values (one an example), Trollhättan's, and a draft löfte's that must stay hidden.
    problem = Problem.objects.create(
        pledge=pledge,
        title="Otrygghet på Nordmannatorget",
        description="Många känner sig otrygga på torget kvällstid.",
        places="Nordmannatorget",
        sources="Trygghetsmätningen 2025",
    )
    problem.commitments.add(patrols)
    indicator = Indicator.objects.create(
        municipality=kungalv,
        name="Andel otrygga på Nordmannatorget",
        unit="%",
        source="Trygghetsmätningen",
    )
    indicator.problems.add(problem)
    IndicatorValue.objects.create(
        indicator=indicator,
        period=datetime.date(start.year - 1, 1, 1),
        value=Decimal("31.5"),
        is_example=True,
    )
    IndicatorValue.objects.create(
        indicator=indicator,
        period=datetime.date(start.year, 1, 1),
        value=Decimal("28"),
        source="https://example.se/matning",
    )
    other_problem = Problem.objects.create(pledge=other, title="Trollhättans problem")
    other_indicator = Indicator.objects.create(municipality=trollhattan, name="Trollhättans mått")
    other_indicator.problems.add(other_problem)
    IndicatorValue.objects.create(
        indicator=other_indicator, period=datetime.date(start.year, 1, 1), value=3
    )
    draft_problem = Problem.objects.create(pledge=draft, title=DRAFT_TITLE + " problem")
    draft_indicator = Indicator.objects.create(
        municipality=kungalv, name=DRAFT_TITLE + " indikator"
    )
    draft_indicator.problems.add(draft_problem)
    IndicatorValue.objects.create(
        indicator=draft_indicator, period=datetime.date(start.year, 1, 1), value=1
    )

    police_user = MembershipFactory(
        police_area=police_area, user=UserFactory(username="polis.kungalv-ale")
    ).user
    coordinator = MembershipFactory(municipality=trollhattan).user
    superuser = UserFactory(username="admin", is_superuser=True)
    return {
        "kungalv": kungalv,
        "ale": ale,
        "trollhattan": trollhattan,
        "police_area": police_area,
        "police_area_east": police_area_east,
        "pledge": pledge,
        "patrols": patrols,
        "controls": controls,
        "walk": walk,
        "draft": draft,
        "other": other,
        "police_user": police_user,
        "coordinator": coordinator,
        "superuser": superuser,
        "start": start,
        "follow_up": follow_up,
        "problem": problem,
        "indicator": indicator,
        "draft_problem": draft_problem,
        "draft_indicator": draft_indicator,
    }


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
        starts_at=reports_data.at(start + datetime.timedelta(days=5)),
        status=SafetyWalk.Status.HELD,
        participants=12,
        report="Belysningen behöver ses över.",
    )
    WalkSignupFactory(
        walk=held, name=reports_data.SIGNUP_NAME, email=reports_data.SIGNUP_EMAIL, people=2
    )
    FindingFactory(
        walk=held,
        place=reports_data.FINDING_MARKER,
        status=Finding.Status.FIXED,
        fixed_on=start + datetime.timedelta(days=9),
    )
    FindingFactory(walk=held, category=Finding.Category.VEGETATION)
    FindingFactory(walk=held, category=Finding.Category.TRAFFIC, responsible="trafikverket")
    FindingFactory(walk=held, status=Finding.Status.DECLINED, declined_reason="Privat mark.")
    planned = SafetyWalkFactory(
        municipality=kungalv,
        area="Kode",
        starts_at=reports_data.at(start + datetime.timedelta(days=12)),
    )
    SafetyWalkFactory(
        municipality=kungalv,
        area="Inställd promenad",
        starts_at=reports_data.at(start + datetime.timedelta(days=8)),
        status=SafetyWalk.Status.CANCELLED,
    )
    upcoming = SafetyWalkFactory(
        municipality=kungalv,
        area="Komarken",
        starts_at=timezone.now() + datetime.timedelta(days=14),
        is_example=True,
    )
    WalkSignupFactory(walk=upcoming, name=reports_data.SIGNUP_NAME, email=reports_data.SIGNUP_EMAIL)
    other_walk = SafetyWalkFactory(
        municipality=trollhattan,
        area="Trollhättans centrum",
        starts_at=reports_data.at(start + datetime.timedelta(days=5)),
        status=SafetyWalk.Status.HELD,
    )
    FindingFactory(walk=other_walk)

    unsafe = FeedbackCategoryFactory(name="Otrygg plats", order=10)
    lighting = FeedbackCategoryFactory(name="Belysning", order=20)
    feedback = [
        FeedbackFactory(
            municipality=kungalv,
            category=unsafe,
            text=reports_data.FEEDBACK_TEXT,
            name=reports_data.FEEDBACK_NAME,
            email="synpunkt-5a3b@example.se",
            consent=True,
            internal_notes=reports_data.FEEDBACK_NOTE,
            reply=reports_data.FEEDBACK_REPLY,
        ),
        FeedbackFactory(
            municipality=kungalv,
            category=unsafe,
            text=reports_data.FEEDBACK_RAW_TEXT,
            status=Feedback.Status.CLOSED,
            is_published=True,
            public_text="Mörkt vid busshållplatsen.",
            public_reply="Kommunen har satt upp en lampa.",
        ),
        FeedbackFactory(
            municipality=kungalv,
            category=lighting,
            text=reports_data.FEEDBACK_TEXT,
            status=Feedback.Status.FORWARDED_POLICE,
        ),
        FeedbackFactory(
            municipality=trollhattan, category=lighting, text=reports_data.FEEDBACK_TEXT
        ),
    ]
    Feedback.objects.filter(pk__in=[f.pk for f in feedback]).update(
        created_at=reports_data.at(start + datetime.timedelta(days=3))
    )
    return {**world, "held_walk": held, "planned_walk": planned, "upcoming_walk": upcoming}
