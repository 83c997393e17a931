"""The follow-up report as a document (reports.document): PDF, Word, HTML, XLSX and CSV say
the same things with the same numbers, nothing internal, clear Swedish errors."""

import csv
import datetime
import io
import re
import subprocess
import tempfile
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone

from pledges.models import Activity, Commitment, FollowUp, FollowUpNote, Pledge
from reports import document, exports, periods, sections
from tests.factories import FeedbackFactory, MembershipFactory, MunicipalityFactory, UserFactory
from tests.pdf_layout import figures_without_alt, page_enders
from tests.reports_data import login
from tests.xlsx_reader import read_xlsx, table_after

pytestmark = pytest.mark.django_db

INTERNAL = "INTERN-MARKOR-4b2e"
EMAIL = "invanare-markor@example.org"
STAFF = "handlaggare-markor-77"
SUMMARY = "Styrgruppen bedömer att arbetet går framåt, ROND-TVÅ-SAMMANFATTNING."
FIRST_SUMMARY = "Första rondens text."


def words(text):
    # A word hyphenated at a line end (pdftotext writes the hyphen as U+2010) is one word.
    return " ".join(re.sub(r"\u2010\s*\n\s*", "", text).split())


@pytest.fixture
def seeds(reference_data):
    """The seed löften with two follow-up rounds each (a note per commitment in the second)
    and markers that must never reach a report."""
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    staff = UserFactory(username=STAFF, is_staff=True, is_superuser=True)
    staff.save()
    # The seed löften as published, not the demo's invented next löften.
    for pledge in Pledge.objects.filter(is_example=False).select_related("municipality"):
        first = FollowUp.objects.create(
            pledge=pledge,
            date=pledge.start_date + datetime.timedelta(days=60),
            title="Första uppföljningen",
            summary=FIRST_SUMMARY,
        )
        second = FollowUp.objects.create(
            pledge=pledge,
            date=pledge.end_date,
            title="Slutuppföljning",
            summary=SUMMARY,
        )
        for index, commitment in enumerate(pledge.commitments.all()):
            FollowUpNote.objects.create(
                follow_up=second,
                commitment=commitment,
                note=f"Kommentar {index} om {pledge.municipality.name}: enligt plan.",
            )
            if index % 2 == 0:
                FollowUpNote.objects.create(
                    follow_up=first,
                    commitment=commitment,
                    note=f"Första rondens kommentar {index} om {pledge.municipality.name}.",
                )
        commitment = pledge.commitments.first()
        if commitment is None:  # Ale: problem areas, no commitments
            continue
        Activity.objects.create(
            commitment=commitment,
            date=pledge.start_date + datetime.timedelta(days=3),
            quantity=1,
            internal_note=INTERNAL,
            created_by=staff,
        )
        FeedbackFactory(
            municipality=pledge.municipality,
            email=EMAIL,
            consent=True,
            created_at=first.date,
        )
    return staff


def report(pledge, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/rapporter/lofte/{pledge.pk}/?{query}"


def pdf_text(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", handle.name, "-"], capture_output=True, check=True
        ).stdout.decode()
        bbox = subprocess.run(
            ["pdftotext", "-bbox", handle.name, "-"], capture_output=True, check=True
        ).stdout.decode()
        info = subprocess.run(
            ["pdfinfo", handle.name], capture_output=True, check=True
        ).stdout.decode()
    return text, bbox, info


def outside_page(bbox):
    """Words of `pdftotext -bbox` output that lie partly outside their page."""
    outside = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S):
        width, height = float(page[1]), float(page[2])
        for word in re.finditer(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" '
            r'xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>',
            page[3],
        ):
            x0, y0, x1, y1 = (float(word[i]) for i in range(1, 5))
            if x0 < 0 or y0 < 0 or x1 > width + 0.5 or y1 > height + 0.5:
                outside.append(word[5])
    return outside


RIGHT_MARGIN = 16 * 72 / 25.4  # static/css/report_document.css: @page margin 16 mm


