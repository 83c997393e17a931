"""The follow-up report as a Word file (python-docx), from the same ReportDocument as the
PDF: real headings, tables whose header rows repeat on every page, page numbers, the progress
bars as pictures with alternative text, for the coordinator to add their own text."""

import datetime
import io

from django.conf import settings
from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reports.document import long_date
from reports.problems import add_to_docx as add_problems

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _field(run, instruction):
    """A Word field (PAGE, NUMPAGES) in `run`, so Word fills in the numbers."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _swedish(document):
    """Swedish as the language of every style, so Word's spelling check reads it as such."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for style in document.styles:
        element = getattr(style, "element", None)
        if element is None:
            continue
        rpr = element.get_or_add_rPr() if hasattr(element, "get_or_add_rPr") else None
        if rpr is None:
            continue
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "sv-SE")
    # The document defaults, which python-docx's template sets to en-US.
    for lang in document.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), "sv-SE")


def _repeat_header(row):
    """Marks a table row as its header row, which Word repeats at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _table(document, headers, rows, numeric=()):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(header)).bold = True
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = "" if value is None else str(value)
            if index in numeric:
                from docx.enum.text import WD_ALIGN_PARAGRAPH

                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()
    return table


def _facts(document, rows):
    """A key/value table: the labels in bold in the first column, no header row."""
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(str(label)).bold = True
        cells[1].text = "" if value is None else str(value)
    document.add_paragraph()
    return table


def bar_png(percent, expected_percent=None):
    """The progress bar as a PNG (Pillow): blue for what is done, a brown line where the
    work should be."""
    from PIL import Image, ImageDraw

    width, height = 800, 48
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 8, width - 1, 40], fill="#e4e7eb", outline="#6b7480", width=2)
    if percent:
        draw.rectangle([0, 8, round((width - 1) * min(percent, 100) / 100), 40], fill="#1f5f8b")
    if expected_percent is not None:
        x = round((width - 4) * min(expected_percent, 100) / 100)
        draw.rectangle([x, 0, x + 3, height - 1], fill="#8a5a00")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def _picture(document, image, alt, width):
    """An inline picture with its alternative text (Word's "Alternativ text")."""
    document.add_picture(image, width=width)
    inline = document.paragraphs[-1].runs[-1]._r.xpath(".//wp:docPr")[0]
    inline.set("descr", alt)
    inline.set("title", alt)


def _properties(document, doc):
    """The file's properties: title, the publishing organisation as author, made now, in
    Swedish (python-docx's template says "python-docx", 2013 and en-US)."""
    now = timezone.now().astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    props = document.core_properties
    props.title = doc.heading
    props.author = settings.OPEN_DATA_PUBLISHER_NAME
    props.last_modified_by = settings.OPEN_DATA_PUBLISHER_NAME
    props.created = now
    props.modified = now
    props.revision = 1
    props.language = "sv-SE"
    props.subject = f"{doc.municipality} · {doc.report_period_words}"
    props.keywords = _("medborgarlöfte, uppföljning")
    props.comments = doc.as_of_words


def docx_bytes(doc):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(10)
    _swedish(document)
    _properties(document, doc)

    header = section.header.paragraphs[0]
    header.text = doc.title
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(_("Sida") + " ")
    _field(footer.add_run(), "PAGE")
    footer.add_run(" " + _("av") + " ")
    _field(footer.add_run(), "NUMPAGES")

    document.add_paragraph(_("Uppföljning av medborgarlöfte"))
    document.add_heading(doc.title, level=0)
    as_of = document.add_paragraph()
    as_of.add_run(doc.as_of_words).bold = True
    if doc.for_round and doc.follow_up:
        as_of.add_run(f" · {doc.follow_up.title}")
    document.add_paragraph(doc.made_on_words)
    if doc.is_demo:
        document.add_paragraph(
            _(
                "Observera: rapporten bygger på exempeldata för demonstration, inte på "
                "verkliga insatser."
            )
        )
    for warning in doc.warnings:
        document.add_paragraph(_("Obs!") + " " + warning)
    facts = [
        (_("Kommun"), doc.municipality),
        (_("Lokalpolisområde"), doc.police_area),
        (_("Löftets period"), doc.pledge_period_words),
        (_("Rapportperiod"), doc.report_period_words),
        (
            _("Uppföljning"),
            f"{doc.follow_up.title}, {formats.date_format(doc.follow_up.date, 'j F Y')}"
            f"{doc.follow_up_draft_mark}"
            if doc.follow_up
            else _("Ingen uppföljning registrerad för perioden"),
        ),
        (
            _("Undertecknat av"),
            "; ".join(", ".join(p for p in s if p) for s in doc.signatories),
        ),
        (_("Kontaktpersoner"), "; ".join(", ".join(p for p in c if p) for c in doc.contacts)),
    ]
    _facts(document, [f for f in facts if f[1]])

    document.add_heading(_("Vad löftet ska uppnå"), level=1)
    if doc.goals:
        document.add_heading(_("Mål"), level=2)
        for goal in doc.goals:
            document.add_paragraph(goal, style="List Bullet")
    if doc.background:
        document.add_heading(_("Lägesbild och problembild"), level=2)
        for paragraph in doc.background.split("\n\n"):
            document.add_paragraph(paragraph.strip())
    if doc.focus_places:
        document.add_heading(_("Fokusplatser"), level=2)
        for place in doc.focus_places:
            document.add_paragraph(place, style="List Bullet")
    if not doc.goals and not doc.background and not doc.focus_places:
        document.add_paragraph(
            _("Löftet har inga mål, ingen lägesbild och inga fokusplatser registrerade.")
        )
    for decided_on, decided_by, text in doc.closing:
        head = _("Beslut om att avsluta löftet")
        detail = ", ".join(p for p in (decided_by, decided_on and long_date(decided_on)) if p)
        document.add_paragraph(head + (f" ({detail})" if detail else "")).runs[0].bold = True
        document.add_paragraph(text)

    document.add_heading(_("Sammanfattning"), level=1)
    document.add_paragraph(doc.summary_sentence).runs[0].bold = True
    document.add_paragraph(
        _("Genomförda insatser i perioden: %(n)s.") % {"n": doc.quantity_in_period}
        + " "
        + doc.walks_sentence
        + " "
        + _("Synpunkter från invånare: %(feedback)s. Medborgardialoger: %(dialogues)s.")
        % {"feedback": doc.feedback_total, "dialogues": len(doc.dialogues)}
    )
    for round_ in doc.rounds:
        words = {"title": round_.title, "date": long_date(round_.date)}
        document.add_heading(
            _("Förra uppföljningen: %(title)s, %(date)s") % words
            if round_.is_previous
            else _("Uppföljningens sammanfattning: %(title)s, %(date)s") % words,
            level=2,
        )
        if round_.summary:
            for paragraph in round_.summary.split("\n\n"):
                document.add_paragraph(paragraph.strip())
        else:
            document.add_paragraph(_("Ingen sammanfattning skrevs för den här uppföljningen."))
    _table(
        document,
        [_("Läge"), _("Antal"), _("Betyder")],
        [
            (label, count, explanation)
            for _s, label, count, explanation in doc.summary.explained_rows()
        ],
        numeric=(1,),
    )

    document.add_heading(_("Åtagandena"), level=1)
    for area in doc.areas:
        document.add_heading(area.title, level=2)
        if area.description:
            for paragraph in area.description.split("\n\n"):
                document.add_paragraph(paragraph.strip())
        if not area.commitments:
            document.add_paragraph(_("Inga åtaganden hör till fokusområdet."))
        for c in area.commitments:
            if c.has_short_title:
                document.add_heading(f"{c.state_label}: {c.label}", level=3)
                document.add_paragraph(c.text)
            else:
                document.add_heading(f"{c.state_label}: {c.text}", level=3)
            rows = []
            if c.responsible:
                rows.append((_("Ansvariga"), ", ".join(c.responsible)))
            rows.append((_("Mål"), c.target_words))
            rows.append((_("Läge"), f"{c.state_label} – {c.state_explanation}"))
            if c.progress_words:
                rows.append((_("Hittills"), " ".join(str(w) for w in c.progress_words)))
            if c.change_words:
                rows.append((_("Sedan sist"), c.change_words))
            _facts(document, rows)
            if c.measurable:
                from docx.shared import Mm

                _picture(document, bar_png(c.percent, c.expected_percent), c.bar_alt, width=Mm(100))
            if c.since:
                s = c.since
                no_note = _("Ingen kommentar")
                since_rows = [(_("Läge"), s.then_state or _("Uppgift saknas"), s.now_state)]
                if s.then_achieved is not None:
                    since_rows.append(
                        (
                            _("Genomfört totalt"),
                            s.then_achieved,
                            f"{s.now_achieved} ({c.change_short})",
                        )
                    )
                since_rows.append((_("Kommentar"), s.then_note or no_note, s.now_note or no_note))
                document.add_paragraph(_("Sedan förra uppföljningen")).runs[0].bold = True
                _table(document, ["", s.then_heading, s.now_heading], since_rows)
            if c.months:
                _table(
                    document,
                    [_("Månad"), _("Plats"), _("Antal")],
                    [(formats.date_format(m, "F Y"), p, q) for m, p, q in c.months],
                    numeric=(2,),
                )
            for date, title, note in c.notes:
                document.add_paragraph(
                    _("Uppföljningens kommentar (%(title)s, %(date)s)")
                    % {"title": title, "date": formats.date_format(date, "j F Y")}
                ).runs[0].bold = True
                document.add_paragraph(note)
            if c.outcome_explanation:
                document.add_paragraph(_("Utfallet förklaras")).runs[0].bold = True
                document.add_paragraph(c.outcome_explanation)

    add_problems(document, doc, _table, _facts)

    document.add_heading(_("Trygghetsvandringar"), level=1)
    if doc.walks:
        _table(
            document,
            [
                _("Datum"),
                _("Område"),
                _("Status"),
                _("Deltagare"),
                _("Iakttagelser"),
                _("Åtgärdade"),
                _("Öppna"),
            ],
            [
                (long_date(w.date), w.area, w.status, w.participants, w.findings, w.fixed, w.open)
                for w in doc.walks
            ],
            numeric=(3, 4, 5, 6),
        )
    else:
        document.add_paragraph(_("Inga trygghetsvandringar i rapportperioden."))

    document.add_heading(_("Synpunkter per kategori"), level=1)
    if doc.feedback:
        _table(
            document,
            [_("Kategori"), _("Antal")],
            [*doc.feedback, (_("Totalt"), doc.feedback_total)],
            numeric=(1,),
        )
    else:
        document.add_paragraph(_("Inga synpunkter kom in under rapportperioden."))

    document.add_heading(_("Medborgardialoger"), level=1)
    for d in doc.dialogues:
        document.add_heading(d.title, level=2)
        document.add_paragraph(
            f"{formats.date_format(d.date, 'j F Y')} · {d.format}"
            + (f" · {d.participants} " + _("deltagare") if d.participants else "")
        )
        if d.outcome:
            document.add_paragraph(_("Vad den ledde till") + ": " + d.outcome)
    if not doc.dialogues:
        document.add_paragraph(_("Inga medborgardialoger hölls under rapportperioden."))

    if doc.with_appendix:
        document.add_heading(_("Bilaga: genomförda insatser"), level=1)
        _table(
            document,
            [_("Datum"), _("Åtagande"), _("Plats"), _("Antal"), _("Beskrivning")],
            [
                (long_date(day), label, place, q, text)
                for day, label, place, q, text in doc.activities
            ],
            numeric=(3,),
        )

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_docx(doc):
    response = HttpResponse(docx_bytes(doc), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}.docx"'
    return response
