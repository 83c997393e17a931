"""The open-data resources, described once: each is data that the JSON API, the CSV
downloads (and the API's own description) read, never a branch in a view.

A `Resource` says, for one kind of record: its URL segment, how to select the public
records for a set of filters, which public fields a JSON record has, which columns its CSV
has, and where its `ETag`/`Last-Modified` come from. Only public records
(`Pledge.objects.public()` and the rules built on it) and public fields ever appear.
"""

import datetime
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.converters import parse_id
from core.siteurl import site_url
from dialogues.models import Finding, Organisation
from pledges.csvstream import CHUNK_SIZE
from pledges.figures import count_by_municipality
from pledges.models import Commitment, Indicator, IndicatorValue, lines, period_label
from pledges.problems import number, plain
from pledges.progress import State
from reports import selectors

# --- Filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a client asked for. The query parameters are Swedish (`kommun`,
    `lokalpolisomrade`, `fran`, `till`: see `PARAMETERS`); the names in code are English."""

    municipality: str = ""
    police_area: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    kind: str = ""  # a Commitment.Kind value (commitments only)


@dataclass(frozen=True)
class Parameter:
    name: str  # the query parameter, as clients write it
    attribute: str  # the `Filters` attribute it fills, or "" for paging
    kind: str  # "slug", "date", "integer" or "choice" (one of `choices`)
    description: object
    resources: tuple = ()  # the keys of the resources it filters; () for all
    choices: tuple = ()


SLUG_PATTERN = r"^[-a-z0-9_]{1,100}$"  # what a `slug` parameter accepts
FILTER_PARAMETERS = (
    Parameter(
        "kommun",
        "municipality",
        "slug",
        "Kommunens kortnamn, som i adressen till kommunens sida, till exempel kungalv.",
    ),
    Parameter("lokalpolisomrade", "police_area", "slug", "Lokalpolisområdets kortnamn."),
    Parameter("fran", "start", "date", "Från och med detta datum (ÅÅÅÅ-MM-DD)."),
    Parameter("till", "end", "date", "Till och med detta datum (ÅÅÅÅ-MM-DD)."),
    Parameter(
        "typ",
        "kind",
        "choice",
        "Åtagandets typ: "
        + ", ".join(Commitment.Kind.values)
        + " (se fältet kind). Bara åtaganden.",
        resources=("commitments",),
        choices=tuple(Commitment.Kind.values),
    ),
)


PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
PAGE_PARAMETERS = (
    Parameter("sida", "", "integer", "Sidnummer, från 1."),
    Parameter(
        "per_sida", "", "integer", f"Poster per sida, 1–{MAX_PAGE_SIZE}, standard {PAGE_SIZE}."
    ),
)


# --- Fields and columns ------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a row needs besides itself: the request (for absolute links) and the day that
    progress is judged on."""

    request: object
    today: datetime.date

    def absolute(self, path):
        return site_url(path)


def read(source, row, context):
    """A value from a row: `source` is a callable (row, context), a dict key (rows from
    `.values()`) or a dotted attribute path."""
    if callable(source):
        return source(row, context)
    if isinstance(row, dict):
        return row[source]
    return operator.attrgetter(source)(row)


@dataclass(frozen=True)
class Field:
    """One public field of a JSON record. `type` and `format` are JSON Schema's; nested
    objects and arrays of objects describe their members in `properties`."""

    name: str
    type: str
    description: object
    source: object = None  # see read(); the field's name when None
    format: str = ""  # "date", "date-time" or "uri"
    nullable: bool = False
    properties: tuple = ()
    enum: tuple = ()

    def render(self, row, context):
        value = read(self.name if self.source is None else self.source, row, context)
        if value is None:
            return None
        if self.type == "array":
            return [_render_object(self.properties, item, context) for item in value]
        if self.type == "object":
            return _render_object(self.properties, value, context)
        if self.format in ("date", "date-time"):
            return value.isoformat()
        return value


def _render_object(fields, row, context):
    return {f.name: f.render(row, context) for f in fields}


@dataclass(frozen=True)
class Column:
    """One CSV column: a Swedish header and where its value comes from (see read())."""

    header: str
    source: object


def url_of(row, context):
    return context.absolute(row.get_absolute_url())


def label(choice_field):
    return lambda row, context: getattr(row, f"get_{choice_field}_display")()


def local_time(path):
    getter = operator.attrgetter(path)
    return lambda row, context: timezone.localtime(getter(row))


def local_day(path):
    getter = operator.attrgetter(path)
    return lambda row, context: timezone.localtime(getter(row)).date()


