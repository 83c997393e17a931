import csv
import datetime
import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from pledges.models import Municipality, Problem
from tests import reports_data
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    FindingFactory,
    MunicipalityFactory,
    PledgeFactory,
    SafetyWalkFactory,
)
from tests.reports_data import (
    AUTHOR,
    DRAFT_ACTIVITY,
    DRAFT_TITLE,
    SECRET_NOTE,
)

pytestmark = pytest.mark.django_db

LISTS = ["kommuner", "loften", "ataganden", "aktiviteter"]
# The problem picture and its effect indicators (pledges.problems): the versions, the count,
# the page, then what a page embeds: for problems the commitments, focus areas, indicators
# and dialogues (4), for indicators their values and problems (2).
PROBLEM_LISTS = {"problem": 1 + 2 + 4, "indikatorer": 1 + 2 + 2, "indikatorvarden": 1 + 2}
# The content versions (pagecache.pages.public_page), then the endpoint's own queries: its
# total (COUNT) and its page. The activities' total is summed from counts per kommun kept
# in the cache (pledges.figures.count_by_municipality): the kommuner's versions, the löften
# that came due since, then a count of the kommuner that changed. With nothing kept (the
# first request): the versions, the public commitments' kommuner and the activities per
# commitment (reports.selectors.public_activity_counts).
COUNT = {"kommuner": 1, "loften": 1, "ataganden": 1, "aktiviteter": 3}
QUERIES = {"kommuner": 1 + 3, "loften": 1 + 2, "ataganden": 1 + 2, "aktiviteter": 1 + 4}


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def test_index_lists_every_endpoint(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response, data = get_json(client, "/api/v1/")
    assert response.status_code == 200
    assert set(data["endpoints"]) == {
        *LISTS,
        "trygghetsvandringar",
        "iakttagelser",
        "nationellt",
        *PROBLEM_LISTS,
    }
    assert data["endpoints"]["ataganden"]["url"] == "http://testserver/api/v1/ataganden/"
    assert "CC0" in data["licence"]["name"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_list_query_count_is_fixed(client, world, endpoint, django_assert_num_queries):
    with django_assert_num_queries(QUERIES[endpoint]):
        response, first = get_json(client, f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    for _ in range(3):
        commitment = CommitmentFactory(pledge=world["pledge"])
        ActivityFactory.create_batch(2, commitment=commitment)
        PledgeFactory()
    # New kommuner are reference data: every kommun is counted again, in one query.
    with django_assert_num_queries(QUERIES[endpoint]):
        response, second = get_json(client, f"/api/v1/{endpoint}/")
    assert second["count"] > first["count"] or endpoint == "kommuner"


@pytest.mark.parametrize("endpoint", LISTS)
def test_a_lists_total_is_counted_once_per_version(
    client, world, endpoint, django_assert_num_queries
):
    url = f"/api/v1/{endpoint}/"
    _, first = get_json(client, url, per_sida=1)
    assert first["count"] >= 2
    # Another page of the same list: its rows, but the total is known already.
    with django_assert_num_queries(QUERIES[endpoint] - COUNT[endpoint]):
        response, second = get_json(client, url, per_sida=1, sida=2)
    assert response.status_code == 200
    assert second["count"] == first["count"]
    # A parameter that is not a filter (a tracking tag) is another page, the same total.
    with django_assert_num_queries(QUERIES[endpoint] - COUNT[endpoint]):
        response, third = get_json(client, url, per_sida=1, utm_source="nyhetsbrev")
    assert third["count"] == first["count"]
    # A write moves the version: the total is counted again.
    MunicipalityFactory()
    CommitmentFactory(pledge=PledgeFactory(municipality=MunicipalityFactory()))
    ActivityFactory(commitment=CommitmentFactory(pledge=world["pledge"]))
    _, fourth = get_json(client, url, per_sida=1, sida=2)
    assert fourth["count"] > first["count"]


def test_after_a_write_only_its_kommuns_activities_are_counted_again(
    client, world, django_assert_num_queries
):
    other = PledgeFactory(municipality=MunicipalityFactory(slug="annan"))
    ActivityFactory.create_batch(3, commitment=CommitmentFactory(pledge=other))
    _, before = get_json(client, "/api/v1/aktiviteter/")
    ActivityFactory(commitment=CommitmentFactory(pledge=world["pledge"]))
    with django_assert_num_queries(QUERIES["aktiviteter"]) as queries:
        _, after = get_json(client, "/api/v1/aktiviteter/")
    assert after["count"] == before["count"] + 1
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1
    assert world["pledge"].municipality.slug in counts[0] and "'annan'" not in counts[0]


TODAY = datetime.date.today()


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"municipality": "kungalv"},
        {"municipality": "ale"},
        {"police_area": "kungalv-ale"},
        {"start": TODAY},
        {"start": datetime.date(2000, 1, 1), "end": datetime.date(2000, 12, 31)},
    ],
)
def test_every_kommun_counted_at_once_agrees_with_the_rows(world, filters):
    """The first total counts activities per commitment, not the joined rows: both must
    select the same activities (archived commitments, drafts, löften not yet published,
    the place and the dates asked for)."""
    import collections

    from reports import selectors
    from reports.resources import Filters

    ActivityFactory(commitment=CommitmentFactory(pledge=world["pledge"]), date=TODAY)
    archived = CommitmentFactory(pledge=world["pledge"], archived_at=timezone.now())
    ActivityFactory.create_batch(2, commitment=archived, date=TODAY)
    later = PledgeFactory(
        municipality=MunicipalityFactory(slug="senare"),
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    ActivityFactory(commitment=CommitmentFactory(pledge=later), date=TODAY)
    ale = PledgeFactory(municipality=Municipality.objects.get(slug="ale"))
    ActivityFactory.create_batch(3, commitment=CommitmentFactory(pledge=ale), date=TODAY)
    filters = Filters(**filters)
    rows = selectors.public_activity_rows(filters)
    expected = collections.Counter(row["commitment__pledge__municipality__slug"] for row in rows)
    assert selectors.public_activity_counts(filters) == dict(expected)
    assert sum(expected.values()) > 0 or filters.end


def test_the_counts_per_kommun_outlive_the_pages_in_the_cache(client, world):
    """The cache makes way for pages (least recently used first); the counts per kommun
    are kept in the process too, so a total after that is not a count of every activity."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = PledgeFactory(municipality=MunicipalityFactory(slug="annan"))
    ActivityFactory.create_batch(3, commitment=CommitmentFactory(pledge=other))
    _, before = get_json(client, "/api/v1/aktiviteter/")
    cache.clear()
    ActivityFactory(commitment=CommitmentFactory(pledge=world["pledge"]))
    with CaptureQueriesContext(connection) as queries:
        _, after = get_json(client, "/api/v1/aktiviteter/")
    assert after["count"] == before["count"] + 1
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1
    assert f"'{world['pledge'].municipality.slug}'" in counts[0] and "'annan'" not in counts[0]


def test_a_scheduled_publication_is_counted_when_it_comes_without_a_write(
    client, world, monkeypatch
):
    """The total is kept per kommun without the time in its key (a recount of every kommun
    every few minutes): a löfte that becomes public by the clock recounts its kommun only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    moment = timezone.now() + datetime.timedelta(minutes=30)
    scheduled = PledgeFactory(municipality=MunicipalityFactory(slug="tanum"), published_at=moment)
    ActivityFactory.create_batch(2, commitment=CommitmentFactory(pledge=scheduled))
    _, before = get_json(client, "/api/v1/aktiviteter/")
    later = moment + datetime.timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    with CaptureQueriesContext(connection) as queries:
        _, after = get_json(client, "/api/v1/aktiviteter/")
    assert after["count"] == before["count"] + 2
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "'tanum'" in counts[0]
    assert world["pledge"].municipality.slug not in counts[0]


@pytest.mark.parametrize(
    "url",
    [f"/api/v1/{e}/" for e in [*LISTS, "trygghetsvandringar", "iakttagelser"]]
    + [
        "/oppna-data/aktiviteter.csv",
        "/oppna-data/ataganden.csv",
        "/oppna-data/loften.csv",
        "/oppna-data/",
        "/flode/",
        "/kommun/kungalv/flode/",
        "/api/v1/",
    ],
)
def test_no_drafts_internal_notes_or_authors_anywhere_public(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    for marker in (DRAFT_TITLE, DRAFT_ACTIVITY, SECRET_NOTE, AUTHOR, "internal_note", "created_by"):
        assert marker not in text, f"{marker} leaked at {url}"


def test_pledge_published_in_the_future_is_not_yet_public(client, world):
    PledgeFactory(title="FRAMTIDA-LOFTE", published_at=timezone.now() + datetime.timedelta(days=2))
    _r, data = get_json(client, "/api/v1/loften/")
    assert "FRAMTIDA-LOFTE" not in json.dumps(data, ensure_ascii=False)
    assert {p["title"] for p in data["results"]} == {"Trygg i Kungälv", "Trollhättans löfte"}


def test_commitments_carry_progress(client, world):
    _r, data = get_json(client, "/api/v1/ataganden/", kommun="kungalv")
    patrols = next(c for c in data["results"] if c["id"] == world["patrols"].pk)
    progress = patrols["progress"]
    assert progress["target"] == 200
    assert progress["achieved"] == 12
    expected = world["patrols"].progress(achieved=12).expected
    assert progress["expected"] == expected
    assert progress["state"] in ("behind", "on_track")
    assert patrols["url"].endswith(f"/atagande/{world['patrols'].pk}/")


def test_activities_have_public_fields_only(client, world):
    _r, data = get_json(client, "/api/v1/aktiviteter/", kommun="kungalv")
    assert data["count"] == 3
    assert set(data["results"][0]) == {
        "id",
        "date",
        "quantity",
        "place",
        "description",
        "is_example",
        "commitment",
        "pledge",
        "municipality",
    }


def test_filters_by_kommun_police_area_and_period(client, world):
    _r, data = get_json(client, "/api/v1/aktiviteter/", lokalpolisomrade="ostra-fyrbodal")
    assert {a["municipality"] for a in data["results"]} == {"trollhattan"}
    start = world["start"]
    _r, data = get_json(
        client,
        "/api/v1/aktiviteter/",
        kommun="kungalv",
        fran=start.isoformat(),
        till=(start + datetime.timedelta(days=20)).isoformat(),
    )
    assert [a["quantity"] for a in data["results"]] == [5]
    _r, data = get_json(client, "/api/v1/kommuner/", lokalpolisomrade="kungalv-ale")
    assert [m["slug"] for m in data["results"]] == ["ale", "kungalv"]
    _r, data = get_json(client, "/api/v1/loften/", fran="2000-01-01", till="2000-12-31")
    assert data["count"] == 0
    _r, data = get_json(client, "/api/v1/loften/", kommun="finns-inte")
    assert data["count"] == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kommun": "<script>"}, "kortnamn"),
        ({"lokalpolisomrade": "Kungälv Ale"}, "kortnamn"),
        ({"fran": "2025-02-30"}, "ÅÅÅÅ-MM-DD"),
        ({"fran": "2026-05-01", "till": "2026-01-01"}, "före till"),
        ({"sida": "0"}, "1 eller större"),
        ({"sida": "två"}, "heltal"),
        ({"per_sida": "500"}, "mellan 1 och 100"),
    ],
)
@pytest.mark.parametrize("endpoint", [*LISTS, "trygghetsvandringar"])
def test_bad_filters_are_a_swedish_400(client, world, endpoint, params, message):
    if endpoint == "trygghetsvandringar" and set(params) & {"sida", "per_sida"}:
        return
    response, data = get_json(client, f"/api/v1/{endpoint}/", **params)
    assert response.status_code == 400
    assert message in data["error"]


