"""The one streaming helper every CSV goes through (the open-data CSVs and the staff report
exports), and the cell formatting they share. It lives in the base app so that every app
above it can stream a CSV the same way."""

import codecs
import csv
import datetime
from decimal import Decimal

from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def safe_text(value):
    """A string that a spreadsheet will never read as a formula (OWASP CSV injection)."""
    value = str(value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_cell(value):
    """One value as CSV text, Swedish style: decimal comma, ISO dates, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return safe_text(value)


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    """Yields encoded CSV lines (UTF-8 with BOM, semicolons) for an iterable of rows.

    The rows are read inside a transaction on purpose: rows that come from
    `queryset.iterator(chunk_size=CHUNK_SIZE)` then use a PostgreSQL server-side cursor
    declared WITHOUT HOLD, so the first line goes out at once and memory stays flat.
    Outside a transaction Django declares the cursor WITH HOLD, and PostgreSQL computes the
    whole result before the first row (11.6 s instead of 0.3 s for a million activities in
    the benchmark). `savepoint=False`: a read needs no savepoint inside a caller's
    transaction. Order the queryset by an indexed key so that no sort precedes the rows.
    """
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    with transaction.atomic(savepoint=False):
        yield codecs.BOM_UTF8
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row]).encode("utf-8")


def csv_response(rows, filename):
    """A streaming CSV download of `rows` (an iterable of lists, usually a generator over
    `.iterator(chunk_size=CHUNK_SIZE)` that starts with a header row)."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
