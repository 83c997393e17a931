"""Open data: a public JSON API (/api/v1/), CSV downloads (/oppna-data/*.csv) and the page
that documents them. Two views serve every resource described in `reports.resources`;
nothing here knows one resource from another.

Both are public pages (`pagecache.pages.public_page`): validators from the content versions, a
list's answer cached per version. A list runs a fixed number of queries when it is made:
its exact total (cached per version and filter, shared by its pages) and the page of rows
(plus prefetches). A CSV runs one query, streamed.
"""

import re

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.siteurl import site_url
from pagecache.pages import nation_scopes, page_value, public_page
from pledges import national
from pledges.csvstream import csv_response
from pledges.progress import State
from reports import catalog, openapi
from reports.periods import PeriodError, parse_date
from reports.resources import (
    FILTER_PARAMETERS,
    MAX_PAGE_SIZE,
    PAGE_PARAMETERS,
    PAGE_SIZE,
    RESOURCES,
    SLUG_PATTERN,
    Context,
    Filters,
)

SLUG = re.compile(SLUG_PATTERN)
LICENCE = {
    "name": "CC0 1.0 Universal",
    "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.sv",
}


class BadFilter(ValueError):
    pass


def read_filters(request):
    values = {}
    try:
        for parameter in FILTER_PARAMETERS:
            value = request.GET.get(parameter.name, "").strip()
            if parameter.kind == "choice":
                if value and value not in parameter.choices:
                    raise BadFilter(
                        _("%(param)s ska vara en av: %(choices)s.")
                        % {"param": parameter.name, "choices": ", ".join(parameter.choices)}
                    )
                values[parameter.attribute] = value
            elif parameter.kind == "slug":
                if value and not SLUG.match(value):
                    raise BadFilter(
                        _(
                            "%(param)s ska vara ett kortnamn med små bokstäver, siffror och "
                            "bindestreck, till exempel kungalv."
                        )
                        % {"param": parameter.name}
                    )
                values[parameter.attribute] = value
            else:
                values[parameter.attribute] = parse_date(value, parameter.name) if value else None
    except PeriodError as error:
        raise BadFilter(str(error)) from None
    if values["start"] and values["end"] and values["start"] > values["end"]:
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
    return site_url(request.path + "?" + query.urlencode())


def absolute(request, path):
    """`path` on the site's address (SITE_URL), never the request's Host: API answers and
    the open-data page are kept in the page cache."""
    return site_url(path)


