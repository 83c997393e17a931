import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo import problem_seeds, seeds
from demo.management.commands.load_demo import Command
from pledges.models import (
    Activity,
    Commitment,
    Contact,
    FocusArea,
    FollowUp,
    Indicator,
    IndicatorValue,
    Municipality,
    Partner,
    Pledge,
    PoliceArea,
    Problem,
    Signatory,
)
from tests.factories import CommitmentFactory, PledgeFactory

SOURCES = Path(seeds.__file__).parent / "sources"
D = datetime.date


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def demo(reference_data):
    return run()


def pledge(municipality_slug, slug):
    return Pledge.objects.get(municipality__slug=municipality_slug, slug=slug)


def commitment(municipality_slug, slug, startswith):
    return Commitment.objects.get(
        pledge__municipality__slug=municipality_slug, pledge__slug=slug, text__startswith=startswith
    )


def snapshot():
    """Every row the loader writes, for comparing two runs."""
    return {
        "pledges": list(Pledge.objects.order_by("pk").values()),
        "areas": list(PoliceArea.objects.order_by("pk").values()),
        "area_municipalities": list(
            PoliceArea.municipalities.through.objects.order_by("pk").values_list(
                "policearea_id", "municipality_id"
            )
        ),
        "focus_areas": list(FocusArea.objects.order_by("pk").values()),
        "commitments": list(Commitment.objects.order_by("pk").values()),
        "partners": list(Partner.objects.order_by("pk").values()),
        "signatories": list(Signatory.objects.order_by("pk").values()),
        "contacts": list(Contact.objects.order_by("pk").values()),
        "activities": list(Activity.objects.order_by("pk").values()),
        "history": (
            Pledge.history.count(),
            Commitment.history.count(),
            FocusArea.history.count(),
        ),
    }


# --- prerequisites and command behaviour ------------------------------------------------


@pytest.mark.django_db
def test_without_reference_data_it_says_to_load_it_and_saves_nothing():
    with pytest.raises(CommandError, match="load_reference_data"):
        run()
    assert Pledge.objects.count() == 0
    assert PoliceArea.objects.count() == 0


def test_help_states_the_assumptions():
    assert "Ale's seed gives no period" in Command.help
    assert f"{seeds.ALE_PERIOD[0]}–{seeds.ALE_PERIOD[1]}" in Command.help
    assert "Färgelanda and Lilla Edet are not" in Command.help


def test_loads_five_published_demo_pledges(demo):
    assert "Kungälv 2018-2019: 3 focus areas, 9 commitments" in demo
    seeded = Pledge.objects.filter(is_example=False)
    assert seeded.count() == 5
    assert seeded.public().count() == 5
    assert set(seeded.values_list("municipality__slug", "slug")) == {
        ("kungalv", "2018-2019"),
        ("tanum", "2017"),
        ("ale", "2018"),
        ("lysekil", "2021-2022"),
        ("trollhattan", "2025-2026"),
    }
    assert all(p.is_demo and p.is_published for p in Pledge.objects.all())
    assert not Pledge.objects.exclude(source_url="").exists()  # the seeds give no URL
    assert FollowUp.objects.count() == 0  # no follow-up reports are invented


def test_second_run_changes_nothing(demo):
    before = snapshot()
    output = run()
    assert "Nothing to change" in output
    assert "52 unchanged" in output  # commitments: Ale's problem areas are none
    assert snapshot() == before


def test_rerun_restores_seed_content_and_keeps_real_activities(demo):
    patrols = commitment("kungalv", "2018-2019", "Fler poliser på Nordmannatorget")
    patrols.text = "Ändrad text"
    patrols.target_quantity = 100
    patrols.save()
    patrols.activities.filter(is_example=True).order_by("date").first().delete()
    real = Activity.objects.create(
        commitment=patrols, date=D(2019, 1, 10), description="Verklig fotpatrull."
    )
    pledge("kungalv", "2018-2019").focus_areas.get(order=1).delete()  # and its commitments' FK

    output = run()

    assert "updated" in output
    patrols.refresh_from_db()
    assert patrols.text.startswith("Fler poliser på Nordmannatorget")
    assert patrols.target_quantity == 200
    assert patrols.focus_area.title == "Insatser för ökad trygghet"
    assert patrols.activities.filter(is_example=True).count() == 137
    assert Activity.objects.filter(pk=real.pk).exists()
    assert pledge("kungalv", "2018-2019").focus_areas.count() == 3


