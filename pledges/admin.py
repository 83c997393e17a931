"""The admin is the CMS: kommunpoliser and kommunens samordnare edit their own löften here.

Every ModelAdmin of a scoped model uses `ScopedAdminMixin` (see `pledges.admin_scoping`);
national tables (län, kommuner, polisregioner, lokalpolisområden, samverkansparter) are
read-only except for national administrators, and memberships except for superusers.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.services import send_set_password_email
from pledges import services
from pledges.admin_scoping import NationalTableMixin, ScopedAdminMixin, ScopedInlineMixin
from pledges.archive_admin import ArchivedListFilter, ArchivingAdminMixin, restore_selected
from pledges.groups import is_national_admin
from pledges.history import decision_reason
from pledges.history_admin import HistoryAdmin
from pledges.models import (
    Activity,
    Commitment,
    Contact,
    County,
    FocusArea,
    FollowUp,
    FollowUpNote,
    Membership,
    Municipality,
    Partner,
    Pledge,
    PledgeExtension,
    PoliceArea,
    PoliceRegion,
    Signatory,
)
from pledges.staff_forms import (
    ClosePledgeForm,
    CommitmentAdminForm,
    ExtendPledgeForm,
    FollowUpNoteForm,
    NewStaffForm,
    NextPledgeForm,
    PledgeAdminForm,
    PublishForm,
    ResendLinkForm,
)

# --- Reference data -------------------------------------------------------------------


@admin.register(PoliceRegion)
class PoliceRegionAdmin(NationalTableMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(County)
class CountyAdmin(NationalTableMixin, admin.ModelAdmin):
    list_display = ["code", "name", "police_region"]
    list_filter = ["police_region"]
    search_fields = ["name", "code"]
    list_select_related = ["police_region"]


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, NationalTableMixin, admin.ModelAdmin):
    scope_path = ""
    list_display = ["name", "code", "county", "personal_data_retention_months"]
    list_filter = ["county"]
    search_fields = ["name", "code", "slug"]
    list_select_related = ["county"]
    fieldsets = [
        (None, {"fields": ["name", "code", "slug", "county"]}),
        (gettext_lazy("Personuppgifter"), {"fields": ["personal_data_retention_months"]}),
    ]


@admin.register(PoliceArea)
class PoliceAreaAdmin(ScopedAdminMixin, NationalTableMixin, admin.ModelAdmin):
    scope_path = "municipalities"
    list_display = ["name", "police_district", "region", "municipality_names"]
    list_filter = ["region", "police_district"]
    search_fields = ["name", "slug", "municipalities__name"]
    list_select_related = ["region"]
    filter_horizontal = ["municipalities"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("municipalities")

    @admin.display(description=gettext_lazy("kommuner"))
    def municipality_names(self, obj):
        return ", ".join(m.name for m in obj.municipalities.all())


@admin.register(Partner)
class PartnerAdmin(NationalTableMixin, admin.ModelAdmin):
    """Shared by all areas: local staff may add one while writing a löfte (a new name
    changes no other area's page); only national administrators rename or remove one,
    since a rename shows in every löfte that names the partner."""

    list_display = ["name"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return admin.ModelAdmin.has_add_permission(self, request)


# --- Löften ---------------------------------------------------------------------------


class FocusAreaInline(ScopedInlineMixin, admin.TabularInline):
    model = FocusArea
    fields = ["order", "title", "description"]
    extra = 0
    verbose_name_plural = gettext_lazy("fokusområden (rubriker som grupperar åtagandena)")


class CommitmentInline(ScopedInlineMixin, admin.StackedInline):
    model = Commitment
    form = CommitmentAdminForm
    fields = [
        "version",
        ("focus_area", "order"),
        "text",
        "kind",
        ("responsible_police", "responsible_municipality"),
        "responsible_partners",
        ("target_kind", "target_quantity", "target_unit", "target_unit_singular", "interval"),
        "status",
    ]
    autocomplete_fields = ["responsible_partners"]
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "focus_area" and field is not None:
            # Only this löfte's own focus areas.
            pledge_id = request.resolver_match.kwargs.get("object_id")
            field.queryset = (
                field.queryset.filter(pledge_id=pledge_id) if pledge_id else (field.queryset.none())
            )
        return field


class SignatoryInline(admin.TabularInline):
    model = Signatory
    fields = ["order", "name", "title", "organisation"]
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["order", "name", "role", "organisation", "phone", "email"]
    extra = 0


class PledgeExtensionInline(admin.TabularInline):
    """Read-only: an extension is made with the action "Förläng perioden"."""

    model = PledgeExtension
    fields = ("previous_end_date", "new_end_date", "reason", "created_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Pledge)
class PledgeAdmin(ArchivingAdminMixin, ScopedAdminMixin, HistoryAdmin):
    scope_path = "municipality"
    form = PledgeAdminForm
    change_form_template = "admin/pledges/pledge/change_form.html"
    list_display = [
        "title",
        "municipality",
        "police_area",
        "period",
        "publication",
        "commitment_count",
    ]
    list_filter = [ArchivedListFilter, "status", "municipality__county", "police_area", "is_demo"]
    search_fields = ["title", "slug", "municipality__name", "police_area__name"]
    list_select_related = ["municipality", "police_area"]
    autocomplete_fields = ["municipality", "police_area", "partners"]
    date_hierarchy = "start_date"
    inlines = [
        FocusAreaInline,
        CommitmentInline,
        SignatoryInline,
        ContactInline,
        PledgeExtensionInline,
    ]
    # reports/admin.py appends "Exportera uppföljning": pledges does not import the apps above it.
    actions: list = [*ArchivingAdminMixin.actions, restore_selected, "publish_now", "unpublish"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "version",
                    ("municipality", "police_area"),
                    "police_partner_name",
                    "title",
                    "slug",
                    ("start_date", "end_date"),
                    "period_stated",
                ]
            },
        ),
        (
            gettext_lazy("Publicering"),
            {
                "fields": [
                    ("status", "published_at"),
                    "confirm_introduction",
                    "is_demo",
                    "is_example",
                ],
                "description": gettext_lazy(
                    "Ett utkast syns bara för inloggad personal. Använd ”Förhandsgranska” "
                    "för att se sidan som invånarna kommer att se den."
                ),
            },
        ),
        (
            gettext_lazy("Löftets text"),
            {"fields": ["introduction", "background", "goals", "focus_places", "partners"]},
        ),
        (
            gettext_lazy("Uppföljning och dokument"),
            {
                "fields": [
                    "follow_up_schedule",
                    "follow_up_description",
                    "document",
                    "source_url",
                ]
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        """The confirmation only where a renewal still has last year's introduction; the
        example-data box only for superusers (staff enter real löften)."""
        hidden = set()
        if obj is None or not obj.previous_id:
            hidden.add("confirm_introduction")
        if not request.user.is_superuser:
            hidden.add("is_demo")
            hidden.add("is_example")
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [
                field
                for field in options["fields"]
                if not (isinstance(field, str) and field in hidden)
            ]
            fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if not request.user.is_superuser:
            filters = [f for f in filters if f != "is_demo"]
        return filters

    def get_queryset(self, request):
        # Explicit order: with the GROUP BY of the count, Meta.ordering no longer counts as
        # ordered and pagination (the change list, autocomplete) would be unstable.
        return (
            super()
            .get_queryset(request)
            .annotate(_commitments=Count("commitments"))
            .order_by(*Pledge._meta.ordering, "pk")
        )

    @admin.display(description=gettext_lazy("period"), ordering="start_date")
    def period(self, obj):
        return f"{obj.start_date:%Y-%m-%d} – {obj.end_date:%Y-%m-%d}"

    @admin.display(description=gettext_lazy("publicering"), ordering="published_at")
    def publication(self, obj):
        if obj.status == Pledge.Status.DRAFT:
            return _("Utkast")
        if obj.published_at and obj.published_at > timezone.now():
            return _("Publiceras %(when)s") % {
                "when": timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M")
            }
        return _("Publicerat")

    @admin.display(description=gettext_lazy("åtaganden"), ordering="_commitments")
    def commitment_count(self, obj):
        return obj._commitments

    def save_model(self, request, obj, form, change):
        if obj.status == Pledge.Status.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Publicera de valda löftena nu"), permissions=["change"])
    def publish_now(self, request, queryset):
        published, refused = 0, []
        for pledge in queryset.select_related("previous"):
            try:
                services.publish_pledge(pledge=pledge, user=request.user)
            except ValidationError:
                refused.append(str(pledge))
            else:
                published += 1
        self.message_user(
            request, _("%(n)s löften publicerades.") % {"n": published}, messages.SUCCESS
        )
        if refused:
            self.message_user(
                request,
                _(
                    "Publicerades inte, eftersom inledningen är densamma som förra året: "
                    "%(names)s. Öppna löftet och välj Publicera."
                )
                % {"names": ", ".join(refused)},
                messages.ERROR,
            )

    @admin.action(
        description=gettext_lazy("Gör de valda löftena till utkast"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        for pledge in queryset:
            services.unpublish_pledge(pledge=pledge, user=request.user)
        self.message_user(
            request, _("%(n)s löften är nu utkast.") % {"n": len(queryset)}, messages.SUCCESS
        )

    # --- Publishing and renewal pages ---

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/publicera/",
                wrap(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            path(
                "<path:object_id>/forlang/",
                wrap(self.extend_view),
                name="{}_{}_extend".format(*info),
            ),
            path(
                "<path:object_id>/avsluta/",
                wrap(self.close_view),
                name="{}_{}_close".format(*info),
            ),
            path(
                "<path:object_id>/nasta-lofte/",
                wrap(self.next_view),
                name="{}_{}_next".format(*info),
            ),
            *super().get_urls(),
        ]

    def _object_for_change(self, request, object_id):
        obj = self.get_object(request, object_id)  # 404 outside the user's scope
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _render_tool(self, request, obj, form, title, intro, button):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": title,
            "intro": intro,
            "button": button,
            "form": form,
        }
        # A bound form is shown again only when it was refused: a 400, as on the close page.
        status = 400 if form.is_bound else 200
        return TemplateResponse(
            request, "admin/pledges/pledge/tool_form.html", context, status=status
        )

    def publish_view(self, request, object_id):
        obj = self._object_for_change(request, object_id)
        form = PublishForm(request.POST or None, pledge=obj)
        if request.method == "POST" and form.is_valid():
            when = form.cleaned_data["published_at"]
            services.publish_pledge(
                pledge=obj,
                at=when,
                user=request.user,
                confirm_copied_introduction=form.cleaned_data.get("confirm_introduction", False),
            )
            if when and when > timezone.now():
                text = _("Löftet publiceras %(when)s.") % {
                    "when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
                }
            else:
                text = _("Löftet är publicerat.")
            self.message_user(request, text, messages.SUCCESS)
            return redirect(reverse("admin:pledges_pledge_change", args=[obj.pk]))
        return self._render_tool(
            request,
            obj,
            form,
            _("Publicera löftet"),
            _("Välj när invånarna ska kunna se löftet."),
            _("Publicera"),
        )

    def extend_view(self, request, object_id):
        obj = self._object_for_change(request, object_id)
        form = ExtendPledgeForm(request.POST or None, pledge=obj)
        if request.method == "POST" and form.is_valid():
            try:
                services.extend_pledge(
                    pledge=obj,
                    new_end_date=form.cleaned_data["new_end_date"],
                    reason=form.cleaned_data["reason"],
                    decided_on=form.cleaned_data["decided_on"],
                    decided_by=form.cleaned_data["decided_by"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error("new_end_date", error)
            else:
                self.message_user(request, _("Perioden är förlängd."), messages.SUCCESS)
                return redirect(reverse("admin:pledges_pledge_change", args=[obj.pk]))
        return self._render_tool(
            request,
            obj,
            form,
            _("Förläng perioden"),
            _(
                "Samma löfte gäller längre. Förlängningen och motiveringen visas för "
                "allmänheten under ”Ändringar i löftet”."
            ),
            _("Förläng"),
        )

    def next_view(self, request, object_id):
        obj = self._object_for_change(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        start, end = services.default_next_period(obj)
        initial = {
            "start_date": start,
            "end_date": end,
            "title": services.next_title(
                obj.title, old_start=obj.start_date, new_start=start, new_end=end
            ),
            "introduction": obj.introduction,
        }
        form = NextPledgeForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            new = services.copy_pledge_for_next_period(
                pledge=obj,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                title=form.cleaned_data["title"],
                introduction=form.cleaned_data["introduction"],
                user=request.user,
            )
            text = _("Ett nytt utkast skapades med samma fokusområden och åtaganden.")
            if new.introduction_is_copied():
                text = "{} {}".format(
                    text,
                    _("Inledningen är densamma som förra året: granska den innan ni publicerar."),
                )
            self.message_user(request, text, messages.SUCCESS)
            return redirect(reverse("admin:pledges_pledge_change", args=[new.pk]))
        return self._render_tool(
            request,
            obj,
            form,
            _("Nästa löfte från detta"),
            _(
                "Skapar ett utkast för nästa period med samma texter, fokusområden och "
                "åtaganden. Det publiceras inte förrän ni publicerar det."
            ),
            _("Skapa utkast"),
        )

    def close_view(self, request, object_id):
        obj = self._object_for_change(request, object_id)
        commitments = (
            obj.commitments.active()
            .with_achieved()
            .select_related("pledge")
            .order_by("focus_area__order", "order", "id")
        )
        form = ClosePledgeForm(request.POST or None, pledge=obj, commitments=commitments)
        closed = False
        if request.method == "POST" and form.is_valid():
            try:
                services.close_pledge(
                    pledge=obj,
                    outcomes=form.outcomes(),
                    final_figures=form.final_figures(),
                    decided_on=form.cleaned_data["decided_on"],
                    decided_by=form.cleaned_data["decided_by"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                closed = True
        if closed:
            self.message_user(
                request,
                _("Löftet är avslutat. Utfallen visas på löftets sida."),
                messages.SUCCESS,
            )
            return redirect(reverse("admin:pledges_pledge_change", args=[obj.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Avsluta löftet"),
            "form": form,
            "has_ended": obj.has_ended(),
        }
        status = 400 if form.is_bound else 200
        return TemplateResponse(request, "admin/pledges/pledge/close.html", context, status=status)


@admin.register(PledgeExtension)
class PledgeExtensionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Extensions are recorded by the action on the löfte; here they can only be read."""

    scope_path = "pledge__municipality"
    list_display = ["pledge", "previous_end_date", "new_end_date", "created_by", "created_at"]
    list_filter = ["pledge__municipality"]
    search_fields = ["pledge__title", "pledge__municipality__name", "reason"]
    list_select_related = ["pledge__municipality", "created_by"]
    readonly_fields = ["pledge", "previous_end_date", "new_end_date", "reason", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class PledgeChildAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "pledge__municipality"
    list_filter = ["pledge__municipality"]
    list_select_related = ["pledge__municipality"]
    autocomplete_fields = ["pledge"]


@admin.register(Signatory)
class SignatoryAdmin(PledgeChildAdmin):
    list_display = ["name", "title", "organisation", "pledge"]
    search_fields = ["name", "organisation", "pledge__title", "pledge__municipality__name"]


@admin.register(Contact)
class ContactAdmin(PledgeChildAdmin):
    list_display = ["name", "role", "organisation", "phone", "email", "pledge"]
    search_fields = ["name", "role", "organisation", "pledge__municipality__name"]


@admin.register(FocusArea)
class FocusAreaAdmin(ScopedAdminMixin, HistoryAdmin):
    scope_path = "pledge__municipality"
    list_display = ["title", "pledge", "order"]
    list_filter = ["pledge__municipality"]
    search_fields = ["title", "pledge__title", "pledge__municipality__name"]
    list_select_related = ["pledge__municipality"]
    autocomplete_fields = ["pledge"]


class ActivityInline(ScopedInlineMixin, admin.TabularInline):
    model = Activity
    fields = ["date", "quantity", "place", "description", "internal_note", "created_by"]
    readonly_fields = ["created_by"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # Each row shows who logged the activity: one join instead of a query per row.
        return super().get_queryset(request).select_related("created_by")


@admin.register(Commitment)
class CommitmentAdmin(ArchivingAdminMixin, ScopedAdminMixin, HistoryAdmin):
    scope_path = "pledge__municipality"
    form = CommitmentAdminForm
    list_display = ["short", "pledge", "focus_area", "target", "status", "outcome"]
    list_filter = [
        ArchivedListFilter,
        "kind",
        "target_kind",
        "status",
        "outcome",
        "pledge__municipality",
        "pledge__status",
    ]
    search_fields = ["text", "short_text", "pledge__title", "pledge__municipality__name"]
    list_select_related = ["pledge__municipality", "focus_area"]
    autocomplete_fields = ["pledge", "focus_area", "responsible_partners"]
    inlines = [ActivityInline]
    fieldsets = [
        (
            None,
            {"fields": ["version", "pledge", "focus_area", "order", "text", "short_text", "kind"]},
        ),
        (
            gettext_lazy("Vem ansvarar"),
            {
                "fields": [
                    ("responsible_police", "responsible_municipality"),
                    "responsible_partners",
                    "responsible_note",
                    "places",
                ]
            },
        ),
        (
            gettext_lazy("Mål"),
            {
                "fields": [
                    "target_kind",
                    ("target_quantity", "target_unit", "target_unit_singular", "interval"),
                    "status",
                    "completed_on",
                ],
                "description": gettext_lazy(
                    "Allmänheten ser målet och hur långt ni har kommit. Sänks eller ändras "
                    "målet efter publiceringen visas det under ”Ändringar i löftet”."
                ),
            },
        ),
        (
            gettext_lazy("Beslut om ändrat mål"),
            {
                "fields": [("decided_on", "decided_by")],
                "description": gettext_lazy(
                    "Visas under ”Ändringar i löftet” med beslutets datum i stället för "
                    "dagens, till exempel Kommunstyrelsen 2018-11-20."
                ),
            },
        ),
        (
            gettext_lazy("När löftet har gått ut"),
            {
                "fields": [
                    "outcome",
                    "outcome_explanation",
                    ("final_quantity", "final_quantity_source"),
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        # The decision travels with this save's history record (simple-history's change
        # reason), where "Ändringar i löftet" reads it.
        reason = decision_reason(
            form.cleaned_data.get("decided_on"), form.cleaned_data.get("decided_by", "")
        )
        if reason:
            obj._change_reason = reason
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("åtagande"), ordering="short_text")
    def short(self, obj):
        return str(obj)

    @admin.display(description=gettext_lazy("mål"))
    def target(self, obj):
        from pledges.history import describe_target

        return describe_target(obj.target_kind, obj.target_quantity, obj.target_unit, obj.interval)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Activity) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Activity)
class ActivityAdmin(ScopedAdminMixin, HistoryAdmin):
    scope_path = "commitment__pledge__municipality"
    list_display = ["date", "commitment", "municipality", "quantity", "place", "created_by"]
    list_filter = ["date", "is_example", "commitment__pledge__municipality"]
    search_fields = ["description", "place", "commitment__text", "commitment__short_text"]
    list_select_related = ["commitment__pledge__municipality", "created_by"]
    autocomplete_fields = ["commitment"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["commitment", ("date", "quantity"), "place", "description"]}),
        (
            gettext_lazy("Internt"),
            {"fields": ["internal_note", "is_example", "created_by", "created_at"]},
        ),
    ]

    @admin.display(description=gettext_lazy("kommun"), ordering="commitment__pledge__municipality")
    def municipality(self, obj):
        return obj.commitment.pledge.municipality.name

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_fieldsets(self, request, obj=None):
        # Example data is for the demo; staff enter real activities.
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "is_example"]})
            for name, options in fieldsets
        ]

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [f for f in filters if f != "is_example"]