# --- Resources ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    key: str  # English, for URL names: api_<key>, csv_<key>
    name: str  # the URL segment and the CSV file name, Swedish
    title: object
    description: object
    period: object  # what `fran`/`till` select for this resource
    queryset: Callable  # (Filters) -> the public records, ordered
    fields: tuple
    details: Callable | None = None  # (queryset) -> the same with what a page of rows shows
    prepare: Callable | None = None  # (row, context) -> row, before fields or columns are read
    columns: tuple = ()  # CSV columns; no CSV download when empty
    examples: dict = field(default_factory=dict)  # field path ("county.name") -> example
    # Aggregates whose latest value is the data's last change (the catalogue's modified).
    modified: dict = field(default_factory=dict)
    # For a big resource, the path from a record to its kommun's slug: the list's total is
    # then summed from counts per kommun, each cached under its kommun's version.
    municipality_path: str = ""
    # (Filters) -> {kommun slug: count} of every kommun at once, where that is cheaper than
    # grouping the rows (the first count, before any is cached).
    count_all: Callable | None = None
    # The field one record is found by at /api/v1/<name>/<value>/ (kommuner: their code).
    lookup: str = "pk"
    # (Filters) -> `queryset`'s records read for one page of an API list, where that needs
    # another plan than reading them all (selectors.public_activity_pages).
    page_queryset: Callable | None = None

    def get(self, value):
        """One public record by its `lookup` value (text from the address), or None."""
        if self.lookup == "pk":
            # ASCII digits only: "²" passes str.isdigit() and fails int().
            value = parse_id(value)
            if value is None:
                return None
        elif "\x00" in value:
            return None  # PostgreSQL cannot compare text holding NUL
        return self.rows(Filters()).filter(**{self.lookup: value}).first()

    def count(self, filters, name):
        """The number of records for `filters` (`name` says which, for the cache)."""
        queryset = self.queryset(filters)
        if self.municipality_path:
            return count_by_municipality(
                queryset,
                self.municipality_path,
                name,
                count_all=self.count_all and (lambda: self.count_all(filters)),
            )
        return queryset.order_by().count()

    def rows(self, filters):
        queryset = self.queryset(filters)
        return self.details(queryset) if self.details else queryset

    def page_rows(self, filters):
        """`rows(filters)` for one page of an API list (sliced by a Paginator)."""
        if self.page_queryset is None:
            return self.rows(filters)
        return self.page_queryset(filters)

    def record(self, row, context):
        if self.prepare:
            row = self.prepare(row, context)
        return _render_object(self.fields, row, context)

    def last_change(self, queryset):
        """The latest of `modified` over `queryset`, or None: one aggregate query (none when
        the resource has no such dates)."""
        if not self.modified:
            return None
        changed = queryset.order_by().aggregate(**self.modified).values()
        return max((value for value in changed if value is not None), default=None)

    def csv_rows(self, filters, context):
        """The CSV: a header row, then one row per record, streamed in chunks."""
        yield [column.header for column in self.columns]
        for row in self.rows(filters).iterator(chunk_size=CHUNK_SIZE):
            if self.prepare:
                row = self.prepare(row, context)
            yield [read(column.source, row, context) for column in self.columns]


def _state_vocabulary():
    # Read when the description is rendered (in Swedish: openapi.document), not at import,
    # when translations may not be ready yet.
    codes = "; ".join(f"{code} = {label}" for code, label in State.LABELS.items())
    return (
        f"Läge, samma som på den offentliga sidan och i uppföljningsrapporterna: {codes}. "
        f"När löftet har gått ut ett av: {', '.join(State.ENDED)}."
    )


STATE_VOCABULARY = lazy(_state_vocabulary, str)()


def with_today_progress(commitment, context):
    commitment.today_progress = commitment.progress(
        achieved=commitment.achieved, today=context.today
    )
    return commitment


def _kind_vocabulary():
    # Read when the description is rendered (in Swedish), like STATE_VOCABULARY.
    codes = "; ".join(f"{value} = {label}" for value, label in Commitment.Kind.choices)
    return f"Typ av åtagande: {codes}."


KIND_VOCABULARY = lazy(_kind_vocabulary, str)()


def slug_and_name(description):
    return (
        Field("slug", "string", "Kortnamn, som i adresserna."),
        Field("name", "string", description),
    )


