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

from dialogues.models import Finding, Organisation
from pledges.csvstream import CHUNK_SIZE
from pledges.figures import count_by_municipality
from pledges.models import Commitment
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


@dataclass(frozen=True)
class Parameter:
    name: str  # the query parameter, as clients write it
    attribute: str  # the `Filters` attribute it fills, or "" for paging
    kind: str  # "slug", "date" or "integer"
    description: object


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
        return self.request.build_absolute_uri(path)


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
    details: Callable = None  # (queryset) -> the same with what a page of rows shows
    prepare: Callable = None  # (row, context) -> row, before fields or columns are read
    columns: tuple = ()  # CSV columns; no CSV download when empty
    examples: dict = field(default_factory=dict)  # field path ("county.name") -> example
    # Aggregates whose latest value is the data's last change (the catalogue's modified).
    modified: dict = field(default_factory=dict)
    # For a big resource, the path from a record to its kommun's slug: the list's total is
    # then summed from counts per kommun, each cached under its kommun's version.
    municipality_path: str = ""
    # (Filters) -> {kommun slug: count} of every kommun at once, where that is cheaper than
    # grouping the rows (the first count, before any is cached).
    count_all: Callable = None
    # The field one record is found by at /api/v1/<name>/<value>/ (kommuner: their code).
    lookup: str = "pk"
    # (Filters) -> `queryset`'s records read for one page of an API list, where that needs
    # another plan than reading them all (selectors.public_activity_pages).
    page_queryset: Callable = None

    def get(self, value):
        """One public record by its `lookup` value (text from the address), or None."""
        if self.lookup == "pk" and not value.isdigit():
            return None
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
        Field("url", "string", "Åtagandets sida.", source=url_of, format="uri"),
    ),
    columns=(
        Column("id", "pk"),
        Column("kommun", "pledge.municipality.slug"),
        Column("lofte", "pledge_id"),
        Column("atagande", lambda c, context: str(c)),
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

RESOURCES = (MUNICIPALITIES, PLEDGES, COMMITMENTS, ACTIVITIES, WALKS, FINDINGS)
