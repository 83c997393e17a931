import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db.models.query import QuerySet
from django.http import StreamingHttpResponse

from pledges.models import Pledge
from reports import exports, periods, sections
from reports.admin_actions import export_follow_up
from tests import reports_data
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    FeedbackFactory,
    FindingFactory,
    SafetyWalkFactory,
    UserFactory,
)
from tests.problem_factories import IndicatorFactory, IndicatorValueFactory, ProblemFactory
from tests.reports_data import AUTHOR, DRAFT_ACTIVITY, SECRET_NOTE, login
from tests.xlsx_reader import excel_date, read_xlsx, sheet_layout, table_after

pytestmark = pytest.mark.django_db

COMMITMENT_NUMBERS = slice(4, 9)  # target, in period, total, expected, percent


def report_url(pledge, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/rapporter/lofte/{pledge.pk}/?{query}"


def read_csv(body):
    """One CSV file: UTF-8 with BOM, semicolons, one table with one width on every row."""
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert len({len(row) for row in rows}) == 1, "a CSV holds one table of one width"
    return rows


def csv_rows(response):
    """The report's CSV (a ZIP with one CSV per table) as {the table's name: rows}, the
    name being the end of the file name ("ataganden", "per-manad", ...)."""
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {
        re.sub(r"^(.*/)?\d\d-", "", name.removesuffix(".csv")): read_csv(archive.read(name))
        for name in archive.namelist()
    }


def csv_table(tables, name):
    """(header, data rows) of one table of csv_rows()."""
    rows = tables[name]
    return rows[0], rows[1:]


def number(text):
    """A CSV or HTML number back to a value: Swedish decimal comma, no-break spaces."""
    if text in ("", "–", None):
        return None
    if isinstance(text, (int, float)):
        return text
    text = text.replace("\u00a0", "")
    return Decimal(text.replace(",", ".")) if "," in text else int(text)


# --- Access ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world):
    for url in ("/rapporter/", report_url(world["pledge"]), "/rapporter/oversikt/?niva=land"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")


def test_logged_in_non_staff_is_refused(client, world):
    login(client, UserFactory(is_staff=False))
    assert client.get("/rapporter/").status_code == 403
    assert client.get(report_url(world["pledge"])).status_code == 403


@pytest.mark.parametrize("fmt", ["html", "csv", "xlsx", "pdf"])
def test_staff_outside_the_kommun_get_404_like_missing_and_no_data(client, world, fmt):
    login(client, world["police_user"])
    response = client.get(report_url(world["other"], format=fmt))
    assert response.status_code == 404
    assert "Trollhättans åtagande" not in response.text
    login(client, world["coordinator"])
    assert client.get(report_url(world["pledge"], format=fmt)).status_code == 404


def test_unknown_pledge_is_404(client, world):
    login(client, world["superuser"])
    assert client.get("/rapporter/lofte/999999/").status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"format": "doc"}, "Okänt format"),
        ({"fran": "2025-13-01"}, "ÅÅÅÅ-MM-DD"),
        ({"till": "igår"}, "ÅÅÅÅ-MM-DD"),
        ({"fran": "2026-06-01", "till": "2026-01-01"}, "börja innan"),
    ],
)
def test_bad_parameters_are_a_swedish_400(client, world, params, message):
    login(client, world["police_user"])
    response = client.get(report_url(world["pledge"], **params))
    assert response.status_code == 400
    assert message in response.text


# --- The chooser -------------------------------------------------------------------------


def test_chooser_offers_only_the_users_scope(client, world, django_assert_num_queries):
    login(client, world["police_user"])
    with django_assert_num_queries(6):  # session, user, pledges, rounds, kommuner, LPOs
        response = client.get("/rapporter/")
    assert response.status_code == 200
    text = response.text
    assert f'value="lofte:{world["pledge"].pk}"' in text
    assert 'value="kommun:ale"' in text
    assert 'value="lpo:kungalv-ale"' in text
    assert "Trollhättan" not in text
    assert 'value="land"' not in text
    assert 'value="lan:' not in text


def test_chooser_offers_the_nation_to_superusers(client, world):
    login(client, world["superuser"])
    text = client.get("/rapporter/").text
    assert 'value="land"' in text
    assert f'value="lofte:{world["other"].pk}"' in text