MUNICIPALITIES = Resource(
    examples={
        "code": "1482",
        "name": "Kungälv",
        "slug": "kungalv",
        "county.code": "14",
        "county.name": "Västra Götalands län",
        "police_areas.slug": "kungalv-ale",
        "police_areas.name": "Kungälv-Ale",
    },
    key="municipalities",
    name="kommuner",
    lookup="code",
    title=_("Kommuner"),
    description=_("Kommuner med kod, län och lokalpolisområden."),
    period="Kommuner med ett publicerat löfte vars period överlappar.",
    queryset=selectors.public_municipalities,
    fields=(
        Field("code", "string", "Kommunkod (SCB), fyra siffror."),
        Field("name", "string", "Kommunens namn."),
        Field("slug", "string", "Kortnamn, som i adressen till kommunens sida."),
        Field(
            "county",
            "object",
            "Länet.",
            properties=(
                Field("code", "string", "Länskod (SCB), två siffror."),
                Field("name", "string", "Länets namn."),
            ),
        ),
        Field(
            "police_areas",
            "array",
            "Lokalpolisområden som kommunen hör till.",
            source=lambda m, context: m.police_areas.all(),
            properties=slug_and_name("Lokalpolisområdets namn."),
        ),
        Field("url", "string", "Kommunens sida.", source=url_of, format="uri"),
    ),
)

PLEDGES = Resource(
    examples={
        "title": "Medborgarlöfte för Kungälv 2025–2026",
        "slug": "2025-2026",
        "municipality": "kungalv",
        "police_area": "kungalv-ale",
        "introduction": "Polisen och kommunen lovar att arbeta för ökad trygghet.",
        "follow_up_schedule": "två gånger per år",
    },
    key="pledges",
    name="loften",
    title=_("Medborgarlöften"),
    description=_("Publicerade medborgarlöften."),
    period="Löften vars period överlappar.",
    queryset=selectors.public_pledges,
    modified={"updated": Max("updated_at"), "published": Max("published_at")},
    fields=(
        Field("id", "integer", "Löftets id."),
        Field("title", "string", "Rubrik."),
        Field("slug", "string", "Kortnamn, unikt inom kommunen."),
        Field("municipality", "string", "Kommunens kortnamn.", source="municipality.slug"),
        Field(
            "police_area",
            "string",
            "Lokalpolisområdets kortnamn.",
            source=lambda p, context: p.police_area.slug if p.police_area else None,
            nullable=True,
        ),
        Field("start_date", "string", "Gäller från.", format="date"),
        Field("end_date", "string", "Gäller till och med.", format="date"),
        Field(
            "period_stated",
            "boolean",
            "Om det publicerade löftet anger perioden; annars är datumen bara för ordningen.",
        ),
        Field("introduction", "string", "Inledning."),
        Field("follow_up_schedule", "string", "Hur ofta löftet följs upp."),
        Field(
            "is_example",
            "boolean",
            "Påhittat exempel för demonstration, inte verkliga uppgifter.",
            source="is_demo",
        ),
        Field("published_at", "string", "Publicerat.", format="date-time", nullable=True),
        Field("updated_at", "string", "Senast ändrat.", format="date-time"),
        Field("url", "string", "Löftets sida.", source=url_of, format="uri"),
    ),
    columns=(
        Column("id", "pk"),
        Column("kommun", "municipality.slug"),
        Column("kommunnamn", "municipality.name"),
        Column("lokalpolisomrade", lambda p, context: p.police_area.slug if p.police_area else ""),
        Column("rubrik", "title"),
        Column("fran", "start_date"),
        Column("till", "end_date"),
        Column("exempel", "is_demo"),
    ),
)

