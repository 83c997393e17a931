"""The follow-up report as a Word file (python-docx), from the same ReportDocument as the
PDF: real headings, tables and page numbers, for the coordinator to add their own text."""

import io

from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _

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


def _table(document, headers, rows, numeric=()):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(header)).bold = True
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = "" if value is None else str(value)
            if index in numeric:
                from docx.enum.text import WD_ALIGN_PARAGRAPH

                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()
    return table


def bar(percent, width=20):
    """A progress bar in text, since Word has no SVG that survives editing everywhere."""
    filled = round(width * percent / 100)
    return "█" * filled + "░" * (width - filled) + f" {percent} %"


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
    document.core_properties.title = doc.heading
    document.core_properties.language = "sv-SE"
    document.core_properties.subject = f"{doc.municipality} · {doc.report_period_words}"

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
            if doc.follow_up
            else _("Ingen uppföljning registrerad för perioden"),
        ),
        (
            _("Undertecknat av"),
            "; ".join(", ".join(p for p in s if p) for s in doc.signatories),
        ),
        (_("Kontaktpersoner"), "; ".join(", ".join(p for p in c if p) for c in doc.contacts)),
    ]
    _table(document, [_("Uppgift"), _("Värde")], [f for f in facts if f[1]])

    document.add_heading(_("Sammanfattning"), level=1)
    document.add_paragraph(doc.summary_sentence).runs[0].bold = True
    totals = doc.walk_totals
    document.add_paragraph(
        _("Genomförda insatser i perioden: %(n)s.") % {"n": doc.quantity_in_period}
        + " "
        + _(
            "Trygghetsvandringar: %(held)s genomförda, med %(findings)s iakttagelser, varav "
            "%(fixed)s åtgärdade och %(open)s öppna."
        )
        % totals
        + " "
        + _("Synpunkter från invånare: %(feedback)s. Medborgardialoger: %(dialogues)s.")
        % {"feedback": doc.feedback_total, "dialogues": len(doc.dialogues)}
    )
    if doc.follow_up_summary:
        document.add_heading(
            _("Uppföljningens sammanfattning, %(date)s")
            % {"date": formats.date_format(doc.follow_up.date, "j F Y")},
            level=2,
        )
        for paragraph in doc.follow_up_summary.split("\n\n"):
            document.add_paragraph(paragraph.strip())
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
        for c in area.commitments:
            document.add_heading(f"{c.state_label}: {c.label}", level=3)
            document.add_paragraph(c.text)
            rows = []
            if c.responsible:
                rows.append((_("Ansvariga"), ", ".join(c.responsible)))
            rows.append((_("Mål"), c.target_words))
            rows.append((_("Läge"), f"{c.state_label} – {c.state_explanation}"))
            if c.progress_words:
                words = " ".join(str(w) for w in c.progress_words)
                if c.change_words:
                    words += f" {c.change_words}."
                rows.append((_("Hittills"), words))
            if c.measurable:
                rows.append((_("Andel av målet"), bar(c.percent)))
            _table(document, [_("Uppgift"), _("Värde")], rows)
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

    add_problems(document, doc, _table)

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
                (w.date.isoformat(), w.area, w.status, w.participants, w.findings, w.fixed, w.open)
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
                (day.isoformat(), label, place, q, text)
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
