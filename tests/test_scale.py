"""National-scale data: the generator, and pages whose query counts do not grow with it.

Not timings (bench/ measures those): counts, determinism, and that existing data is left
exactly as it was.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogues.models import Feedback, Finding, SafetyWalk
from pledges.models import (
    Activity,
    Commitment,
    Municipality,
    Partner,
    Pledge,
    PoliceArea,
)
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    PledgeFactory,
    PoliceAreaFactory,
)

SMALL = {"kommuner": 10, "years": 2, "activities": 2000}


def generate(**options):
    out = io.StringIO()
    call_command("generate_scale_data", **{**SMALL, "seed": 7, **options}, stdout=out)
    return out.getvalue()


def snapshot():
    """What the generator made, without database ids or timestamps."""
    pledges = sorted(
        Pledge.objects.filter(is_demo=True).values_list(
            "municipality__code", "slug", "title", "police_area__slug", "start_date", "end_date"
        )
    )
    commitments = sorted(
        Commitment.objects.filter(pledge__is_demo=True).values_list(
            "pledge__municipality__code",
            "pledge__slug",
            "focus_area__title",
            "text",
            "target_kind",
            "target_quantity",
            "interval",
            "status",
            "completed_on",
            "outcome",
        ),
        key=repr,
    )
    activities = sorted(
        Activity.objects.filter(is_example=True).values_list(
            "commitment__pledge__municipality__code",
            "commitment__text",
            "date",
            "place",
            "description",
            "quantity",
        ),
        key=repr,
    )
    walks = sorted(
        SafetyWalk.objects.filter(is_example=True).values_list(
            "municipality__code",
            "area",
            "starts_at",
            "status",
            "participants",
            "commitment__text",
            "activity__date",
        ),
        key=repr,
    )
    findings = sorted(
        Finding.objects.values_list(
            "walk__municipality__code", "walk__starts_at", "place", "category", "status"
        ),
        key=repr,
    )
    feedback = sorted(
        Feedback.objects.values_list(
            "reference", "category__name", "created_at", "status", "text", "public_text"
        ),
        key=repr,
    )
    return pledges, commitments, activities, walks, findings, feedback


@pytest.fixture
def kungalv_pledge(reference_data):
    """A small löfte of Kungälv's own, made the way the admin would make it, in an LPO
    that also covers the first kommun the generator fills (Upplands Väsby, 0114)."""
    kungalv = Municipality.objects.get(slug="kungalv")
    area = PoliceAreaFactory(
        name="Kungälv/Ale",
        slug="kungalv-ale",
        municipalities=[kungalv, Municipality.objects.get(code="0114")],
    )
    pledge = PledgeFactory(municipality=kungalv, police_area=area, slug="2025-2026")
    commitments = [
        CommitmentFactory(pledge=pledge, target_kind=kind, target_quantity=quantity, interval=iv)
        for kind, quantity, iv in (
            ("count", 200, ""),
            ("recurring", 1, "week"),
            ("milestone", None, ""),
            ("qualitative", None, ""),
        )
    ]
    for day in range(5):
        ActivityFactory(
            commitment=commitments[0], date=timezone.localdate() - datetime.timedelta(days=day)
        )
    return pledge, commitments[0]


def test_requires_reference_data(db):
    with pytest.raises(CommandError, match="load_reference_data"):
        generate()


def test_adds_the_asked_counts_of_every_kind(reference_data):
    today = timezone.localdate()
    generate()

    pledges = Pledge.objects.filter(slug__startswith="skala-")
    assert pledges.count() == 20
    assert pledges.values("municipality").distinct().count() == 10
    assert set(pledges.values_list("slug", flat=True)) == {
        f"skala-{today.year - 1}",
        f"skala-{today.year}",
    }
    assert not pledges.filter(is_demo=False).exists()
    assert not pledges.filter(police_area__isnull=True).exists()
    assert pledges.filter(status="published").count() == 20

    walk_activities = SafetyWalk.objects.filter(activity__isnull=False).count()
    assert Activity.objects.count() == 2000 + walk_activities
    assert not Activity.objects.filter(is_example=False).exists()
    for pledge in pledges:
        kinds = set(pledge.commitments.values_list("target_kind", flat=True))
        assert kinds == {"count", "recurring", "milestone", "qualitative"}
    for activity in Activity.objects.select_related("commitment__pledge"):
        assert activity.commitment.pledge.start_date <= activity.date <= today
        assert activity.date <= activity.commitment.pledge.end_date

    ended = Commitment.objects.filter(pledge__end_date__lt=today)
    current = Commitment.objects.filter(pledge__end_date__gte=today)
    assert ended.exists() and not ended.filter(outcome="").exists()
    assert current.exists() and not current.exclude(outcome="").exists()
    assert not ended.filter(
        outcome__in=["partly", "not_fulfilled"], outcome_explanation=""
    ).exists()
    # Kommuner without a police area got generated ones.
    assert PoliceArea.objects.filter(slug__startswith="skala-lpo-").exists()


def test_adds_walks_findings_and_synpunkter(reference_data):
    out = generate()
    today = timezone.localdate()
    walks = SafetyWalk.objects.all()
    assert walks.count() >= 20 * 2 and not walks.filter(is_example=False).exists()
    assert f"walks {walks.count()}" in out
    held = walks.filter(status="held")
    assert held.exists() and not held.filter(starts_at__date__gt=today).exists()
    assert not walks.filter(status="planned", starts_at__date__lt=today).exists()
    # Every category and status of finding occurs; only held walks have findings.
    assert set(Finding.objects.values_list("category", flat=True)) == set(Finding.Category.values)
    assert set(Finding.objects.values_list("status", flat=True)) == set(Finding.Status.values)
    assert not Finding.objects.exclude(walk__status="held").exists()
    assert not Finding.objects.filter(status="declined", declined_reason="").exists()
    assert not Finding.objects.filter(status="fixed", fixed_on__isnull=True).exists()
    # A held walk under a commitment counts as one activity on it, as the service does it;
    # walks of the same kommun only ever link to that kommun's löfte.
    linked = held.filter(commitment__isnull=False)
    assert linked.exists() and held.filter(commitment__isnull=True).exists()
    assert linked.filter(activity__isnull=True).count() == 0
    assert not walks.exclude(status="held").filter(activity__isnull=False).exists()
    for walk in linked.select_related("activity", "commitment__pledge"):
        assert walk.activity.commitment_id == walk.commitment_id
        assert walk.activity.date == timezone.localdate(walk.starts_at)
        assert walk.activity.is_example
        assert walk.commitment.pledge.municipality_id == walk.municipality_id
        assert walk.commitment.pledge.start_date.year == walk.starts_at.year
    assert f"walk_activities {linked.count()}" in out
    assert Activity.objects.count() == 2000 + linked.count()

    feedback = Feedback.objects.all()
    assert f"feedback {feedback.count()}" in out and feedback.count() >= 20 * 3
    # No personal data at all; published ones have an edited text and a reply.
    assert not feedback.exclude(name="", email="", phone="", ip_hash="").exists()
    published = feedback.filter(is_published=True)
    assert published.exists() and not published.filter(public_reply="").exists()
    assert feedback.values("category").distinct().count() > 3
    # They came in over the löfte's year, not all at the moment of generating.
    assert feedback.filter(created_at__year=today.year - 1).exists()
    assert not feedback.filter(created_at__date__gt=today).exists()


def test_clear_removes_generated_walks_and_synpunkter_only(reference_data):
    from tests.factories import FeedbackFactory, FindingFactory

    own_finding = FindingFactory(walk__is_example=True)
    own_feedback = FeedbackFactory()
    generate()
    call_command("generate_scale_data", clear=True, stdout=io.StringIO())
    assert list(SafetyWalk.objects.all()) == [own_finding.walk]
    assert list(Finding.objects.all()) == [own_finding]
    assert list(Feedback.objects.all()) == [own_feedback]


def test_dry_run_saves_nothing(reference_data):
    out = generate(dry_run=True)
    assert "pledges 20" in out and "activities 2000" in out
    assert not Pledge.objects.exists()
    assert not PoliceArea.objects.exists()


def test_deterministic_with_a_seed(reference_data):
    generate()
    first = snapshot()
    call_command("generate_scale_data", clear=True, stdout=io.StringIO())
    assert not Pledge.objects.exists() and not Activity.objects.exists()
    assert not PoliceArea.objects.exists()
    assert not SafetyWalk.objects.exists() and not Feedback.objects.exists()

    generate()
    assert snapshot() == first

    call_command("generate_scale_data", clear=True, stdout=io.StringIO())
    generate(seed=8)
    assert snapshot() != first


def test_second_run_adds_nothing(reference_data):
    generate()
    counts = (Pledge.objects.count(), Commitment.objects.count(), Activity.objects.count())
    out = generate()
    assert "skipped_existing_pledges 20" in out
    assert (Pledge.objects.count(), Commitment.objects.count(), Activity.objects.count()) == (
        counts
    )


def test_leaves_existing_data_untouched(kungalv_pledge):
    pledge, _ = kungalv_pledge
    Partner.objects.create(name="Räddningstjänsten")

    def existing():
        return (
            list(Pledge.objects.order_by("pk").values()),
            list(Commitment.objects.order_by("pk").values()),
            list(Activity.objects.order_by("pk").values()),
            list(PoliceArea.objects.order_by("pk").values()),
            list(PoliceArea.municipalities.through.objects.order_by("pk").values()),
            list(Partner.objects.order_by("pk").values()),
        )

    before = existing()
    generate(kommuner=290, years=2, activities=3000)
    after = existing()
    ids = {name: {row["id"] for row in rows} for name, rows in zip("pcaxmr", before, strict=True)}
    for name, rows_before, rows_after in zip("pcaxmr", before, after, strict=True):
        assert [row for row in rows_after if row["id"] in ids[name]] == rows_before

    # Kungälv keeps only its own löfte; its LPO is reused for Upplands Väsby.
    assert list(Pledge.objects.filter(municipality__slug="kungalv")) == [pledge]
    assert Pledge.objects.filter(municipality__code="0114", police_area=pledge.police_area).count()
    assert Pledge.objects.filter(slug__startswith="skala-").count() == 289 * 2

    # --clear removes what was generated; partner organisations stay (real löften may name
    # them too).
    call_command("generate_scale_data", clear=True, stdout=io.StringIO())
    assert existing()[:5] == before[:5]


def count_queries(client, url):
    client.get(url)  # warm-up: per-process caches (content types, translations)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def test_page_query_counts_do_not_grow_with_generated_data(client, kungalv_pledge):
    """Home, kommun, löfte, commitment and police-area pages run the same number of
    queries with a country's worth of generated data around them as without it."""
    pledge, commitment = kungalv_pledge
    urls = [
        "/",
        "/kommun/kungalv/",
        f"/kommun/kungalv/lofte/{pledge.slug}/",
        f"/kommun/kungalv/lofte/{pledge.slug}/atagande/{commitment.pk}/",
        f"/lokalpolisomrade/{pledge.police_area.slug}/",
    ]
    before = {url: count_queries(client, url) for url in urls}
    generate()
    after = {url: count_queries(client, url) for url in urls}
    assert after == before
    assert before["/"][0] == 200