@public_page(nation_scopes)
@require_safe
def api_list(request, resource):
    """A paginated JSON list of one resource's public records (conditional and cached
    through `public_page`, in urls.py)."""
    try:
        filters = read_filters(request)
        number, size = read_page(request)
    except BadFilter as error:
        return json_error(str(error))
    rows = resource.page_rows(filters)
    paginator = Paginator(rows, size)
    # Every page of a list has the same total: counted once per content version (a count
    # over a million activities takes a good part of a second, see Resource.count).
    # Named by the filters read, not the query string: other parameters change nothing.
    name = f"api-count:{resource.key}:{filters}"
    paginator.count = page_value(request, name, lambda: resource.count(filters, name))
    try:
        page = paginator.page(number)
    except EmptyPage:
        return json_error(
            _("Sidan finns inte. Det finns %(pages)s sidor.") % {"pages": paginator.num_pages},
            status=404,
        )
    context = Context(request, timezone.localdate())
    response = JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page_link(request, page.next_page_number()) if page.has_next() else None,
            "previous": (
                page_link(request, page.previous_page_number()) if page.has_previous() else None
            ),
            "licence": LICENCE,
            "results": [resource.record(row, context) for row in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public_page(nation_scopes)
@require_safe
def api_detail(request, resource, value):
    """One public record of a resource, as it is in the lists (404 when it is not public)."""
    row = resource.get(value)
    if row is None:
        return json_error(_("Posten finns inte eller är inte offentlig."), status=404)
    context = Context(request, timezone.localdate())
    response = JsonResponse(
        resource.record(row, context), json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


# A stream: validators only, the body is not kept.
@public_page(nation_scopes, store=False)
@require_safe
def csv_download(request, resource):
    """One resource's public records as a streamed CSV, through `pledges.csvstream`."""
    try:
        filters = read_filters(request)
    except BadFilter as error:
        return json_error(str(error))
    context = Context(request, timezone.localdate())
    response = csv_response(resource.csv_rows(filters, context), resource.name)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def api_index(request):
    return JsonResponse(
        {
            "name": "Medborgarlöfte – öppna data",
            "version": "1",
            "documentation": absolute(request, reverse("reports:open_data")),
            "openapi": absolute(request, reverse("reports:openapi")),
            "catalogue": absolute(request, reverse("reports:catalogue_rdf")),
            "licence": LICENCE,
            "parameters": {
                parameter.name: parameter.description
                for parameter in (*FILTER_PARAMETERS, *PAGE_PARAMETERS)
            },
            "endpoints": {
                resource.name: {
                    "url": absolute(request, reverse(f"reports:api_{resource.key}")),
                    "description": str(resource.description),
                }
                for resource in RESOURCES
            }
            | {
                "nationellt": {
                    "url": absolute(request, reverse("reports:api_national")),
                    "description": str(openapi.NATIONAL_DESCRIPTION),
                }
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


def figures_record(figures):
    """One row of the national picture (pledges.national.Figures) as JSON."""
    return {
        "name": figures.name,
        "code": figures.code,
        "municipalities": figures.total,
        "current": figures.current,
        "recently_ended": figures.recently_ended,
        "none": figures.none,
        "commitments": figures.commitments,
        "kinds": {kind: count for kind, _label, count in figures.kind_rows()},
        "states": {state: figures.states.get(state, 0) for state in State.LABELS},
        "is_example": figures.demo,
    }


@public_page(nation_scopes)
@require_safe
def api_national(request):
    """The national picture (/nationellt/) as JSON: the country, every län and every police
    region with the same figures as the page's table."""
    picture = national.national_picture()
    response = JsonResponse(
        {
            "as_of": picture.today.isoformat(),
            "licence": LICENCE,
            "page": absolute(request, reverse("pledges:national")),
            "csv": absolute(request, reverse("pledges:national_csv")),
            "country": figures_record(picture.country),
            "counties": [figures_record(county) for county in picture.counties],
            "regions": [
                {
                    **figures_record(region),
                    "counties": [county.code for county in region.counties],
                }
                for region in picture.regions
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def openapi_document(request):
    """The API's OpenAPI 3.1 description, generated from the same resource descriptions."""
    response = JsonResponse(
        openapi.document(request, licence=LICENCE),
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def catalogue_response(request, rdf_format, content_type):
    response = HttpResponse(
        catalog.build(request).serialize(format=rdf_format, encoding="utf-8"),
        content_type=content_type,
    )
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public_page(nation_scopes)
@require_safe
def catalogue_rdf(request):
    """The DCAT-AP-SE catalogue as RDF/XML, the form Sveriges dataportal harvests."""
    return catalogue_response(request, "pretty-xml", "application/rdf+xml; charset=utf-8")


@public_page(nation_scopes)
@require_safe
def catalogue_jsonld(request):
    """The same catalogue as JSON-LD."""
    return catalogue_response(request, "json-ld", "application/ld+json; charset=utf-8")


# --- Open data page and CSV downloads -----------------------------------------------------


@require_safe
def open_data(request):
    example = (
        absolute(request, reverse("reports:api_commitments"))
        + "?"
        + urlencode({"kommun": "kungalv"})
    )
    return render(
        request,
        "reports/open_data.html",
        {
            "example": example,
            "walks_example": absolute(request, reverse("reports:api_walks"))
            + "?"
            + urlencode({"kommun": "kungalv", "fran": "2026-01-01"}),
            "api_index": absolute(request, reverse("reports:api_index")),
            "openapi": absolute(request, reverse("reports:openapi")),
            "catalogue_rdf": absolute(request, reverse("reports:catalogue_rdf")),
            "catalogue_jsonld": absolute(request, reverse("reports:catalogue_jsonld")),
            "page_size": PAGE_SIZE,
            "max_page_size": MAX_PAGE_SIZE,
        },
    )
