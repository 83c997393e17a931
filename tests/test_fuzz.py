"""Property-based fuzzing of every public URL and every public form (hypothesis).

The URLs come from walking the URL configuration (tests/urlwalk.py), so a page added later
is fuzzed without anyone listing it. The forms are discovered by reading each page's HTML:
every `<form method="post">` gets random and hostile values for its fields, and every public
URL also gets a POST of random fields. The bar: never a 5xx, and nothing saved by a request
that was refused (row counts of every model are compared).
"""

from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.urlwalk import FormParser, fill_route, public_routes

ROUTES = [route for route, _entry in public_routes()]

FUZZ_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        # Forms with many fields (the synpunkt form) draw a lot of hostile text per example.
        HealthCheck.data_too_large,
    ],
    database=None,
)

# Rows that a refused request may legitimately leave behind: sessions, lockout and audit.
IGNORED_MODELS = {
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "accounts.signinattempt",
    # Abuse protection records refused posts on purpose (rate limit, replayed tokens).
    "dialogues.formattempt",
    "dialogues.usedformtoken",
}

HOSTILE_TEXT = st.sampled_from(
    [
        "",
        "\x00",
        "a\x00b",
        "%",
        "%00",
        "%zz",
        "' OR '1'='1' --",
        "1; DROP TABLE pledges_pledge; --",
        '"><script>alert(1)</script>',
        "<img src=x onerror=alert(1)>",
        "{{ settings.SECRET_KEY }}",
        "{% debug %}",
        "../../../../etc/passwd",
        "\u202eevil\u202c",
        "😀" * 50,
        "ÅÄÖåäö",
        "-1",
        "0",
        "99999999999999999999999999",
        "1e309",
        "NaN",
        "2026-02-30",
        "9999-12-31",
        "true",
        "null",
        "x" * 5000,
        "\r\nSet-Cookie: evil=1",
    ]
)
TEXT = st.one_of(HOSTILE_TEXT, st.text(max_size=200), st.text(min_size=1000, max_size=3000))
KEYS = st.one_of(
    st.sampled_from(["q", "page", "sort", "next", "year", "kommun", "format", "id", "lang"]),
    st.text(max_size=20),
)
# Raw query-string fragments: broken percent-encoding, odd separators, repeated keys.
RAW_QUERY = st.text(alphabet="%&=+;?#[]abcxyz0123456789ABCDEFfe-_.~'\"<>", max_size=300)


@pytest.fixture
def seed_like_data(db):
    """A kommun, police area, published löfte, commitment and activity, as in the seeds."""
    municipality = factories.MunicipalityFactory(code="1482", name="Kungälv", slug="kungalv")
    area = factories.PoliceAreaFactory(
        name="Kungälv/Ale", slug="kungalv", municipalities=[municipality]
    )
    pledge = factories.PledgeFactory(municipality=municipality, police_area=area, slug="2025")
    commitment = factories.CommitmentFactory(pledge=pledge)
    factories.ActivityFactory(commitment=commitment)
    return {"slug": "kungalv", "pledge_slug": pledge.slug, "pk": commitment.pk}