def test_dry_run_reports_and_saves_nothing(reference_data):
    output = run("--dry-run")
    assert "Dry run, nothing saved" in output
    assert "pledges: 5 created" in output
    assert Pledge.objects.count() == 0
    assert PoliceArea.objects.count() == 0
    assert Activity.objects.count() == 0


def test_leaves_a_real_pledge_at_the_same_address_alone(reference_data):
    tanum = Municipality.objects.get(slug="tanum")
    real = PledgeFactory(municipality=tanum, slug="2017", title="Riktigt löfte", is_demo=False)
    CommitmentFactory(pledge=real, text="Riktigt åtagande")
    output = run()
    assert "Skipped Tanum 2017" in output
    real.refresh_from_db()
    assert real.title == "Riktigt löfte"
    assert list(real.commitments.values_list("text", flat=True)) == ["Riktigt åtagande"]
    assert Pledge.objects.filter(is_demo=True, is_example=False).count() == 4


# --- police areas -----------------------------------------------------------------------


def test_police_areas_and_the_municipalities_they_cover(demo):
    areas = {area.slug: area for area in PoliceArea.objects.select_related("region")}
    assert set(areas) == {"kungalv-ale", "vastra-fyrbodal", "ostra-fyrbodal"}
    assert {area.region.name for area in areas.values()} == {"Väst"}
    assert areas["kungalv-ale"].police_district == "Storgöteborg"
    assert areas["vastra-fyrbodal"].police_district == "Fyrbodal"

    def municipality_names(slug):
        return set(areas[slug].municipalities.values_list("name", flat=True))

    assert municipality_names("kungalv-ale") == {"Kungälv", "Ale"}
    assert {"Tanum", "Lysekil", "Uddevalla", "Strömstad"} <= municipality_names("vastra-fyrbodal")
    assert {"Trollhättan", "Vänersborg"} <= municipality_names("ostra-fyrbodal")
    assert "Orust" not in municipality_names("vastra-fyrbodal")
    assert pledge("kungalv", "2018-2019").police_area.slug == "kungalv-ale"
    assert pledge("ale", "2018").police_area.slug == "kungalv-ale"
    assert pledge("tanum", "2017").police_area.slug == "vastra-fyrbodal"
    assert pledge("lysekil", "2021-2022").police_area.slug == "vastra-fyrbodal"
    assert pledge("trollhattan", "2025-2026").police_area.slug == "ostra-fyrbodal"


# --- structure: focus areas and commitments ----------------------------------------------


@pytest.mark.parametrize(
    ("municipality_slug", "slug", "per_focus_area"),
    [
        ("kungalv", "2018-2019", [5, 3, 1]),
        ("tanum", "2017", [8]),
        ("ale", "2018", [0]),
        ("lysekil", "2021-2022", [3, 10, 9, 4, 1, 2]),
        ("trollhattan", "2025-2026", [6]),
    ],
)
def test_focus_areas_and_commitments_per_pledge(demo, municipality_slug, slug, per_focus_area):
    the_pledge = pledge(municipality_slug, slug)
    areas = list(the_pledge.focus_areas.order_by("order"))
    assert [area.commitments.count() for area in areas] == per_focus_area
    assert the_pledge.commitments.filter(focus_area__isnull=True).count() == 0