class FollowUpNoteInline(ScopedInlineMixin, admin.StackedInline):
    model = FollowUpNote
    form = FollowUpNoteForm
    fields = ["commitment", "note"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "commitment" and field is not None:
            # Only the commitments of the follow-up's own löfte, by their short label.
            follow_up_id = request.resolver_match.kwargs.get("object_id")
            queryset = field.queryset.select_related("pledge").order_by(
                "-pledge__start_date", "focus_area__order", "order", "id"
            )
            if follow_up_id:
                queryset = queryset.filter(pledge__follow_ups=follow_up_id)
            field.queryset = queryset
            field.label_from_instance = lambda c: (
                c.short_label if follow_up_id else f"{c.pledge.title} – {c.short_label}"
            )
        return field


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdminMixin, HistoryAdmin):
    """A round is published once a kommunpolis of the löfte's police area and a coordinator
    of its kommun have approved it ("Godkänn" on the change page, or the action). Editing
    the summary or a note after an approval withdraws both (`save_related`)."""

    scope_path = "pledge__municipality"
    change_form_template = "admin/pledges/followup/change_form.html"
    list_display = ["title", "date", "pledge", "approval"]
    list_filter = ["pledge__municipality"]
    search_fields = ["title", "summary", "pledge__title", "pledge__municipality__name"]
    list_select_related = ["pledge__municipality"]
    autocomplete_fields = ["pledge"]
    date_hierarchy = "date"
    readonly_fields = ["approval"]
    inlines = [FollowUpNoteInline]
    actions = ["approve_selected"]

    @admin.display(description=gettext_lazy("godkännande"))
    def approval(self, obj):
        if obj is None or obj.pk is None:
            return _("Inte godkänd än")
        parts = []
        for party, label in FollowUp.Party.choices:
            day = obj.approved_on(party)
            if day is not None:
                parts.append(
                    _("godkänd av %(party)s %(date)s")
                    % {"party": label, "date": date_format(day, "j F Y")}
                )
            else:
                parts.append(_("väntar på %(party)s") % {"party": label})
        state = _("Publicerad") if obj.is_approved else _("Utkast")
        return f"{state}: {', '.join(parts)}"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/godkann/",
                self.admin_site.admin_view(self.approve_view),
                name="{}_{}_approve".format(*info),
            ),
            *super().get_urls(),
        ]

    def approve_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id)  # 404 outside the user's scope
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        self._approve(request, obj, request.POST.get("party") or None)
        return redirect(reverse("admin:pledges_followup_change", args=[obj.pk]))

    def _approve(self, request, obj, party=None):
        try:
            approved = services.approve_follow_up(follow_up=obj, user=request.user, party=party)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return False
        if approved.is_approved:
            text = _("%(round)s är godkänd av båda parter och visas nu för allmänheten.")
        else:
            text = _("%(round)s är godkänd. Den visas när den andra parten också har godkänt.")
        self.message_user(request, text % {"round": approved}, messages.SUCCESS)
        return True

    @admin.action(description=gettext_lazy("Godkänn valda uppföljningar"))
    def approve_selected(self, request, queryset):
        for follow_up in queryset.select_related("pledge"):
            self._approve(request, follow_up)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["approval_parties"] = [
                (party, FollowUp.Party(party).label)
                for party in services.approval_parties(follow_up=obj, user=request.user)
                if obj.approved_at(party) is None
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        edited = "summary" in form.changed_data or any(
            formset.has_changed() for formset in formsets
        )
        if (
            change
            and edited
            and services.withdraw_follow_up_approvals(follow_up=form.instance, user=request.user)
        ):
            self.message_user(request, services.APPROVAL_WITHDRAWN_MESSAGE, messages.WARNING)


@admin.register(FollowUpNote)
class FollowUpNoteAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "follow_up__pledge__municipality"
    form = FollowUpNoteForm
    list_display = ["follow_up", "commitment", "excerpt"]
    list_filter = ["follow_up__pledge__municipality"]
    search_fields = ["note", "commitment__text", "follow_up__title"]
    list_select_related = ["follow_up", "commitment"]
    autocomplete_fields = ["follow_up", "commitment"]

    @admin.display(description=gettext_lazy("kommentar"))
    def excerpt(self, obj):
        return str(obj)

    def save_model(self, request, obj, form, change):
        before = None
        if change and "follow_up" in form.changed_data:
            before = FollowUpNote.objects.get(pk=obj.pk).follow_up
        super().save_model(request, obj, form, change)
        if form.has_changed():
            self._withdraw(request, [obj.follow_up, before])

    def delete_model(self, request, obj):
        follow_up = obj.follow_up
        super().delete_model(request, obj)
        self._withdraw(request, [follow_up])

    def delete_queryset(self, request, queryset):
        rounds = list(FollowUp.objects.filter(notes__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        self._withdraw(request, rounds)

    def _withdraw(self, request, rounds):
        withdrawn = [
            services.withdraw_follow_up_approvals(follow_up=follow_up, user=request.user)
            for follow_up in rounds
            if follow_up is not None
        ]
        if any(withdrawn):
            self.message_user(request, services.APPROVAL_WITHDRAWN_MESSAGE, messages.WARNING)


# --- Who may edit what ----------------------------------------------------------------


def can_add_staff(user):
    """National administrators add staff anywhere; a kommun's coordinator adds colleagues
    in their own kommun."""
    return is_national_admin(user) or (
        user.is_active
        and user.is_staff
        and user.memberships.filter(municipality__isnull=False).exists()
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Only national administrators decide who works for which organisation. New staff are
    added in one step with "Ny personal" (`new_staff_view`)."""

    list_display = ["user", "organisation"]
    list_filter = ["police_area", "municipality"]
    search_fields = ["user__username", "user__email", "police_area__name", "municipality__name"]
    list_select_related = ["user", "police_area", "municipality"]
    autocomplete_fields = ["user", "police_area", "municipality"]
    actions = ["resend_link"]

    @admin.action(description=gettext_lazy("Skicka länken för att välja lösenord igen"))
    def resend_link(self, request, queryset):
        users = {membership.user for membership in queryset if membership.user.email}
        for user in users:
            send_set_password_email(user=user, request=request)
        self.message_user(
            request,
            ngettext(
                "En ny länk har skickats till %(n)d person.",
                "En ny länk har skickats till %(n)d personer.",
                len(users),
            )
            % {"n": len(users)},
            messages.SUCCESS,
        )

    @admin.display(description=gettext_lazy("organisation"))
    def organisation(self, obj):
        return obj.organisation_name

    def has_module_permission(self, request):
        return is_national_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_national_admin(request.user)

    def has_add_permission(self, request):
        return is_national_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_national_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_national_admin(request.user)

    def delete_model(self, request, obj):
        services.remove_membership(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user"):
            services.remove_membership(membership=membership)

    def get_urls(self):
        return [
            path(
                "ny-personal/",
                self.admin_site.admin_view(self.new_staff_view),
                name="pledges_membership_new_staff",
            ),
            path(
                "skicka-lanken-igen/",
                self.admin_site.admin_view(self.resend_link_view),
                name="pledges_membership_resend_link",
            ),
            *super().get_urls(),
        ]

    def new_staff_view(self, request):
        if not can_add_staff(request.user):
            raise PermissionDenied
        form = NewStaffForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                user = services.create_staff_member(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    police_area=data.get("police_area"),
                    municipality=data.get("municipality"),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                try:
                    send_set_password_email(user=user, request=request)
                except OSError:
                    self.message_user(
                        request,
                        _(
                            "Kontot för %(email)s skapades, men e-postmeddelandet kunde inte "
                            "skickas. Försök igen senare."
                        )
                        % {"email": user.email},
                        messages.WARNING,
                    )
                else:
                    self.message_user(
                        request,
                        _(
                            "Kontot för %(email)s är skapat. Ett e-postmeddelande med en länk "
                            "för att välja lösenord har skickats."
                        )
                        % {"email": user.email},
                        messages.SUCCESS,
                    )
                return redirect(reverse("admin:pledges_membership_new_staff"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Ny personal"),
            "form": form,
        }
        status = 400 if form.is_bound else 200
        return TemplateResponse(
            request, "admin/pledges/membership/new_staff.html", context, status=status
        )

    def resend_link_view(self, request):
        """ "Skicka länken igen", for those who may add the person with "Ny personal"."""
        if not can_add_staff(request.user):
            raise PermissionDenied
        form = ResendLinkForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            person = form.cleaned_data["user"]
            try:
                send_set_password_email(user=person, request=request)
            except OSError:
                form.add_error(None, _("E-postmeddelandet kunde inte skickas. Försök igen senare."))
                status = 503
            else:
                self.message_user(
                    request,
                    _("En ny länk för att välja lösenord har skickats till %(email)s.")
                    % {"email": person.email},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:pledges_membership_resend_link"))
        else:
            status = 400 if form.is_bound else 200
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Skicka länken igen"),
            "form": form,
        }
        return TemplateResponse(
            request, "admin/pledges/membership/resend_link.html", context, status=status
        )
