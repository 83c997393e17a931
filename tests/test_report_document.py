"""The follow-up report as a document (reports.document): PDF, Word, HTML, XLSX and CSV say
the same things with the same numbers, nothing internal, clear Swedish errors."""

import csv
import datetime
import io
import re
import subprocess
import tempfile

import pytest
from django.core.management import call_command

from pledges.models import Activity, FollowUp, FollowUpNote, Pledge
from reports import exports, periods, sections
from tests.factories import FeedbackFactory, MembershipFactory, MunicipalityFactory, UserFactory
from tests.reports_data import login
from tests.xlsx_reader import read_xlsx, table_after

pytestmark = pytest.mark.django_db

INTERNAL = "INTERN-MARKOR-4b2e"
EMAIL = "invanare-markor@example.org"
STAFF = "handlaggare-markor-77"
SUMMARY = "Styrgruppen bedömer att arbetet går framåt, ROND-TVÅ-SAMMANFATTNING."


def words(text):
    return " ".join(text.split())


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
            summary="Första rondens text.",
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
            ["pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True
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


def test_every_seed_report_in_pdf_and_word_holds_full_texts_notes_and_summary(client, seeds):
    login(client, seeds)
    # The seed löften as published, not the demo's invented next löften.
    for pledge in Pledge.objects.filter(is_example=False).select_related("municipality"):
        response = client.get(report(pledge, format="pdf"))
        assert response.status_code == 200, pledge
        assert response["Content-Type"] == "application/pdf"
        text, bbox, info = pdf_text(response.content)
        flat = words(text)
        doc = sections.pledge_report(
            pledge, periods.Period(pledge.start_date, pledge.end_date)
        ).document
        assert doc.commitments or pledge.municipality.slug == "ale"  # Ale: no commitments
        word_response = client.get(report(pledge, format="docx"))
        assert word_response.status_code == 200
        assert f"{pledge.municipality.slug}-{pledge.slug}" in word_response["Content-Disposition"]
        word, document = docx_text(word_response.content)
        flat_word = words(word)
        for formatted in (flat, flat_word):
            assert words(SUMMARY) in formatted, pledge
            assert words(doc.summary_sentence) in formatted
            for commitment in pledge.commitments.all():
                assert words(commitment.text) in formatted, commitment.text
                for note in commitment.follow_up_notes.all():
                    assert words(note.note) in formatted
            for part in doc.commitments:
                if part.measurable:
                    assert f"{part.achieved_total} av minst {part.target}" in formatted
            for marker in (INTERNAL, EMAIL, STAFF, "Publicering", "Publicerat"):
                assert marker not in formatted
        assert outside_page(bbox) == [], pledge
        assert f"Title:           Uppföljning: {pledge.title}" in info
        assert "Tagged:          yes" in info
        assert "A4" in info
        assert re.search(r"Sida 1 av \d+", flat)
        assert document.core_properties.title == f"Uppföljning: {pledge.title}"
        assert document.core_properties.language == "sv-SE"
        languages = {
            element.get(qn("w:val")) for element in document.styles.element.iter(qn("w:lang"))
        }
        assert languages == {"sv-SE"}
        assert [p.style.name for p in document.paragraphs if p.text == "Sammanfattning"] == [
            "Heading 1"
        ]


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
    body = b"".join(client.get(report(pledge, format="csv")).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    start = rows.index(["## Åtaganden"]) + 2
    data = []
    for row in rows[start + 1 :]:
        if not row:
            break
        data.append(row)

    def number(value):
        return int(value) if value else None

    assert [[r[1], number(r[4]), number(r[5]), number(r[6]), r[9]] for r in data] == expected
    assert any(row[:2] == ["Uppföljningens sammanfattning", SUMMARY] for row in rows)
    assert any(row[:2] == ["Sammanfattning", doc.document.summary_sentence] for row in rows)
    assert INTERNAL not in body.decode() and EMAIL not in body.decode()

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
    assert f"+{patrols.change} sedan uppföljningen" in response.content.decode()
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
