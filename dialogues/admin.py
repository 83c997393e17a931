"""The CMS for synpunkter, trygghetsvandringar and medborgardialoger, scoped to the staff
user's kommuner with the project's `ScopedAdminMixin` (changelist, change view, choices,
actions)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dialogues import services
from dialogues.models import (
    Dialogue,
    Feedback,
    FeedbackCategory,
    Finding,
    SafetyWalk,
    WalkSignup,
)
from pledges.admin_scoping import NationalTableMixin, ScopedAdminMixin
from pledges.models import Commitment, FocusArea, Problem
from pledges.scoping import municipalities_for, register_scope_path


@admin.register(FeedbackCategory)
class FeedbackCategoryAdmin(NationalTableMixin, admin.ModelAdmin):
    """Every kommun's synpunkt form offers these: a national table."""

    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


class FeedbackAdminForm(forms.ModelForm):
    send_reply = forms.BooleanField(
        label=_("Skicka svaret med e-post till invånaren"),
        required=False,
        help_text=_("Skickas när du sparar. Går bara om invånaren lämnade en e-postadress."),
    )

    class Meta:
        model = Feedback
        fields = [
            "status",
            "routed_to",
            "commitment",
            "internal_notes",
            "reply",
            "is_published",
            "public_text",
            "public_reply",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("send_reply"):
            if not self.instance.email:
                self.add_error("send_reply", _("Invånaren lämnade ingen e-postadress."))
            if not (cleaned.get("reply") or "").strip():
                self.add_error("reply", _("Skriv ett svar att skicka."))
        return cleaned


def _set_status(status, label):
    @admin.action(description=label, permissions=["change"])
    def action(modeladmin, request, queryset):
        count = queryset.update(status=status)
        modeladmin.message_user(
            request,
            ngettext("%(count)d synpunkt ändrad.", "%(count)d synpunkter ändrade.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    action.__name__ = f"mark_{status}"
    return action


@admin.register(Feedback)
class FeedbackAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "municipality"
    form = FeedbackAdminForm
    list_display = [
        "reference",
        "created_at",
        "municipality",
        "category",
        "place",
        "status",
        "routed_to",
        "has_contact_display",
        "is_published",
    ]
    list_filter = [
        "status",
        "routed_to",
        "category",
        "is_published",
        ("municipality", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["municipality", "category"]
    search_fields = ["reference", "place", "text"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "reference",
        "municipality",
        "category",
        "place",
        "when_happens",
        "text",
        "name",
        "email",
        "phone",
        "consent",
        "created_at",
        "replied_at",
        "personal_data_purged_at",
    ]
    fieldsets = [
        (
            _("Synpunkten"),
            {
                "fields": [
                    "reference",
                    "created_at",
                    "municipality",
                    "category",
                    "place",
                    "when_happens",
                    "text",
                ]
            },
        ),
        (
            _("Invånaren"),
            {"fields": ["name", "email", "phone", "consent", "personal_data_purged_at"]},
        ),
        (
            _("Handläggning"),
            {"fields": ["status", "routed_to", "commitment", "internal_notes"]},
        ),
        (_("Svar"), {"fields": ["reply", "send_reply", "replied_at"]}),
        (
            _("Publicering på kommunens sida"),
            {
                "fields": ["is_published", "public_text", "public_reply"],
                "description": _(
                    "Skriv om texten så att ingen kan pekas ut innan du publicerar. "
                    "Den ursprungliga texten visas aldrig för allmänheten."
                ),
            },
        ),
    ]
    actions = [
        _set_status(Feedback.Status.IN_PROGRESS, _("Markera som under behandling")),
        _set_status(Feedback.Status.FORWARDED_POLICE, _("Vidarebefordra till polisen")),
        _set_status(Feedback.Status.FORWARDED_MUNICIPALITY, _("Vidarebefordra till kommunen")),
        _set_status(Feedback.Status.CLOSED, _("Avsluta")),
        "unpublish",
    ]

    def has_add_permission(self, request):
        # Synpunkter come from residents through the public form.
        return False

    @admin.display(description=_("kontakt"), boolean=True)
    def has_contact_display(self, obj):
        return obj.has_contact

    @admin.action(description=_("Avpublicera"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.update(is_published=False)
        self.message_user(
            request,
            ngettext("%(count)d synpunkt ändrad.", "%(count)d synpunkter ändrade.", count)
            % {"count": count},
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("send_reply"):
            if services.send_feedback_reply(feedback=obj, user=request.user):
                self.message_user(request, _("Svaret skickades med e-post."), messages.SUCCESS)
            else:
                self.message_user(request, _("Svaret kunde inte skickas."), messages.ERROR)


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 1
    fields = [
        "place",
        "category",
        "description",
        "responsible",
        "status",
        "declined_reason",
        "due_date",
        "fixed_on",
    ]


class WalkSignupInline(admin.TabularInline):
    model = WalkSignup
    extra = 0
    fields = ["name", "email", "phone", "people", "created_at", "cancelled_at"]
    readonly_fields = ["created_at"]
    verbose_name_plural = _("anmälningar (personuppgifter, gallras automatiskt)")


@admin.register(SafetyWalk)
class SafetyWalkAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "municipality"
    list_display = [
        "starts_at",
        "area",
        "municipality",
        "status",
        "commitment",
        "findings_display",
        "people_display",
        "is_example",
    ]
    list_filter = ["status", "is_example", ("municipality", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["municipality", "commitment"]
    search_fields = ["area", "meeting_point", "organisers"]
    date_hierarchy = "starts_at"
    inlines = [FindingInline, WalkSignupInline]
    readonly_fields = ["activity"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "municipality",
                    "commitment",
                    "area",
                    "meeting_point",
                    ("starts_at", "ends_at"),
                    "organisers",
                    "description",
                    "accessibility",
                    "capacity",
                    "is_example",
                ]
            },
        ),
        (
            _("Efter vandringen"),
            {
                "fields": ["status", "participants", "report", "activity"],
                "description": _(
                    "En genomförd vandring med ett åtagande räknas automatiskt som en insats "
                    "på åtagandet. En inställd vandring räknas inte."
                ),
            },
        ),
    ]
    actions = ["mark_held", "mark_cancelled"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("åtgärdade iakttagelser"))
    def findings_display(self, obj):
        return f"{obj.findings_fixed} / {obj.findings_total}"

    @admin.display(description=_("deltagare"))
    def people_display(self, obj):
        return obj.participants if obj.participants is not None else "–"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the form and inlines: the walk's status decides its one activity.
        services.sync_walk_activity(walk=form.instance, user=request.user)

    @admin.action(description=_("Markera som genomförda"), permissions=["change"])
    def mark_held(self, request, queryset):
        for walk in queryset:
            services.record_walk_held(walk=walk, user=request.user)
        self.message_user(request, _("Vandringarna är markerade som genomförda."))

    @admin.action(description=_("Ställ in"), permissions=["change"])
    def mark_cancelled(self, request, queryset):
        for walk in queryset:
            services.cancel_walk(walk=walk, user=request.user)
        self.message_user(request, _("Vandringarna är inställda."))


def pledge_years(pledge):
    start, end = pledge.start_date.year, pledge.end_date.year
    return str(start) if start == end else f"{start}–{end}"


class PledgeItemChoiceField(forms.ModelMultipleChoiceField):
    """Commitments or focus areas named with their löfte and year: "Löfte 2018 – kort
    rubrik", so that a löfte renewed each year does not offer three identical texts."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        label = obj.short_label if isinstance(obj, Commitment) else obj.title
        return _("Löfte %(years)s – %(label)s") % {
            "years": pledge_years(obj.pledge),
            "label": label,
        }


class DialogueAdminForm(forms.ModelForm):
    commitments = PledgeItemChoiceField(
        queryset=Commitment.objects.none(),
        required=False,
        label=_("Åtaganden som dialogen ledde till"),
        help_text=_("Åtaganden i kommunens löften. Visas som ”Bygger på” på deras sidor."),
    )
    focus_areas = PledgeItemChoiceField(
        queryset=FocusArea.objects.none(),
        required=False,
        label=_("Fokusområden som dialogen ledde till"),
    )
    problems = PledgeItemChoiceField(
        queryset=Problem.objects.none(),
        required=False,
        label=_("Problem som dialogen lyfte fram"),
        help_text=_("Problem i kommunens löften. Dialogen visas som källa till problemet."),
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without it (an older page, a script) means an exact day.
        self.fields["date_precision"].required = False
        if self.instance.pk:
            municipalities = [self.instance.municipality_id]
        commitments = Commitment.objects.active().select_related("pledge")
        focus_areas = FocusArea.objects.select_related("pledge")
        problems = Problem.objects.select_related("pledge")
        if municipalities is not None:
            commitments = commitments.filter(pledge__municipality__in=municipalities)
            focus_areas = focus_areas.filter(pledge__municipality__in=municipalities)
            problems = problems.filter(pledge__municipality__in=municipalities)
        self.fields["problems"].queryset = problems.order_by("-pledge__start_date", "order", "id")
        self.fields["commitments"].queryset = commitments.order_by(
            "-pledge__start_date", "focus_area__order", "order", "id"
        )
        self.fields["focus_areas"].queryset = focus_areas.order_by(
            "-pledge__start_date", "order", "id"
        )

    class Meta:
        model = Dialogue
        fields = [
            "municipality",
            "title",
            "date",
            "date_precision",
            "status",
            "format",
            "place",
            "participants",
            "description",
            "outcome",
            "commitments",
            "focus_areas",
            "problems",
            "is_example",
        ]

    def clean_date_precision(self):
        return self.cleaned_data.get("date_precision") or Dialogue.DatePrecision.DAY

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        for field, message in [
            ("commitments", _("Välj bara åtaganden ur kommunens egna löften.")),
            ("focus_areas", _("Välj bara fokusområden ur kommunens egna löften.")),
            ("problems", _("Välj bara problem ur kommunens egna löften.")),
        ]:
            others = [
                item
                for item in cleaned.get(field) or []
                if item.pledge.municipality_id != getattr(municipality, "pk", None)
            ]
            if municipality and others:
                self.add_error(field, message)
        return cleaned


@admin.register(Dialogue)
class DialogueAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "municipality"
    form = DialogueAdminForm
    list_display = ["date", "title", "municipality", "format", "status", "participants"]
    list_filter = [
        "status",
        "format",
        "is_example",
        ("municipality", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["municipality"]
    search_fields = ["title", "place", "outcome"]
    date_hierarchy = "date"
    fields = [
        "municipality",
        "title",
        ("date", "date_precision", "status"),
        "format",
        "place",
        "participants",
        "description",
        "outcome",
        "commitments",
        "focus_areas",
        "problems",
        "is_example",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # On a new dialogue the kommun is not chosen yet: offer the user's own kommuner.
        municipalities = list(municipalities_for(request.user).values_list("pk", flat=True))

        class ScopedForm(form):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, municipalities=municipalities, **form_kwargs)

        return ScopedForm

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return [f for f in fields if f != "is_example"]

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [f for f in filters if f != "is_example"]


# Foreign keys that point at these models (in any admin form) are scoped too.
for _model, _path in [
    (Feedback, "municipality"),
    (SafetyWalk, "municipality"),
    (Dialogue, "municipality"),
    (Finding, "walk__municipality"),
    (WalkSignup, "walk__municipality"),
]:
    register_scope_path(_model, _path)