def test_pagination_links(client, world):
    response, first = get_json(client, "/api/v1/aktiviteter/", per_sida=2)
    assert first["count"] == 4 and first["pages"] == 2 and first["previous"] is None
    assert "sida=2" in first["next"] and "per_sida=2" in first["next"]
    response, second = get_json(client, first["next"].replace("http://testserver", ""))
    assert second["next"] is None and "sida=1" in second["previous"]
    ids = [a["id"] for a in first["results"] + second["results"]]
    assert len(set(ids)) == 4
    response, data = get_json(client, "/api/v1/aktiviteter/", sida=3, per_sida=2)
    assert response.status_code == 404
    assert "Sidan finns inte" in data["error"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_conditional_get(client, world, endpoint):
    url = f"/api/v1/{endpoint}/"
    response = client.get(url)
    etag = response["ETag"]
    assert etag.startswith('"')
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    if endpoint != "kommuner":
        modified = response["Last-Modified"]
        assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    ActivityFactory(commitment=world["patrols"])
    PledgeFactory(municipality=world["ale"])
    from tests.factories import MunicipalityFactory

    MunicipalityFactory()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


# --- Trygghetsvandringar and findings -----------------------------------------------------

WALK_LISTS = {"trygghetsvandringar": 1 + 2, "iakttagelser": 1 + 2}


@pytest.mark.parametrize("endpoint", WALK_LISTS)
def test_walk_lists_query_count_is_fixed(
    client, dialogue_world, endpoint, django_assert_num_queries
):
    with django_assert_num_queries(WALK_LISTS[endpoint]):
        response, first = get_json(client, f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    for _ in range(3):
        walk = SafetyWalkFactory(
            municipality=dialogue_world["ale"], status="held", commitment=dialogue_world["walk"]
        )
        FindingFactory.create_batch(2, walk=walk)
    with django_assert_num_queries(WALK_LISTS[endpoint]):
        response, second = get_json(client, f"/api/v1/{endpoint}/")
    assert second["count"] > first["count"]


def test_walks_carry_public_fields_and_finding_counts(client, dialogue_world):
    _r, data = get_json(client, "/api/v1/trygghetsvandringar/", kommun="kungalv")
    by_area = {w["area"]: w for w in data["results"]}
    # Held and planned only: the cancelled walk is not public; Trollhättan is filtered out.
    assert set(by_area) == {"Ytterby centrum", "Kode", "Komarken"}
    held = by_area["Ytterby centrum"]
    assert held["status"] == "held" and held["participants"] == 12
    assert held["findings"] == {"total": 4, "fixed": 1, "open": 2, "declined": 1}
    assert held["commitment"] == dialogue_world["walk"].pk
    assert held["report"] == "Belysningen behöver ses över."
    assert held["url"] == "http://testserver" + dialogue_world["held_walk"].get_absolute_url()
    assert held["is_example"] is False and by_area["Komarken"]["is_example"] is True
    assert not {"signups", "people_signed_up", "name", "email"} & set(held)


def test_a_walk_under_a_draft_pledge_does_not_reveal_the_commitment(client, dialogue_world):
    from tests.factories import CommitmentFactory as Commitments

    draft_commitment = Commitments(pledge=dialogue_world["draft"])
    SafetyWalkFactory(
        municipality=dialogue_world["kungalv"], area="Utkastvandring", commitment=draft_commitment
    )
    _r, data = get_json(client, "/api/v1/trygghetsvandringar/", kommun="kungalv")
    walk = next(w for w in data["results"] if w["area"] == "Utkastvandring")
    assert walk["commitment"] is None


def test_findings_of_held_walks(client, dialogue_world):
    _r, data = get_json(client, "/api/v1/iakttagelser/", kommun="kungalv")
    assert data["count"] == 4
    statuses = sorted(f["status"] for f in data["results"])
    assert statuses == ["declined", "fixed", "open", "open"]
    declined = next(f for f in data["results"] if f["status"] == "declined")
    assert declined["declined_reason"] == "Privat mark."
    fixed = next(f for f in data["results"] if f["status"] == "fixed")
    assert fixed["place"] == reports_data.FINDING_MARKER and fixed["fixed_on"]
    assert all(f["walk"] == dialogue_world["held_walk"].pk for f in data["results"])


def test_walks_and_findings_filter_by_police_area_and_period(client, dialogue_world):
    start = dialogue_world["start"]
    _r, data = get_json(client, "/api/v1/trygghetsvandringar/", lokalpolisomrade="ostra-fyrbodal")
    assert [w["area"] for w in data["results"]] == ["Trollhättans centrum"]
    day = (start + datetime.timedelta(days=5)).isoformat()
    _r, data = get_json(
        client, "/api/v1/trygghetsvandringar/", kommun="kungalv", fran=day, till=day
    )
    assert [w["area"] for w in data["results"]] == ["Ytterby centrum"]
    later = (start + datetime.timedelta(days=6)).isoformat()
    _r, data = get_json(client, "/api/v1/iakttagelser/", kommun="kungalv", fran=later)
    assert data["count"] == 0
    response, data = get_json(client, "/api/v1/iakttagelser/", fran="2026-13-01")
    assert response.status_code == 400 and "ÅÅÅÅ-MM-DD" in data["error"]


@pytest.mark.parametrize("endpoint", WALK_LISTS)
def test_walk_lists_conditional_get(client, dialogue_world, endpoint):
    url = f"/api/v1/{endpoint}/"
    response = client.get(url)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    # A finding fixed later changes both validators, although its walk is untouched.
    import time

    time.sleep(1.1)
    finding = dialogue_world["held_walk"].findings.filter(status="open").first()
    finding.status = "fixed"
    finding.fixed_on = datetime.date.today()
    finding.save()
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 200


LEAK_URLS = [
    "/api/v1/trygghetsvandringar/",
    "/api/v1/iakttagelser/",
    "/api/v1/kommuner/",
    "/api/v1/aktiviteter/",
    "/oppna-data/trygghetsvandringar.csv",
    "/oppna-data/iakttagelser.csv",
    "/oppna-data/aktiviteter.csv",
    "/oppna-data/",
    "/flode/",
    "/kommun/kungalv/flode/",
    "/kommun/trollhattan/flode/",
]


@pytest.mark.parametrize("url", LEAK_URLS)
def test_no_sign_up_or_synpunkt_data_anywhere_public(client, dialogue_world, url):
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    for marker in reports_data.PERSONAL_MARKERS:
        assert marker not in text, f"{marker} leaked at {url}"


# --- /oppna-data/ and CSV downloads -----------------------------------------------------


def test_open_data_page_documents_the_api(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/oppna-data/")
    assert response.status_code == 200
    text = response.text
    assert "CC0 1.0" in text
    for path in (
        "/api/v1/",
        "/api/v1/ataganden/",
        "/oppna-data/aktiviteter.csv",
        "/oppna-data/trygghetsvandringar.csv",
        "/oppna-data/iakttagelser.csv",
        "/api/v1/trygghetsvandringar/",
        "/api/v1/iakttagelser/",
        "/api/v1/problem/",
        "/api/v1/indikatorer/",
        "/oppna-data/indikatorvarden.csv",
        "is_example",
        "/flode/",
        "ETag",
        "sida",
        "lokalpolisomrade",
    ):
        assert path in text
    assert 'type="application/atom+xml"' in text


@pytest.mark.parametrize(
    "name",
    [
        "aktiviteter",
        "ataganden",
        "loften",
        "trygghetsvandringar",
        "iakttagelser",
        "problem",
        "indikatorer",
        "indikatorvarden",
    ],
)
def test_csv_downloads_stream_swedish_csv(client, dialogue_world, name, django_assert_num_queries):
    # The content versions (validators), the rows; for problems and indicators what each
    # chunk of rows embeds (pledges.problems: 4 and 2 per chunk).
    embedded = {"problem": 4, "indikatorer": 2}.get(name, 0)
    with django_assert_num_queries(1 + 1 + embedded):
        response = client.get(f"/oppna-data/{name}.csv", {"kommun": "kungalv"})
        assert isinstance(response, StreamingHttpResponse)
        body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "id"
    assert len(rows) > 1
    assert all("trollhattan" not in row for row in rows)


def test_csv_download_rejects_bad_filters(client, db):
    response = client.get("/oppna-data/aktiviteter.csv", {"fran": "nej"})
    assert response.status_code == 400
    assert "ÅÅÅÅ-MM-DD" in json.loads(response.content)["error"]


# --- One record: /api/v1/<name>/<id>/ ---------------------------------------------------------


def test_one_record_is_as_in_the_list(client, world, django_assert_num_queries):
    _, listed = get_json(client, "/api/v1/aktiviteter/")
    record = listed["results"][0]
    # The content versions, the record (with its commitment, löfte and kommun).
    with django_assert_num_queries(2):
        response, data = get_json(client, f"/api/v1/aktiviteter/{record['id']}/")
    assert response.status_code == 200
    assert data == record
    assert response["Access-Control-Allow-Origin"] == "*"
    assert (
        client.get(
            f"/api/v1/aktiviteter/{record['id']}/", headers={"if-none-match": response["ETag"]}
        ).status_code
        == 304
    )
    _, kommun = get_json(client, "/api/v1/kommuner/1482/")
    assert kommun["name"] == "Kungälv"


@pytest.mark.parametrize(
    "endpoint", [*LISTS, "trygghetsvandringar", "iakttagelser", *PROBLEM_LISTS]
)
def test_every_resource_has_records_of_its_own(client, world, dialogue_world, endpoint):
    _, listed = get_json(client, f"/api/v1/{endpoint}/")
    record = listed["results"][0]
    value = record.get("id", record.get("code"))
    response, data = get_json(client, f"/api/v1/{endpoint}/{value}/")
    assert response.status_code == 200
    assert data == record


def test_a_record_that_is_not_public_is_not_found(client, world):
    from pledges.models import Activity, Commitment, Pledge

    draft = Pledge.objects.get(title=DRAFT_TITLE)
    hidden = {
        "loften": draft.pk,
        "ataganden": Commitment.objects.filter(pledge=draft).first().pk,
        "aktiviteter": Activity.objects.get(description=DRAFT_ACTIVITY).pk,
    }
    for endpoint, pk in hidden.items():
        response, data = get_json(client, f"/api/v1/{endpoint}/{pk}/")
        assert response.status_code == 404
        assert data == {"error": "Posten finns inte eller är inte offentlig."}
    for url in ("/api/v1/aktiviteter/abc/", "/api/v1/kommuner/9999/"):
        response, data = get_json(client, url)
        assert response.status_code == 404 and "error" in data


# --- Problems and effect indicators -----------------------------------------------------------


@pytest.mark.parametrize("endpoint", PROBLEM_LISTS)
def test_problem_lists_query_count_is_fixed(client, world, endpoint, django_assert_num_queries):
    from tests.problem_factories import IndicatorFactory, IndicatorValueFactory, ProblemFactory

    with django_assert_num_queries(PROBLEM_LISTS[endpoint]):
        response, first = get_json(client, f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    for _ in range(3):
        problem = ProblemFactory(pledge=world["pledge"], commitments=[world["patrols"]])
        indicator = IndicatorFactory(municipality=world["kungalv"], problems=[problem])
        IndicatorValueFactory.create_batch(3, indicator=indicator)
    with django_assert_num_queries(PROBLEM_LISTS[endpoint]):
        response, second = get_json(client, f"/api/v1/{endpoint}/")
    assert second["count"] > first["count"]


def test_problems_carry_their_work_and_indicators(client, world):
    _r, data = get_json(client, "/api/v1/problem/", kommun="kungalv")
    (problem,) = data["results"]
    assert problem["title"] == "Otrygghet på Nordmannatorget"
    assert problem["places"] == [{"name": "Nordmannatorget"}]
    assert problem["sources"] == [{"name": "Trygghetsmätningen 2025"}]
    assert problem["commitments"] == [{"id": world["patrols"].pk}]
    assert problem["indicators"] == [
        {"id": world["indicator"].pk, "name": "Andel otrygga på Nordmannatorget"}
    ]
    assert problem["url"].endswith(f"#problem-{problem['id']}")
    assert problem["dialogues"] == []


def test_indicators_embed_their_values_with_examples_marked(client, world):
    _r, data = get_json(client, "/api/v1/indikatorer/", kommun="kungalv")
    (indicator,) = data["results"]
    assert indicator["unit"] == "%"
    assert indicator["direction"] == "lower"
    first, second = indicator["values"]
    assert first["value"] == 31.5 and first["is_example"] is True
    assert second["value"] == 28 and second["is_example"] is False
    assert second["source"] == "https://example.se/matning"
    assert first["period_label"] == str(world["start"].year - 1)
    assert indicator["problems"] == [{"id": world["problem"].pk}]


def test_indicator_values_csv_marks_examples(client, world):
    response = client.get("/oppna-data/indikatorvarden.csv", {"kommun": "kungalv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0] == [
        "id",
        "kommun",
        "indikator_id",
        "indikator",
        "enhet",
        "period",
        "varde",
        "kalla",
        "kommentar",
        "exempel",
    ]
    marked = {(row[5], row[6], row[-1]) for row in rows[1:]}
    year = world["start"].year
    assert marked == {(str(year - 1), "31,5", "Ja"), (str(year), "28", "Nej")}


def test_draft_problems_and_indicators_are_not_public(client, world):
    for endpoint in PROBLEM_LISTS:
        _r, data = get_json(client, f"/api/v1/{endpoint}/")
        assert DRAFT_TITLE not in json.dumps(data, ensure_ascii=False), endpoint
    for endpoint, obj in (("problem", "draft_problem"), ("indikatorer", "draft_indicator")):
        response = client.get(f"/api/v1/{endpoint}/{world[obj].pk}/")
        assert response.status_code == 404


def test_a_problems_dialogues_are_among_its_sources(client, world):
    from tests.factories import DialogueFactory

    dialogue = DialogueFactory(
        municipality=world["kungalv"],
        title="Invånardialog om torget",
        date=datetime.date(2026, 3, 1),
    )
    dialogue.problems.add(Problem.objects.get(title="Otrygghet på Nordmannatorget"))
    _r, data = get_json(client, "/api/v1/problem/", kommun="kungalv")
    assert data["results"][0]["dialogues"] == [
        {"title": "Invånardialog om torget", "date": "2026-03-01", "is_example": False}
    ]
