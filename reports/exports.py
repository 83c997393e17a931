"""Writing a `Report` as CSV, XLSX or PDF. The HTML page renders the same sections; a
löfte's report renders its ReportDocument as PDF (and reports/docx.py as Word).

CSV and XLSX stream or write in constant memory: a section's rows may be a generator over
`.iterator()`, and nothing here collects them into a list. CSV goes through the one
streaming helper, `pledges.csvstream.csv_response`.
"""

import datetime
import mimetypes
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pledges.csvstream import csv_lines, csv_response, safe_text
from reports.periods import Month


def display_cell(value):
    """One value as HTML/PDF text: Swedish decimal comma, thin-space thousands."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    if isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def table_rows(section):
    """One section as one table: its header row, then its rows, every row as wide as the
    header (no title or note lines), so it can be filtered or loaded as it is."""
    yield [column.label for column in section.columns]
    yield from section.rows


def table_filename(report, index, section):
    return f"{report.filename}-{index:02d}-{slugify(str(section.sheet))}"


def report_table_csv(report, key):
    """One table of the report as one CSV file, streamed."""
    index, section = next((i, s) for i, s in enumerate(report.sections, start=1) if s.key == key)
    return csv_response(table_rows(section), table_filename(report, index, section))


def write_csv_tables(report, archive, folder=""):
    """Every table of the report as its own CSV in `archive` (a ZipFile), written line by
    line into its entry so that no CSV is ever held whole."""
    for index, section in enumerate(report.sections, start=1):
        name = f"{folder}{index:02d}-{slugify(str(section.sheet))}.csv"
        with archive.open(name, "w") as entry:
            for line in csv_lines(table_rows(section)):
                entry.write(line)


def report_csv(report, key=None):
    """The report's tables as CSV: one table (`key`) as a CSV file, else a ZIP with one CSV
    per table, written to a temporary file (the activity list may be long)."""
    if key:
        return report_table_csv(report, key)
    handle = tempfile.NamedTemporaryFile(suffix=".zip")  # noqa: SIM115 - FileResponse closes it
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        write_csv_tables(report, archive)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{report.filename}-csv.zip",
        content_type="application/zip",
    )


def cell_width(value):
    """How many characters wide a cell wants to be (the longest line), for column widths."""
    if value is None:
        return 0
    if isinstance(value, (datetime.date, datetime.datetime)):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def write_xlsx(report, target):
    """Writes the report to `target` (a path) with XlsxWriter in constant-memory mode: rows
    go to disk as they are written, so memory does not grow with the number of rows.

    One table per sheet: the table's title and the report's in the first rows, then the
    header row, frozen, with an autofilter; dates and months as real dates in Swedish
    formats (ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM); columns as wide as their content (up to a limit) and
    long texts wrapped."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    workbook.set_properties(
        {
            "title": str(report.title),
            "subject": str(report.subtitle),
            "author": settings.OPEN_DATA_PUBLISHER_NAME,
            "company": settings.OPEN_DATA_PUBLISHER_NAME,
            "keywords": _("medborgarlöfte, uppföljning"),
            "created": timezone.now().astimezone(datetime.UTC).replace(tzinfo=None),
        }
    )
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    heading = workbook.add_format({"bold": True, "font_size": 13})
    text = workbook.add_format({"text_wrap": True, "valign": "top"})
    number = workbook.add_format({"valign": "top"})
    decimal = workbook.add_format({"num_format": "0.0", "valign": "top"})
    date = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    month = workbook.add_format({"num_format": "yyyy-mm", "valign": "top"})
    used = set()
    for section in report.sections:
        name = str(section.sheet)[:31]
        while name in used:  # one table per sheet, even if two share a sheet name
            name = name[:28] + f" {len(used)}"
        used.add(name)
        worksheet = workbook.add_worksheet(name)
        worksheet.write_string(0, 0, safe_text(section.title), heading)
        worksheet.write_string(1, 0, safe_text(f"{report.title} · {report.subtitle}"))
        row = 2
        if section.note:
            worksheet.write_string(row, 0, safe_text(section.note))
            row += 1
        header_row = row
        widths = [min(max(len(str(c.label)), 6), 30) for c in section.columns]
        for col, column in enumerate(section.columns):
            worksheet.write_string(row, col, safe_text(column.label), header)
        row += 1
        for values in section.rows:
            for col, value in enumerate(values):
                if col < len(widths):
                    widths[col] = max(widths[col], cell_width(value))
                if value is None:
                    continue
                if isinstance(value, bool):
                    worksheet.write_string(row, col, _("Ja") if value else _("Nej"), text)
                elif isinstance(value, int):
                    worksheet.write_number(row, col, value, number)
                elif isinstance(value, Decimal):
                    worksheet.write_number(row, col, float(value), decimal)
                elif isinstance(value, Month):
                    worksheet.write_datetime(row, col, value, month)
                elif isinstance(value, datetime.datetime):
                    worksheet.write_datetime(row, col, value.replace(tzinfo=None), date)
                elif isinstance(value, datetime.date):
                    worksheet.write_datetime(row, col, value, date)
                else:
                    worksheet.write_string(row, col, safe_text(value), text)
            row += 1
        for col, width in enumerate(widths):
            worksheet.set_column(col, col, min(width, 60) + 2)
        worksheet.freeze_panes(header_row + 1, 0)
        worksheet.autofilter(header_row, 0, max(row - 1, header_row), len(section.columns) - 1)
    workbook.close()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_xlsx(report):
    # A temporary file rather than BytesIO: constant_memory writes rows to disk as it goes.
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    # In a transaction for the same reason as CSV (pledges.csvstream.csv_lines): the activity
    # list's `.iterator()` then streams from a server-side cursor on PostgreSQL.
    with transaction.atomic(savepoint=False):
        write_xlsx(report, handle.name)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"{report.filename}.xlsx", content_type=XLSX_TYPE
    )


