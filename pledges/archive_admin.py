"""Admin pieces that turn deleting a published löfte or commitment into archiving.

For the Pledge and Commitment admins (pledges/admin.py):

    class PledgeAdmin(ArchivingAdminMixin, admin.ModelAdmin):
        list_filter = [ArchivedListFilter, ...]
        actions = [*ArchivingAdminMixin.actions, restore_selected, ...]

An archived löfte comes back with the "Återställ" action (restore_selected, löften only).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pledges import services_archive


class ArchivedListFilter(admin.SimpleListFilter):
    title = _("arkiverat")
    parameter_name = "arkiverat"

    def lookups(self, request, model_admin):
        return [("nej", _("Aktuella")), ("ja", _("Arkiverade"))]

    def queryset(self, request, queryset):
        if self.value() == "nej":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "ja":
            return queryset.filter(archived_at__isnull=False)
        return queryset


@admin.action(description=_("Arkivera markerade (tas bort från de publika sidorna)"))
def archive_selected(modeladmin, request, queryset):
    count = 0
    for obj in queryset.filter(archived_at__isnull=True):
        if modeladmin.has_change_permission(request, obj):
            modeladmin.archive(request, obj)
            count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d arkiverades.", "%(count)d arkiverades.", count) % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Återställ markerade (visas åter på de publika sidorna)"))
def restore_selected(modeladmin, request, queryset):
    """Undoes archiving: the löfte and the commitments archived with it."""
    count = 0
    for pledge in queryset.filter(archived_at__isnull=False):
        if modeladmin.has_change_permission(request, pledge):
            services_archive.restore_pledge(pledge=pledge, user=request.user)
            modeladmin.log_change(request, pledge, [{"changed": {"fields": ["archived_at"]}}])
            count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d återställdes.", "%(count)d återställdes.", count) % {"count": count},
        messages.SUCCESS,
    )


class ArchivingAdminMixin:
    """Published löften and commitments in them cannot be deleted, only archived.

    - no "Radera" button on a published object (has_delete_permission);
    - the bulk delete action archives the published ones and deletes only drafts;
    - an "Arkivera" action.
    """

    actions = [archive_selected]
    readonly_archived_fields = ["archived_at"]

    def archive(self, request, obj):
        if isinstance(obj, services_archive.Pledge):
            services_archive.archive_pledge(pledge=obj, user=request.user)
        else:
            services_archive.archive_commitment(commitment=obj, user=request.user)
        self.log_change(request, obj, [{"changed": {"fields": ["archived_at"]}}])

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services_archive.is_protected(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        if services_archive.is_protected(obj):
            self.archive(request, obj)
        else:
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [f for f in self.readonly_archived_fields if f not in fields]