def row_counts():
    """The row count of every table (models and many-to-many tables), in one query."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.label_lower not in IGNORED_MODELS
            and not model._meta.proxy
            and model._meta.managed
        }
    )
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


COMMON_KEYS = ["q", "page", "sort", "next", "year", "kommun", "format", "id", "lang", "status"]


def every_common_key(value):
    return [(key, value) for key in COMMON_KEYS]


@pytest.mark.parametrize("route", ROUTES)
@FUZZ_SETTINGS
@given(pairs=st.lists(st.tuples(KEYS, TEXT), max_size=8), raw=RAW_QUERY)
# Always tried, whatever hypothesis draws: the classic breakers of hand-written views.
@example(pairs=every_common_key("a\x00b"), raw="%00")
@example(pairs=every_common_key("x" * 5000), raw="%zz&%&==&")
@example(pairs=every_common_key("-1"), raw="page=0&page=1")
@example(pairs=every_common_key("99999999999999999999999"), raw="year=1e309")
@example(pairs=every_common_key("' OR 1=1 --"), raw="q=%3Cscript%3E")
@example(pairs=every_common_key("2026-02-30"), raw="")
def test_hostile_query_strings_never_give_a_5xx(client, seed_like_data, route, pairs, raw):
    url = fill_route(route, seed_like_data)
    query = urlencode(pairs) + "&" + raw if pairs else raw
    response = client.get(url, QUERY_STRING=query)
    assert response.status_code < 500, (url, query[:200])


# Forms already fuzzed from another page (the language form is in every page's footer).
_SEEN_FORMS = set()


def post_targets(client, url):
    """(action URL, field names, file field names) for the page's POST forms, and the
    page itself with no known fields (random fields are posted to every public URL)."""
    targets = [(url, (), ())]
    response = client.get(url)
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        parser = FormParser()
        parser.feed(response.text)
        for form in parser.forms:
            action = urlsplit(form["action"]).path or url
            target = (action, tuple(sorted(form["fields"])), tuple(sorted(form["files"])))
            if action.startswith("/") and target not in _SEEN_FORMS:
                _SEEN_FORMS.add(target)
                targets.append(target)
    return targets


@pytest.fixture
def targets_by_url(settings):
    # The database is not reset between hypothesis examples: without this the rate limit
    # would change the answers from one example to the next and make the run flaky.
    settings.FORM_RATE_LIMIT = (1_000_000, 60 * 60)
    return {}


@pytest.mark.parametrize("route", ROUTES)
@FUZZ_SETTINGS
@given(data=st.data())
def test_hostile_posts_never_give_a_5xx_nor_save_anything(
    client, seed_like_data, targets_by_url, route, data
):
    url = fill_route(route, seed_like_data)
    if url not in targets_by_url:
        targets_by_url[url] = post_targets(client, url)
    for action, fields, files in targets_by_url[url]:
        payload = {name: data.draw(TEXT, label=name) for name in fields}
        payload.update(data.draw(st.dictionaries(KEYS, TEXT, max_size=5), label="extra"))
        for name in files:
            payload[name] = SimpleUploadedFile(
                data.draw(st.sampled_from(["x.pdf", "x.jpg", "../../x.html", "x"])),
                data.draw(st.binary(max_size=2000)),
            )
        before = row_counts()
        response = client.post(action, payload)
        assert response.status_code < 500, (action, payload)
        if response.status_code not in (301, 302, 303):
            # Refused or re-shown with errors: nothing may have been saved.
            assert row_counts() == before, (action, response.status_code)


# --- The hostile inputs of the production replay, on every public URL and form ----------
# Not drawn at random: each is always tried, on SQLite and on PostgreSQL (where an id out of
# bigint's range, NUL in text and an over-long username fail in the database).

HOSTILE_IDS = ["²", "١٢", "１", "abc", "-1", "99999999999999999999999", "1e3", "%00"]
ID_CONVERTERS = ("id", "int", "str")


def _route_with(route, value):
    """`route` with every id-like parameter set to `value` (others as in the seeds)."""
    import re

    def replace(match):
        converter, name = match["converter"] or "str", match["name"]
        if converter in ID_CONVERTERS and name not in ("slug", "pledge_slug", "token"):
            return value
        return match[0]

    return re.sub(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>", replace, route)


ID_ROUTES = [route for route in ROUTES if _route_with(route, "X") != route]


@pytest.mark.parametrize("route", ID_ROUTES)
def test_ids_that_are_not_ascii_digits_never_give_a_5xx(client, seed_like_data, route):
    failures = {}
    for value in HOSTILE_IDS:
        url = fill_route(_route_with(route, value), seed_like_data)
        response = client.get(url)
        if response.status_code >= 500:
            failures[url] = response.status_code
    assert failures == {}


HOSTILE_QUERY_IDS = {"uppfoljning": "²", "sida": "99999999999999999999", "id": "１"}


@pytest.mark.parametrize("route", ROUTES)
def test_hostile_id_parameters_and_charsets_never_give_a_5xx(
    client, seed_like_data, targets_by_url, route
):
    url = fill_route(route, seed_like_data)
    for key, value in HOSTILE_QUERY_IDS.items():
        assert client.get(url, {key: value}).status_code < 500, (url, key)
    if url not in targets_by_url:
        targets_by_url[url] = post_targets(client, url)
    for action, fields, _files in targets_by_url[url]:
        before = row_counts()
        payload = dict.fromkeys(fields, "+2D3-") | {"username": "u" * 300}
        body = urlencode(payload).encode()
        for content_type in (
            "application/x-www-form-urlencoded; charset=utf-7",
            "application/x-www-form-urlencoded",
        ):
            response = client.post(action, body, content_type=content_type)
            assert response.status_code < 500, (action, content_type)
        assert row_counts() == before, action