def test_focus_area_titles_in_order(demo):
    assert list(pledge("kungalv", "2018-2019").focus_areas.values_list("title", flat=True)) == [
        "Insatser för ökad trygghet",
        "Insatser för ökad trafiksäkerhet",
        "Riktade insatser mot brottsaktiva",
    ]
    lysekil = list(pledge("lysekil", "2021-2022").focus_areas.values_list("title", flat=True))
    assert lysekil[0].startswith("Samordning av brottsförebyggande")
    assert lysekil[1:] == [
        "Trygga fysiska miljöer och mötesplatser",
        "Ungdomar, inkludering och positiva fritidsaktiviteter",
        "Brottsaktiva personer och välfärdsbrott",
        "Kommunikation",
        "Kartläggning och långsiktig planering",
    ]


def test_commitment_texts_are_exact(demo):
    assert commitment("kungalv", "2018-2019", "Fler poliser").text == (
        "Fler poliser på Nordmannatorget och i Komarken som fotpatrullerar på otrygga och "
        "särskilt brottsutsatta platser och tider vid minst 200 tillfällen under året."
    )
    assert commitment("tanum", "2017", "Mobila").text == (
        "Mobila poliskontoret ska finnas på plats i Tanums kommun minst en dag i veckan."
    )
    assert commitment("lysekil", "2021-2022", "Trygghetsmätning").text == "Trygghetsmätning 2022"
    # One published bullet holding two commitments is split in two.
    trollhattan = pledge("trollhattan", "2025-2026").commitments.order_by("order")
    assert [c.text for c in trollhattan[3:5]] == [
        "En tillfällig fokusgrupp ska tillsättas för att analysera situationen kring resecentrum.",
        "Riktade insatser i kollektivtrafiken ska genomföras.",
    ]


def _normalise(text):
    return " ".join(text.split())


@pytest.mark.parametrize("seed", seeds.PLEDGES, ids=lambda s: s["municipality"])
def test_texts_are_quoted_from_the_published_source(seed):
    """Every commitment, focus area, goal and paragraph is the published wording."""
    source = _normalise((SOURCES / seeds.SOURCES[seed["municipality"]]).read_text("utf-8"))
    quoted = list(seed["goals"])
    for area in seed["focus_areas"]:
        quoted.append(area["description"])
        if seed["municipality"] != seeds.TANUM:  # Tanum's one list has no heading
            quoted.append(area["title"])
        quoted.extend(item["text"] for item in area["commitments"])
        quoted.extend(item["text"] for item in area.get("problem_areas", []))
    for field in ("introduction", "background", "follow_up_description"):
        quoted.extend(seed[field].splitlines())
    # Ale's links to crime statistics (a PDF and SVT's site) are described, not linked.
    editorial = ("Polisområde Storgöteborg har publicerat", "På SVT:s webbplats")
    for text in quoted:
        if text.strip() and not text.startswith(editorial):
            assert _normalise(text) in source, text


# --- targets ------------------------------------------------------------------------------


def test_kungalv_targets(demo):
    def target(start):
        c = commitment("kungalv", "2018-2019", start)
        return (c.target_kind, c.target_quantity, c.target_unit)

    assert target("Fler poliser") == ("count", 200, "fotpatrulleringar")
    assert target("Minst 20 trafikkontroller") == ("count", 20, "trafikkontroller")
    assert target("Två trygghetsvandringar") == ("count", 2, "trygghetsvandringar")
    assert target("Två insatser") == ("count", 2, "insatser")
    assert target("Vi lovar att fördjupa") == ("count", 10, "kontaktade personer")
    assert target("Information om trygg") == ("milestone", None, "")
    assert target("Vi ska arbeta för en permanent") == ("qualitative", None, "")


def test_tanum_weekly_mobile_office_is_recurring_over_the_year(demo):
    office = commitment("tanum", "2017", "Mobila")
    assert (office.target_kind, office.target_quantity, office.interval) == (
        "recurring",
        1,
        "week",
    )
    assert office.target_total() == 52
    meeting = commitment("tanum", "2017", "Kommunen och polisen ska i samverkan")
    assert (meeting.target_kind, meeting.target_quantity) == ("count", 1)
    assert "grannssamverkan" in meeting.text  # spelled as published
    assert pledge("tanum", "2017").commitments.filter(target_kind="qualitative").count() == 6