COMMITMENTS = Resource(
    examples={
        "municipality": "kungalv",
        "focus_area": "Trygg stadskärna",
        "text": "Polisen genomför minst 200 fotpatrulleringar i centrala Kungälv.",
        "short_text": "Fotpatrullering",
        "target_unit": "fotpatrulleringar",
        "progress.state_label": "I fas",
        "outcome_explanation": "",
    },
    key="commitments",
    name="ataganden",
    title=_("Åtaganden"),
    description=_("Åtaganden med mål, uppnått, förväntat och läge i dag."),
    period="Åtaganden i löften vars period överlappar.",
    queryset=selectors.public_commitments,
    details=selectors.with_progress,
    prepare=with_today_progress,
    modified={
        "updated": Max("updated_at"),
        "activity": Max("activities__updated_at"),
        "published": Max("pledge__published_at"),
    },
    fields=(
        Field("id", "integer", "Åtagandets id."),
        Field("pledge", "integer", "Löftets id.", source="pledge_id"),
        Field("municipality", "string", "Kommunens kortnamn.", source="pledge.municipality.slug"),
        Field(
            "focus_area",
            "string",
            "Fokusområdets rubrik.",
            source=lambda c, context: c.focus_area.title if c.focus_area else None,
            nullable=True,
        ),
        Field("text", "string", "Åtagandet som det står i löftet."),
        Field("short_text", "string", "Kort rubrik (kan vara tom)."),
        Field(
            "kind",
            "string",
            KIND_VOCABULARY,
            enum=tuple(Commitment.Kind.values),
        ),
        Field("kind_label", "string", "Typ av åtagande i ord.", source=label("kind")),
        Field("responsible_police", "boolean", "Polisen ansvarar."),
        Field("responsible_municipality", "boolean", "Kommunen ansvarar."),
        Field(
            "target_kind",
            "string",
            "Typ av mål: antal, återkommande, milstolpe eller löpande arbete.",
            enum=tuple(Commitment.TargetKind.values),
        ),
        Field("target_quantity", "integer", "Målvärde.", nullable=True),
        Field("target_unit", "string", "Enhet, till exempel fotpatrulleringar."),
        Field(
            "interval",
            "string",
            "Intervall för återkommande mål.",
            source=lambda c, context: c.interval or None,
            nullable=True,
            enum=tuple(Commitment.Interval.values),
        ),
        Field(
            "progress",
            "object",
            "Hur långt åtagandet har kommit i dag.",
            source="today_progress",
            properties=(
                Field("target", "integer", "Mål för hela perioden.", nullable=True),
                Field("achieved", "integer", "Uppnått hittills."),
                Field(
                    "achieved_source",
                    "string",
                    "Varifrån siffran kommer: logged (summan av registrerade insatser) eller "
                    "entered_at_closing (slutsiffran som angavs när löftet avslutades).",
                    source=lambda p, context: "entered_at_closing" if p.final_entered else "logged",
                    enum=("logged", "entered_at_closing"),
                ),
                Field("expected", "integer", "Förväntat i dag.", nullable=True),
                Field("state", "string", STATE_VOCABULARY, enum=tuple(State.LABELS)),
                Field(
                    "state_label",
                    "string",
                    "Läget i ord.",
                    source=lambda p, context: str(State.LABELS[p.state]),
                ),
                Field(
                    "as_of",
                    "string",
                    "Dagen läget gäller.",
                    source=lambda p, context: context.today,
                    format="date",
                ),
            ),
        ),
        Field(
            "outcome",
            "string",
            "Utfall när löftet har gått ut.",
            source=lambda c, context: c.outcome or None,
            nullable=True,
            enum=tuple(Commitment.Outcome.values),
        ),
        Field("outcome_explanation", "string", "Förklaring av utfallet."),
        Field(
            "final_quantity",
            "integer",
            "Slutsiffran som angavs när löftet avslutades, när den skiljer sig från de "
            "registrerade insatserna.",
            nullable=True,
        ),
        Field("final_quantity_source", "string", "Källan till slutsiffran."),
        Field(
            "example_pledge",
            "boolean",
            "Åtagandet hör till ett påhittat exempellöfte (demonstrationens nästa löfte), inte "
            "till ett publicerat medborgarlöfte.",
            source="pledge.is_example",
        ),
        Field("url", "string", "Åtagandets sida.", source=url_of, format="uri"),
    ),
    columns=(
        Column("id", "pk"),
        Column("kommun", "pledge.municipality.slug"),
        Column("lofte", "pledge_id"),
        Column("atagande", lambda c, context: str(c)),
        Column("typ", "kind"),
        Column("typ_namn", lambda c, context: str(c.get_kind_display())),
        Column("typ_av_mal", "target_kind"),
        Column("mal", "today_progress.target"),
        Column("uppnatt", "today_progress.achieved"),
        Column("forvantat", "today_progress.expected"),
        Column("lage_kod", "today_progress.state"),
        Column("lage", lambda c, context: str(State.LABELS[c.today_progress.state])),
        Column("per_datum", lambda c, context: context.today),
    ),
)

ACTIVITIES = Resource(
    examples={
        "place": "Västra gatan",
        "description": "Fotpatrullering kvällstid.",
        "municipality": "kungalv",
    },
    key="activities",
    name="aktiviteter",
    title=_("Genomförda insatser"),
    description=_("Genomförda insatser (offentliga fält)."),
    period="Insatser med datum inom perioden.",
    queryset=selectors.public_activity_rows,
    page_queryset=selectors.public_activity_pages,
    modified={
        "updated": Max("updated_at"),
        "published": Max("commitment__pledge__published_at"),
    },
    municipality_path="commitment__pledge__municipality__slug",
    count_all=selectors.public_activity_counts,
    fields=(
        Field("id", "integer", "Insatsens id."),
        Field("date", "string", "Datum.", format="date"),
        Field("quantity", "integer", "Antal."),
        Field("place", "string", "Plats (kan vara tom)."),
        Field("description", "string", "Beskrivning (kan vara tom)."),
        Field(
            "is_example", "boolean", "Påhittat exempel för demonstration, inte verkliga uppgifter."
        ),
        Field("commitment", "integer", "Åtagandets id."),
        Field("pledge", "integer", "Löftets id.", source="commitment__pledge_id"),
        Field(
            "municipality",
            "string",
            "Kommunens kortnamn.",
            source="commitment__pledge__municipality__slug",
        ),
    ),
    columns=(
        Column("id", "id"),
        Column("datum", "date"),
        Column("kommun", "commitment__pledge__municipality__slug"),
        Column("lofte", "commitment__pledge_id"),
        Column("atagande", "commitment"),
        Column("antal", "quantity"),
        Column("plats", "place"),
        Column("beskrivning", "description"),
        Column("exempel", "is_example"),
    ),
)