def test_chooser_redirects_to_the_report(client, world):
    login(client, world["police_user"])
    pledge = world["pledge"]
    response = client.get(
        "/rapporter/", {"omfattning": f"lofte:{pledge.pk}", "period": "hela", "format": "xlsx"}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"/rapporter/lofte/{pledge.pk}/?format=xlsx&fran={pledge.start_date.isoformat()}"
        f"&till={pledge.end_date.isoformat()}"
    )
    response = client.get(
        "/rapporter/",
        {
            "omfattning": "lpo:kungalv-ale",
            "period": "egen",
            "fran": "2026-01-01",
            "till": "2026-03-31",
            "format": "csv",
        },
    )
    assert response["Location"] == (
        "/rapporter/oversikt/?niva=lpo&id=kungalv-ale&format=csv&fran=2026-01-01&till=2026-03-31"
    )


def test_chooser_rejects_what_is_out_of_scope_or_incomplete(client, world):
    login(client, world["police_user"])
    response = client.get(
        "/rapporter/", {"omfattning": "kommun:trollhattan", "period": "halvar", "format": "html"}
    )
    assert response.status_code == 400
    assert "giltigt val" in response.text or "Välj ett giltigt" in response.text
    response = client.get(
        "/rapporter/", {"omfattning": "kommun:ale", "period": "egen", "format": "html"}
    )
    assert response.status_code == 400
    assert "Fyll i både från och till" in response.text
    response = client.get(
        "/rapporter/", {"omfattning": "kommun:ale", "period": "hela", "format": "html"}
    )
    assert "kan bara väljas för ett enskilt löfte" in response.text


