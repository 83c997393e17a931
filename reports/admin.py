"""Admin additions of the reports app.

`pledges` is the base layer and does not import `reports`, so the follow-up exports are
added here to the admins that pledges registered. Django imports each app's admin module in
INSTALLED_APPS order, and `reports` comes after `pledges`.
"""

from typing import Any

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy

from pledges.models import FollowUp, Pledge
from reports.admin_actions import (
    REPORT_FORMATS,
    export_follow_up,
    export_follow_up_round,
    follow_up_report_url,
)

pledge_admin = admin.site.get_model_admin(Pledge)
pledge_admin.actions = [*(pledge_admin.actions or ()), export_follow_up]

FollowUpAdmin: Any = type(admin.site.get_model_admin(FollowUp))
admin.site.unregister(FollowUp)


@admin.register(FollowUp)
class FollowUpReportAdmin(FollowUpAdmin):
    """The follow-up admin with its round's report: "Exportera uppföljning"."""

    list_display = [*FollowUpAdmin.list_display, "export_links"]
    readonly_fields = [*FollowUpAdmin.readonly_fields, "export_links"]
    actions = [*(FollowUpAdmin.actions or []), export_follow_up_round]

    @admin.display(description=gettext_lazy("Exportera uppföljning"))
    def export_links(self, obj):
        """The report for this round: its period and its text, as PDF or Word."""
        if obj.pk is None:
            return "–"
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            ((follow_up_report_url(obj, fmt), label) for fmt, label in REPORT_FORMATS),
        )
