"""The admin of problems and effect indicators, scoped like the rest (pledges.admin_scoping);
imported by the app's ready() (pledges/apps.py), after pledges/admin.py. The indicators'
list has an upload page for measured values (the same loader as `manage.py
load_indicator_values`)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledges.admin import PledgeAdmin
from pledges.admin_scoping import ScopedAdminMixin, ScopedInlineMixin
from pledges.indicator_loader import COLUMNS, load
from pledges.models import Indicator, IndicatorValue, Problem
from pledges.scoping import municipalities_for
from pledges.staff_forms import MAX_IMPORT_BYTES


class ProblemAdminForm(forms.ModelForm):
    class Meta:
        model = Problem
        fields = [
            "pledge",
            "order",
            "title",
            "description",
            "places",
            "sources",
            "commitments",
            "focus_areas",
            "carried_from",
        ]

    def clean(self):
        cleaned = super().clean()
        pledge = cleaned.get("pledge") or getattr(self.instance, "pledge", None)
        if pledge is None:
            return cleaned
        for name in ("commitments", "focus_areas"):
            others = [item for item in cleaned.get(name) or [] if item.pledge_id != pledge.pk]
            if others:
                self.add_error(name, _("Välj bara sådant som hör till problemets löfte."))
        return cleaned


def _pledge_from_url(request):
    match = request.resolver_match
    return match.kwargs.get("object_id") if match else None


class ProblemInline(ScopedInlineMixin, admin.StackedInline):
    """The löfte's problems on its admin page; commitments and focus areas of this löfte."""

    model = Problem
    fk_name = "pledge"
    fields = [
        ("order", "title"),
        "description",
        ("places", "sources"),
        "commitments",
        "focus_areas",
    ]
    filter_horizontal = ["commitments", "focus_areas"]
    extra = 0
    show_change_link = True
    verbose_name_plural = gettext_lazy("problem som löftet ska minska")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("commitments", "focus_areas") and field is not None:
            pledge_id = _pledge_from_url(request)
            field.queryset = (
                field.queryset.filter(pledge_id=pledge_id) if pledge_id else field.queryset.none()
            )
        return field


# The löfte's page in the admin lists its problems too (pledges.admin stays as it is).
PledgeAdmin.inlines = [*PledgeAdmin.inlines, ProblemInline]


@admin.register(Problem)
class ProblemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "pledge__municipality"
    form = ProblemAdminForm
    list_display = ["title", "pledge", "order"]
    list_filter = ["pledge__municipality"]
    list_select_related = ["pledge__municipality"]
    search_fields = ["title", "description", "pledge__title", "pledge__municipality__name"]
    autocomplete_fields = ["pledge", "carried_from"]
    filter_horizontal = ["commitments", "focus_areas"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("commitments", "focus_areas") and field is not None:
            object_id = _pledge_from_url(request)
            if object_id:
                pledge_id = Problem.objects.filter(pk=object_id).values("pledge_id")
                field.queryset = field.queryset.filter(pledge_id__in=pledge_id)
            field.queryset = field.queryset.select_related("pledge__municipality")
        return field


class IndicatorAdminForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "municipality",
            "place",
            "name",
            "unit",
            "direction",
            "source",
            "source_url",
            "baseline_period",
            "baseline_value",
            "target_period",
            "target_value",
            "problems",
        ]

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        problems = cleaned.get("problems") or []
        if municipality and any(p.pledge.municipality_id != municipality.pk for p in problems):
            self.add_error("problems", _("Välj bara problem i indikatorns kommun."))
        return cleaned


class IndicatorValueInline(ScopedInlineMixin, admin.TabularInline):
    model = IndicatorValue
    fields = ["period", "granularity", "value", "source", "note", "is_example"]
    extra = 0


class IndicatorValuesUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV-fil"),
        help_text=gettext_lazy(
            "UTF-8, kommaavgränsad, med rubrikraden kommunkod,indikator,period,värde,källa,"
            "kommentar. Period: ett år (2024) eller ett datum (2024-05-31). Ett värde med "
            'decimalkomma skrivs inom citattecken: "23,5".'
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Bara provkör: kontrollera filen utan att spara"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("Filen är för stor. Högst 1 MB."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(_("Filen är inte UTF-8. Spara den som CSV (UTF-8).")) from None


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "municipality"
    form = IndicatorAdminForm
    change_list_template = "admin/pledges/indicator/change_list.html"
    list_display = ["name", "municipality", "place", "unit", "direction"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "place", "municipality__name"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["problems"]
    inlines = [IndicatorValueInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "problems" and field is not None:
            field.queryset = field.queryset.select_related("pledge__municipality")
        return field

    def get_urls(self):
        return [
            path(
                "las-in-varden/",
                self.admin_site.admin_view(self.upload_view),
                name="pledges_indicator_upload",
            ),
            *super().get_urls(),
        ]

    def can_upload(self, request):
        return request.user.has_perms(
            ["pledges.add_indicatorvalue", "pledges.change_indicatorvalue"]
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_upload": self.can_upload(request)}
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        if not self.can_upload(request):
            raise PermissionDenied
        form = IndicatorValuesUploadForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = load(
                text=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
                municipalities=municipalities_for(request.user),
            )
            if result.ok and not result.dry_run:
                self.message_user(request, result.summary(), messages.SUCCESS)
                return redirect(reverse("admin:pledges_indicator_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Läs in indikatorvärden"),
            "form": form,
            "result": result,
            "columns": ",".join(COLUMNS),
        }
        refused = form.is_bound and (not form.is_valid() or (result and not result.ok))
        return TemplateResponse(
            request,
            "admin/pledges/indicator/upload.html",
            context,
            status=400 if refused else 200,
        )
