"""Scope in the admin: a staff user sees and changes only their own area's data.

Built on `pledges.scoping` so that the rule lives in one place. Every scoped ModelAdmin
filters its change list, change form, delete and history pages, actions (which run on the
scoped change list), foreign-key and many-to-many choices and the autocomplete results it
serves. Another area's object opened by URL is a 404: we do not even confirm it exists.
Superusers (national administrators) see everything.

Usage in another app::

    @admin.register(Dialogue)
    class DialogueAdmin(ScopedAdminMixin, admin.ModelAdmin):
        scope_path = "municipality"

and for inlines ``class NoteInline(ScopedInlineMixin, admin.TabularInline)``. Register the
model's path with `pledges.scoping.register_scope_path` if other forms point at it.
"""

from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, unquote
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.http import Http404

from pledges.groups import is_national_admin
from pledges.scoping import scope_for_model, scope_queryset


class ScopedFieldsMixin:
    """Foreign-key and many-to-many choices limited to the user's scope."""

    def _unscoped(self, request):
        # National administrators edit the national tables (e.g. a police area's kommuner)
        # for every area.
        return getattr(self, "national_table", False) and is_national_admin(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset") and not self._unscoped(request):
            field.queryset = scope_for_model(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset") and not self._unscoped(request):
            field.queryset = scope_for_model(field.queryset, request.user)
        return field


def _is_relation(model, path):
    try:
        fields = get_fields_from_path(model, path)
    except (FieldDoesNotExist, NotRelationField):
        return False
    return fields[-1].is_relation


class ScopedAdminMixin(ScopedFieldsMixin):
    """A ModelAdmin whose every page is limited to the user's kommuner.

    `scope_path` is the lookup from the model to its Municipality ("" for Municipality).
    """

    scope_path: str | None = None

    def get_scope_path(self):
        if self.scope_path is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a scope_path.")
        return self.scope_path

    def get_list_filter(self, request):
        """Filters on a related model list only the values in the user's own rows: a
        coordinator of one kommun sees that kommun, not all 290."""
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and _is_relation(self.model, entry):
                entry = (entry, admin.RelatedOnlyFieldListFilter)
            filters.append(entry)
        return filters

    def get_queryset(self, request):
        if self._unscoped(request):
            return super().get_queryset(request)
        queryset = scope_queryset(
            super().get_queryset(request), request.user, self.get_scope_path()
        )
        if "municipalities" in self.get_scope_path().split("__"):
            queryset = queryset.distinct()
        return queryset

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Out of scope or missing: the same answer, so nothing leaks.
            raise Http404
        return obj

    def _require_in_scope(self, request, object_id):
        # simple-history falls back to the latest historical record when the object is not
        # in the queryset, which would show another area's data: check the scope first.
        # Superusers may read the history of deleted objects; nobody else. Not even a valid
        # key ("abc", "²") is a 404 for everyone, never the ValueError of a lookup.
        try:
            object_id = self.model._meta.pk.to_python(unquote(object_id))
        except (ValidationError, ValueError, TypeError):
            raise Http404 from None
        if request.user.is_superuser:
            return
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedInlineMixin(ScopedFieldsMixin):
    """An inline whose foreign-key choices are scoped; its rows follow the scoped parent."""


class NationalTableMixin:
    """A national table (pledges.groups): everyone with the view permission reads it; only
    national administrators, with the group's permissions, add, change or delete."""

    national_table = True

    def has_add_permission(self, request, *args):
        return is_national_admin(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_national_admin(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_national_admin(request.user) and super().has_delete_permission(request, obj)
