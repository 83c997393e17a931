"""The site's own pages: about, accessibility statement, privacy, health check, errors, the
language switch and the admin's scoped "view on site"."""

import datetime
import logging
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from core import deadline
from core.middleware import database_unavailable_response, is_database_unavailable

logger = logging.getLogger(__name__)


# The language switch is in every page's footer. Without a CSRF token there, the public
# pages are the same for every visitor and can be served from the cache; the worst a forged
# post can do is switch a visitor's language.
set_language = csrf_exempt(i18n.set_language)


@require_safe
def about(request):
    return render(request, "pages/about.html")


# When the accessibility statement was last checked against the tests that back it
# (tests/test_site.py, tests/browser/test_accessibility_statement.py).
ACCESSIBILITY_ASSESSED_ON = datetime.date(2026, 12, 7)
DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"


@require_safe
def accessibility(request):
    context = {
        "organisation": settings.ACCESSIBILITY_ORGANISATION,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "assessed_on": ACCESSIBILITY_ASSESSED_ON,
        "digg_report_url": DIGG_REPORT_URL,
    }
    return render(request, "pages/accessibility.html", context)


@require_safe
def privacy(request):
    return render(request, "pages/privacy.html")


HEALTH_QUERY = "SELECT 1"

# The check runs on a thread of its own, so that the answer comes within the bound even
# while a new connection to a stopped server waits for libpq's connect_timeout.
_health_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
_health_lock = threading.Lock()
_health_pending = None


def _check_database():
    """Connects, runs HEALTH_QUERY within HEALTHZ_TIMEOUT_MS (the server's statement timeout
    and the client's deadline, core.deadline) and closes: whether the database answered."""
    seconds = settings.HEALTHZ_TIMEOUT_MS / 1000
    try:
        with deadline.watch(seconds), transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)",
                    [str(settings.HEALTHZ_TIMEOUT_MS)],
                )
            cursor.execute(HEALTH_QUERY)
            cursor.fetchone()
        return True
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return False
    finally:
        connection.close()


def database_answers(seconds):
    """Whether the database answered a check within `seconds`. A check still running from
    an earlier call is waited for rather than queued behind."""
    global _health_pending
    until = time.monotonic() + seconds
    with _health_lock:
        if _health_pending is None or _health_pending.done():
            _health_pending = _health_executor.submit(_check_database)
            ours = True
        else:
            ours = False
        pending = _health_pending
    try:
        answered = pending.result(timeout=max(0, until - time.monotonic()))
    except FutureTimeout:
        return False
    if ours:
        return answered
    # An earlier check ended meanwhile: ours, in the time left.
    return database_answers(until - time.monotonic()) if until > time.monotonic() else False


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers within HEALTHZ_TIMEOUT_MS, 503 otherwise, whatever the
    database does (a frozen one too); for load balancers, which must learn of a hung
    database quickly. Answered for any Host (sitepages.middleware)."""
    if not database_answers(settings.HEALTHZ_TIMEOUT_MS / 1000 * 0.8):
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


def admin_view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" link (/admin/r/<content type>/<id>/), within the scope.

    Django's own `shortcut` view looks the object up unscoped and redirects to its public
    URL, whose kommun and slug tell a kommunpolis about another area's draft. Here the
    object must be in the queryset of its registered ModelAdmin (which is scoped) and the
    user must be allowed to view it; otherwise a 404, the same answer as for a missing one.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    try:
        model_admin = admin.site.get_model_admin(model)
    except NotRegistered as error:
        raise Http404 from error
    if not model_admin.has_view_or_change_permission(request):
        raise Http404
    try:
        in_scope = model_admin.get_queryset(request).filter(pk=unquote(object_id)).exists()
    except (ValueError, ValidationError):
        in_scope = False  # not even a valid key
    if not in_scope:
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)
