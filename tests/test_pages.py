"""The public pages: a kommun's löfte, one löfte, one commitment, a police area, the summary."""

import datetime

import pytest
from django.utils import timezone

from pledges.models import Commitment
from tests import factories as f

pytestmark = pytest.mark.django_db

# Every public page first reads its content versions (pagecache.pages.public_page): one query,
# all a visitor pays when the page is in the cache. Rendering it adds the page's own.
VERSIONS = 1
# The löfte page, cold (nothing of it in the cache): 3 for the kommun's löften, whole
# (Pledge.objects.for_municipality_page), and the chosen one's focus areas and its
# commitments with their sums (prefetch_page), kept under the kommun's text version; 1 for
# the latest activities; then the parts no activity changes (`prefetch_about`): 6 for
# partners, signatories, contacts, extensions, decisions and the follow-ups joined to their
# notes, 2 for "Ändringar i löftet" (pledges.history) and 1 for the dialogues it builds on
# (dialogues_built_on). The löfte's problems, the commitments and focus areas answering them,
# their indicators and the indicators' values come with the löfte (5, attach_problems), and
# the dialogues that brought them up (1, dialogues_built_on.problem_dialogues), all kept
# under the kommun's text version.
PLEDGE_PAGE_PROBLEMS = 5 + 1
PLEDGE_PAGE_TEXTS = 3 + PLEDGE_PAGE_PROBLEMS
PLEDGE_PAGE_LATEST = 1
PLEDGE_PAGE_ABOUT = 6 + 2 + 1
PLEDGE_PAGE_QUERIES = VERSIONS + PLEDGE_PAGE_TEXTS + PLEDGE_PAGE_LATEST + PLEDGE_PAGE_ABOUT
# The kommun page, cold: the same (the kommun alone only when it has no löfte), and 4 for
# the walks, dialogues and synpunkter summary (dialogues.selectors).
MUNICIPALITY_DIALOGUES = 4
MUNICIPALITY_PAGE_QUERIES = PLEDGE_PAGE_QUERIES + MUNICIPALITY_DIALOGUES
# After an activity is logged the page is made again, but what no activity changes comes
# from the cache (the löften and the parts of the page, under the kommun's text version):
# the versions, the commitments' sums (attach_achieved, on the cached löfte) and the latest
# activities.
MUNICIPALITY_PAGE_AFTER_ACTIVITY = VERSIONS + 1 + PLEDGE_PAGE_LATEST
# 6 for the commitment, 1 for the dialogues it builds on (dialogues_built_on).
COMMITMENT_PAGE_QUERIES = VERSIONS + 7
# The police-area page: the area, its kommuner and their current löften (3,
# PoliceArea.objects.get_public_page), the kommuner's versions and, when not cached, their
# commitments' states (2, pledges.figures.municipality_states) and the map's states (1,
# Municipality.objects.with_pledge_state).
POLICE_AREA_PAGE_QUERIES = VERSIONS + 6


def today():
    return timezone.localdate()


@pytest.fixture
def kungalv():
    municipality = f.MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    area = f.PoliceAreaFactory(
        name="Kungälv/Ale", slug="kungalv-ale", municipalities=[municipality]
    )
    pledge, patrols, controls, walks = f.kungalv_like_pledge(
        municipality=municipality, police_area=area, slug="2026-2027"
    )
    return pledge, patrols, controls, walks


def body(response):
    return response.content.decode()


def words(response):
    """The page's text as a reader sees it: tags removed (Swedish parts such as units are
    wrapped in <span lang="sv">), white space collapsed."""
    import re

    return " ".join(re.sub(r"<[^>]+>", "", body(response)).split())


# --- The kommun page -----------------------------------------------------------------------


def test_municipality_page_shows_current_pledge_completely(client, kungalv):
    pledge, patrols, controls, walks = kungalv
    f.SignatoryFactory(pledge=pledge, name="Miguel Odhner", title="Kommunstyrelsens ordförande")
    f.ContactFactory(pledge=pledge, name="Anna Kommunpolis", email="anna@polisen.se")
    f.FollowUpNoteFactory(follow_up__pledge=pledge, commitment=patrols, note="Fler kvällspass.")
    response = client.get("/kommun/kungalv/")
    assert response.status_code == 200
    text = body(response)
    assert "Trygg i Kungälv" in text
    assert "Nordmannatorget" in text and "Komarken" in text
    assert "förebygga brott" in text
    assert "Insatser för ökad trygghet" in text and "Brottsaktiva" in text
    assert 'href="/lokalpolisomrade/kungalv-ale/"' in text
    # Compact rows: a short label, one state, one progress line; the rest on the details page.
    assert "137 av minst 200 fotpatrulleringar" in words(response)
    assert "9 av minst 20 trafikkontroller" in words(response)
    expected = patrols.progress(today=today()).expected
    assert expected > 0
    assert f"Där vi borde vara i dag: {expected}" in text
    assert "Kommunen med flera" in words(client.get(walks.get_absolute_url()))
    assert "Miguel Odhner" in text and "Anna Kommunpolis" in text
    assert "Fler kvällspass." in text
    assert "två gånger per år" in text
    assert 'href="https://www.kungalv.se/trygg"' in text
    assert f'href="/kommun/kungalv/lofte/2026-2027/atagande/{patrols.pk}/"' in text
    assert "exempel" not in text.lower()