def beyond_right_margin(bbox):
    """Words of `pdftotext -bbox` output that run into the right page margin: a table
    wider than the text block."""
    beyond = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S):
        limit = float(page[1]) - RIGHT_MARGIN + 0.5
        for word in re.finditer(r'<word xMin="[\d.-]+" yMin="[\d.-]+" xMax="([\d.-]+)"', page[3]):
            if float(word[1]) > limit:
                beyond.append(word[0])
    return beyond


def qn(tag):
    from docx.oxml.ns import qn

    return qn(tag)


def docx_text(content):
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for p in document.sections[0].header.paragraphs)
    return "\n".join(parts), document


def pdf_bytes_text(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(
            ["pdftotext", handle.name, "-"], capture_output=True, check=True
        ).stdout.decode()


def multi_row_tables_repeat_their_header(document):
    """Whether every table of more than one row marks its first row as a header row; a
    key/value table (every row led by its label in bold) has no header row to repeat."""
    for table in document.tables:
        if len(table.rows) < 2:
            continue
        if all(
            row.cells[0].paragraphs[0].runs and row.cells[0].paragraphs[0].runs[0].bold
            for row in table.rows[1:]
        ):
            continue
        header = table.rows[0]._tr.find(qn("w:trPr"))
        if header is None or header.find(qn("w:tblHeader")) is None:
            return False
    return True


def test_every_seed_report_in_pdf_and_word_holds_full_texts_notes_and_summary(client, seeds):
    login(client, seeds)
    # Made today, in the portal's time zone (Word stores the time in UTC).
    today = timezone.localdate()
    # The seed löften as published, not the demo's invented next löften.
    for pledge in Pledge.objects.filter(is_example=False).select_related("municipality"):
        doc = sections.pledge_report(
            pledge,
            periods.Period(pledge.start_date, pledge.end_date),
            with_appendix=pledge.municipality.slug == "kungalv",  # the widest table
        ).document
        assert doc.commitments or pledge.municipality.slug == "ale"  # Ale: no commitments
        # Laid out once: the page boxes say what each page ends with, then the same layout
        # is written as the PDF the view sends.
        layout = exports.document_pdf_layout(doc)
        assert page_enders(layout) == [], pledge
        content = exports.write_document_pdf(layout)
        text, bbox, info = pdf_text(content)
        flat = words(text)
        word_response = client.get(report(pledge, format="docx"))
        assert word_response.status_code == 200
        assert f"{pledge.municipality.slug}-{pledge.slug}" in word_response["Content-Disposition"]
        word, document = docx_text(word_response.content)
        flat_word = words(word)
        for formatted in (flat, flat_word):
            assert words(SUMMARY) in formatted, pledge
            assert words(FIRST_SUMMARY) in formatted, pledge  # every round with its summary
            assert words(doc.summary_sentence) in formatted
            assert words(doc.as_of_words) in formatted
            assert "Läget per" in formatted
            if pledge.goal_list():
                assert words(pledge.goal_list()[0]) in formatted
            for place in pledge.focus_place_list():
                assert words(place) in formatted
            for area in pledge.focus_areas.exclude(description=""):
                assert words(area.description) in formatted
            for commitment in pledge.commitments.all():
                assert words(commitment.text) in formatted, commitment.text
                if not commitment.short_text and len(commitment.text) > 40:
                    # Without a short title the text is the heading, printed once.
                    assert formatted.count(words(commitment.text)) == 1, commitment.text
                for note in commitment.follow_up_notes.all():
                    assert words(note.note) in formatted
            for part in doc.commitments:
                if part.measurable:
                    assert f"{part.achieved_total} av minst {part.target}" in formatted
            for marker in (INTERNAL, EMAIL, STAFF, "Publicering", "Publicerat", " 1 öppna"):
                assert marker not in formatted
        assert outside_page(bbox) == [], pledge
        assert beyond_right_margin(bbox) == [], pledge
        assert f"Title:           Uppföljning: {pledge.title} – " in info
        assert "Tagged:          yes" in info
        assert "A4" in info
        assert re.search(r"Sida 1 av \d+", flat)
        # Every chart is a Figure with alternative text that gives its numbers.
        figures = figures_without_alt(content)
        measurable = [part for part in doc.commitments if part.measurable]
        charts = [i.chart_alt for p in doc.problems for i in p.indicators if i.chart]
        assert sorted(figures) == sorted([*(part.bar_alt for part in measurable), *charts])
        for part in measurable:
            assert f"{part.achieved_total} av målet {part.target}" in part.bar_alt
        # Word: headers repeat, no meaningless header on key/value tables, real properties.
        assert document.core_properties.title == doc.heading
        assert document.core_properties.language == "sv-SE"
        assert document.core_properties.author == "Medborgarlöfte"
        assert timezone.localtime(document.core_properties.created).date() == today
        assert timezone.localtime(document.core_properties.modified).date() == today
        assert multi_row_tables_repeat_their_header(document)
        assert not any(
            [c.text for c in table.rows[0].cells] == ["Uppgift", "Värde"]
            for table in document.tables
        )
        languages = {
            element.get(qn("w:val")) for element in document.styles.element.iter(qn("w:lang"))
        }
        assert languages == {"sv-SE"}
        assert [p.style.name for p in document.paragraphs if p.text == "Sammanfattning"] == [
            "Heading 1"
        ]
        # Every progress bar is a picture with its alternative text (an indicator's values
        # are a table in Word, without the PDF's line chart).
        pictures = document.inline_shapes
        assert len(pictures) == len(measurable)
        for shape in pictures:
            assert shape._inline.docPr.get("descr").startswith("Stapeldiagram:")


def test_every_seed_round_report_keeps_headings_with_what_follows(client, seeds):
    login(client, seeds)
    # The seed löften as published, not the demo's invented next löften.
    for pledge in Pledge.objects.filter(is_example=False).select_related("municipality"):
        first, second = pledge.follow_ups.order_by("date")
        report_ = sections.pledge_report(
            pledge, document.round_period(second, pledge), follow_up=second
        )
        layout = exports.document_pdf_layout(report_.document)
        assert page_enders(layout) == [], pledge
        text = words(pdf_bytes_text(exports.write_document_pdf(layout)))
        assert f"{second.title}, {document.long_date(second.date)}" in text
        # Since last time: the previous round's summary and every previous note.
        assert words(FIRST_SUMMARY) in text and words(SUMMARY) in text
        for note in FollowUpNote.objects.filter(follow_up=first):
            assert words(note.note) in text
    response = client.get(report(pledge, uppfoljning=second.pk, format="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_page_enders_finds_a_heading_at_the_foot_of_a_page():
    import weasyprint

    layout = weasyprint.HTML(
        string="<p>Text</p><h2 style='break-after: page'>Rubrik</h2><p>Mer text</p>"
    ).render()
    assert page_enders(layout) == [(1, "Rubrik")]


def test_spring_round_of_running_work_shows_the_autumn_note_beside_the_spring_note(client, seeds):
    """Trollhättan: six commitments, all "löpande arbete", no number to compare."""
    login(client, seeds)
    pledge = Pledge.objects.get(municipality__slug="trollhattan", is_example=False)
    assert {c.target_kind for c in pledge.commitments.all()} == {"qualitative"}
    pledge.follow_ups.all().delete()
    autumn = FollowUp.objects.create(
        pledge=pledge, date=datetime.date(2025, 10, 15), title="Höstens uppföljning"
    )
    spring = FollowUp.objects.create(
        pledge=pledge, date=datetime.date(2026, 4, 15), title="Vårens uppföljning"
    )
    for index, commitment in enumerate(pledge.commitments.all()):
        FollowUpNote.objects.create(
            follow_up=autumn, commitment=commitment, note=f"Höstnotering {index}."
        )
        FollowUpNote.objects.create(
            follow_up=spring, commitment=commitment, note=f"Vårnotering {index}."
        )
    # The history says every commitment was "Pågår" before the autumn round; the first one
    # has been done since. Its state then → now is read from that history.
    Commitment.history.filter(pledge_id=pledge.pk).update(
        history_date=timezone.make_aware(datetime.datetime(2025, 1, 2)), status="in_progress"
    )
    done = pledge.commitments.order_by("focus_area__order", "order", "id").first()
    done.status = Commitment.Status.DONE
    done.save()
    response = client.get(report(pledge, uppfoljning=spring.pk))
    assert response.status_code == 200
    doc = response.context["doc"]
    assert doc.previous_follow_up == autumn and doc.follow_up == spring
    first_part = doc.commitments[0]
    assert (first_part.since.then_state, first_part.since.now_state) == ("Pågår", "Uppnått")
    assert first_part.change_words == (
        "Läget har ändrats sedan förra uppföljningen (15 oktober 2025): Pågår → Uppnått"
    )
    assert doc.commitments[1].change_words == (
        "Oförändrat läge sedan förra uppföljningen (15 oktober 2025): Pågår"
    )
    html = response.content.decode()
    for index, part in enumerate(doc.commitments):
        assert part.since.then_note == f"Höstnotering {index}."
        assert part.since.now_note == f"Vårnotering {index}."
        # In one row of the commitment's "Sedan förra uppföljningen" table, side by side.
        assert re.search(
            rf"<th scope=\"row\">Kommentar</th><td>Höstnotering {index}\.</td>"
            rf"<td>Vårnotering {index}\.</td>",
            html,
        )
    assert "Förra uppföljningen: Höstens uppföljning, 15 oktober 2025" in html
    word, _document = docx_text(
        client.get(report(pledge, uppfoljning=spring.pk, format="docx")).content
    )
    assert "Höstnotering 0." in word and "Vårnotering 0." in word


def test_document_does_not_import_the_sections():
    """Imports run one way: queries -> document -> sections, never back."""
    import ast
    from pathlib import Path

    import reports

    root = Path(reports.__file__).parent
    for name in ("document.py", "queries.py"):
        tree = ast.parse((root / name).read_text())
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        } | {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert "reports.sections" not in imported, name
        assert not any(
            isinstance(node, ast.ImportFrom)
            and node.module == "reports"
            and any(alias.name == "sections" for alias in node.names)
            for node in ast.walk(tree)
        ), name


def test_pdf_declares_swedish(seeds):
    pledge = Pledge.objects.get(municipality__slug="trollhattan", is_example=False)
    doc = sections.pledge_report(pledge, periods.Period(pledge.start_date, pledge.end_date))
    raw = exports.document_pdf_bytes(doc.document, uncompressed=True)
    assert b"/Lang (sv)" in raw
    assert b"DejaVu" in raw


def test_xlsx_and_csv_carry_the_same_numbers_and_texts(client, seeds):
    login(client, seeds)
    pledge = Pledge.objects.get(municipality__slug="kungalv", is_example=False)
    doc = sections.pledge_report(pledge, periods.Period(pledge.start_date, pledge.end_date))
    expected = [
        [c.text, c.target, c.achieved_period, c.achieved_total, c.state_label]
        for c in doc.document.commitments
    ]
    response = client.get(report(pledge, format="csv"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    tables = {}
    for name in archive.namelist():
        body = archive.read(name).decode("utf-8-sig")
        tables[name] = list(csv.reader(io.StringIO(body), delimiter=";"))
        # One table per file: every row as wide as the header.
        assert len({len(row) for row in tables[name]}) == 1, name
        assert INTERNAL not in body and EMAIL not in body
    assert sorted(tables)[:2] == ["01-sammanfattning.csv", "02-ataganden.csv"]
    data = tables["02-ataganden.csv"][1:]

    def number(value):
        return int(value) if value else None

    assert [[r[1], number(r[4]), number(r[5]), number(r[6]), r[9]] for r in data] == expected
    summary = tables["01-sammanfattning.csv"]
    assert ["Uppföljningens sammanfattning", SUMMARY] in summary
    assert ["Sammanfattning", doc.document.summary_sentence] in summary
    # The same rounding as the PDF: one decimal, half up ("68,5" here, "68,5 %" there).
    for row, part in zip(data, doc.document.commitments, strict=True):
        if part.measurable:
            share = document.percent(part.achieved_total, part.target)
            assert row[8] == str(share).replace(".", ",")
            assert document.percent_words(share) in " ".join(part.progress_words)

    response = client.get(report(pledge, format="xlsx"))
    sheets, _formulas = read_xlsx(b"".join(response.streaming_content))
    _header, xlsx = table_after(sheets["Åtaganden"], "Åtaganden")
    assert [[r[1], r[4], r[5], r[6], r[9]] for r in xlsx] == expected
    flat = repr(sheets)
    assert INTERNAL not in flat and EMAIL not in flat and STAFF not in flat


def test_html_report_says_the_same_and_nothing_internal(client, seeds):
    login(client, seeds)
    pledge = Pledge.objects.get(municipality__slug="kungalv", is_example=False)
    response = client.get(report(pledge, bilaga="1"))
    assert response.status_code == 200
    text = response.content.decode()
    doc = response.context["doc"]
    assert doc.summary_sentence in text and SUMMARY in text
    for marker in (INTERNAL, EMAIL, STAFF, "Publicering"):
        assert marker not in text
    assert "format=docx" in text and "format=pdf" in text


def test_round_report_uses_the_rounds_period_and_shows_the_change(client, seeds):
    login(client, seeds)
    pledge = Pledge.objects.get(municipality__slug="kungalv", is_example=False)
    first, second = pledge.follow_ups.order_by("date")
    response = client.get(report(pledge, uppfoljning=second.pk))
    doc = response.context["doc"]
    assert doc.period == periods.Period(first.date + datetime.timedelta(days=1), second.date)
    assert doc.follow_up == second and doc.previous_follow_up == first
    patrols = next(c for c in doc.commitments if c.target == 200)
    before = sum(
        a.quantity
        for a in Activity.objects.filter(commitment__pledge=pledge, commitment__target_quantity=200)
        if a.date <= first.date
    )
    assert patrols.change == patrols.achieved_total - before
    assert (
        f"+{patrols.change} sedan förra uppföljningen ({document.long_date(first.date)})"
        in response.content.decode()
    )
    first_round = client.get(report(pledge, uppfoljning=first.pk))
    assert first_round.context["doc"].follow_up_summary == "Första rondens text."


def test_period_outside_the_pledge_is_warned_about(client, seeds):
    login(client, seeds)
    pledge = Pledge.objects.get(municipality__slug="kungalv", is_example=False)
    response = client.get(report(pledge, fran="2026-01-01", till="2026-06-30"))
    assert response.status_code == 200
    assert "ligger utanför löftets period" in response.content.decode()
    assert "ligger utanför" not in client.get(report(pledge)).content.decode()


def test_follow_up_admin_offers_the_round_report(client, seeds):
    login(client, seeds)
    follow_up = FollowUp.objects.filter(pledge__municipality__slug="kungalv").first()
    response = client.get("/admin/pledges/followup/")
    assert response.status_code == 200
    assert f"uppfoljning={follow_up.pk}&amp;format=docx" in response.content.decode()
    action = client.post(
        "/admin/pledges/followup/",
        {"action": "export_follow_up_round", "_selected_action": [follow_up.pk]},
    )
    assert action.status_code == 302
    assert f"uppfoljning={follow_up.pk}" in action["Location"]


@pytest.mark.parametrize(
    ("params", "message", "status"),
    [
        ({"format": "odt"}, "Okänt format", 400),
        ({"fran": "2019-06-01", "till": "2019-01-01"}, "börja innan", 400),
        ({"uppfoljning": "999999"}, "Uppföljningen finns inte", 400),
        ({"uppfoljning": "abc"}, "Uppföljningen finns inte", 400),
    ],
)
def test_bad_input_is_a_swedish_4xx(client, seeds, params, message, status):
    login(client, seeds)
    pledge = Pledge.objects.get(municipality__slug="kungalv", is_example=False)
    response = client.get(report(pledge, **params))
    assert response.status_code == status
    assert message in response.content.decode()


def test_out_of_scope_pledge_is_a_swedish_404_like_a_missing_one(client, seeds):
    other = MunicipalityFactory(name="Annanstans", slug="annanstans", code="9999")
    user = UserFactory(is_staff=True)
    user.save()
    MembershipFactory(user=user, municipality=other, police_area=None)
    login(client, user)
    pledge = Pledge.objects.get(municipality__slug="kungalv", is_example=False)
    for fmt in ("pdf", "docx"):
        response = client.get(report(pledge, format=fmt))
        # The same answer as for a löfte that does not exist: no existence oracle.
        assert response.status_code == 404
        assert "finns inte" in response.content.decode()
        assert pledge.title not in response.content.decode()


def test_word_is_only_for_one_pledge(client, seeds):
    login(client, seeds)
    response = client.get("/rapporter/oversikt/?niva=land&format=docx")
    assert response.status_code == 400
    assert "Word finns bara" in response.content.decode()


def test_outside_page_finds_a_clipped_word():
    bbox = (
        '<page width="595.0" height="842.0">'
        '<word xMin="10.0" yMin="10.0" xMax="50.0" yMax="20.0">inne</word>'
        '<word xMin="580.0" yMin="10.0" xMax="640.0" yMax="20.0">Läge</word></page>'
    )
    assert outside_page(bbox) == ["Läge"]


def test_chooser_defaults_a_pledge_to_its_own_period(client, seeds):
    login(client, seeds)
    pledge = Pledge.objects.get(municipality__slug="kungalv", is_example=False)
    page = client.get("/rapporter/")
    assert page.status_code == 200
    assert 'value="standard" selected' in page.content.decode()
    response = client.get(
        "/rapporter/", {"omfattning": f"lofte:{pledge.pk}", "period": "standard", "format": "docx"}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"/rapporter/lofte/{pledge.pk}/?format=docx&fran=2018-10-01&till=2019-09-30"
    )
    area = client.get(
        "/rapporter/", {"omfattning": "kommun:kungalv", "period": "standard", "format": "html"}
    )
    half = periods.half_year(datetime.date.today())
    assert f"fran={half.start.isoformat()}" in area["Location"]


def test_overview_pdf_keeps_every_word_on_the_page(client, seeds):
    login(client, seeds)
    response = client.get(
        "/rapporter/oversikt/?niva=land&fran=2017-01-01&till=2026-12-31&format=pdf"
    )
    assert response.status_code == 200
    _text, bbox, info = pdf_text(response.content)
    assert outside_page(bbox) == []
    assert "Page size:       841.89 x 595.276 pts (A4)" in info  # landscape


def test_beyond_right_margin_finds_a_table_past_the_text_block():
    bbox = (
        '<page width="595.28" height="841.89">'
        '<word xMin="51.0" yMin="10.0" xMax="549.9" yMax="20.0">inne</word>'
        '<word xMin="560.0" yMin="10.0" xMax="583.3" yMax="20.0">Ko‐</word></page>'
    )
    assert len(beyond_right_margin(bbox)) == 1 and "583.3" in beyond_right_margin(bbox)[0]


def test_every_format_from_the_round_page_and_the_chooser(client, seeds):
    login(client, seeds)
    pledge = Pledge.objects.get(municipality__slug="kungalv", is_example=False)
    first, second = pledge.follow_ups.order_by("date")
    rows = client.get("/admin/pledges/followup/").content.decode()
    for fmt in ("pdf", "docx", "html", "xlsx", "csv"):
        assert f"uppfoljning={second.pk}&amp;format={fmt}" in rows
    page = client.get("/rapporter/").content.decode()
    assert f'value="uppfoljning:{second.pk}"' in page
    for fmt in ("html", "pdf", "docx", "xlsx", "csv"):
        response = client.get(
            "/rapporter/",
            {"omfattning": f"uppfoljning:{second.pk}", "period": "standard", "format": fmt},
        )
        assert response.status_code == 302
        assert response["Location"] == (
            f"/rapporter/lofte/{pledge.pk}/?format={fmt}&uppfoljning={second.pk}"
        )
    # The round's own period, and every format and every table from its web page.
    html = client.get(report(pledge, uppfoljning=second.pk))
    assert html.context["doc"].period.start == first.date + datetime.timedelta(days=1)
    text = html.content.decode()
    for fmt in ("pdf", "docx", "xlsx", "csv"):
        assert f"uppfoljning={second.pk}&amp;format={fmt}" in text
    assert "format=csv&amp;tabell=commitments" in text
    xlsx = client.get(report(pledge, uppfoljning=second.pk, format="xlsx"))
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content).startswith(b"PK")