def test_period_presets():
    today = datetime.date(2026, 11, 24)
    assert periods.preset_period("halvar", today=today) == periods.Period(
        datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)
    )
    assert periods.preset_period("forra-halvaret", today=today) == periods.Period(
        datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
    )
    assert periods.preset_period("forra-halvaret", today=datetime.date(2026, 3, 1)) == (
        periods.Period(datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
    )
    assert periods.preset_period("ar-2024", today=today).end == datetime.date(2024, 12, 31)
    with pytest.raises(periods.PeriodError):
        periods.preset_period("ar-abc", today=today)


# --- Same numbers in every format ---------------------------------------------------------


def test_every_format_carries_the_same_numbers(client, world):
    login(client, world["police_user"])
    pledge = world["pledge"]
    start = world["start"]
    params = {"fran": start.isoformat(), "till": (start + datetime.timedelta(days=20)).isoformat()}

    html = client.get(report_url(pledge, format="html", **params))
    assert html.status_code == 200
    context = {s.key: s for s in html.context["sections"]}
    html_commitments = [row[COMMITMENT_NUMBERS] for row in context["commitments"].rows]
    html_months = [[str(month), *rest] for month, *rest in context["months"].rows]
    # What the page shows is what the context holds.
    for row in context["commitments"].rows:
        assert f'<th scope="row">{row[0]}</th>' in html.text or row[0] == ""
        for value in row[COMMITMENT_NUMBERS]:
            assert exports.display_cell(value) in html.text

    rows = csv_rows(client.get(report_url(pledge, format="csv", **params)))
    header, data = csv_table(rows, "ataganden")
    assert header[4:9] == [
        "Mål för hela löftet",
        "Uppnått i perioden",
        "Uppnått totalt",
        "Förväntat vid periodens slut",
        "Andel av målet (%)",
    ]
    csv_commitments = [[number(v) for v in row[COMMITMENT_NUMBERS]] for row in data]
    _h, month_data = csv_table(rows, "per-manad")
    csv_months = [[row[0], number(row[1]), number(row[2])] for row in month_data]

    response = client.get(report_url(pledge, format="xlsx", **params))
    assert response.status_code == 200
    xlsx = b"".join(response.streaming_content)
    sheets, formulas = read_xlsx(xlsx)
    assert list(sheets) == [
        "Sammanfattning",
        "Åtaganden",
        "Problem och effekter",
        "Per månad",
        "Per månad och plats",
        "Aktiviteter",
        "Trygghetsvandringar",
        "Synpunkter",
        "Medborgardialoger",
    ]
    assert formulas == 0
    _h, xlsx_data = table_after(sheets["Åtaganden"], "Åtaganden")
    xlsx_commitments = [
        [
            Decimal(str(v)).quantize(Decimal("0.1")) if isinstance(v, float) else v
            for v in (row + [None] * 12)[COMMITMENT_NUMBERS]
        ]
        for row in xlsx_data
    ]
    _h, xlsx_month_rows = table_after(sheets["Per månad"], "Genomförda insatser per månad")
    xlsx_months = [[excel_date(r[0]).strftime("%Y-%m"), *r[1:3]] for r in xlsx_month_rows]
    # A spreadsheet: one table per sheet, its header row frozen and filtered, months and
    # dates as real dates in Swedish formats, columns as wide as their content.
    months_layout = sheet_layout(xlsx, "Per månad")
    header_row = 4  # below the title, the report and the header row
    assert months_layout["frozen"] == f"A{header_row}"
    assert months_layout["autofilter"].startswith(f"A{header_row - 1}:C")
    assert "yyyy-mm" in months_layout["formats"]
    activities_layout = sheet_layout(xlsx, "Aktiviteter")
    assert "yyyy-mm-dd" in activities_layout["formats"]
    assert activities_layout["autofilter"] and activities_layout["frozen"]
    assert len(set(sheet_layout(xlsx, "Åtaganden")["widths"])) > 2

    assert html_commitments == csv_commitments == xlsx_commitments
    assert html_months == csv_months == xlsx_months
    # The numbers themselves: 5 patrols in the first 20 days; 12 in total would include
    # the second month, which lies after this period.
    patrols = html_commitments[0]
    assert patrols[0] == 200 and patrols[1] == 5 and patrols[2] == 5
    assert patrols[4] == Decimal("2.5")
    assert [row[0] for row in html_months] == [start.strftime("%Y-%m")]

    pdf = client.get(report_url(pledge, format="pdf", **params))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_pdf_is_tagged_with_title_language_and_embedded_dejavu(world):
    pledge = world["pledge"]
    report = sections.pledge_report(pledge, periods.Period(pledge.start_date, pledge.end_date))
    pdf = exports.report_pdf_bytes(report, uncompressed=True)
    assert pdf.startswith(b"%PDF-1.7")
    # The title names the löfte and the period reported.
    assert report.title.startswith("Uppföljning: Trygg i Kungälv – ")
    assert report.title.endswith(report.document.report_period_words)
    title = report.title.encode("utf-16-be").hex()
    assert f"/Title <feff{title}>".encode() in pdf
    assert b"/StructTreeRoot" in pdf
    assert b"/Lang (sv)" in pdf
    assert b"DejaVu" in pdf


def test_pdf_fetches_nothing_but_our_static_files(world, tmp_path):
    fetcher = exports.pdf_fetcher()
    css = exports.static_roots()[0] / "css" / "reports.css"
    assert b"@page" in fetcher.fetch(css.as_uri()).read()
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    for url in ("http://example.com/x.css", secret.as_uri(), "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_whole_period_numbers_and_states(client, world):
    login(client, world["police_user"])
    html = client.get(report_url(world["pledge"]))
    rows = {s.key: s for s in html.context["sections"]}["commitments"].rows
    patrols, controls, walk = rows
    assert patrols[4:7] == [200, 12, 12]
    assert patrols[9] in ("Efter plan", "I fas", "Uppnått")
    assert "Fler kvällspass." in patrols[10]
    assert controls[4] == 12  # once a month over a year
    assert walk[4] is None and walk[8] is None
    assert "Vårens uppföljning" in patrols[10]


# --- Exports: safe, streamed, constant memory, no leaks -----------------------------------


def test_formula_injection_is_escaped_in_csv_and_xlsx(client, world):
    login(client, world["police_user"])
    pledge = world["pledge"]
    tables = csv_rows(client.get(report_url(pledge, format="csv")))
    cells = [c for rows in tables.values() for row in rows for c in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert "'-Väg 168" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    sheets, formulas = read_xlsx(
        b"".join(client.get(report_url(pledge, format="xlsx")).streaming_content)
    )
    assert formulas == 0
    cells = [v for row in sheets["Åtaganden"] for v in row if isinstance(v, str)]
    assert any(v.startswith("'=HYPERLINK") for v in cells)
    assert not any(v.startswith("=") for v in cells)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+46", "'+46"), ("-x", "'-x"), ("@SUM", "'@SUM"), ("ok", "ok")],
)
def test_safe_text(value, expected):
    from pledges.csvstream import safe_text

    assert safe_text(value) == expected


def test_csv_is_swedish_and_streams_with_iterator(client, world, monkeypatch):
    calls = []
    original = QuerySet.iterator

    def spy(self, chunk_size=None):
        calls.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    login(client, world["police_user"])
    response = client.get(report_url(world["pledge"], format="csv", tabell="activities"))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    activities = read_csv(b"".join(response.streaming_content))
    assert calls and all(size for size in calls)
    assert activities[0][0] == "Datum" and len(activities) == 1 + 3
    rows = csv_rows(client.get(report_url(world["pledge"], format="csv")))
    _h, data = csv_table(rows, "ataganden")
    assert data[0][8] == "6,0"  # 12 of 200, decimal comma: as "6,0 %" in the PDF
    unknown = client.get(report_url(world["pledge"], format="csv", tabell="okand"))
    assert unknown.status_code == 400 and "Okänd tabell" in unknown.text


def test_xlsx_is_written_in_constant_memory_mode(client, world, monkeypatch):
    import xlsxwriter

    options = []
    original = xlsxwriter.Workbook.__init__

    def spy(self, filename=None, opts=None):
        options.append(opts)
        original(self, filename, opts)

    monkeypatch.setattr(xlsxwriter.Workbook, "__init__", spy)
    login(client, world["police_user"])
    response = client.get(report_url(world["pledge"], format="xlsx"))
    assert response.status_code == 200
    assert options[0]["constant_memory"] is True


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html"])
def test_staff_exports_leave_out_internal_notes_and_authors(client, world, fmt):
    login(client, world["police_user"])
    response = client.get(report_url(world["pledge"], format=fmt))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        body = str(read_xlsx(body)[0]).encode()
    assert SECRET_NOTE.encode() not in body
    assert AUTHOR.encode() not in body
    assert DRAFT_ACTIVITY.encode() not in body  # another löfte's activity


def test_report_query_count_does_not_grow_with_data(client, world, django_assert_num_queries):
    login(client, world["police_user"])
    pledge = world["pledge"]
    # session, user, pledge within the scope; signatories, contacts, extensions, follow-ups,
    # focus areas, closing decisions, notes; commitments, partners, months and places, walks,
    # synpunkter per category, dialogues; months; the problems, the commitments and focus
    # areas answering them, their indicators and values, the answering commitments' sums and
    # the dialogues that brought them up (reports.problems: 7)
    with django_assert_num_queries(17 + 7):
        client.get(report_url(pledge))
    for _ in range(3):
        commitment = CommitmentFactory(pledge=pledge)
        ActivityFactory.create_batch(3, commitment=commitment, date=world["start"])
        walk = SafetyWalkFactory(
            municipality=pledge.municipality, starts_at=reports_data.at(world["start"])
        )
        FindingFactory.create_batch(2, walk=walk)
        FeedbackFactory(municipality=pledge.municipality)
        problem = ProblemFactory(pledge=pledge, commitments=[commitment])
        indicator = IndicatorFactory(municipality=pledge.municipality, problems=[problem])
        IndicatorValueFactory.create_batch(3, indicator=indicator)
    with django_assert_num_queries(17 + 7):
        client.get(report_url(pledge))


def test_walks_and_feedback_carry_the_same_numbers_in_every_format(client, dialogue_world):
    world = dialogue_world
    login(client, world["police_user"])
    pledge = world["pledge"]
    start = world["start"]
    params = {"fran": start.isoformat(), "till": (start + datetime.timedelta(days=20)).isoformat()}

    html = client.get(report_url(pledge, format="html", **params))
    context = {s.key: s for s in html.context["sections"]}
    walk_numbers = slice(4, 9)  # participants, findings, fixed, open, declined
    html_walks = [[row[2], *row[walk_numbers]] for row in context["walks"].rows]
    html_feedback = [row[:7] for row in context["feedback"].rows]
    # The held walk with its four findings and the planned one; not the cancelled walk,
    # not the future one, not Trollhättan's.
    assert html_walks == [["Ytterby centrum", 12, 4, 1, 2, 1], ["Kode", None, 0, 0, 0, 0]]
    assert html_feedback == [
        ["Otrygg plats", 2, 1, 0, 0, 1, 1],
        ["Belysning", 1, 0, 0, 1, 0, 0],
        ["Totalt", 3, 1, 0, 1, 1, 1],
    ]
    assert "Ytterby centrum" in html.text and "Inställd promenad" not in html.text
    summary = dict(context["summary"].rows)
    assert summary["Genomförda trygghetsvandringar i perioden"] == 1
    assert summary["Planerade trygghetsvandringar i perioden"] == 1
    assert summary["Iakttagelser åtgärdade"] == 1
    assert summary["Synpunkter i perioden"] == 3

    rows = csv_rows(client.get(report_url(pledge, format="csv", **params)))
    _h, walk_data = csv_table(rows, "trygghetsvandringar")
    csv_walks = [[row[2], *(number(v) for v in row[walk_numbers])] for row in walk_data]
    _h, feedback_data = csv_table(rows, "synpunkter")
    csv_feedback = [[row[0], *(number(v) for v in row[1:7])] for row in feedback_data]

    response = client.get(report_url(pledge, format="xlsx", **params))
    sheets, _formulas = read_xlsx(b"".join(response.streaming_content))
    _h, xlsx_walk_rows = table_after(sheets["Trygghetsvandringar"], "Trygghetsvandringar")
    xlsx_walks = [[row[2], *(row + [None] * 10)[walk_numbers]] for row in xlsx_walk_rows]
    _h, xlsx_feedback_rows = table_after(sheets["Synpunkter"], "Synpunkter per kategori")
    xlsx_feedback = [row[:7] for row in xlsx_feedback_rows]

    assert html_walks == csv_walks == xlsx_walks
    assert html_feedback == csv_feedback == xlsx_feedback

    pdf = exports.report_pdf_bytes(
        sections.pledge_report(pledge, periods.Period(start, start + datetime.timedelta(20))),
        uncompressed=True,
    )
    assert pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("fmt", ["html", "csv", "xlsx"])
def test_report_never_carries_personal_data_or_synpunkt_text(client, dialogue_world, fmt):
    login(client, dialogue_world["police_user"])
    response = client.get(report_url(dialogue_world["pledge"], format=fmt))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        body = b"".join(
            zipfile.ZipFile(io.BytesIO(body)).read(name)
            for name in zipfile.ZipFile(io.BytesIO(body)).namelist()
        )
    for marker in reports_data.PERSONAL_MARKERS:
        assert marker.encode() not in body
    assert "Trollhättans centrum".encode() not in body


def test_overview_counts_walks_and_feedback_of_its_municipalities_only(client, dialogue_world):
    login(client, dialogue_world["police_user"])
    start = dialogue_world["start"]
    response = overview(
        client,
        niva="lpo",
        id="kungalv-ale",
        fran=start.isoformat(),
        till=(start + datetime.timedelta(days=20)).isoformat(),
    )
    assert response.status_code == 200
    context = {s.key: s for s in response.context["sections"]}
    assert [row[2] for row in context["walks"].rows] == ["Ytterby centrum", "Kode"]
    assert context["feedback"].rows[-1][:2] == ["Totalt", 3]


# --- Overview ------------------------------------------------------------------------------


def overview(client, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return client.get(f"/rapporter/oversikt/?{query}")


def test_overview_for_the_police_area_stays_in_scope(client, world):
    login(client, world["police_user"])
    start, end = world["start"], world["pledge"].end_date
    response = overview(client, niva="lpo", id="kungalv-ale", fran=start, till=end)
    assert response.status_code == 200
    rows = {s.key: s for s in response.context["sections"]}["commitments"].rows
    assert {row[0] for row in rows} == {"Kungälv"}
    assert "Trollhättans åtagande" not in response.text
    per_pledge = {s.key: s for s in response.context["sections"]}["pledges"].rows
    trygg = next(row for row in per_pledge if row[1] == "Trygg i Kungälv")
    assert trygg[2:5] == [3, 13, 13]
    # Same numbers in the CSV.
    rows = csv_rows(
        overview(client, niva="lpo", id="kungalv-ale", fran=start, till=end, format="csv")
    )
    _h, data = csv_table(rows, "loften")
    trygg_csv = next(row for row in data if row[1] == "Trygg i Kungälv")
    assert [number(v) for v in trygg_csv[2:5]] == [3, 13, 13]
    sheets, _f = read_xlsx(
        b"".join(
            overview(
                client, niva="lpo", id="kungalv-ale", fran=start, till=end, format="xlsx"
            ).streaming_content
        )
    )
    _h, data = table_after(sheets["Löften"], "Löften")
    assert next(row for row in data if row[1] == "Trygg i Kungälv")[2:5] == [3, 13, 13]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"niva": "lpo", "id": "ostra-fyrbodal"}, 404),
        ({"niva": "kommun", "id": "trollhattan"}, 404),
        ({"niva": "land"}, 403),
        ({"niva": "lan", "id": "14"}, 403),
        ({"niva": "kommun", "id": "finns-inte"}, 404),
        ({"niva": "planet"}, 400),
        ({"niva": "kommun"}, 400),
        ({"niva": "land", "format": "exe"}, 400),
    ],
)
def test_overview_refuses_what_is_out_of_scope(client, world, params, status):
    login(client, world["police_user"])
    response = overview(client, **params)
    assert response.status_code == status
    assert "Trollhättans åtagande" not in response.text