WALKS = Resource(
    examples={
        "municipality": "kungalv",
        "area": "Ytterby centrum",
        "meeting_point": "Ytterby station",
        "organisers": "Kommunen och polisen",
        "accessibility": "Promenaden är cirka två kilometer på asfalt.",
        "description": "Vi går genom centrum och tittar på belysning och gångvägar.",
        "status_label": "Genomförd",
        "report": "Belysningen behöver ses över.",
    },
    key="walks",
    name="trygghetsvandringar",
    title=_("Trygghetsvandringar"),
    description=_(
        "Genomförda och planerade trygghetsvandringar med antal iakttagelser per status."
    ),
    period="Vandringar som börjar inom perioden.",
    queryset=selectors.public_walks,
    details=selectors.with_walk_details,
    modified={
        "updated": Max("updated_at"),
        "finding": Max("findings__updated_at"),
        "published": Max("commitment__pledge__published_at"),
    },
    fields=(
        Field("id", "integer", "Vandringens id."),
        Field("municipality", "string", "Kommunens kortnamn.", source="municipality.slug"),
        Field(
            "commitment",
            "integer",
            "Åtagandet vandringen hör till, om det är offentligt.",
            source="public_commitment_id",
            nullable=True,
        ),
        Field("area", "string", "Område."),
        Field("meeting_point", "string", "Samlingsplats."),
        Field("starts_at", "string", "Start.", format="date-time"),
        Field("ends_at", "string", "Slut.", format="date-time", nullable=True),
        Field("organisers", "string", "Arrangörer."),
        Field("accessibility", "string", "Tillgänglighet."),
        Field("description", "string", "Beskrivning."),
        Field("capacity", "integer", "Högst antal deltagare.", nullable=True),
        Field("status", "string", "Status.", enum=tuple(selectors.PUBLIC_WALK_STATUSES)),
        Field("status_label", "string", "Status i ord.", source=label("status")),
        Field("participants", "integer", "Antal deltagare.", nullable=True),
        Field("report", "string", "Rapporten efter vandringen."),
        Field(
            "findings",
            "object",
            "Antal iakttagelser per status.",
            source=lambda w, context: w,
            properties=(
                Field("total", "integer", "Alla.", source="findings_total"),
                Field("fixed", "integer", "Åtgärdade.", source="findings_fixed"),
                Field("open", "integer", "Öppna.", source="findings_open"),
                Field("declined", "integer", "Avböjda.", source="findings_declined"),
            ),
        ),
        Field(
            "is_example", "boolean", "Påhittat exempel för demonstration, inte verkliga uppgifter."
        ),
        Field("updated_at", "string", "Senast ändrad.", format="date-time"),
        Field("url", "string", "Vandringens sida.", source=url_of, format="uri"),
    ),
    columns=(
        Column("id", "pk"),
        Column("kommun", "municipality.slug"),
        Column("atagande", lambda w, context: w.public_commitment_id or ""),
        Column("start", local_time("starts_at")),
        Column("omrade", "area"),
        Column("status", "status"),
        Column("deltagare", "participants"),
        Column("iakttagelser", "findings_total"),
        Column("atgardade", "findings_fixed"),
        Column("oppna", "findings_open"),
        Column("avbojda", "findings_declined"),
        Column("exempel", "is_example"),
    ),
)

