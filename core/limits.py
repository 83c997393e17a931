"""Request body limits, checked on the Content-Length header before anything reads the body.

Django parses a body the first time something reads `request.POST` (the CSRF check, our
NUL check, a form), so a 100 MB upload to a public form or to a read-only API would be
read, spooled to disk and parsed before any view could refuse it. This middleware
answers first, by the class of the URL and the user:

* read-only URLs (API, open data, feeds, documents, reports, static files) and every
  GET/HEAD take no body at all;
* public forms take at most `PUBLIC_FORM_MAX_BYTES` and no files;
* staff on the admin and staff pages may upload up to `STAFF_UPLOAD_MAX_BYTES`, which
  covers the largest löfte PDF (`pledges.validators.MAX_PDF_BYTES`) and its form.

The proxy in front (deploy/nginx.conf) and Django's own DATA_UPLOAD_* settings are the
outer bounds; docs/security.md lists them together.
"""

import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, HttpResponseBadRequest, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils.translation import gettext as _

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
READ_ONLY_PATHS = re.compile(
    r"^/(api/|oppna-data/|flode/|kommun/[^/]+/flode/|dokument/|rapporter/|static/|media/|healthz)"
)
STAFF_UPLOAD_PATHS = ("/admin/", "/personal/")


def body_limit(request):
    """(largest body in bytes, whether files may be sent) for this request."""
    if request.method in SAFE_METHODS or READ_ONLY_PATHS.match(request.path_info):
        return 0, False
    if request.path_info.startswith(STAFF_UPLOAD_PATHS) and request.user.is_staff:
        return settings.STAFF_UPLOAD_MAX_BYTES, True
    return settings.PUBLIC_FORM_MAX_BYTES, False


def limit_response(message, status):
    # Rendered without a request context, like the 400 page: nothing here may read the body.
    response = HttpResponse(
        loader.render_to_string("413.html", {"message": message, "status": status}),
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


class RequestBodyLimitMiddleware:
    """Refuses a request whose declared body is larger than its URL class allows (413), or
    that sends a file where none is taken (415). Must come before anything that reads
    `request.POST`, `request.FILES` or `request.body`, and after AuthenticationMiddleware
    (the staff limit depends on who is signed in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest(loader.render_to_string("400.html"))
        if length <= 0:
            # Without a Content-Length Django reads no body at all.
            return self.get_response(request)
        limit, files_allowed = body_limit(request)
        if length > limit:
            if limit == 0:
                message = _("Den här adressen tar inte emot något innehåll.")
            else:
                message = _("Det du skickade är för stort. Högst %(size)s får skickas.") % {
                    "size": human_size(limit)
                }
            return limit_response(message, 413)
        if not files_allowed and request.content_type.startswith("multipart/"):
            # Browsers send our public forms urlencoded, but a multipart post of text
            # fields is legitimate; one with a file is not. The body is small by now, so
            # parsing it here costs little, and the parsed data is reused downstream.
            try:
                has_files = bool(request.FILES)
            except (MultiPartParserError, SuspiciousOperation, UnreadablePostError):
                return HttpResponseBadRequest(loader.render_to_string("400.html"))
            if has_files:
                return limit_response(_("Formuläret tar inte emot filer. Skicka bara text."), 415)
        return self.get_response(request)


def human_size(size):
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} MB"
    return f"{size // 1024} kB"
