import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

logger = logging.getLogger(__name__)


class PermissionsPolicyMiddleware:
    """Sets the Permissions-Policy header, which Django's SecurityMiddleware does not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SwedishFirstLocaleMiddleware:
    """Swedish unless the visitor chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, giving a visitor
    with an English phone an English interface around Swedish löfte texts they came to
    read. The choice is made explicitly instead, and stored in the language cookie by
    `set_language`.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class DatabaseUnavailableMiddleware:
    """Answers 503 with a Swedish page while the database is unreachable (e.g. restarting).

    Django opens a new connection on the next request (CONN_MAX_AGE with health checks), so
    the site recovers by itself when the database is back; no restart of gunicorn needed.
    Errors raised outside a view (in another middleware) reach `handler500`, which gives the
    same answer for the same exceptions.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            logger.warning(
                "Database unavailable: %s %s: %s", request.method, request.path, exception
            )
            return database_unavailable_response()
        return None


def is_database_unavailable(exception):
    return isinstance(exception, (OperationalError, InterfaceError))


def database_unavailable_response():
    # Rendered without a request context: context processors might touch the database.
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


# The character sets a body may declare: every browser sends UTF-8 (or nothing). Others are
# refused: UTF-7 decodes to lone surrogates that no template, log or PostgreSQL column takes.
ACCEPTED_CHARSETS = {"utf-8", "utf8", "us-ascii", "ascii"}
# Longer than any username (Django's User: 150): refused before django-axes stores it in its
# 255-character column (a DataError on PostgreSQL) or authentication reads the database.
USERNAME_MAX_LENGTH = 150


class RejectUnreadableBodyMiddleware:
    """Refuses with the Swedish 400 a body that cannot be read as text (a charset other
    than UTF-8, or bytes that are not UTF-8 in a form post) and a sign-in with a username
    longer than any account's. Comes after the body limits and before anything reads
    `request.POST`. A staff member's multipart post (an upload) is left to the forms."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD", "OPTIONS") and self._refused(request):
            return HttpResponseBadRequest(loader.render_to_string("400.html"))
        return self.get_response(request)

    def _refused(self, request):
        charset = request.content_params.get("charset")
        if charset is not None and charset.strip().lower() not in ACCEPTED_CHARSETS:
            return True
        if request.content_type == "application/x-www-form-urlencoded":
            try:
                request.body.decode("utf-8")
            except UnicodeDecodeError:
                return True
        elif request.content_type != "multipart/form-data" or request.user.is_authenticated:
            return False
        try:
            usernames = request.POST.getlist("username")
        except (MultiPartParserError, SuspiciousOperation, UnreadablePostError):
            return True
        return any(len(name) > USERNAME_MAX_LENGTH for name in usernames)


class RejectNullCharactersMiddleware:
    """Refuses a query string or form post containing a NUL character with a 400.

    No legitimate input contains one, and PostgreSQL cannot store or even compare it: a view
    passing such a value to a query would fail with a 500. Forms already refuse it
    (ProhibitNullCharactersValidator); this covers everything read straight from the request.
    Multipart posts are left to the forms, so uploads are not parsed before the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_null(request.GET) or (
            request.content_type == "application/x-www-form-urlencoded"
            and request.method == "POST"
            and _has_null(request.POST)
        ):
            return HttpResponseBadRequest(loader.render_to_string("400.html"))
        return self.get_response(request)


def _has_null(query_dict):
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )
