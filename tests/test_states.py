"""One state vocabulary (pledges.progress.State) and one short-label rule (pledges.text),
shared by the public pages and the staff reports."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from pledges.models import Pledge
from pledges.progress import State, count_states
from pledges.services import close_pledge
from pledges.text import shorten
from tests.factories import CommitmentFactory, UserFactory

LONG = (
    "Polisen och kommunen ska genomföra gemensamma fotpatrulleringar i centrum och vid "
    "Stortorget under kvällar och helger. Arbetet följs upp varje månad."
)


def test_shorten_keeps_a_short_first_sentence_whole():
    assert shorten("Fler vuxna ute på kvällarna. Mer text följer här.") == (
        "Fler vuxna ute på kvällarna."
    )


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis():
    short = shorten(LONG)
    assert short == "Polisen och kommunen ska genomföra gemensamma fotpatrulleringar i centrum och…"
    assert len(short) <= 80
    assert LONG.startswith(short[:-1])


def test_shorten_does_not_end_a_sentence_at_an_abbreviation():
    assert shorten("Vi träffas t.ex. kl. 18 på torget. Alla är välkomna.") == (
        "Vi träffas t.ex. kl. 18 på torget."
    )


def test_shorten_limit_and_whitespace():
    assert shorten("ett  två\ntre fyra fem", limit=12) == "ett två tre…"


@pytest.mark.django_db
def test_short_label_prefers_the_short_title():
    with_title = CommitmentFactory(text=LONG, short_text="Fotpatrullering i centrum")
    without = CommitmentFactory(text=LONG, short_text="")
    assert with_title.short_label == "Fotpatrullering i centrum"
    assert without.short_label == shorten(LONG)
    assert str(without) == without.short_label


def test_every_state_has_a_label_and_one_sentence_explanation():
    assert set(State.EXPLANATIONS) == set(State.LABELS)
    for state, label, explanation in State.explained():
        assert str(label)
        assert str(explanation).endswith(".")
        assert str(explanation).count(". ") == 0, state


def test_count_states_counts_each_state_once():
    summary = count_states([State.ON_TRACK, State.BEHIND, State.ON_TRACK])
    assert summary.states == {State.ON_TRACK: 2, State.BEHIND: 1}
    assert summary.total == 3
    assert [row[0] for row in summary.explained_rows()] == [State.ON_TRACK, State.BEHIND]


@pytest.mark.django_db
def test_ended_pledge_shows_only_ended_states():
    commitment = CommitmentFactory(
        target_kind="count",
        target_quantity=5,
        pledge__start_date=datetime.date(2018, 1, 1),
        pledge__end_date=datetime.date(2018, 12, 31),
    )
    commitment.activities.create(date=datetime.date(2018, 3, 1), quantity=5)
    assert commitment.state(today=datetime.date(2018, 6, 1)) == State.ACHIEVED
    assert commitment.state(today=datetime.date(2019, 1, 1)) == State.NO_OUTCOME
    commitment.outcome = "fulfilled"
    assert commitment.state(today=datetime.date(2019, 1, 1)) == State.FULFILLED


# --- the staff report counts as the public page does, for every seed löfte ---------------


@pytest.fixture
def demo(reference_data):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())


def report_state_counts(report):
    """{label: count} from the report's summary rows "Åtaganden: <state>"."""
    prefix = "Åtaganden: "
    return {
        str(label)[len(prefix) :]: value
        for label, value in report.section("summary").rows
        if str(label).startswith(prefix)
    }


