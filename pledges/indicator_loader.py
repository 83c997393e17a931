"""Reading measured indicator values from a CSV file: `manage.py load_indicator_values` and
the upload page on the indicators' admin list use the same code.

The file is UTF-8, comma-separated, with the header
`kommunkod,indikator,period,värde,källa,kommentar`. `period` is a year (2024) or a day
(2024-05-31); `värde` takes a decimal comma or point (a decimal comma must be quoted: "23,5");
`indikator` is the indicator's name within the kommun. Every line is checked first: one bad
line and nothing is saved, with a Swedish message per line naming its number. Loading the
same file again adds nothing: a value is found by its indicator and period and only changed
when it differs.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from pledges.models import Indicator, IndicatorValue, Municipality
from pledges.problems import parse_period

COLUMNS = ("kommunkod", "indikator", "period", "värde", "källa", "kommentar")
MAX_ROWS = 10_000


@dataclass
class Row:
    line: int
    indicator: Indicator
    period: object
    granularity: str
    value: Decimal
    source: str
    note: str


@dataclass
class Result:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        counts = _("%(added)s nya värden, %(changed)s ändrade, %(unchanged)s oförändrade.") % {
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
        }
        if self.dry_run:
            return _("Provkörning, inget sparades: ") + counts
        return counts


def parse_value(text):
    """A Decimal from "23,5", "23.5" or "1 234,5"; ValueError otherwise."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        raise ValueError(text)
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or abs(value) >= Decimal("1e11"):
        raise ValueError(text)
    return value.quantize(Decimal("0.001"))


def parse(text, *, municipalities=None):
    """(rows, errors) for the CSV `text`. `municipalities` limits the kommuner a line may
    name (a staff user's own); None allows every kommun."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        return [], [_("Filen är tom.")]
    except csv.Error:
        return [], [_("Filen kunde inte läsas som CSV.")]
    if tuple(header[: len(COLUMNS)]) != COLUMNS:
        return [], [
            _("Rad 1 måste vara rubrikraden: %(columns)s.") % {"columns": ",".join(COLUMNS)}
        ]
    allowed = Municipality.objects.all() if municipalities is None else municipalities
    kommuner = {m.code: m for m in allowed.only("pk", "code", "name")}
    indicators = {
        (indicator.municipality_id, indicator.name.casefold()): indicator
        for indicator in Indicator.objects.filter(municipality__in=list(kommuner.values()))
    }
    rows, errors, seen = [], [], {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                errors.append(_("Filen har för många rader. Högst %(n)s.") % {"n": MAX_ROWS})
                break
            row, error = _parse_line(line, record, kommuner, indicators, municipalities)
            if error:
                errors.append(_("Rad %(line)s: %(error)s") % {"line": line, "error": error})
                continue
            key = (row.indicator.pk, row.period)
            if key in seen:
                errors.append(
                    _("Rad %(line)s: samma indikator och period som rad %(first)s.")
                    % {"line": line, "first": seen[key]}
                )
                continue
            seen[key] = line
            rows.append(row)
    except csv.Error as error:
        errors.append(_("Rad %(line)s: %(error)s") % {"line": reader.line_num, "error": error})
    if not rows and not errors:
        errors.append(_("Filen innehåller inga värden."))
    return rows, errors


def _parse_line(line, record, kommuner, indicators, scoped):
    cells = [cell.strip() for cell in record] + [""] * len(COLUMNS)
    code, name, period_text, value_text, source, note = cells[: len(COLUMNS)]
    if len(record) > len(COLUMNS):
        return None, _(
            'fler kolumner än rubrikerna. Skriv ett decimaltal med komma inom citattecken: "23,5".'
        )
    municipality = kommuner.get(code)
    if municipality is None:
        if scoped is not None:
            return None, _("kommunkoden ”%(code)s” är okänd eller utanför ditt område.") % {
                "code": code
            }
        return None, _("okänd kommunkod ”%(code)s”.") % {"code": code}
    indicator = indicators.get((municipality.pk, name.casefold()))
    if indicator is None:
        return None, _("%(kommun)s har ingen indikator som heter ”%(name)s”.") % {
            "kommun": municipality.name,
            "name": name,
        }
    try:
        period, granularity = parse_period(period_text)
    except ValueError:
        return None, _(
            "perioden ”%(period)s” är inte ett år (2024) eller ett datum (2024-05-31)."
        ) % {"period": period_text}
    try:
        value = parse_value(value_text)
    except ValueError:
        return None, _("värdet ”%(value)s” är inte ett tal.") % {"value": value_text}
    if len(source) > 500:
        return None, _("källan är längre än 500 tecken.")
    return Row(line, indicator, period, granularity, value, source, note), None


def load(*, text, dry_run=False, municipalities=None):
    """Reads `text` and, unless `dry_run` or a line is bad, saves its values in one
    transaction. Returns a Result with the counts and the errors (nothing saved with any)."""
    result = Result(dry_run=dry_run)
    with transaction.atomic():
        rows, errors = parse(text, municipalities=municipalities)
        if errors:
            result.errors = errors
            return result
        existing = {
            (value.indicator_id, value.period): value
            for value in IndicatorValue.objects.filter(
                indicator__in={row.indicator.pk for row in rows}
            )
        }
        for row in rows:
            fields = {
                "granularity": row.granularity,
                "value": row.value,
                "source": row.source,
                "note": row.note,
                "is_example": False,
            }
            value = existing.get((row.indicator.pk, row.period))
            if value is None:
                result.added += 1
                if not dry_run:
                    IndicatorValue.objects.create(
                        indicator=row.indicator, period=row.period, **fields
                    )
            elif any(getattr(value, name) != wanted for name, wanted in fields.items()):
                result.changed += 1
                if not dry_run:
                    for name, wanted in fields.items():
                        setattr(value, name, wanted)
                    value.save()
            else:
                result.unchanged += 1
    return result
