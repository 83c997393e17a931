"""Problems, effect indicators and their values: the models' rules and the public pages."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from pledges.models import Indicator, IndicatorValue
from pledges.problems import indicator_chart, number, parse_period
from tests import factories as f
from tests.problem_factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    ProblemFactory,
)
from tests.test_pages import MUNICIPALITY_PAGE_QUERIES, PLEDGE_PAGE_QUERIES, body, words

pytestmark = pytest.mark.django_db

WORDING = (
    "Siffrorna visar hur läget har utvecklats; de visar inte ensamma vad insatserna har "
    "åstadkommit."
)


@pytest.fixture
def kungalv():
    municipality = f.MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    area = f.PoliceAreaFactory(
        name="Kungälv/Ale", slug="kungalv-ale", municipalities=[municipality]
    )
    return f.kungalv_like_pledge(municipality=municipality, police_area=area, slug="2026-2027")


def add_problems(pledge, commitment, *, problems=1, values=2):
    made = []
    for i in range(problems):
        problem = ProblemFactory(
            pledge=pledge, title=f"Otrygghet vid resecentrum {i}", commitments=[commitment]
        )
        indicator = IndicatorFactory(
            municipality=pledge.municipality,
            name=f"Andel otrygga vid resecentrum {i}",
            problems=[problem],
        )
        for year in range(values):
            IndicatorValueFactory(
                indicator=indicator,
                period=datetime.date(2020 + year, 1, 1),
                value=Decimal("30.5") - year,
                is_example=True,
            )
        made.append(problem)
    return made


# --- Rules ---------------------------------------------------------------------------------


def test_an_indicator_name_is_unique_within_a_kommun():
    indicator = IndicatorFactory(name="Andel otrygga")
    IndicatorFactory(name="Andel otrygga")  # another kommun
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(municipality=indicator.municipality, name="Andel otrygga")


def test_one_value_per_indicator_and_period():
    value = IndicatorValueFactory(period=datetime.date(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(
            indicator=value.indicator, period=datetime.date(2024, 1, 1), value=1
        )


def test_a_baseline_needs_both_period_and_value():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(baseline_value=Decimal("12"))


def test_a_yearly_value_is_stored_on_the_years_first_day():
    value = IndicatorValueFactory(period=datetime.date(2024, 6, 30))
    value.refresh_from_db()
    assert value.period == datetime.date(2024, 1, 1)
    assert value.period_label == "2024"


def test_periods_and_numbers_in_swedish():
    assert parse_period("2024") == (datetime.date(2024, 1, 1), "year")
    assert parse_period("2024-05-03") == (datetime.date(2024, 5, 3), "day")
    with pytest.raises(ValueError):
        parse_period("maj 2024")
    assert number(Decimal("12.500")) == "12,5"
    assert number(Decimal("3.000")) == "3"


def test_a_value_moves_the_kommun_pages_version(kungalv):
    from pagecache.versions import municipality_scope, versions

    pledge, patrols, *_ = kungalv
    scope = municipality_scope("kungalv")
    before = versions([scope])[scope]
    IndicatorValueFactory(indicator=IndicatorFactory(municipality=pledge.municipality))
    assert versions([scope])[scope] > before


def test_the_chart_places_every_value():
    indicator = IndicatorFactory(target_value=Decimal("10"))
    for year, value in ((2021, "30"), (2022, "20"), (2023, "25")):
        IndicatorValueFactory(indicator=indicator, period=datetime.date(year, 1, 1), value=value)
    indicator.value_list = list(indicator.values.all())
    chart = indicator_chart(indicator)
    assert len(chart["points"]) == 3
    assert chart["x_labels"][0][1] == "2021" and chart["x_labels"][-1][1] == "2023"
    assert chart["target_y"] is not None
    indicator.value_list = []
    assert indicator_chart(indicator) is None


# --- The public pages ----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/kommun/kungalv/", "pledge"])
def test_the_pages_show_problems_their_work_and_figures(client, kungalv, url):
    pledge, patrols, *_ = kungalv
    add_problems(pledge, patrols)
    response = client.get(pledge.get_absolute_url() if url == "pledge" else url)
    text = words(response)
    assert "Problemen som löftet ska minska" in text
    assert "Otrygghet vid resecentrum 0" in text
    assert WORDING in text
    assert "Polisens trygghetsmätning 2024" in text  # the problem's source
    assert "Andel otrygga vid resecentrum 0 (%)" in text
    html = body(response)
    for period, value in (("2020", "30,5"), ("2021", "29,5")):
        assert (
            f'<th scope="row">{period}</th><td class="num">{value} '
            '<span class="badge badge-example">Exempel</span></td>'
            '<td lang="sv"><a href="https://polisen.se/trygghetsmatning"'
        ) in html
    assert patrols.short_label in text.split("Problemen som löftet ska minska")[1]


def test_a_problem_without_an_indicator_says_so(client, kungalv):
    pledge, *_ = kungalv
    ProblemFactory(pledge=pledge, title="Narkotika")
    text = words(client.get("/kommun/kungalv/"))
    assert "Narkotika" in text
    assert "Problemet har ingen indikator i portalen än" in text
    assert "Inget åtagande med mål i löftet är kopplat till problemet" in text


def test_a_loefte_without_problems_has_no_section(client, kungalv):
    assert "Problemen som löftet ska minska" not in body(client.get("/kommun/kungalv/"))


def test_problems_of_another_loefte_are_not_shown(client, kungalv):
    pledge, *_ = kungalv
    ProblemFactory(title="Ett annat löftes problem")
    assert "Ett annat löftes problem" not in body(client.get("/kommun/kungalv/"))


@pytest.mark.parametrize("problems, values", [(1, 1), (6, 12)])
def test_kommun_page_query_count_does_not_grow_with_problems(
    client, kungalv, django_assert_num_queries, problems, values
):
    pledge, patrols, *_ = kungalv
    add_problems(pledge, patrols, problems=problems, values=values)
    with django_assert_num_queries(MUNICIPALITY_PAGE_QUERIES):
        response = client.get("/kommun/kungalv/")
    assert body(response).count('class="card problem"') == problems
    with django_assert_num_queries(PLEDGE_PAGE_QUERIES):
        assert client.get(pledge.get_absolute_url()).status_code == 200


def test_a_new_value_is_shown_at_once(client, kungalv):
    pledge, patrols, *_ = kungalv
    (problem,) = add_problems(pledge, patrols)
    assert "2031" not in words(client.get("/kommun/kungalv/"))
    IndicatorValueFactory(
        indicator=problem.indicators.get(), period=datetime.date(2031, 1, 1), value=12
    )
    assert '<th scope="row">2031</th><td class="num">12</td>' in body(
        client.get("/kommun/kungalv/")
    )


def test_logging_an_activity_updates_the_states_in_the_problems(
    client, kungalv, django_assert_num_queries
):
    from tests.test_pages import MUNICIPALITY_PAGE_AFTER_ACTIVITY

    pledge, patrols, *_ = kungalv
    add_problems(pledge, patrols)
    before = body(client.get("/kommun/kungalv/")).split('class="problem-commitments"')[1]
    assert "badge-achieved" not in before.split("</ul>")[0]
    f.ActivityFactory(commitment=patrols, quantity=500)
    with django_assert_num_queries(MUNICIPALITY_PAGE_AFTER_ACTIVITY):
        html = body(client.get("/kommun/kungalv/"))
    assert "badge-achieved" in html.split('class="problem-commitments"')[1].split("</ul>")[0]


# --- "Nästa löfte" carries the problems over ------------------------------------------------


def test_next_pledge_carries_problems_over_for_review(kungalv):
    from pledges.services import copy_pledge_for_next_period

    pledge, patrols, *_ = kungalv
    area = f.FocusAreaFactory(pledge=pledge, title="Trygg stadskärna")
    (problem,) = add_problems(pledge, patrols)
    problem.focus_areas.add(area)
    new = copy_pledge_for_next_period(
        pledge=pledge,
        start_date=pledge.end_date + datetime.timedelta(days=1),
        end_date=pledge.end_date + datetime.timedelta(days=365),
        user=None,
    )
    (carried,) = new.problems.all()
    assert carried.carried_from == problem
    assert carried.title == problem.title and carried.sources == problem.sources
    assert [c.pledge_id for c in carried.commitments.all()] == [new.pk]
    assert carried.commitments.get().text == patrols.text
    assert carried.focus_areas.get().pledge == new
    assert list(carried.indicators.all()) == list(problem.indicators.all())
    assert new.status == "draft"


def test_a_dialogue_that_brought_up_a_problem_is_one_of_its_sources(client, kungalv):
    pledge, patrols, *_ = kungalv
    (problem,) = add_problems(pledge, patrols)
    dialogue = f.DialogueFactory(
        municipality=pledge.municipality, title="Invånardialog om resecentrum", participants=40
    )
    dialogue.problems.add(problem)
    dialogue.save()  # the many-to-many link alone moves no version yet
    text = words(client.get("/kommun/kungalv/"))
    sources = text.split("Källor:")[1].split("Arbetet som svarar")[0]
    assert "Invånardialog om resecentrum" in sources
    assert "Polisens trygghetsmätning 2024" in sources


def test_the_dialogue_form_offers_the_kommuns_own_problems(kungalv):
    from dialogues.admin import DialogueAdminForm

    pledge, patrols, *_ = kungalv
    (own,) = add_problems(pledge, patrols)
    other = ProblemFactory(title="En annan kommuns problem")
    form = DialogueAdminForm(municipalities=[pledge.municipality_id])
    assert list(form.fields["problems"].queryset) == [own]
    form = DialogueAdminForm(
        data={
            "municipality": pledge.municipality_id,
            "title": "Dialog",
            "date": "2026-03-01",
            "status": "held",
            "format": "meeting",
            "problems": [other.pk],
        },
        municipalities=None,
    )
    assert not form.is_valid()
    assert "problems" in form.errors