FINDINGS = Resource(
    examples={
        "municipality": "kungalv",
        "place": "Gångtunneln vid stationen",
        "category_label": "Belysning",
        "description": "Två lampor är trasiga.",
        "responsible_label": "Kommunen",
        "status_label": "Åtgärdad",
        "declined_reason": "",
    },
    key="findings",
    name="iakttagelser",
    title=_("Iakttagelser"),
    description=_(
        "Iakttagelser från genomförda trygghetsvandringar: plats, kategori, ansvarig, status."
    ),
    period="Iakttagelser från vandringar som börjar inom perioden.",
    queryset=selectors.public_findings,
    details=selectors.with_finding_walk,
    modified={"updated": Max("updated_at"), "walk": Max("walk__updated_at")},
    fields=(
        Field("id", "integer", "Iakttagelsens id."),
        Field("walk", "integer", "Vandringens id.", source="walk_id"),
        Field("municipality", "string", "Kommunens kortnamn.", source="walk.municipality.slug"),
        Field(
            "walk_date",
            "string",
            "Vandringens datum.",
            source=local_day("walk.starts_at"),
            format="date",
        ),
        Field("place", "string", "Plats."),
        Field("category", "string", "Kategori.", enum=tuple(Finding.Category.values)),
        Field("category_label", "string", "Kategori i ord.", source=label("category")),
        Field("description", "string", "Beskrivning."),
        Field("responsible", "string", "Ansvarig organisation.", enum=tuple(Organisation.values)),
        Field(
            "responsible_label",
            "string",
            "Ansvarig organisation i ord.",
            source=label("responsible"),
        ),
        Field("status", "string", "Status.", enum=tuple(Finding.Status.values)),
        Field("status_label", "string", "Status i ord.", source=label("status")),
        Field("declined_reason", "string", "Skäl när iakttagelsen avböjts."),
        Field("due_date", "string", "Ska vara klar senast.", format="date", nullable=True),
        Field("fixed_on", "string", "Åtgärdad.", format="date", nullable=True),
        Field(
            "is_example",
            "boolean",
            "Påhittat exempel för demonstration, inte verkliga uppgifter.",
            source="walk.is_example",
        ),
        Field("updated_at", "string", "Senast ändrad.", format="date-time"),
        Field(
            "walk_url",
            "string",
            "Vandringens sida.",
            source=lambda f, context: context.absolute(f.walk.get_absolute_url()),
            format="uri",
        ),
    ),
    columns=(
        Column("id", "pk"),
        Column("vandring", "walk_id"),
        Column("kommun", "walk.municipality.slug"),
        Column("vandringens_datum", local_day("walk.starts_at")),
        Column("plats", "place"),
        Column("kategori", "category"),
        Column("beskrivning", "description"),
        Column("ansvarig", "responsible"),
        Column("status", "status"),
        Column("skal_till_avbojd", "declined_reason"),
        Column("klart_senast", "due_date"),
        Column("atgardad", "fixed_on"),
        Column("exempel", "walk.is_example"),
    ),
)

# --- Problems and effect indicators (pledges.problems) --------------------------------------


def decimal_number(path):
    """A Decimal (see read()) as a JSON number; None stays None."""

    def value(row, context):
        found = read(path, row, context)
        return None if found is None else float(found)

    return value


def one_per_line(path):
    """A "one per line" text as [{"name": line}]."""
    getter = operator.attrgetter(path)
    return lambda row, context: [{"name": line} for line in lines(getter(row))]


def joined(path, attribute):
    """A prefetched relation as "a; b" for a CSV cell."""
    return lambda row, context: "; ".join(
        str(getattr(item, attribute)) for item in getattr(row, path).all()
    )


def plain_or_none(value):
    return None if value is None else plain(value)


def problem_url(problem, context):
    return context.absolute(f"{problem.pledge.get_absolute_url()}#problem-{problem.pk}")


EXAMPLE_MARK = "Påhittat exempel för demonstration, inte en verklig mätning."