def test_lysekil_is_mostly_qualitative_with_statuses(demo):
    lysekil = pledge("lysekil", "2021-2022").commitments
    assert lysekil.filter(target_kind="qualitative").count() == 24
    assert lysekil.filter(target_kind="milestone").count() == 4
    weekly = lysekil.get(target_kind="recurring")
    assert weekly.text.startswith("Lysekils kommun ansvarar för att sammankalla till veckovisa")
    assert weekly.target_total() == 91
    assert lysekil.filter(target_kind="qualitative", status="in_progress").exists()
    assert (
        pledge("trollhattan", "2025-2026").commitments.filter(target_kind="qualitative").count()
        == 6
    )


def test_ale_problem_areas_are_not_commitments_and_its_period_is_not_stated(demo):
    ale = pledge("ale", "2018")
    area = ale.focus_areas.get()
    assert area.title == "Fortkörning och narkotika"
    # The problem areas are the focus area's quoted text: nothing is counted as promised.
    assert not ale.commitments.exists()
    for words in ("fortkörning är ett problem", "A-traktorkörning", "tillgång till och"):
        assert words in area.description
    assert not Activity.objects.filter(commitment__pledge=ale).exists()
    assert ale.period_stated is False


# --- responsible parties, places, partners, people ------------------------------------------


def test_responsible_parties_as_the_text_gives_them(demo):
    environment = commitment("kungalv", "2018-2019", "Den fysiska miljön")
    assert environment.responsible_names() == ["Kommunen"]
    assert environment.responsible_note == "med flera"
    assert commitment("kungalv", "2018-2019", "Fler poliser").responsible_names() == ["Polisen"]
    assert commitment("kungalv", "2018-2019", "Vi lovar att fördjupa").responsible_names() == [
        "Polisen",
        "Kommunen",
        "Kriminalvården",
    ]
    assert commitment("lysekil", "2021-2022", "Insatser mot brottsaktiva").responsible_names() == [
        "Polisen"
    ]
    est = pledge("lysekil", "2021-2022").focus_areas.get(order=1).commitments.all()
    assert {tuple(c.responsible_names()) for c in est} == {("Kommunen",)}
    assert commitment("lysekil", "2021-2022", "Trygghetsvärdar LBAB").responsible_names() == [
        "LysekilsBostäder AB"
    ]
    # Where the text names nobody, nobody is named.
    assert commitment("lysekil", "2021-2022", "Medborgardialog").responsible_names() == []


def test_places_and_focus_places(demo):
    assert pledge("kungalv", "2018-2019").focus_place_list() == ["Nordmannatorget", "Komarken"]
    assert commitment("kungalv", "2018-2019", "Vi ska arbeta för en permanent").place_list() == [
        "Nordmannatorget"
    ]
    assert pledge("lysekil", "2021-2022").focus_place_list() == [
        "Norra Kronbergsgatan",
        "Färgaregatan/Södra Kronbergsgatan",
        "Norra hamnen",
    ]
    assert commitment("lysekil", "2021-2022", "Revidera").place_list() == ["Norra hamnen"]
    assert "Resecentrum" in pledge("trollhattan", "2025-2026").focus_place_list()


def test_partners(demo):
    assert list(pledge("lysekil", "2021-2022").partners.values_list("name", flat=True)) == [
        "LEVA i Lysekil AB",
        "LysekilsBostäder AB",
        "Wallins Bevakningstjänst i Väst AB",
    ]
    assert list(pledge("kungalv", "2018-2019").partners.values_list("name", flat=True)) == [
        "Kriminalvården"
    ]
    assert not pledge("tanum", "2017").partners.exists()


def test_signatories_contacts_and_follow_up(demo):
    trollhattan = pledge("trollhattan", "2025-2026")
    assert list(trollhattan.signatories.values_list("name", "title", "organisation")) == [
        ("Jens Börretzen", "lokalpolisområdeschef", "Polisen"),
        ("Peter Eriksson (M)", "kommunstyrelsens ordförande", "Trollhättans Stad"),
    ]
    assert trollhattan.follow_up_schedule == "två gånger per år"
    assert "Pete " not in trollhattan.introduction

    tanum = pledge("tanum", "2017")
    assert list(tanum.contacts.values_list("name", "role", "phone")) == [
        ("Sara Olsson", "kommunpolis", "010-56 521 92")
    ]
    assert "innan årets utgång ska en utvärdering ske" in tanum.follow_up_description
    assert not Signatory.objects.exclude(pledge=trollhattan).exists()