def static_roots():
    roots = [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def pdf_fetcher():
    """A WeasyPrint URL fetcher that serves our own static files and nothing else: the
    PDF never makes a network request, whatever the report's text contains."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = static_roots()

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, path.read_bytes(), headers={"Content-Type": content_type}
                    )
            raise ValueError(f"Blocked resource: {url[:100]}")

    return StaticOnlyFetcher(allowed_protocols=["file"])


def report_pdf_bytes(report, request=None, *, uncompressed=False):
    import weasyprint

    html = render_to_string(
        "reports/report_pdf.html",
        {"report": report, "sections": [s for s in report.sections if s.in_html]},
        request=request,
    )
    base_url = static_roots()[0].as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=pdf_fetcher())
    # PDF/UA-1 makes a tagged PDF (structure tree, language, title) for screen readers.
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=uncompressed)


def document_pdf_layout(doc, request=None):
    """One löfte's report laid out on A4 pages by WeasyPrint (its page boxes, which the
    tests walk to check that no page ends with a heading or caption)."""
    import weasyprint

    html = render_to_string("reports/document_pdf.html", {"doc": doc}, request=request)
    base_url = static_roots()[0].as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=pdf_fetcher())
    return document.render(pdf_variant="pdf/ua-1", pdf_tags=True)


def write_document_pdf(layout, *, uncompressed=False):
    return layout.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=uncompressed)


def document_pdf_bytes(doc, request=None, *, uncompressed=False):
    """One löfte's report (a reports.document.ReportDocument) as an A4 PDF: page numbers,
    running header, DejaVu fonts from the machine, tagged (PDF/UA-1) with title and lang,
    alternative text on every chart."""
    return write_document_pdf(document_pdf_layout(doc, request), uncompressed=uncompressed)


def report_pdf(report, request=None):
    if report.document is not None:
        response = HttpResponse(
            document_pdf_bytes(report.document, request), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{report.filename}.pdf"'
        return response
    response = HttpResponse(report_pdf_bytes(report, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.pdf"'
    return response
