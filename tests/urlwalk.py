"""Every public URL of the site, found by walking the URL configuration.

Tests that must cover "every page" (fuzzing, headers against gunicorn) take their URLs from
here, so a page added later is covered without anyone remembering to list it.
"""

import re
from html.parser import HTMLParser

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# Staff areas: logged-in only, tested by their own suites.
EXCLUDED_PREFIXES = ("admin/", "personal/")

# Values for path parameters, by parameter name first, then by converter.
VALUES_BY_NAME = {"slug": "kungalv"}
VALUES_BY_CONVERTER = {
    "slug": "kungalv",
    "str": "kungalv",
    "int": "1",
    "id": "1",
    "path": "kungalv/1",
    "uuid": "00000000-0000-4000-8000-000000000000",
}

_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _route_of(pattern):
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, RegexPattern):
        return str(pattern._regex)
    return str(pattern)


def _fill(route, values):
    def route_value(match):
        name, converter = match["name"], match["converter"] or "str"
        return str(values.get(name, VALUES_BY_CONVERTER.get(converter, "1")))

    def regex_value(match):
        return str(values.get(match["name"], "1"))

    route = _ROUTE_PARAMETER.sub(route_value, route)
    route = _REGEX_GROUP.sub(regex_value, route)
    return route.replace("^", "").replace("$", "").replace("\\", "")


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + _route_of(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def public_routes():
    """(route template, URLPattern) for every pattern outside the staff areas."""
    routes = []
    for route, entry in _walk(get_resolver().url_patterns):
        plain = route.lstrip("^")
        if plain.startswith(EXCLUDED_PREFIXES):
            continue
        routes.append((route, entry))
    return routes


def public_urls(values=None):
    """A concrete URL for every public pattern, parameters filled with seed-like values."""
    values = {**VALUES_BY_NAME, **(values or {})}
    urls = []
    for route, _entry in public_routes():
        url = "/" + _fill(route, values)
        if url not in urls:
            urls.append(url)
    return urls


def fill_route(route, values=None):
    """A concrete URL for one route template from `public_routes()`."""
    return "/" + _fill(route, {**VALUES_BY_NAME, **(values or {})})


class FormParser(HTMLParser):
    """Collects each POST form's action and field names (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": {}, "files": set()}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea"):
            name = attrs.get("name")
            if not name or name == "csrfmiddlewaretoken":
                return
            if (attrs.get("type") or "").lower() == "file":
                self._current["files"].add(name)
            else:
                self._current["fields"].setdefault(name, attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