def test_periods_goals_introduction_and_background(demo):
    periods = {
        (p.municipality.slug, p.start_date, p.end_date)
        for p in Pledge.objects.filter(is_example=False).select_related("municipality")
    }
    assert periods == {
        ("kungalv", D(2018, 10, 1), D(2019, 9, 30)),
        ("tanum", D(2017, 1, 1), D(2017, 12, 31)),
        ("ale", *seeds.ALE_PERIOD),
        ("lysekil", D(2021, 4, 1), D(2022, 12, 31)),
        ("trollhattan", D(2025, 1, 1), D(2026, 12, 31)),
    }
    kungalv = pledge("kungalv", "2018-2019")
    assert kungalv.goal_list() == [
        "öka tryggheten",
        "förebygga brott",
        "öka medborgarnas och lokalsamhällets delaktighet i det brottsförebyggande och "
        "trygghetsskapande arbetet",
        "stärka förtroendet för polisen.",
    ]
    assert "Trygg i Kungälv" in kungalv.introduction
    assert "uppdaterar lägesbilden regelbundet" in kungalv.background
    assert pledge("tanum", "2017").goal_list()[0].startswith("Målen med aktiviteterna")
    assert "Kartläggningen visade att inbrott" in pledge("tanum", "2017").background
    assert "Åtgärdsplan skapas från den lokala lägesbilden" in pledge("ale", "2018").background
    assert "Belysningsstrategi" not in pledge("lysekil", "2021-2022").background
    assert "strategiska trygghetsteamet" in pledge("lysekil", "2021-2022").background
    trollhattan = pledge("trollhattan", "2025-2026")
    assert trollhattan.goal_list() == [
        "Målet är tydligt: att öka tryggheten i Trollhättan och minska invånarnas oro för brott."
    ]
    assert "säger Jens Börretzen, lokalpolisområdeschef" in trollhattan.introduction
    assert "säger Peter Eriksson" in trollhattan.introduction
    assert "särskilt bland yngre kvinnor" in trollhattan.background
    # Web-page chrome is left out.
    everything = " ".join(
        p.introduction + p.background + p.follow_up_description for p in Pledge.objects.all()
    )
    for chrome in ("Javascript", "Kontaktcenter", "Till toppen", "SMHI", "Öppettider", "Lyssna"):
        assert chrome not in everything


# --- example activities -------------------------------------------------------------------


def test_example_activities_are_flagged_and_inside_their_periods(demo):
    activities = Activity.objects.select_related("commitment__pledge")
    assert activities.count() > 200
    for activity in activities:
        the_pledge = activity.commitment.pledge
        assert activity.is_example
        assert activity.description.startswith("Exempel:")
        assert "Exempeldata" in activity.internal_note
        assert the_pledge.start_date <= activity.date <= the_pledge.end_date
        assert activity.date <= min(seeds.EXAMPLES_UNTIL, datetime.date.today())


def test_example_progress_on_measurable_commitments(demo):
    achieved = dict(
        Commitment.objects.with_achieved()
        .filter(pledge__is_demo=True, pledge__is_example=False)
        .values_list("text", "achieved")
    )
    patrols = commitment("kungalv", "2018-2019", "Fler poliser")
    assert achieved[patrols.text] == 137
    assert patrols.progress(today=D(2019, 3, 31)).expected == 99
    office = commitment("tanum", "2017", "Mobila")
    assert achieved[office.text] == 40
    assert {day.weekday() for day in office.activities.values_list("date", flat=True)} == {2}
    # The milestone is shown as done through its example activity.
    info = commitment("kungalv", "2018-2019", "Information om trygg")
    assert info.progress(today=D(2019, 6, 1)).state == "achieved"
    # Examples are the same on every fresh load: a fixed random seed.
    first = list(patrols.activities.order_by("date").values_list("date", "place"))
    Activity.objects.all().delete()
    run()
    assert list(patrols.activities.order_by("date").values_list("date", "place")) == first


