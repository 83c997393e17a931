"""Writing a `Report` as CSV, XLSX or PDF. The HTML page renders the same sections; a
löfte's report renders its ReportDocument as PDF (and reports/docx.py as Word).

CSV and XLSX stream or write in constant memory: a section's rows may be a generator over
`.iterator()`, and nothing here collects them into a list. CSV goes through the one
streaming helper, `pledges.csvstream.csv_response`.
"""

import datetime
import mimetypes
import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pledges.csvstream import csv_response, safe_text


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


def report_rows(report):
    """All sections of a report as one table stream: a title row, a header row, the rows,
    a blank row. Swedish Excel opens it as it is."""
    yield [report.title]
    yield [report.subtitle]
    yield []
    for section in report.sections:
        yield [f"## {section.title}"]
        if section.note:
            yield [section.note]
        yield [column.label for column in section.columns]
        yield from section.rows
        yield []


def report_csv(report):
    return csv_response(report_rows(report), report.filename)


def write_xlsx(report, target):
    """Writes the report to `target` (a path) with XlsxWriter in constant-memory mode: rows
    go to disk as they are written, so memory does not grow with the number of rows."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True})
    heading = workbook.add_format({"bold": True, "font_size": 13})
    decimal = workbook.add_format({"num_format": "0.0"})
    sheets = {}
    for section in report.sections:
        if section.sheet not in sheets:
            worksheet = workbook.add_worksheet(str(section.sheet)[:31])
            worksheet.set_column(0, 12, 18)
            sheets[section.sheet] = [worksheet, 0]
            worksheet.write_string(0, 0, safe_text(report.title), heading)
            worksheet.write_string(1, 0, safe_text(report.subtitle))
            sheets[section.sheet][1] = 3
        worksheet, row = sheets[section.sheet]
        worksheet.write_string(row, 0, safe_text(section.title), heading)
        row += 1
        if section.note:
            worksheet.write_string(row, 0, safe_text(section.note))
            row += 1
        for col, column in enumerate(section.columns):
            worksheet.write_string(row, col, safe_text(column.label), bold)
        row += 1
        for values in section.rows:
            for col, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, bool):
                    worksheet.write_string(row, col, _("Ja") if value else _("Nej"))
                elif isinstance(value, int):
                    worksheet.write_number(row, col, value)
                elif isinstance(value, Decimal):
                    worksheet.write_number(row, col, float(value), decimal)
                elif isinstance(value, (datetime.date, datetime.datetime)):
                    worksheet.write_string(row, col, value.isoformat())
                else:
                    worksheet.write_string(row, col, safe_text(value))
            row += 1
        sheets[section.sheet][1] = row + 1
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


def document_pdf_bytes(doc, request=None, *, uncompressed=False):
    """One löfte's report (a reports.document.ReportDocument) as an A4 PDF: page numbers,
    running header, DejaVu fonts from the machine, tagged (PDF/UA-1) with title and lang."""
    import weasyprint

    html = render_to_string("reports/document_pdf.html", {"doc": doc}, request=request)
    base_url = static_roots()[0].as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=pdf_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=uncompressed)


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
