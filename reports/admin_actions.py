"""The admin actions "Exportera uppföljning" for the löfte list and the follow-up list.

reports/admin.py adds `export_follow_up` to the registered PledgeAdmin, and
`export_follow_up_round` with the links of `follow_up_report_url` to the FollowUpAdmin.
"""

import io
import zipfile

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledges.scoping import scope_queryset
from reports import exports, periods, sections

MAX_PLEDGES_IN_ZIP = 50


@admin.action(description=gettext_lazy("Exportera uppföljning"))
def export_follow_up(modeladmin, request, queryset):
    """One löfte: go to its report for its whole period. Several: a zip with a folder
    per löfte holding one CSV per table.

    The queryset is filtered to the user's scope again, so that a crafted POST cannot
    export another kommun's löfte.
    """
    pledges = list(
        scope_queryset(queryset, request.user, "municipality").select_related(
            "municipality", "police_area"
        )
    )
    if not pledges:
        modeladmin.message_user(
            request, _("Inga löften inom ditt område valdes."), level=messages.WARNING
        )
        return None
    if len(pledges) == 1:
        pledge = pledges[0]
        query = urlencode(
            {"fran": pledge.start_date.isoformat(), "till": pledge.end_date.isoformat()}
        )
        return redirect(reverse("reports:pledge", args=[pledge.pk]) + "?" + query)
    if len(pledges) > MAX_PLEDGES_IN_ZIP:
        modeladmin.message_user(
            request,
            _("Välj högst %(max)s löften åt gången.") % {"max": MAX_PLEDGES_IN_ZIP},
            level=messages.WARNING,
        )
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for pledge in pledges:
            period = periods.Period(pledge.start_date, pledge.end_date)
            report = sections.pledge_report(pledge, period)
            # One folder per löfte, one CSV per table in it.
            exports.write_csv_tables(report, archive, folder=f"{report.filename}/")
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="uppfoljningar.zip"'
    return response


REPORT_FORMATS = (
    ("pdf", "PDF"),
    ("docx", "Word"),
    ("html", gettext_lazy("Webbsida")),
    ("xlsx", "Excel"),
    ("csv", "CSV"),
)


def follow_up_report_url(follow_up, fmt="pdf"):
    """The löfte's report for one follow-up round: the round's period, summary and notes."""
    query = urlencode({"uppfoljning": follow_up.pk, "format": fmt})
    return reverse("reports:pledge", args=[follow_up.pledge_id]) + "?" + query


@admin.action(description=gettext_lazy("Exportera uppföljning"))
def export_follow_up_round(modeladmin, request, queryset):
    """One round: its report as PDF, for the kommunstyrelse meeting."""
    rounds = list(scope_queryset(queryset, request.user, "pledge__municipality")[:2])
    if len(rounds) != 1:
        modeladmin.message_user(
            request, _("Välj en uppföljning att exportera."), level=messages.WARNING
        )
        return None
    return redirect(follow_up_report_url(rounds[0]))