def test_overview_of_the_nation_for_a_superuser(client, world):
    login(client, world["superuser"])
    response = overview(client, niva="land", fran=world["start"], till=world["pledge"].end_date)
    assert response.status_code == 200
    municipalities = {
        row[0] for row in {s.key: s for s in response.context["sections"]}["commitments"].rows
    }
    assert municipalities == {"Kungälv", "Trollhättan"}
    assert overview(client, niva="lan", id="14").status_code == 200
    assert overview(client, niva="region", id="vast").status_code == 200


def test_coordinator_sees_their_municipality(client, world):
    login(client, world["coordinator"])
    response = overview(
        client,
        niva="kommun",
        id="trollhattan",
        fran=world["start"],
        till=world["pledge"].end_date,
        format="csv",
    )
    text = repr(csv_rows(response))
    assert "Trollhättans åtagande" in text
    assert "Trygg i Kungälv" not in text


# --- Admin action ----------------------------------------------------------------------


def admin_request(rf, user):
    request = rf.post("/admin/pledges/pledge/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_export_action_is_offered_on_the_pledge_list_after_its_own_actions(rf, world):
    # reports/admin.py adds it to the admin that pledges registered.
    request = admin_request(rf, world["police_user"])
    names = list(admin.site.get_model_admin(Pledge).get_actions(request))
    assert names[-1] == "export_follow_up"


def test_export_action_redirects_for_one_pledge(rf, world):
    modeladmin = admin.ModelAdmin(Pledge, admin.site)
    pledge = world["pledge"]
    request = admin_request(rf, world["police_user"])
    response = export_follow_up(modeladmin, request, Pledge.objects.filter(pk=pledge.pk))
    assert response.status_code == 302
    assert response["Location"] == report_url(
        pledge, fran=pledge.start_date.isoformat(), till=pledge.end_date.isoformat()
    )
    assert export_follow_up.short_description == "Exportera uppföljning"


def test_export_action_zips_several_within_scope(rf, world):
    modeladmin = admin.ModelAdmin(Pledge, admin.site)
    request = admin_request(rf, world["police_user"])
    response = export_follow_up(modeladmin, request, Pledge.objects.all())
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    folders = {name.split("/")[0] for name in names}
    assert len(folders) == 2  # Kungälv's published and draft löfte, not Trollhättan's
    assert all(folder.startswith("uppfoljning-kungalv-") for folder in folders)
    summary = next(n for n in names if "trygg" in n and n.endswith("/01-sammanfattning.csv"))
    assert "Trygg i Kungälv" in archive.read(summary).decode("utf-8-sig")
    for name in names:  # one table per file
        assert read_csv(archive.read(name))
        assert SECRET_NOTE not in archive.read(name).decode("utf-8-sig")


def test_export_action_out_of_scope_exports_nothing(rf, world):
    modeladmin = admin.ModelAdmin(Pledge, admin.site)
    request = admin_request(rf, world["police_user"])
    response = export_follow_up(modeladmin, request, Pledge.objects.filter(pk=world["other"].pk))
    assert response is None
    assert "Inga löften" in str(list(request._messages)[0])


# --- Problem och effekter (reports.problems) --------------------------------------------------


def test_problems_and_effects_in_every_format(client, world):
    login(client, world["police_user"])
    pledge = world["pledge"]
    year = world["start"].year
    html = client.get(report_url(pledge, format="html"))
    text = html.text
    assert "Problem och effekter" in text
    assert "Otrygghet på Nordmannatorget" in text
    assert "Andel otrygga på Nordmannatorget (%)" in text
    assert f'<th scope="row">{year - 1}</th><td class="num">31,5 (Exempel)</td>' in text
    assert "https://example.se/matning" in text
    assert "de visar inte ensamma vad insatserna har åstadkommit" in text

    rows = csv_rows(client.get(report_url(pledge, format="csv")))
    header, data = csv_table(rows, "problem-och-effekter")
    assert header[5:] == ["Indikator", "Period", "Värde", "Källa", "Kommentar", "Exempel"]
    assert [row[5:8] + row[-1:] for row in data] == [
        ["Andel otrygga på Nordmannatorget (%)", str(year - 1), "31,5", "Ja"],
        ["Andel otrygga på Nordmannatorget (%)", str(year), "28", "Nej"],
    ]
    assert data[0][4].startswith("Fotpatrullering: ")

    response = client.get(report_url(pledge, format="xlsx"))
    sheets, _formulas = read_xlsx(b"".join(response.streaming_content))
    _h, xlsx_rows = table_after(sheets["Problem och effekter"], "Problem och effekter")
    assert [row[7] for row in xlsx_rows] == [31.5, 28]

    docx = client.get(report_url(pledge, format="docx"))
    assert docx.status_code == 200
    import docx as python_docx

    document = python_docx.Document(io.BytesIO(docx.content))
    words = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Problem och effekter" in words
    assert "Andel otrygga på Nordmannatorget (%)" in words
    assert "31,5 (Exempel)" in cells and "https://example.se/matning" in cells


def test_a_dialogue_is_among_a_problems_sources_in_the_report(client, world):
    from tests.factories import DialogueFactory

    dialogue = DialogueFactory(
        municipality=world["kungalv"], title="Invånardialog om torget", participants=30
    )
    dialogue.problems.add(world["problem"])
    login(client, world["police_user"])
    rows = csv_rows(client.get(report_url(world["pledge"], format="csv")))
    _header, data = csv_table(rows, "problem-och-effekter")
    assert data[0][3].startswith("Invånardialog om torget")
    assert data[0][3].endswith("Trygghetsmätningen 2025")


def test_the_report_leaves_out_other_loeftens_problems(client, world):
    login(client, world["police_user"])
    text = client.get(report_url(world["pledge"], format="html")).text
    assert "Trollhättans problem" not in text
    assert reports_data.DRAFT_TITLE not in text


@pytest.fixture
def demo(reference_data):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())


def test_trollhattans_report_shows_its_indicator_values_and_source(client, demo):
    trollhattan = Pledge.objects.get(municipality__slug="trollhattan")
    login(client, UserFactory(username="nationell", is_superuser=True))
    text = client.get(report_url(trollhattan, format="html")).text
    section = text.split('id="doc-problems"')[1].split('id="doc-walks"')[0]
    assert "Otrygghet vid resecentrum och i kollektivtrafiken" in section
    assert "Andel som känner sig otrygga vid resecentrum kvällstid (%)" in section
    assert "Plats: Resecentrum." in section
    assert '<th scope="row">2023</th><td class="num">41 (Exempel)</td>' in section
    assert '<th scope="row">2025</th><td class="num">36 (Exempel)</td>' in section
    assert "Exempel: påhittade värden för demonstration" in section
    assert "Gemensam närvaro på resecentrum" in section
