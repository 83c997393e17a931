import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

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
