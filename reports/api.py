"""Open data: a public JSON API (/api/v1/), CSV downloads (/oppna-data/*.csv) and the page
that documents them. Plain Django views and JsonResponse; published löften only.

Each endpoint runs a fixed number of queries: one aggregate for the ETag/Last-Modified
fingerprint (which also gives the count), one for the page (plus prefetches).
"""

import hashlib
import re
from dataclasses import dataclass

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pledges.progress import State
from reports import exports, selectors
from reports.periods import PeriodError, parse_date

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
SLUG = re.compile(r"^[-a-z0-9_]{1,100}$")
LICENCE = {
    "name": "CC0 1.0 Universal",
    "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.sv",
}


class BadFilter(ValueError):
    pass


@dataclass(frozen=True)
class Filters:
    kommun: str = ""
    lpo: str = ""
    fran: object = None
    till: object = None


def read_filters(request):
    values = {}
    for param, key in (("kommun", "kommun"), ("lokalpolisomrade", "lpo")):
        value = request.GET.get(param, "").strip()
        if value and not SLUG.match(value):
            raise BadFilter(
                _(
                    "%(param)s ska vara ett kortnamn med små bokstäver, siffror och bindestreck, "
                    "till exempel kungalv."
                )
                % {"param": param}
            )
        values[key] = value
    try:
        for param in ("fran", "till"):
            value = request.GET.get(param, "").strip()
            values[param] = parse_date(value, param) if value else None
    except PeriodError as error:
        raise BadFilter(str(error)) from None
    if values["fran"] and values["till"] and values["fran"] > values["till"]:
        raise BadFilter(_("fran måste vara samma dag som eller före till."))
    return Filters(**values)


def read_page(request):
    try:
        page = int(request.GET.get("sida", "1"))
        size = int(request.GET.get("per_sida", str(PAGE_SIZE)))
    except ValueError:
        raise BadFilter(_("sida och per_sida måste vara heltal.")) from None
    if page < 1:
        raise BadFilter(_("sida måste vara 1 eller större."))
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise BadFilter(_("per_sida måste vara mellan 1 och %(max)s.") % {"max": MAX_PAGE_SIZE})
    return page, size


def json_error(message, status=400):
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def page_link(request, page):
    query = request.GET.copy()
    query["sida"] = str(page)
    return request.build_absolute_uri(request.path + "?" + query.urlencode())


def api_list(request, endpoint, queryset_for, serialize, finish=None):
    """A paginated, conditional JSON list. `queryset_for(filters)` is the endpoint's one
    selector; `serialize(obj)` turns a row into a dict of public fields."""
    try:
        filters = read_filters(request)
        page, size = read_page(request)
    except BadFilter as error:
        return json_error(str(error))
    queryset = queryset_for(filters)
    count, last_modified, extra = selectors.fingerprint(endpoint, queryset)
    raw = f"{endpoint}|{request.GET.urlencode()}|{count}|{last_modified}|{extra}"
    if endpoint == "ataganden":
        raw += f"|{timezone.localdate()}"
    etag = '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'
    last_modified_ts = int(last_modified.timestamp()) if last_modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified_ts)
    if not_modified is not None:
        return not_modified
    pages = max(1, -(-count // size))
    if page > pages:
        return json_error(
            _("Sidan finns inte. Det finns %(pages)s sidor.") % {"pages": pages}, status=404
        )
    offset = (page - 1) * size
    if finish is not None:
        queryset = finish(queryset)
    results = [serialize(obj) for obj in queryset[offset : offset + size]]
    response = JsonResponse(
        {
            "count": count,
            "page": page,
            "pages": pages,
            "next": page_link(request, page + 1) if page < pages else None,
            "previous": page_link(request, page - 1) if page > 1 else None,
            "licence": LICENCE,
            "results": results,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["ETag"] = etag
    if last_modified_ts:
        response["Last-Modified"] = http_date(last_modified_ts)
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def absolute(request, path):
    return request.build_absolute_uri(path)


# --- Serialisers: public fields only ------------------------------------------------------


def municipality_json(request):
    def serialize(m):
        return {
            "code": m.code,
            "name": m.name,
            "slug": m.slug,
            "county": {"code": m.county.code, "name": m.county.name},
            "police_areas": [{"slug": a.slug, "name": a.name} for a in m.police_areas.all()],
            "url": absolute(request, m.get_absolute_url()),
        }

    return serialize


def pledge_json(request):
    def serialize(p):
        return {
            "id": p.pk,
            "title": p.title,
            "slug": p.slug,
            "municipality": p.municipality.slug,
            "police_area": p.police_area.slug if p.police_area else None,
            "start_date": p.start_date.isoformat(),
            "end_date": p.end_date.isoformat(),
            "introduction": p.introduction,
            "follow_up_schedule": p.follow_up_schedule,
            "is_example": p.is_demo,
            "published_at": p.published_at.isoformat() if p.published_at else None,
            "updated_at": p.updated_at.isoformat(),
            "url": absolute(request, p.get_absolute_url()),
        }

    return serialize


def commitment_json(request):
    today = timezone.localdate()

    def serialize(c):
        progress = c.progress(achieved=c.achieved, today=today)
        return {
            "id": c.pk,
            "pledge": c.pledge_id,
            "municipality": c.pledge.municipality.slug,
            "focus_area": c.focus_area.title if c.focus_area else None,
            "text": c.text,
            "short_text": c.short_text,
            "responsible_police": c.responsible_police,
            "responsible_municipality": c.responsible_municipality,
            "target_kind": c.target_kind,
            "target_quantity": c.target_quantity,
            "target_unit": c.target_unit,
            "interval": c.interval or None,
            "progress": {
                "target": progress.target,
                "achieved": progress.achieved,
                "expected": progress.expected,
                "state": progress.state,
                "state_label": str(State.LABELS[progress.state]),
                "as_of": today.isoformat(),
            },
            "outcome": c.outcome or None,
            "outcome_explanation": c.outcome_explanation,
            "url": absolute(request, c.get_absolute_url()),
        }

    return serialize


def activity_json(request):
    def serialize(row):
        return {
            "id": row["id"],
            "date": row["date"].isoformat(),
            "quantity": row["quantity"],
            "place": row["place"],
            "description": row["description"],
            "is_example": row["is_example"],
            "commitment": row["commitment_id"],
            "pledge": row["commitment__pledge_id"],
            "municipality": row["commitment__pledge__municipality__slug"],
        }

    return serialize


def walk_json(request):
    def serialize(w):
        return {
            "id": w.pk,
            "municipality": w.municipality.slug,
            "commitment": w.public_commitment_id,
            "area": w.area,
            "meeting_point": w.meeting_point,
            "starts_at": w.starts_at.isoformat(),
            "ends_at": w.ends_at.isoformat() if w.ends_at else None,
            "organisers": w.organisers,
            "accessibility": w.accessibility,
            "description": w.description,
            "capacity": w.capacity,
            "status": w.status,
            "status_label": w.get_status_display(),
            "participants": w.participants,
            "report": w.report,
            "findings": {
                "total": w.findings_total,
                "fixed": w.findings_fixed,
                "open": w.findings_open,
                "declined": w.findings_declined,
            },
            "is_example": w.is_example,
            "updated_at": w.updated_at.isoformat(),
            "url": absolute(request, w.get_absolute_url()),
        }

    return serialize


def finding_json(request):
    def serialize(f):
        walk = f.walk
        return {
            "id": f.pk,
            "walk": walk.pk,
            "municipality": walk.municipality.slug,
            "walk_date": timezone.localtime(walk.starts_at).date().isoformat(),
            "place": f.place,
            "category": f.category,
            "category_label": f.get_category_display(),
            "description": f.description,
            "responsible": f.responsible,
            "responsible_label": f.get_responsible_display(),
            "status": f.status,
            "status_label": f.get_status_display(),
            "declined_reason": f.declined_reason,
            "due_date": f.due_date.isoformat() if f.due_date else None,
            "fixed_on": f.fixed_on.isoformat() if f.fixed_on else None,
            "is_example": walk.is_example,
            "updated_at": f.updated_at.isoformat(),
            "walk_url": absolute(request, walk.get_absolute_url()),
        }

    return serialize


def public_activity_rows(filters):
    # values() keeps internal_note and created_by out of the SQL, not just out of the JSON.
    return selectors.public_activities(filters).values(*selectors.ACTIVITY_FIELDS)


# --- Views -------------------------------------------------------------------------------


ENDPOINTS = [
    ("kommuner", "reports:api_municipalities", "Kommuner med kod, län och lokalpolisområden."),
    ("loften", "reports:api_pledges", "Publicerade medborgarlöften."),
    (
        "ataganden",
        "reports:api_commitments",
        "Åtaganden med mål, uppnått, förväntat och läge i dag.",
    ),
    ("aktiviteter", "reports:api_activities", "Genomförda insatser (offentliga fält)."),
    (
        "trygghetsvandringar",
        "reports:api_walks",
        "Genomförda och planerade trygghetsvandringar med antal iakttagelser per status.",
    ),
    (
        "iakttagelser",
        "reports:api_findings",
        "Iakttagelser från genomförda trygghetsvandringar: plats, kategori, ansvarig, status.",
    ),
]


@require_safe
def api_index(request):
    return JsonResponse(
        {
            "name": "Medborgarlöfte – öppna data",
            "version": "1",
            "documentation": absolute(request, reverse("reports:open_data")),
            "licence": LICENCE,
            "parameters": {
                "kommun": "kommunens kortnamn, t.ex. kungalv",
                "lokalpolisomrade": "lokalpolisområdets kortnamn",
                "fran": "ÅÅÅÅ-MM-DD",
                "till": "ÅÅÅÅ-MM-DD",
                "sida": "sidnummer, från 1",
                "per_sida": f"1–{MAX_PAGE_SIZE}, standard {PAGE_SIZE}",
            },
            "endpoints": {
                key: {"url": absolute(request, reverse(name)), "description": description}
                for key, name, description in ENDPOINTS
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def api_municipalities(request):
    return api_list(
        request, "kommuner", selectors.public_municipalities, municipality_json(request)
    )


@require_safe
def api_pledges(request):
    return api_list(request, "loften", selectors.public_pledges, pledge_json(request))


@require_safe
def api_commitments(request):
    return api_list(
        request,
        "ataganden",
        selectors.public_commitments,
        commitment_json(request),
        finish=selectors.with_progress,
    )


@require_safe
def api_activities(request):
    return api_list(request, "aktiviteter", public_activity_rows, activity_json(request))


@require_safe
def api_walks(request):
    return api_list(
        request,
        "trygghetsvandringar",
        selectors.public_walks,
        walk_json(request),
        finish=selectors.with_walk_details,
    )


@require_safe
def api_findings(request):
    return api_list(
        request,
        "iakttagelser",
        selectors.public_findings,
        finding_json(request),
        finish=selectors.with_finding_walk,
    )


# --- Open data page and CSV downloads -----------------------------------------------------


@require_safe
def open_data(request):
    example = (
        request.build_absolute_uri(reverse("reports:api_commitments"))
        + "?"
        + urlencode({"kommun": "kungalv"})
    )
    return render(
        request,
        "reports/open_data.html",
        {
            "example": example,
            "walks_example": request.build_absolute_uri(reverse("reports:api_walks"))
            + "?"
            + urlencode({"kommun": "kungalv", "fran": "2026-01-01"}),
            "api_index": absolute(request, reverse("reports:api_index")),
            "page_size": PAGE_SIZE,
            "max_page_size": MAX_PAGE_SIZE,
        },
    )


def csv_download(request, name, header, rows_for):
    try:
        filters = read_filters(request)
    except BadFilter as error:
        return json_error(str(error))

    def rows():
        yield header
        yield from rows_for(filters)

    response = exports.streaming_csv(rows(), name)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def csv_activities(request):
    def rows(filters):
        for row in public_activity_rows(filters).iterator(chunk_size=2000):
            yield [
                row["id"],
                row["date"],
                row["commitment__pledge__municipality__slug"],
                row["commitment__pledge_id"],
                row["commitment_id"],
                row["quantity"],
                row["place"],
                row["description"],
                row["is_example"],
            ]

    return csv_download(
        request,
        "aktiviteter",
        ["id", "datum", "kommun", "lofte", "atagande", "antal", "plats", "beskrivning", "exempel"],
        rows,
    )


@require_safe
def csv_commitments(request):
    today = timezone.localdate()

    def rows(filters):
        commitments = selectors.with_progress(selectors.public_commitments(filters))
        for c in commitments.iterator(chunk_size=2000):
            progress = c.progress(achieved=c.achieved, today=today)
            yield [
                c.pk,
                c.pledge.municipality.slug,
                c.pledge_id,
                str(c),
                c.target_kind,
                progress.target,
                progress.achieved,
                progress.expected,
                str(State.LABELS[progress.state]),
                today,
            ]

    return csv_download(
        request,
        "ataganden",
        [
            "id",
            "kommun",
            "lofte",
            "atagande",
            "typ_av_mal",
            "mal",
            "uppnatt",
            "forvantat",
            "lage",
            "per_datum",
        ],
        rows,
    )


@require_safe
def csv_pledges(request):
    def rows(filters):
        for p in selectors.public_pledges(filters).iterator(chunk_size=2000):
            yield [
                p.pk,
                p.municipality.slug,
                p.municipality.name,
                p.police_area.slug if p.police_area else "",
                p.title,
                p.start_date,
                p.end_date,
                p.is_demo,
            ]

    return csv_download(
        request,
        "loften",
        ["id", "kommun", "kommunnamn", "lokalpolisomrade", "rubrik", "fran", "till", "exempel"],
        rows,
    )


@require_safe
def csv_walks(request):
    def rows(filters):
        walks = selectors.with_walk_details(selectors.public_walks(filters))
        for w in walks.iterator(chunk_size=2000):
            yield [
                w.pk,
                w.municipality.slug,
                w.public_commitment_id or "",
                timezone.localtime(w.starts_at),
                w.area,
                w.status,
                w.participants,
                w.findings_total,
                w.findings_fixed,
                w.findings_open,
                w.findings_declined,
                w.is_example,
            ]

    return csv_download(
        request,
        "trygghetsvandringar",
        [
            "id",
            "kommun",
            "atagande",
            "start",
            "omrade",
            "status",
            "deltagare",
            "iakttagelser",
            "atgardade",
            "oppna",
            "avbojda",
            "exempel",
        ],
        rows,
    )


@require_safe
def csv_findings(request):
    def rows(filters):
        findings = selectors.with_finding_walk(selectors.public_findings(filters))
        for f in findings.iterator(chunk_size=2000):
            yield [
                f.pk,
                f.walk_id,
                f.walk.municipality.slug,
                timezone.localtime(f.walk.starts_at).date(),
                f.place,
                f.category,
                f.description,
                f.responsible,
                f.status,
                f.declined_reason,
                f.due_date,
                f.fixed_on,
                f.walk.is_example,
            ]

    return csv_download(
        request,
        "iakttagelser",
        [
            "id",
            "vandring",
            "kommun",
            "vandringens_datum",
            "plats",
            "kategori",
            "beskrivning",
            "ansvarig",
            "status",
            "skal_till_avbojd",
            "klart_senast",
            "atgardad",
            "exempel",
        ],
        rows,
    )