PROBLEMS = Resource(
    examples={
        "municipality": "trollhattan",
        "title": "Otrygghet vid resecentrum och i kollektivtrafiken",
        "description": "Platser där upplevd otrygghet är som störst.",
        "places.name": "Resecentrum",
        "sources.name": "Lokala trygghetsmätningar",
        "dialogues.title": "Invånardialog om resecentrum",
        "focus_areas.title": "Insatser med fokus på trygghet och förebyggande arbete",
        "indicators.name": "Andel som känner sig otrygga vid resecentrum kvällstid",
    },
    key="problems",
    name="problem",
    title=_("Problem"),
    description=_(
        "Problemen som löftena ska minska: beskrivning, platser och källor, de åtaganden och "
        "fokusområden som svarar på dem och indikatorerna som mäter dem."
    ),
    period="Problem i löften vars period överlappar.",
    queryset=selectors.public_problems,
    details=selectors.with_problem_details,
    modified={"updated": Max("updated_at"), "published": Max("pledge__published_at")},
    fields=(
        Field("id", "integer", "Problemets id."),
        Field("pledge", "integer", "Löftets id.", source="pledge_id"),
        Field("municipality", "string", "Kommunens kortnamn.", source="pledge.municipality.slug"),
        Field("title", "string", "Problemet, kort."),
        Field("description", "string", "Beskrivning."),
        Field(
            "places",
            "array",
            "Platser.",
            source=one_per_line("places"),
            properties=(Field("name", "string", "Platsen."),),
        ),
        Field(
            "sources",
            "array",
            "Källor till problembilden, till exempel en trygghetsmätning.",
            source=one_per_line("sources"),
            properties=(Field("name", "string", "Källan."),),
        ),
        Field(
            "dialogues",
            "array",
            "Medborgardialoger som lyfte fram problemet.",
            source=lambda p, context: p.dialogues.all(),
            properties=(
                Field("title", "string", "Dialogens rubrik."),
                Field(
                    "date",
                    "string",
                    "Datum (för bara en månad: månadens första dag).",
                    format="date",
                ),
                Field(
                    "is_example",
                    "boolean",
                    "Påhittat exempel för demonstration, inte verkliga uppgifter.",
                ),
            ),
        ),
        Field(
            "commitments",
            "array",
            "Åtaganden som svarar på problemet (se ataganden).",
            source=lambda p, context: p.commitments.all(),
            properties=(Field("id", "integer", "Åtagandets id."),),
        ),
        Field(
            "focus_areas",
            "array",
            "Fokusområden som svarar på problemet.",
            source=lambda p, context: p.focus_areas.all(),
            properties=(Field("title", "string", "Fokusområdets rubrik."),),
        ),
        Field(
            "indicators",
            "array",
            "Indikatorer som mäter problemet (se indikatorer).",
            source=lambda p, context: p.indicators.all(),
            properties=(
                Field("id", "integer", "Indikatorns id."),
                Field("name", "string", "Indikatorns namn."),
            ),
        ),
        Field(
            "is_example",
            "boolean",
            "Löftet är påhittat exempel för demonstration, inte verkliga uppgifter.",
            source="pledge.is_demo",
        ),
        Field("updated_at", "string", "Senast ändrat.", format="date-time"),
        Field("url", "string", "Problemet på löftets sida.", source=problem_url, format="uri"),
    ),
    columns=(
        Column("id", "pk"),
        Column("kommun", "pledge.municipality.slug"),
        Column("lofte", "pledge_id"),
        Column("problem", "title"),
        Column("beskrivning", "description"),
        Column("platser", lambda p, context: "; ".join(lines(p.places))),
        Column("kallor", lambda p, context: "; ".join(lines(p.sources))),
        Column("dialoger", joined("dialogues", "title")),
        Column("ataganden", joined("commitments", "pk")),
        Column("fokusomraden", joined("focus_areas", "title")),
        Column("indikatorer", joined("indicators", "name")),
        Column("exempel", "pledge.is_demo"),
    ),
)

INDICATORS = Resource(
    examples={
        "municipality": "trollhattan",
        "name": "Andel som känner sig otrygga vid resecentrum kvällstid",
        "place": "Resecentrum",
        "unit": "%",
        "source": "Trollhättans trygghetsmätning",
        "source_url": "",
        "baseline_value": 41,
        "target_value": 30,
        "values.value": 36,
        "values.period_label": "2025",
        "values.source": "https://example.se/trygghetsmatning-2025",
        "values.note": "",
    },
    key="indicators",
    name="indikatorer",
    title=_("Indikatorer"),
    description=_(
        "Effektindikatorer per kommun med uppmätta värden per period, med källa och kommentar. "
        "Siffrorna visar hur läget har utvecklats, inte ensamma vad insatserna har åstadkommit. "
        "Exempelvärden är märkta."
    ),
    period="Indikatorer för problem i löften vars period överlappar.",
    queryset=selectors.public_indicators,
    details=selectors.with_indicator_details,
    modified={"updated": Max("updated_at"), "value": Max("values__updated_at")},
    fields=(
        Field("id", "integer", "Indikatorns id."),
        Field("municipality", "string", "Kommunens kortnamn.", source="municipality.slug"),
        Field("name", "string", "Namn, unikt inom kommunen."),
        Field("place", "string", "Plats (tom för hela kommunen)."),
        Field("unit", "string", "Enhet, till exempel % eller per 1 000 invånare."),
        Field(
            "direction",
            "string",
            "Vad som är bättre: lower = lägre, higher = högre.",
            enum=tuple(Indicator.Direction.values),
        ),
        Field("source", "string", "Källa."),
        Field("source_url", "string", "Länk till källan (kan vara tom)."),
        Field(
            "baseline_period",
            "string",
            "Utgångsläget: period (årets första dag för ett år).",
            format="date",
            nullable=True,
        ),
        Field(
            "baseline_value",
            "number",
            "Utgångsläget: värde.",
            source=decimal_number("baseline_value"),
            nullable=True,
        ),
        Field(
            "target_period",
            "string",
            "När målvärdet ska vara nått.",
            format="date",
            nullable=True,
        ),
        Field(
            "target_value",
            "number",
            "Målvärde.",
            source=decimal_number("target_value"),
            nullable=True,
        ),
        Field(
            "problems",
            "array",
            "Problem som indikatorn mäter (se problem).",
            source=lambda i, context: i.problems.all(),
            properties=(Field("id", "integer", "Problemets id."),),
        ),
        Field(
            "values",
            "array",
            "Uppmätta värden, äldst först.",
            source=lambda i, context: i.values.all(),
            properties=(
                Field("period", "string", "Periodens första dag.", format="date"),
                Field(
                    "granularity",
                    "string",
                    "year = hela året, day = den dagen.",
                    enum=tuple(IndicatorValue.Granularity.values),
                ),
                Field("period_label", "string", "Perioden i ord: 2024 eller 2024-05-31."),
                Field("value", "number", "Värdet.", source=decimal_number("value")),
                Field("source", "string", "Källa: en länk eller ett namn (kan vara tom)."),
                Field("note", "string", "Kommentar."),
                Field("is_example", "boolean", EXAMPLE_MARK),
            ),
        ),
        Field("updated_at", "string", "Senast ändrad.", format="date-time"),
        Field(
            "url",
            "string",
            "Kommunens sida.",
            source=lambda i, context: context.absolute(i.municipality.get_absolute_url()),
            format="uri",
        ),
    ),
    columns=(
        Column("id", "pk"),
        Column("kommun", "municipality.slug"),
        Column("indikator", "name"),
        Column("plats", "place"),
        Column("enhet", "unit"),
        Column("battre", "direction"),
        Column("kalla", "source"),
        Column("utgangslage_period", "baseline_period"),
        Column("utgangslage_varde", lambda i, context: plain_or_none(i.baseline_value)),
        Column("mal_period", "target_period"),
        Column("mal_varde", lambda i, context: plain_or_none(i.target_value)),
        Column("problem", joined("problems", "pk")),
        Column(
            "varden",
            lambda i, context: "; ".join(
                f"{v.period_label}: {number(v.value)}" + (" (exempel)" if v.is_example else "")
                for v in i.values.all()
            ),
        ),
    ),
)