def test_every_seed_commitment_names_its_kind():
    kinds = set(Commitment.Kind.values)
    seen = []
    for seed in seeds.PLEDGES:
        for area in seed["focus_areas"]:
            for item in area["commitments"]:
                assert item.get("commitment_kind") in kinds, item["text"][:60]
                seen.append(item["commitment_kind"])
    # The seeds are classified, not left as "annat".
    assert len(set(seen)) >= 5
    assert seen.count(Commitment.Kind.OTHER) < len(seen) / 5


def test_loaded_commitments_have_their_seed_kind(demo):
    assert not Commitment.objects.filter(pledge__is_demo=True, kind="").exists()
    patrols = commitment("kungalv", "2018-2019", "Fler poliser på Nordmannatorget")
    assert patrols.kind == Commitment.Kind.PRESENCE
    assert patrols.get_kind_display() == "Närvaro och patrullering"
    controls = commitment("kungalv", "2018-2019", "Minst 20 trafikkontroller")
    assert controls.kind == Commitment.Kind.TRAFFIC


# --- problems and example indicators (demo/problem_seeds.py) ---------------------------------


@pytest.mark.parametrize("code", list(problem_seeds.PROBLEMS))
def test_problem_descriptions_are_quoted_from_the_source(code):
    source = _normalise((SOURCES / seeds.SOURCES[code]).read_text("utf-8"))
    for item in problem_seeds.PROBLEMS[code]:
        for sentence in item["description"].split(". "):
            assert _normalise(sentence.rstrip(".")) in source, sentence


def test_ale_problem_areas_are_problems(demo):
    ale = pledge("ale", "2018")
    titles = list(ale.problems.values_list("title", flat=True))
    assert len(titles) >= 2
    assert "Narkotika" in titles
    narkotika = ale.problems.get(title="Narkotika")
    # Ale promises no numbered work against them: its focus area answers them.
    assert not narkotika.commitments.exists()
    assert narkotika.focus_areas.get().title == "Fortkörning och narkotika"


def test_trollhattan_problems_answered_by_its_commitments_with_an_example_indicator(demo):
    trollhattan = pledge("trollhattan", "2025-2026")
    problem = trollhattan.problems.get(title="Otrygghet vid resecentrum och i kollektivtrafiken")
    assert "Gemensam närvaro på resecentrum" in set(
        problem.commitments.values_list("short_text", flat=True)
    )
    indicator = problem.indicators.get(name__startswith="Andel som känner sig otrygga vid")
    values = list(indicator.values.all())
    assert len(values) >= 2
    assert all(value.is_example for value in values)
    assert indicator.source.startswith("Exempel")
    assert not IndicatorValue.objects.filter(is_example=False).exists()


def test_every_seed_has_problems_linked_to_its_work(demo):
    for seed in seeds.PLEDGES:
        loaded = Pledge.objects.get(municipality__code=seed["municipality"], slug=seed["slug"])
        problems = list(loaded.problems.all())
        assert problems, seed["municipality"]
        for problem in problems:
            assert problem.commitments.exists() or problem.focus_areas.exists(), problem


def test_second_run_leaves_problems_and_indicators_alone(demo):
    before = (
        list(Problem.objects.order_by("pk").values()),
        list(Indicator.objects.order_by("pk").values()),
        list(IndicatorValue.objects.order_by("pk").values()),
        list(Problem.commitments.through.objects.order_by("pk").values()),
    )
    assert "Nothing to change" in run()
    after = (
        list(Problem.objects.order_by("pk").values()),
        list(Indicator.objects.order_by("pk").values()),
        list(IndicatorValue.objects.order_by("pk").values()),
        list(Problem.commitments.through.objects.order_by("pk").values()),
    )
    assert after == before