def test_progress_bar_has_no_inline_style_and_a_text_equivalent(client, kungalv):
    text = body(client.get("/kommun/kungalv/"))
    assert "style=" not in text
    assert '<rect class="progress-done state-on_track" width="68"' in text  # 137 / 200
    assert text.count('class="progress-svg progress-slim"') == 3
    assert text.count('aria-hidden="true"') >= 3


def test_municipality_page_falls_back_to_latest_ended_pledge(client):
    municipality = f.MunicipalityFactory(name="Tanum", slug="tanum")
    pledge, office = f.tanum_2017_pledge(municipality=municipality, slug="2017")
    f.ActivityFactory(commitment=office, quantity=30, date=datetime.date(2017, 6, 1))
    response = client.get("/kommun/tanum/")
    text = body(response)
    assert "Löftet gällde 1 januari 2017 – 31 december 2017." in text
    assert "30 av minst 52 dagar" in words(response)
    assert "minst 1 i veckan – 52 under perioden" in body(client.get(office.get_absolute_url()))
    assert "Delvis uppfyllt" in text
    assert "Där vi borde vara" not in text
    assert "Kommunen har inget aktuellt löfte, så det senaste visas" in text


def test_municipality_page_links_earlier_pledges(client, kungalv):
    pledge = kungalv[0]
    old = f.PledgeFactory(
        municipality=pledge.municipality,
        slug="2018-2019",
        title="Trygg i Kungälv 2018",
        start_date=datetime.date(2018, 10, 1),
        end_date=datetime.date(2019, 9, 30),
    )
    draft = f.PledgeFactory(
        municipality=pledge.municipality, slug="utkast", status="draft", title="Hemligt utkast"
    )
    text = body(client.get("/kommun/kungalv/"))
    assert f'href="{old.get_absolute_url()}"' in text
    assert draft.title not in text
    text = body(client.get(old.get_absolute_url()))
    # No outcome reported: the page says so instead of "nedan står utfallet".
    assert "Löftet gick ut den 30 september 2019; utfallet är inte redovisat än." in text
    assert "nedan står utfallet" not in text
    assert f'href="{pledge.get_absolute_url()}"' in text and "(gäller nu)" in text


def test_municipality_without_pledge_points_to_police_area(client):
    municipality = f.MunicipalityFactory(name="Ale", slug="ale")
    f.PoliceAreaFactory(name="Kungälv/Ale", slug="kungalv-ale", municipalities=[municipality])
    response = client.get("/kommun/ale/")
    assert response.status_code == 200
    text = body(response)
    assert "inget publicerat medborgarlöfte" in text
    assert 'href="/lokalpolisomrade/kungalv-ale/"' in text


