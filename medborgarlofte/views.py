"""Site-wide pages: about, accessibility statement, privacy, health check, errors."""

import logging
import sys

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from medborgarlofte.middleware import database_unavailable_response, is_database_unavailable

logger = logging.getLogger(__name__)


# The language switch is in every page's footer. Without a CSRF token there, the public
# pages are the same for every visitor and can be served from the cache; the worst a forged
# post can do is switch a visitor's language.
set_language = csrf_exempt(i18n.set_language)


@require_safe
def about(request):
    return render(request, "pages/about.html")


@require_safe
def accessibility(request):
    return render(request, "pages/accessibility.html")


@require_safe
def privacy(request):
    return render(request, "pages/privacy.html")


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 otherwise; for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # A database that is down (e.g. restarting) is not a bug: 503 and "try again shortly".
    if is_database_unavailable(sys.exception()):
        return database_unavailable_response()
    # No context processors that might touch the database: it may be what failed.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)