INDICATOR_VALUES = Resource(
    examples={
        "indicator_name": "Andel som känner sig otrygga vid resecentrum kvällstid",
        "unit": "%",
        "municipality": "trollhattan",
        "period_label": "2025",
        "value": 36,
        "source": "https://example.se/trygghetsmatning-2025",
        "note": "",
    },
    key="indicator_values",
    name="indikatorvarden",
    title=_("Indikatorvärden"),
    description=_(
        "Indikatorernas uppmätta värden, ett per rad, med period, källa och kommentar. "
        "Exempelvärden är märkta."
    ),
    period="Värden vars period börjar inom perioden.",
    queryset=selectors.public_indicator_values,
    modified={"updated": Max("updated_at")},
    fields=(
        Field("id", "integer", "Värdets id."),
        Field("indicator", "integer", "Indikatorns id.", source="indicator_id"),
        Field("indicator_name", "string", "Indikatorns namn.", source="indicator__name"),
        Field("unit", "string", "Enhet.", source="indicator__unit"),
        Field(
            "municipality",
            "string",
            "Kommunens kortnamn.",
            source="indicator__municipality__slug",
        ),
        Field("period", "string", "Periodens första dag.", format="date"),
        Field(
            "granularity",
            "string",
            "year = hela året, day = den dagen.",
            enum=tuple(IndicatorValue.Granularity.values),
        ),
        Field(
            "period_label",
            "string",
            "Perioden i ord: 2024 eller 2024-05-31.",
            source=lambda v, context: period_label(v["period"], v["granularity"]),
        ),
        Field("value", "number", "Värdet.", source=decimal_number("value")),
        Field("source", "string", "Källa: en länk eller ett namn (kan vara tom)."),
        Field("note", "string", "Kommentar."),
        Field("is_example", "boolean", EXAMPLE_MARK),
    ),
    columns=(
        Column("id", "id"),
        Column("kommun", "indicator__municipality__slug"),
        Column("indikator_id", "indicator_id"),
        Column("indikator", "indicator__name"),
        Column("enhet", "indicator__unit"),
        Column("period", lambda v, context: period_label(v["period"], v["granularity"])),
        Column("varde", lambda v, context: plain(v["value"])),
        Column("kalla", "source"),
        Column("kommentar", "note"),
        Column("exempel", "is_example"),
    ),
)

RESOURCES = (
    MUNICIPALITIES,
    PLEDGES,
    COMMITMENTS,
    ACTIVITIES,
    WALKS,
    FINDINGS,
    PROBLEMS,
    INDICATORS,
    INDICATOR_VALUES,
)