def test_draft_and_future_pledges_are_never_shown(client):
    municipality = f.MunicipalityFactory(slug="hemlig")
    draft = f.PledgeFactory(municipality=municipality, status="draft", title="Utkastet")
    future = f.PledgeFactory(
        municipality=municipality,
        title="Framtida löftet",
        published_at=timezone.now() + datetime.timedelta(days=3),
    )
    text = body(client.get("/kommun/hemlig/"))
    assert "Utkastet" not in text and "Framtida löftet" not in text
    for pledge in (draft, future):
        assert client.get(pledge.get_absolute_url()).status_code == 404
        commitment = f.CommitmentFactory(pledge=pledge)
        assert client.get(commitment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/kommun/finns-inte/",
        "/kommun/finns-inte/lofte/2020/",
        "/kommun/kungalv/lofte/finns-inte/",
        "/kommun/kungalv/lofte/2026-2027/atagande/999999/",
        "/lokalpolisomrade/finns-inte/",
    ],
)
def test_unknown_slugs_give_swedish_404(client, kungalv, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Sidan finns inte" in body(response)


def test_commitment_of_another_pledge_is_404(client, kungalv):
    other = f.CommitmentFactory()
    response = client.get(f"/kommun/kungalv/lofte/2026-2027/atagande/{other.pk}/")
    assert response.status_code == 404


def test_internal_notes_are_never_shown(client, kungalv):
    pledge, patrols, *_ = kungalv
    f.ActivityFactory(commitment=patrols, internal_note="HEMLIG-ANTECKNING", description="Synlig")
    for url in (
        "/kommun/kungalv/",
        pledge.get_absolute_url(),
        patrols.get_absolute_url(),
    ):
        text = body(client.get(url))
        assert "Synlig" in text
        assert "HEMLIG-ANTECKNING" not in text


def test_example_notice_for_demo_pledge_and_example_activities(client, kungalv):
    pledge, patrols, controls, _ = kungalv
    notice = "Insatserna är påhittade exempel"
    assert notice not in body(client.get("/kommun/kungalv/"))
    f.ActivityFactory(commitment=controls, is_example=True)
    for url in ("/kommun/kungalv/", pledge.get_absolute_url(), controls.get_absolute_url()):
        text = body(client.get(url))
        assert notice in text
        assert "verkliga, publicerade medborgarlöftet" in text
    assert notice not in body(client.get(patrols.get_absolute_url()))
    pledge.is_demo = True
    pledge.save()
    assert notice in body(client.get(patrols.get_absolute_url()))


def test_ended_pledge_shows_outcomes_and_explanations(client):
    municipality = f.MunicipalityFactory(name="Lysekil", slug="lysekil")
    pledge, done, dropped = f.lysekil_like_pledge(municipality=municipality, slug="2021-2022")
    text = body(client.get(pledge.get_absolute_url()))
    assert "Löftet gällde 1 april 2021 – 31 december 2022." in text
    # One state per commitment: the outcome badge, never a "Status:" line beside it.
    assert "Status:" not in text
    assert 'badge-fulfilled">Uppfyllt<' in text and 'badge-not_fulfilled">Ej uppfyllt<' in text
    assert "Uppfyllt" in text and "Ej uppfyllt" in text
    assert "Finansieringen uteblev när projektet skulle starta." in text
    assert "Räddningstjänsten Mitt Bohuslän" in text


def test_qualitative_commitment_in_running_pledge_shows_status(client):
    municipality = f.MunicipalityFactory(slug="lysekil")
    pledge = f.PledgeFactory(municipality=municipality)
    f.CommitmentFactory(
        pledge=pledge,
        target_kind="qualitative",
        target_quantity=None,
        status="in_progress",
        text="Utveckla EST-arbetet.",
    )
    text = body(client.get("/kommun/lysekil/"))
    assert 'badge-in_progress">Pågår<' in text
    assert "Status:" not in text
    assert 'class="progress-svg"' not in text


# --- Query counts: the same whatever the size ---------------------------------------------


def big_pledge(pledge, commitments, activities):
    """Add commitments (with partners) and activities to a löfte."""
    partner = f.PartnerFactory(name="Kriminalvården")
    pledge.partners.add(partner)
    made = []
    for _ in range(commitments):
        commitment = f.CommitmentFactory(pledge=pledge, focus_area=pledge.focus_areas.first())
        commitment.responsible_partners.add(partner)
        made.append(commitment)
    from pledges.models import Activity

    Activity.objects.bulk_create(
        Activity(
            commitment=made[i % len(made)],
            date=today() - datetime.timedelta(days=i % 150),
            description=f"Insats {i}",
        )
        for i in range(activities)
    )
    f.FollowUpNoteFactory(follow_up__pledge=pledge, commitment=made[0])
    f.SignatoryFactory(pledge=pledge)
    f.ContactFactory(pledge=pledge)
    return made


@pytest.mark.parametrize("commitments, activities", [(5, 10), (50, 1000)])
def test_municipality_page_query_count_is_fixed(
    client, kungalv, django_assert_num_queries, commitments, activities
):
    big_pledge(kungalv[0], commitments, activities)
    with django_assert_num_queries(MUNICIPALITY_PAGE_QUERIES):
        response = client.get("/kommun/kungalv/")
    assert response.status_code == 200
    assert body(response).count('class="commitment"') == 3 + commitments
    assert len(response.content) < 60_000


@pytest.mark.parametrize("commitments, activities", [(5, 10), (50, 1000)])
def test_pledge_page_query_count_is_fixed(
    client, kungalv, django_assert_num_queries, commitments, activities
):
    pledge = kungalv[0]
    big_pledge(pledge, commitments, activities)
    with django_assert_num_queries(PLEDGE_PAGE_QUERIES):
        response = client.get(pledge.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("activities", [10, 1000])
def test_commitment_page_query_count_is_fixed(
    client, kungalv, django_assert_num_queries, activities
):
    made = big_pledge(kungalv[0], 1, activities)
    with django_assert_num_queries(COMMITMENT_PAGE_QUERIES):
        response = client.get(made[0].get_absolute_url())
    assert response.status_code == 200
    listed = body(response).split('class="activity-list"')[1].split("</ol>")[0]
    assert listed.count("<li>") == min(25, activities)


@pytest.mark.parametrize("municipalities", [1, 6])
def test_police_area_page_query_count_is_fixed(client, django_assert_num_queries, municipalities):
    area = f.PoliceAreaFactory(slug="fyrbodal")
    for _ in range(municipalities):
        municipality = f.MunicipalityFactory()
        area.municipalities.add(municipality)
        pledge, *_ = f.kungalv_like_pledge(municipality=municipality, police_area=area)
        big_pledge(pledge, 5, 20)
    with django_assert_num_queries(POLICE_AREA_PAGE_QUERIES):
        response = client.get("/lokalpolisomrade/fyrbodal/")
    assert response.status_code == 200
    assert body(response).count("Trygg i Kungälv") == municipalities


def test_municipality_page_html_stays_lean_with_a_big_pledge(client, kungalv):
    big_pledge(kungalv[0], 40, 200)
    response = client.get("/kommun/kungalv/")
    assert len(response.content) < 60_000


# --- The commitment page -----------------------------------------------------------------


def test_commitment_page_has_accessible_chart_and_table(client, kungalv):
    _, patrols, *_ = kungalv
    start = patrols.pledge.start_date
    f.ActivityFactory(commitment=patrols, date=start + datetime.timedelta(days=3), quantity=4)
    response = client.get(patrols.get_absolute_url())
    text = body(response)
    assert 'role="img"' in text
    assert 'aria-labelledby="chart-title chart-desc"' in text
    assert '<title id="chart-title">' in text and '<desc id="chart-desc">' in text
    assert "Minst 200 fotpatrulleringar under perioden" in words(response)
    assert '<caption id="months-caption">Genomfört per månad</caption>' in text
    month_rows = text.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert month_rows >= 5
    assert ">141<" in text  # the running total in the last row: 4 + 137
    assert "style=" not in text


def test_recurring_commitment_page_shows_derived_expected_count(client):
    municipality = f.MunicipalityFactory(slug="tanum")
    pledge, office = f.tanum_2017_pledge(municipality=municipality, slug="2017")
    f.ActivityFactory(commitment=office, date=datetime.date(2017, 3, 15), quantity=10)
    response = client.get(office.get_absolute_url())
    text = body(response)
    assert "Minst 1 i veckan – 52 dagar under perioden" in words(response)
    table = text.split('<caption id="months-caption">Genomfört per månad</caption>')[1].split(
        "</table>"
    )[0]
    assert table.count("<tr>") == 13  # header + 12 months of 2017
    assert '<th scope="row">december 2017</th><td class="num">0</td>' in table
    assert '<td class="num">52</td></tr>' in table  # expected by the end of the year


@pytest.mark.parametrize(
    "query, expected_page",
    [("", 1), ("?sida=2", 2), ("?sida=abc", 1), ("?sida=-5", 3), ("?sida=99999999999999999", 3)],
)
def test_commitment_activities_are_paginated_and_bad_pages_never_500(
    client, kungalv, query, expected_page
):
    _, patrols, *_ = kungalv
    for index in range(60):
        f.ActivityFactory(commitment=patrols, description=f"Pass {index}")
    response = client.get(patrols.get_absolute_url() + query)
    assert response.status_code == 200
    assert f"Sida {expected_page} av 3" in body(response)


def test_hostile_query_strings_do_not_break_pages(client, kungalv):
    pledge, patrols, *_ = kungalv
    for url in ("/kommun/kungalv/", pledge.get_absolute_url(), patrols.get_absolute_url()):
        response = client.get(url + "?sida=<script>&sida=2'--")
        assert response.status_code == 200
        assert "<script>" not in body(response)
        # A NUL is refused up front (RejectNullCharactersMiddleware), never a 500.
        assert client.get(url + "?sida=%00<script>").status_code == 400


def test_commitment_page_shows_follow_up_notes(client, kungalv):
    _, patrols, *_ = kungalv
    f.FollowUpNoteFactory(
        follow_up__pledge=patrols.pledge, follow_up__title="Höstens uppföljning", commitment=patrols
    )
    text = body(client.get(patrols.get_absolute_url()))
    assert "Höstens uppföljning" in text
    assert "Fotpatrulleringarna har ökat under kvällstid." in text


def test_pledge_page_lists_follow_ups_with_their_notes(client, kungalv):
    # Follow-ups and their notes come in one query (Pledge.objects.prefetch_about): newest
    # first, each with its notes in the commitments' order, an archived commitment's left out.
    pledge, patrols, controls, _walks = kungalv
    archived = f.CommitmentFactory(pledge=pledge, text="Borttaget.", archived_at=timezone.now())
    spring = f.FollowUpFactory(pledge=pledge, title="Vårens uppföljning", date=today())
    f.FollowUpFactory(
        pledge=pledge, title="Uppföljning utan kommentarer", date=today() - datetime.timedelta(1)
    )
    autumn = f.FollowUpFactory(
        pledge=pledge, title="Höstens uppföljning", date=today() - datetime.timedelta(100)
    )
    controls.order, patrols.order = 1, 2
    controls.save()
    patrols.save()
    f.FollowUpNoteFactory(follow_up=spring, commitment=patrols, note="Om patrullerna.")
    f.FollowUpNoteFactory(follow_up=spring, commitment=archived, note="Om det borttagna.")
    f.FollowUpNoteFactory(follow_up=spring, commitment=controls, note="Om kontrollerna.")
    f.FollowUpNoteFactory(follow_up=autumn, commitment=controls, note="Kontroller i höstas.")
    text = words(client.get(pledge.get_absolute_url()))
    section = text.split("Uppföljning", 1)[1]
    assert section.index("Vårens uppföljning") < section.index("Uppföljning utan kommentarer")
    assert section.index("Uppföljning utan kommentarer") < section.index("Höstens uppföljning")
    spring_part = section.split("Vårens uppföljning")[1].split("Uppföljning utan")[0]
    assert spring_part.index("Om kontrollerna.") < spring_part.index("Om patrullerna.")
    assert "Om det borttagna." not in text
    autumn_part = section.split("Höstens uppföljning")[1]
    assert "Kontroller i höstas." in autumn_part and "Om patrullerna." not in autumn_part


def test_sums_of_a_cached_pledge_are_read_again_after_an_activity(client, kungalv):
    # A cold page reads the sums with the commitments, which are then kept in the cache
    # under the kommun's text version: after an activity, they must be read afresh.
    pledge, patrols, *_ = kungalv
    for url in ("/kommun/kungalv/", pledge.get_absolute_url()):
        assert "137 av minst 200 fotpatrulleringar" in words(client.get(url))
    f.ActivityFactory(commitment=patrols, quantity=5, date=today())
    for url in ("/kommun/kungalv/", pledge.get_absolute_url()):
        assert "142 av minst 200 fotpatrulleringar" in words(client.get(url))


def test_follow_up_schedule_is_not_repeated_when_the_description_says_it(client, kungalv):
    pledge = kungalv[0]
    pledge.follow_up_description = "Arbetet redovisas två gånger per år i kommunstyrelsen."
    pledge.save()
    text = words(client.get(pledge.get_absolute_url()))
    assert "Arbetet redovisas två gånger per år i kommunstyrelsen." in text
    assert "Löftet följs upp två gånger per år." not in text
    pledge.follow_up_description = "Samverkansgruppen går igenom läget."
    pledge.save()
    text = words(client.get(pledge.get_absolute_url()))
    assert "Löftet följs upp två gånger per år." in text
    assert "Samverkansgruppen går igenom läget." in text


def test_milestone_commitment_page_has_no_chart(client, kungalv):
    pledge = kungalv[0]
    milestone = f.CommitmentFactory(
        pledge=pledge,
        target_kind=Commitment.TargetKind.MILESTONE,
        target_quantity=None,
        completed_on=today(),
        text="Information skickas till samtliga föräldrar.",
    )
    text = body(client.get(milestone.get_absolute_url()))
    assert 'role="img"' not in text
    assert "Genomfört" in text and "Uppnått" in text


# --- The police area page and the home page ------------------------------------------------


def test_police_area_lists_municipalities_and_their_state(client, kungalv):
    pledge, patrols, controls, walks = kungalv
    area = pledge.police_area
    ale = f.MunicipalityFactory(name="Ale", slug="ale")
    area.municipalities.add(ale)
    f.ActivityFactory(commitment=walks, quantity=2)
    text = body(client.get(area.get_absolute_url()))
    assert 'href="/kommun/ale/"' in text and 'href="/kommun/kungalv/"' in text
    assert "Inget aktuellt löfte" in text
    row = text.split('href="/kommun/kungalv/"')[1].split("</li>\n")[0]
    # walks achieved; patrols (137 of 200) and controls (9 of 20) against the expected share:
    # each state the row has, in words, and no column for a state it lacks.
    states = [c.progress(today=today()).state for c in (patrols, controls, walks)]
    assert "3 åtaganden:" in row
    for state in set(states):
        assert f'<span class="badge badge-{state}">' in row
        assert f"</span> {states.count(state)}</li>" in row
    assert row.count('class="badge') == len(set(states))
    assert "<table" not in text
    assert text.index(">Ale<") < text.index(">Kungälv<")


def test_home_national_summary(client, kungalv, django_assert_num_queries):
    f.PledgeFactory(status="draft")
    ended = f.PledgeFactory(
        start_date=datetime.date(2017, 1, 1), end_date=datetime.date(2017, 12, 31)
    )
    f.CommitmentFactory(pledge=ended)
    # Cold cache: the versions, 2 for the county list, 6 for the figures and the map
    # (its kommuner's versions and their states; then cached, see test_performance).
    with django_assert_num_queries(VERSIONS + 8):
        response = client.get("/")
    text = body(response)
    summary = text.split('id="summary-heading"')[1].split("</section>")[0]
    assert "<strong>1</strong> av" in summary
    assert "av deras 3 åtaganden" in summary


# --- The five seed löften (needs `load_demo`, from the demo work) --------------------------

SEED_CHECKS = {
    "kungalv": ["av minst 200 ", "av minst 20 "],
    "tanum": ["av minst 52 "],
    "ale": [],
    "lysekil": ['class="badge badge-', "Vad betyder lägena?"],
    "trollhattan": [],
}


@pytest.fixture
def demo(reference_data):
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.parametrize("slug", SEED_CHECKS)
def test_seed_municipality_pages_show_their_pledge(client, demo, slug, django_assert_num_queries):
    with django_assert_num_queries(MUNICIPALITY_PAGE_QUERIES):
        response = client.get(f"/kommun/{slug}/")
    assert response.status_code == 200
    text = body(response)
    assert 'class="commitment"' in text or slug == "ale"
    assert "Insatserna är påhittade exempel" in text
    for phrase in SEED_CHECKS[slug]:
        assert phrase in text
    assert len(response.content) < 60_000


def test_extended_pledge_shows_its_extension(client, kungalv):
    pledge = kungalv[0]
    old_end = pledge.end_date
    pledge.end_date = old_end + datetime.timedelta(days=365)
    pledge.save()
    from pledges.models import PledgeExtension

    PledgeExtension.objects.create(
        pledge=pledge,
        previous_end_date=old_end,
        new_end_date=pledge.end_date,
        reason="Samma löfte gäller ett år till.",
    )
    text = body(client.get(pledge.get_absolute_url()))
    assert "Perioden förlängdes från" in text
    assert "Samma löfte gäller ett år till." in text


def test_empty_pledge_runs_the_same_queries_as_a_full_one(client, django_assert_num_queries):
    # The five seeds differ (Ale has no numbered commitments, not all have follow-ups); the
    # kommun page must still run the same number of queries for each.
    municipality = f.MunicipalityFactory(slug="tom")
    pledge = f.PledgeFactory(municipality=municipality, slug="tomt")
    with django_assert_num_queries(MUNICIPALITY_PAGE_QUERIES):
        assert client.get("/kommun/tom/").status_code == 200
    with django_assert_num_queries(PLEDGE_PAGE_QUERIES):
        assert client.get(pledge.get_absolute_url()).status_code == 200


# --- Pure helpers behind the chart ----------------------------------------------------------


def test_cumulative_by_month_before_the_period_is_empty():
    from pledges import progress

    rows = progress.cumulative_by_month(
        {},
        start=datetime.date(2030, 1, 1),
        end=datetime.date(2030, 12, 31),
        total=52,
        today=datetime.date(2029, 12, 31),
    )
    assert rows == []


def test_cumulative_by_month_keeps_work_outside_the_period_and_ends_at_the_target():
    from pledges import progress

    monthly = {
        datetime.date(2016, 12, 1): 2,  # logged before the period: counts in January
        datetime.date(2017, 2, 1): 3,
        datetime.date(2018, 1, 1): 1,  # logged after it: counts in December
    }
    rows = progress.cumulative_by_month(
        monthly,
        start=datetime.date(2017, 1, 1),
        end=datetime.date(2017, 12, 31),
        total=52,
        today=datetime.date(2026, 11, 24),
    )
    assert [row.month.month for row in rows] == list(range(1, 13))
    assert rows[0].done == 2 and rows[1].done == 3 and rows[-1].done == 1
    assert rows[-1].cumulative == 6
    assert rows[-1].expected == 52
    assert rows[0].expected == 4  # 31 of 365 days of 52


def test_cumulative_by_month_stops_at_today_in_a_leap_year():
    from pledges import progress

    rows = progress.cumulative_by_month(
        {datetime.date(2024, 2, 1): 5},
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
        total=366,
        today=datetime.date(2024, 2, 29),
    )
    assert [row.month for row in rows] == [datetime.date(2024, 1, 1), datetime.date(2024, 2, 1)]
    assert rows[-1].expected == 60  # 31 + 29 days of 366
    assert rows[-1].cumulative == 5


def test_chart_coordinates_use_a_dot_whatever_the_language():
    from django.utils import translation

    from pledges import charts, progress

    rows = [
        progress.MonthRow(month=datetime.date(2017, 1, 1), done=1, cumulative=1, expected=4),
        progress.MonthRow(month=datetime.date(2017, 2, 1), done=2, cumulative=3, expected=8),
    ]
    with translation.override("sv"):
        chart = charts.build(rows, 52)
    assert "," in chart.achieved_points and "." in chart.achieved_points
    first, last = chart.achieved_points.split(" ")
    assert first.startswith(f"{charts.LEFT}.0,")
    assert last.startswith(f"{charts.WIDTH - charts.RIGHT}.0,")
    assert charts.build([], 52) is None


def test_police_area_without_loeften_runs_the_same_queries(client, django_assert_num_queries):
    # No kommun with a löfte: nothing to count (the one query that may be skipped).
    area = f.PoliceAreaFactory(slug="tomt-omrade")
    area.municipalities.add(f.MunicipalityFactory(name="Orust", slug="orust"))
    with django_assert_num_queries(POLICE_AREA_PAGE_QUERIES - 1):
        response = client.get("/lokalpolisomrade/tomt-omrade/")
    assert "Inget aktuellt löfte" in body(response)
    f.PoliceAreaFactory(slug="utan-kommuner")
    with django_assert_num_queries(POLICE_AREA_PAGE_QUERIES - 1):
        response = client.get("/lokalpolisomrade/utan-kommuner/")
    assert "Inga kommuner är kopplade" in body(response)


def test_demo_figures_carry_the_example_notice_on_area_and_home(
    client, kungalv, django_capture_on_commit_callbacks
):
    pledge = kungalv[0]
    notice = "Insatserna är påhittade exempel"
    assert notice not in body(client.get(pledge.police_area.get_absolute_url()))
    assert notice not in body(client.get("/"))
    pledge.is_demo = True
    # The home page's figures are cached; saving the löfte clears them once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        pledge.save()
    assert notice in body(client.get(pledge.police_area.get_absolute_url()))
    assert notice in body(client.get("/"))


def test_huge_commitment_id_is_404_not_500(client, kungalv):
    response = client.get("/kommun/kungalv/lofte/2026-2027/atagande/99999999999999999999999/")
    assert response.status_code == 404


def test_archived_commitment_leaves_the_public_pages(client, kungalv):
    from pledges.services_archive import archive_commitment

    pledge, patrols, *_ = kungalv
    f.ActivityFactory(commitment=patrols, description="Arkiverad insats syns inte")
    assert patrols.text[:40] in body(client.get(pledge.get_absolute_url()))
    archive_commitment(commitment=patrols, user=None)
    text = body(client.get(pledge.get_absolute_url()))
    assert patrols.text[:40] not in text
    assert "Arkiverad insats syns inte" not in text
    assert client.get(patrols.get_absolute_url()).status_code == 404


# --- The first screen, earlier löften, language of parts, dead ends (issue 12) -------------


def test_commitments_come_before_the_background_and_the_synpunkt_call(client, kungalv):
    pledge = kungalv[0]
    pledge.background = "LÄGESBILD-TEXT"
    pledge.save()
    text = body(client.get("/kommun/kungalv/"))
    order = [
        "<h1",
        'id="summary-heading"',
        'id="commitments-heading"',
        'id="dialogue-summary-heading"',
        '<details class="background"',
        "LÄGESBILD-TEXT",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_example_notice_once_per_page(client, kungalv, settings):
    pledge = kungalv[0]
    pledge.is_demo = True
    pledge.save()
    from tests.factories import SafetyWalkFactory

    SafetyWalkFactory(municipality=pledge.municipality, is_example=True)
    text = body(client.get("/kommun/kungalv/"))
    assert text.count('class="notice notice-example"') == 1


def test_earlier_pledges_show_their_outcome(client, kungalv, django_assert_num_queries):
    municipality = kungalv[0].municipality
    earlier = f.PledgeFactory(
        municipality=municipality,
        slug="2017",
        title="Trygg i Kungälv 2017",
        start_date=datetime.date(2017, 1, 1),
        end_date=datetime.date(2017, 12, 31),
    )
    for outcome in ("fulfilled", "partly", "not_fulfilled", ""):
        f.CommitmentFactory(pledge=earlier, outcome=outcome, outcome_explanation="Så blev det.")
    f.CommitmentFactory(pledge=earlier, outcome="fulfilled", archived_at=timezone.now())
    with django_assert_num_queries(MUNICIPALITY_PAGE_QUERIES):
        response = client.get("/kommun/kungalv/")
    others = body(response).split('id="others-heading"')[1].split("</section>")[0]
    assert "Trygg i Kungälv 2017" in others
    assert "Utfall 2017: 1 uppfyllt, 1 delvis uppfyllt, 1 ej uppfyllt, 1 utfall ej redovisat" in (
        " ".join(others.split())
    )


def test_english_pages_mark_swedish_content(client, kungalv, settings):
    pledge, patrols, *_ = kungalv
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = body(client.get("/kommun/kungalv/"))
    assert '<html lang="en">' in text
    assert f'<h1 lang="sv">{pledge.title}</h1>' in text
    assert f'lang="sv">{patrols.short_label}</a>' in text
    assert '<span lang="sv">fotpatrulleringar</span>' in text
    detail = body(client.get(patrols.get_absolute_url()))
    assert '<h1 lang="sv">' in detail
    assert '<span lang="sv">fotpatrulleringar</span>' in detail


def test_kommun_without_pledge_offers_no_feed(client, db):
    f.MunicipalityFactory(slug="tom")
    text = body(client.get("/kommun/tom/"))
    assert "/flode/" not in text
    assert "application/atom+xml" not in text


def test_feed_link_says_what_a_feed_is(client, kungalv):
    text = body(client.get("/kommun/kungalv/"))
    feed = text.split('class="feed-link"')[1].split("</p>")[0]
    assert 'href="/kommun/kungalv/flode/"' in feed
    assert "nyhetsläsare" in feed


def test_each_state_shown_is_explained_where_it_is_shown(client, kungalv):
    from pledges.progress import State

    pledge, patrols, *_ = kungalv
    state = patrols.progress(today=today()).state
    detail = body(client.get(patrols.get_absolute_url()))
    assert f"{State.LABELS[state]}: {State.EXPLANATIONS[state]}" in detail
    home = body(client.get("/"))
    assert "Vad betyder lägena?" in home and str(State.EXPLANATIONS[state]) in home


# --- Served from the cache --------------------------------------------------------------------

CACHED_PAGES = [
    "/",
    "/kommun/kungalv/",
    "{pledge}",
    "{commitment}",
    "/lokalpolisomrade/kungalv-ale/",
    "/kommun/kungalv/trygghetsvandringar/",
    "/kommun/kungalv/dialoger/",
    "/kommun/kungalv/synpunkter/",
    "/flode/",
    "/kommun/kungalv/flode/",
    "/api/v1/kommuner/",
    "/api/v1/loften/",
    "/api/v1/ataganden/",
    "/api/v1/aktiviteter/",
    "/api/v1/trygghetsvandringar/",
    "/api/v1/iakttagelser/",
    "/api/v1/kommuner/1482/",
    "/api/v1/ataganden/{patrols_id}/",
]


@pytest.mark.parametrize("url", CACHED_PAGES)
def test_every_public_page_is_one_query_and_no_rendering_once_cached(
    client, kungalv, url, django_assert_num_queries, monkeypatch
):
    pledge, patrols, *_ = kungalv
    url = url.format(
        pledge=pledge.get_absolute_url(),
        commitment=patrols.get_absolute_url(),
        patrols_id=patrols.pk,
    )
    first = client.get(url)
    assert first.status_code == 200

    def no_rendering(*args, **kwargs):
        raise AssertionError("a cached page was rendered again")

    monkeypatch.setattr("django.template.base.Template.render", no_rendering)
    with django_assert_num_queries(VERSIONS):
        second = client.get(url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    with django_assert_num_queries(VERSIONS):
        assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


# --- Parts of a page cached by version (pagecache.templatetags.fragments) ---------------------


def test_logging_an_activity_makes_again_only_what_it_changes(
    client, kungalv, django_assert_num_queries
):
    pledge, patrols, *_ = kungalv
    f.SignatoryFactory(pledge=pledge, name="Anna Andersson")
    assert "Anna Andersson" in body(client.get("/kommun/kungalv/"))
    f.ActivityFactory(commitment=patrols, place="Nya torget", is_example=False)
    with django_assert_num_queries(MUNICIPALITY_PAGE_AFTER_ACTIVITY):
        text = body(client.get("/kommun/kungalv/"))
    assert "Nya torget" in text
    assert "Anna Andersson" in text


def test_a_change_to_a_text_is_shown_at_once(client, kungalv):
    pledge, *_ = kungalv
    signatory = f.SignatoryFactory(pledge=pledge, name="Anna Andersson")
    contact = f.ContactFactory(pledge=pledge, name="Bo Berg")
    for url in ("/kommun/kungalv/", pledge.get_absolute_url()):
        assert "Anna Andersson" in body(client.get(url))
    signatory.name = "Anna Bengtsson"
    signatory.save()
    contact.delete()
    for url in ("/kommun/kungalv/", pledge.get_absolute_url()):
        text = body(client.get(url))
        assert "Anna Bengtsson" in text and "Anna Andersson" not in text
        assert "Bo Berg" not in text


def test_a_visitor_with_a_session_gets_the_cached_parts_and_every_write(
    client, kungalv, login_as, django_assert_max_num_queries
):
    pledge, patrols, *_ = kungalv
    f.SignatoryFactory(pledge=pledge, name="Anna Andersson")
    login_as(f.UserFactory())
    # The session and its user, then the page made afresh around its cached parts.
    first = client.get("/kommun/kungalv/")
    assert "private" in first["Cache-Control"]
    with django_assert_max_num_queries(2 + MUNICIPALITY_PAGE_AFTER_ACTIVITY):
        second = client.get("/kommun/kungalv/")
    assert body(second) == body(first)
    f.ActivityFactory(commitment=patrols, place="Nya torget")
    pledge.signatories.update(name="Anna Bengtsson")
    text = body(client.get("/kommun/kungalv/"))
    assert "Nya torget" in text and "Anna Bengtsson" in text and "Anna Andersson" not in text


def test_a_staff_preview_is_never_cached(client, login_as, kungalv, monkeypatch):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    pledge, *_ = kungalv
    user = f.UserFactory(is_superuser=True, is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    login_as(user)

    def no_cache(*args, **kwargs):
        raise AssertionError("a preview was cached")

    monkeypatch.setattr("pagecache.templatetags.fragments.cache.get", no_cache)
    monkeypatch.setattr("pagecache.templatetags.fragments.cache.set", no_cache)
    response = client.get(reverse("staff:preview", args=[pledge.pk]))
    assert response.status_code == 200
    assert pledge.title in body(response)


# --- Problems the seed löften answer (pledges.problems, demo/problem_seeds.py) ---------------


def test_ale_lists_its_problem_areas_as_problems(client, demo):
    response = client.get("/kommun/ale/")
    text = words(response)
    section = text.split("Problemen som löftet ska minska")[1].split("Säg vad du tycker")[0]
    for title in ("Narkotika", "Fortkörning", "Störande moped- och A-traktorkörning"):
        assert title in section
    # No commitment answers them with a target: the page says so and lists or counts none.
    assert "Inget åtagande med mål i löftet är kopplat till problemet" in section
    assert 'class="problem-commitments"' not in body(response)
    assert "Fokusområden: Fortkörning och narkotika" in section


def test_trollhattan_shows_its_indicator_values_and_source(client, demo):
    response = client.get("/kommun/trollhattan/")
    text = words(response)
    section = text.split("Problemen som löftet ska minska")[1]
    assert "Otrygghet vid resecentrum och i kollektivtrafiken" in section
    assert "Gemensam närvaro på resecentrum" in section
    assert "Andel som känner sig otrygga vid resecentrum kvällstid (%)" in section
    assert "Plats: Resecentrum." in section
    assert "Exempel: påhittade värden för demonstration" in section
    html = body(response)
    assert '<th scope="row">2023</th><td class="num">41 <span class="badge badge-example">' in html
    assert '<th scope="row">2025</th><td class="num">36 <span class="badge badge-example">' in html
    assert "Siffrorna visar hur läget har utvecklats" in text


def test_kungalvs_example_survey_is_a_source_of_its_problem(client, demo):
    text = words(client.get("/kommun/kungalv/"))
    section = text.split("Otrygghet på Nordmannatorget och i Komarken")[1]
    sources = section.split("Källor:")[1].split("Arbetet som svarar")[0]
    assert "Trygghetsmätning i Kungälv 15 maj 2018, 412 deltagare (exempel)" in sources