@pytest.mark.django_db
def test_staff_report_counts_equal_the_public_page_for_every_seed_pledge(demo, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    pledges = list(Pledge.objects.select_related("municipality"))
    assert len(pledges) >= 5
    for pledge in pledges:
        page = client.get(pledge.get_absolute_url())
        assert page.status_code == 200
        public = {str(label): count for _state, label, count in page.context["summary"].rows()}
        assert public or not pledge.commitments.exists(), pledge  # Ale: problem areas only
        report = client.get(f"/rapporter/lofte/{pledge.pk}/")
        assert report.status_code == 200
        assert report_state_counts(report.context["report"]) == public, pledge
        for _state, label, _count, explanation in page.context["summary"].explained_rows():
            assert str(label) in page.text and str(explanation) in page.text
        if pledge.has_ended():
            assert set(page.context["summary"].states) <= set(State.ENDED), pledge
            assert "Status:" not in page.text


def api_state_counts(client, pledge):
    """{state: count} of the löfte's commitments in `/api/v1/ataganden/?kommun=<slug>`, every
    page followed, with each record's label checked against its state."""
    counts = {}
    url, params = "/api/v1/ataganden/", {"kommun": pledge.municipality.slug, "per_sida": 100}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        data = response.json()
        for record in data["results"]:
            assert record["municipality"] == pledge.municipality.slug
            if record["pledge"] == pledge.pk:
                state = record["progress"]["state"]
                assert record["progress"]["state_label"] == str(State.LABELS[state])
                counts[state] = counts.get(state, 0) + 1
        url, params = data["next"], None
    return counts


def csv_state_counts(client, pledge):
    """{state: count} of the löfte's rows in `/oppna-data/ataganden.csv?kommun=<slug>`,
    with each row's label (`lage`) checked against its state (`lage_kod`)."""
    response = client.get("/oppna-data/ataganden.csv", {"kommun": pledge.municipality.slug})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    counts = {}
    for row in csv.DictReader(io.StringIO(body), delimiter=";"):
        assert row["kommun"] == pledge.municipality.slug
        if row["lofte"] == str(pledge.pk):
            state = row["lage_kod"]
            assert row["lage"] == str(State.LABELS[state])
            counts[state] = counts.get(state, 0) + 1
    return counts


def close_and_rerun(pledges, today):
    """Gives the seed löften what they lack as loaded (every ended one has "Utfall ej
    redovisat"): outcomes on the earliest ended löfte, and a period running through today for
    the latest, so that outcome and pace states are compared too."""
    ended = [pledge for pledge in pledges if pledge.has_ended(today)]
    closed, rerun = ended[0], ended[-1]
    commitments = list(closed.commitments.order_by("pk"))
    outcomes = ("fulfilled", "partly", "not_fulfilled")
    close_pledge(
        pledge=closed,
        outcomes={
            commitment: (outcome, "Förklaring.")
            for commitment, outcome in zip(commitments, outcomes, strict=False)
        },
        user=UserFactory(is_staff=True),
    )
    length = rerun.end_date - rerun.start_date
    Pledge.objects.filter(pk=rerun.pk).update(
        start_date=today - length / 2, end_date=today + length / 2
    )


@pytest.mark.django_db
@pytest.mark.parametrize("variant", ["as_seeded", "closed_and_rerun"])
def test_api_and_csv_counts_equal_the_public_page_for_every_seed_pledge(demo, client, variant):
    today = timezone.localdate()  # the day the pages judge states on
    if variant == "closed_and_rerun":
        close_and_rerun(list(Pledge.objects.order_by("start_date")), today)
    pledges = list(Pledge.objects.public().select_related("municipality"))
    assert len(pledges) >= 5
    assert Pledge.objects.count() == len(pledges)  # every seed löfte is public
    seen = set()
    for pledge in pledges:
        page = client.get(pledge.get_absolute_url())
        assert page.status_code == 200
        summary = page.context["summary"]
        assert summary.total or not pledge.commitments.exists(), pledge  # Ale
        assert api_state_counts(client, pledge) == summary.states, pledge
        assert csv_state_counts(client, pledge) == summary.states, pledge
        seen |= set(summary.states)
    assert State.NO_OUTCOME in seen
    if variant == "closed_and_rerun":
        assert {State.FULFILLED, State.PARTLY, State.NOT_FULFILLED} <= seen
        assert seen & {State.ON_TRACK, State.BEHIND}, seen


@pytest.mark.django_db
def test_commitment_page_explains_its_state(client):
    commitment = CommitmentFactory(
        target_kind="count",
        target_quantity=5,
        pledge__start_date=datetime.date(2018, 1, 1),
        pledge__end_date=datetime.date(2018, 12, 31),
    )
    text = client.get(commitment.get_absolute_url()).content.decode()
    assert f"Utfall ej redovisat: {State.EXPLANATIONS[State.NO_OUTCOME]}" in text
    assert "Status:" not in text