def test_generated_municipality_pages_cost_the_same_as_a_small_one(client, reference_data):
    """A generated kommun with two years of löften costs what one with a single year does."""
    generate(kommuner=1, years=1, activities=50)
    muni = Pledge.objects.get().municipality
    pledge = muni.pledges.get()
    commitment = pledge.commitments.filter(target_kind="count").first()
    urls = lambda p, c: [  # noqa: E731
        f"/kommun/{muni.slug}/",
        f"/kommun/{muni.slug}/lofte/{p.slug}/",
        f"/kommun/{muni.slug}/lofte/{p.slug}/atagande/{c.pk}/",
    ]
    small = [count_queries(client, url) for url in urls(pledge, commitment)]
    call_command("generate_scale_data", clear=True, stdout=io.StringIO())
    generate(kommuner=1, years=2, activities=2000)
    pledge = muni.pledges.get(slug=pledge.slug)
    commitment = pledge.commitments.filter(target_kind="count").first()
    assert [count_queries(client, url) for url in urls(pledge, commitment)] == small


def test_generating_clears_the_national_figures(reference_data, django_capture_on_commit_callbacks):
    from pledges.figures import home_summary

    assert home_summary()["summary"].municipalities == 0
    with django_capture_on_commit_callbacks(execute=True):
        generate()
    assert home_summary()["summary"].municipalities == 10
