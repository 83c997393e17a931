"""Forms for staff: fast logging, CSV import, publishing and renewal, safe concurrent edits."""

import csv
import datetime
import io

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledges.groups import is_national_admin
from pledges.history import history_value
from pledges.kinds import suggest_kind
from pledges.models import (
    Activity,
    Commitment,
    FollowUpNote,
    Municipality,
    Pledge,
    PoliceArea,
    same_text,
)
from pledges.progress import State as progress_states
from pledges.progress import target_total as progress_target_total
from pledges.scoping import scope_queryset
from pledges.services import (
    COPIED_INTRODUCTION_MESSAGE,
    EMAIL_TAKEN_MESSAGE,
    FINAL_SOURCE_REQUIRED_MESSAGE,
    FULFILLED_UNDER_TARGET_MESSAGE,
)

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 2000


def current_commitments_for(user, today=None):
    """The commitments a staff user may log activities on: in scope, löfte running today."""
    today = today or timezone.localdate()
    return (
        scope_queryset(Commitment.objects.active(), user, "pledge__municipality")
        .filter(pledge__start_date__lte=today, pledge__end_date__gte=today)
        .select_related("pledge__municipality")
        .order_by("pledge__municipality__name", "pledge__title", "focus_area__order", "order")
    )


def preselect_single_choice(field):
    """A required choice with only one option comes chosen (one query for a model choice).
    Returns the options looked at, at most two."""
    if isinstance(field, forms.ModelChoiceField):
        options = list(field.queryset.values_list("pk", flat=True)[:2])
    else:
        options = [value for value, _label in field.choices if value not in ("", None)][:2]
    if field.required and field.initial is None and len(options) == 1:
        field.initial = options[0]
    return options


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.pledge.is_example:
            # The demo's invented next löfte: staff see that it is an example.
            return _("%(kommun)s (exempel): %(commitment)s") % {
                "kommun": obj.pledge.municipality.name,
                "commitment": obj,
            }
        return f"{obj.pledge.municipality.name}: {obj}"


class ActivityForm(forms.ModelForm):
    commitment = CommitmentChoiceField(
        queryset=Commitment.objects.none(),
        label=gettext_lazy("Åtagande"),
        empty_label=gettext_lazy("Välj åtagande"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Välj ett av era egna åtaganden i ett löfte som gäller nu. "
                "Det valda åtagandet hör till ett annat område eller har gått ut."
            ),
            "required": gettext_lazy("Välj vilket åtagande insatsen hör till."),
        },
    )

    class Meta:
        model = Activity
        fields = ["commitment", "date", "quantity", "place", "description"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "quantity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "quantity": gettext_lazy("Till exempel 2 om ni gjorde två patrulleringar."),
            "place": gettext_lazy("Var insatsen gjordes, till exempel Nordmannatorget."),
            "description": gettext_lazy(
                "Visas för allmänheten. Skriv inga namn eller andra personuppgifter."
            ),
        }

    def __init__(self, *args, user, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = current_commitments_for(user)
        if self.instance.pk:
            # An entry being corrected keeps its commitment even if the löfte has ended,
            # as long as it is still in the user's scope.
            queryset = queryset | scope_queryset(
                Commitment.objects.filter(pk=self.instance.commitment_id),
                user,
                "pledge__municipality",
            )
        self.fields["commitment"].queryset = queryset
        self.fields["date"].initial = timezone.localdate
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("save", submit_label or _("Spara insatsen")))

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value and value > timezone.localdate():
            raise ValidationError(_("Datumet kan inte vara i framtiden."))
        return value

    def clean(self):
        cleaned = super().clean()
        commitment, day = cleaned.get("commitment"), cleaned.get("date")
        if commitment and day:
            pledge = commitment.pledge
            if not pledge.start_date <= day <= pledge.end_date:
                self.add_error(
                    "date",
                    _("Datumet ligger utanför löftets period (%(start)s – %(end)s).")
                    % {
                        "start": date_format(pledge.start_date, "j F Y"),
                        "end": date_format(pledge.end_date, "j F Y"),
                    },
                )
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV-fil"),
        help_text=gettext_lazy(
            "Kolumner: datum, åtagande, antal, plats, beskrivning. Åtagandet anges med sitt "
            "nummer i listan nedan. Semikolon eller komma som avgränsare, UTF-8."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("preview", _("Granska filen")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("Filen är för stor. Högst 1 MB."))
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                return raw.decode("cp1252")
            except UnicodeDecodeError:
                raise ValidationError(
                    _("Filen kunde inte läsas. Spara den som CSV (UTF-8).")
                ) from None


IMPORT_COLUMNS = {
    "datum": "date",
    "date": "date",
    "åtagande": "commitment",
    "atagande": "commitment",
    "commitment": "commitment",
    "antal": "quantity",
    "quantity": "quantity",
    "plats": "place",
    "place": "place",
    "beskrivning": "description",
    "description": "description",
}


class ImportRow:
    def __init__(self, number, values, form):
        self.number = number
        self.values = values
        self.form = form
        self.valid = form.is_valid()

    @property
    def errors(self):
        messages = []
        for field, errors in self.form.errors.items():
            label = self.form.fields[field].label if field in self.form.fields else ""
            messages.extend(f"{label}: {error}" if label else error for error in errors)
        return messages


def parse_activity_csv(text, user):
    """Rows of the CSV text, each validated by ActivityForm for `user`.

    Returns (rows, problems): `problems` are errors about the file as a whole.
    """
    if len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        return [], [_("Filen är för stor. Högst 1 MB.")]
    sample = text[:4096]
    try:
        reader = csv.reader(io.StringIO(text), csv.Sniffer().sniff(sample, delimiters=";,\t"))
    except csv.Error:
        # Swedish Excel writes ";", others ","; the delimiter is passed to this reader only.
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], [_("Filen är tom.")]
    columns = [IMPORT_COLUMNS.get(name.strip().lower()) for name in header]
    missing = {"date", "commitment"} - set(columns)
    if missing:
        return [], [
            _("Första raden måste ha kolumnnamnen datum, åtagande, antal, plats, beskrivning.")
        ]
    rows = []
    for number, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= MAX_IMPORT_ROWS:
            return rows, [_("Filen har för många rader. Högst %(n)s.") % {"n": MAX_IMPORT_ROWS}]
        values = {"quantity": "1"}
        for column, cell in zip(columns, record, strict=False):
            if column:
                values[column] = cell.strip()
        values["date"] = _parse_date(values.get("date", ""))
        rows.append(ImportRow(number, values, ActivityForm(data=values, user=user)))
    if not rows:
        return [], [_("Filen innehåller inga insatser.")]
    return rows, []


def _parse_date(value):
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return value


class DecisionForm(forms.Form):
    """The decision behind a recorded change: its date and who took it, shown to the
    public instead of the day it was entered ("Kommunstyrelsen 2018-11-20")."""

    decided_on = forms.DateField(
        label=gettext_lazy("Beslutsdatum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("När beslutet togs, om det inte var i dag. Visas för allmänheten."),
    )
    decided_by = forms.CharField(
        label=gettext_lazy("Beslutat av"),
        required=False,
        # A changed target keeps its decision in the history's change reason (100
        # characters, pledges.history.decision_reason): room for the date and this.
        max_length=80,
        help_text=gettext_lazy("Till exempel Kommunstyrelsen eller samverkansgruppen."),
    )

    def clean_decided_on(self):
        value = self.cleaned_data.get("decided_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("Beslutsdatumet kan inte vara i framtiden."))
        return value


class ExtendPledgeForm(DecisionForm):
    field_order = ["new_end_date", "reason", "decided_on", "decided_by"]

    new_end_date = forms.DateField(
        label=gettext_lazy("Nytt slutdatum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Löftet gäller till och med detta datum."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Motivering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Visas för allmänheten under ”Ändringar i löftet”, till exempel ”Löftet förlängs "
            "ett år efter beslut i samverkansgruppen.”"
        ),
    )

    def __init__(self, *args, pledge, **kwargs):
        super().__init__(*args, **kwargs)
        self.pledge = pledge

    def clean_new_end_date(self):
        value = self.cleaned_data["new_end_date"]
        if value <= self.pledge.end_date:
            raise ValidationError(
                _("Det nya slutdatumet måste vara efter det nuvarande (%(date)s).")
                % {"date": date_format(self.pledge.end_date, "j F Y")}
            )
        return value


class NextPledgeForm(forms.Form):
    start_date = forms.DateField(
        label=gettext_lazy("Gäller från"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=gettext_lazy("Gäller till och med"), widget=forms.DateInput(attrs={"type": "date"})
    )
    title = forms.CharField(
        label=gettext_lazy("Rubrik"),
        max_length=200,
        help_text=gettext_lazy("Föreslagen med det nya årtalet. Ändra om det behövs."),
    )
    introduction = forms.CharField(
        label=gettext_lazy("Inledning – granska"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Kopierad från förra årets löfte. Skriv om den för den nya perioden: löftet kan "
            "inte publiceras med förra årets inledning utan att ni bekräftar den."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and start > end:
            raise ValidationError(_("Perioden måste börja innan den slutar."))
        return cleaned


class PublishForm(forms.Form):
    published_at = forms.DateTimeField(
        label=gettext_lazy("Publiceras"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy(
            "Lämna tomt för att publicera direkt. Väljer du en tid i framtiden syns löftet "
            "för allmänheten först då."
        ),
    )
    confirm_introduction = forms.BooleanField(
        label=gettext_lazy("Inledningen stämmer för den nya perioden"),
        required=False,
        help_text=gettext_lazy(
            "Inledningen är ordagrant densamma som i förra årets löfte. Kryssa i bara om den "
            "fortfarande stämmer."
        ),
    )

    def __init__(self, *args, pledge, **kwargs):
        super().__init__(*args, **kwargs)
        self.pledge = pledge
        if not pledge.introduction_is_copied():
            del self.fields["confirm_introduction"]

    def clean(self):
        cleaned = super().clean()
        if "confirm_introduction" in self.fields and not cleaned.get("confirm_introduction"):
            self.add_error("confirm_introduction", COPIED_INTRODUCTION_MESSAGE)
        return cleaned


class ClosePledgeForm(DecisionForm):
    """ "Avsluta löftet": an outcome and explanation for every commitment on one page."""

    def __init__(self, *args, pledge, commitments, **kwargs):
        super().__init__(*args, **kwargs)
        self.pledge = pledge
        self.commitments = list(commitments)
        choices = [("", _("Välj utfall")), *Commitment.Outcome.choices]
        for commitment in self.commitments:
            final = commitment.final_progress()
            if commitment.outcome:
                suggested = commitment.outcome
            elif final.state in (progress_states.ACHIEVED, progress_states.FULFILLED):
                suggested = Commitment.Outcome.FULFILLED
            else:
                suggested = ""
            self.fields[f"outcome_{commitment.pk}"] = forms.ChoiceField(
                label=_("Utfall"),
                choices=choices,
                initial=suggested,
                error_messages={"required": _("Välj ett utfall för åtagandet.")},
            )
            self.fields[f"explanation_{commitment.pk}"] = forms.CharField(
                label=_("Förklaring"),
                required=False,
                initial=commitment.outcome_explanation,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_(
                    "Krävs för Delvis uppfyllt och Ej uppfyllt, och för Uppfyllt när "
                    "slutsiffran är under målet. Visas för allmänheten."
                ),
            )
            if final.target is not None:
                # The final figure: what the registered activities add up to, unless staff
                # know better (work done but not logged activity by activity).
                self.fields[f"final_{commitment.pk}"] = forms.IntegerField(
                    label=_("Utfört under perioden"),
                    required=False,
                    min_value=0,
                    max_value=1_000_000,
                    initial=(
                        commitment.final_quantity
                        if commitment.final_quantity is not None
                        else final.achieved
                    ),
                    help_text=_(
                        "Förifyllt med de registrerade insatserna (%(logged)s). Ändra om "
                        "arbetet inte registrerades insats för insats."
                    )
                    % {"logged": final.achieved},
                    error_messages={
                        "invalid": _("Skriv ett heltal."),
                        "min_value": _("Siffran kan inte vara negativ."),
                        "max_value": _("Siffran är orimligt stor."),
                    },
                )
                self.fields[f"source_{commitment.pk}"] = forms.CharField(
                    label=_("Källa till siffran"),
                    required=False,
                    max_length=200,
                    initial=commitment.final_quantity_source,
                    help_text=_(
                        "Krävs när siffran skiljer sig från de registrerade insatserna, till "
                        "exempel ”Enligt polisens sammanställning 2019-10-02”. Visas för "
                        "allmänheten."
                    ),
                )

    def rows(self):
        """(commitment, its final progress, outcome field, explanation field, final figure
        field, source field) per row; the last two None without a target number."""
        for commitment in self.commitments:
            has_final = f"final_{commitment.pk}" in self.fields
            yield (
                commitment,
                commitment.final_progress(),
                self[f"outcome_{commitment.pk}"],
                self[f"explanation_{commitment.pk}"],
                self[f"final_{commitment.pk}"] if has_final else None,
                self[f"source_{commitment.pk}"] if has_final else None,
            )

    def clean(self):
        cleaned = super().clean()
        for commitment in self.commitments:
            outcome = cleaned.get(f"outcome_{commitment.pk}")
            explanation = (cleaned.get(f"explanation_{commitment.pk}") or "").strip()
            if Commitment.explanation_missing(outcome, explanation):
                self.add_error(f"explanation_{commitment.pk}", Commitment.EXPLANATION_REQUIRED)
            if f"final_{commitment.pk}" not in self.fields:
                continue
            if f"final_{commitment.pk}" in self.errors:
                continue
            final = commitment.final_progress()
            figure = cleaned.get(f"final_{commitment.pk}")
            if figure is None:
                figure = final.achieved
            source = (cleaned.get(f"source_{commitment.pk}") or "").strip()
            if figure != final.achieved and not source:
                self.add_error(f"source_{commitment.pk}", FINAL_SOURCE_REQUIRED_MESSAGE)
            if (
                outcome == Commitment.Outcome.FULFILLED
                and figure < final.target
                and not explanation
            ):
                self.add_error(
                    f"outcome_{commitment.pk}",
                    FULFILLED_UNDER_TARGET_MESSAGE % {"figure": figure, "target": final.target},
                )
        return cleaned

    def outcomes(self):
        return {
            commitment: (
                self.cleaned_data[f"outcome_{commitment.pk}"],
                self.cleaned_data[f"explanation_{commitment.pk}"],
            )
            for commitment in self.commitments
        }

    def final_figures(self):
        """{commitment: (figure, source)} for the commitments with a target number; a figure
        left empty is the registered activities' sum."""
        figures = {}
        for commitment in self.commitments:
            if f"final_{commitment.pk}" not in self.fields:
                continue
            figure = self.cleaned_data.get(f"final_{commitment.pk}")
            if figure is None:
                figure = commitment.final_progress().achieved
            source = (self.cleaned_data.get(f"source_{commitment.pk}") or "").strip()
            figures[commitment] = (figure, source)
        return figures


class VersionedModelForm(forms.ModelForm):
    """Refuses a save when someone else saved the object after this form was opened.

    The hidden `version` carries the latest history record's id at opening time; on save it
    is compared with the current one, and the message lists what the other person changed.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = current_version(self.instance)
        elif self.instance.pk and self.is_bound:
            # A re-rendered form after an error keeps the version it was opened with.
            pass

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        posted = (self.data.get(self.add_prefix("version")) or "").strip()
        current = current_version(self.instance)
        if posted != current:
            changes = changes_since(self.instance, posted)
            message = _(
                "Någon annan har sparat ändringar sedan du öppnade sidan. Dina ändringar "
                "sparades inte. Ladda om sidan och gör om dem."
            )
            if changes:
                changed_label = _("Ändrat sedan dess:")
                message = f"{message} {changed_label} " + "; ".join(changes) + "."
            raise ValidationError(message, code="stale")
        return cleaned


def current_version(instance):
    latest = instance.history.order_by("-history_date", "-history_id").values("history_id").first()
    return str(latest["history_id"]) if latest else ""


def changes_since(instance, version):
    """What changed between history record `version` and now, in words for staff."""
    history = instance.history.order_by("history_date", "history_id")
    try:
        old = history.get(history_id=int(version)) if version else None
    except (ValueError, instance.history.model.DoesNotExist):
        old = None
    new = history.last()
    if old is None or new is None:
        return []
    delta = new.diff_against(old)
    who = new.history_user.get_username() if new.history_user else _("okänd")
    when = date_format(timezone.localtime(new.history_date), "j F Y H:i")
    result = []
    for change in delta.changes:
        field = instance._meta.get_field(change.field)
        result.append(
            _("%(field)s: ”%(old)s” → ”%(new)s”")
            % {
                "field": field.verbose_name,
                "old": history_value(type(instance), change.field, change.old),
                "new": history_value(type(instance), change.field, change.new),
            }
        )
    if result:
        result.append(_("senast sparat av %(who)s %(when)s") % {"who": who, "when": when})
    return result


class PledgeAdminForm(VersionedModelForm):
    confirm_introduction = forms.BooleanField(
        label=gettext_lazy("Inledningen stämmer för den nya perioden"),
        required=False,
        help_text=gettext_lazy(
            "Behövs bara när löftet publiceras med samma inledning som förra årets löfte."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        previous = self.instance.previous if self.instance.previous_id else None
        if (
            previous is not None
            and cleaned.get("status") == Pledge.Status.PUBLISHED
            and same_text(cleaned.get("introduction"), previous.introduction)
            and not cleaned.get("confirm_introduction")
        ):
            self.add_error("confirm_introduction", COPIED_INTRODUCTION_MESSAGE)
        return cleaned

    class Meta:
        model = Pledge
        # The admin's fieldsets choose what is shown; these are all the editable fields.
        fields = [
            "municipality", "police_area", "police_partner_name", "title", "slug",
            "start_date", "end_date", "period_stated",
            "status", "published_at", "is_demo", "is_example", "introduction", "background",
            "goals",
            "focus_places", "partners", "follow_up_schedule", "follow_up_description",
            "document", "source_url",
        ]  # fmt: skip
        # The model's help text names a list action that does not exist: a published
        # löfte is extended with "Förläng perioden" on its own page.
        help_texts = {
            "end_date": gettext_lazy(
                "Ändra inte slutdatumet på ett publicerat löfte här: förläng det med "
                "”Förläng perioden” överst på sidan, så att förlängningen och skälet visas "
                "för invånarna."
            ),
        }


class CommitmentAdminForm(DecisionForm, VersionedModelForm):
    """The admin's commitment form, with the decision behind a changed target (DecisionForm:
    the same fields and rules as the staff pages' decisions)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].help_text = gettext_lazy(
            "Ändrar ni målet efter publiceringen: när beslutades det? Visas för allmänheten."
        )
        kind = self.fields.get("kind")
        if kind is None:
            return
        if self.instance.pk is None:
            # A new commitment: left empty, the kind is suggested from its text on save.
            kind.required = False
            kind.choices = [("", _("Föreslå utifrån texten")), *Commitment.Kind.choices]
            kind.initial = ""
            self.initial.setdefault("kind", "")
        elif self.instance.kind == Commitment.Kind.OTHER and not self.is_bound:
            suggested = suggest_kind(self.instance.text)
            if suggested != Commitment.Kind.OTHER:
                self.initial["kind"] = suggested
                kind.help_text = _("Förslag utifrån texten: kontrollera och spara.")

    def clean(self):
        cleaned = super().clean()
        if "kind" in self.fields and not cleaned.get("kind"):
            cleaned["kind"] = suggest_kind(cleaned.get("text") or self.instance.text)
        pledge = cleaned.get("pledge") or getattr(self.instance, "pledge", None)
        focus_area = cleaned.get("focus_area")
        if pledge is not None and focus_area is not None and focus_area.pledge_id != pledge.pk:
            self.add_error("focus_area", _("Välj ett fokusområde i samma löfte som åtagandet."))
        if Commitment.explanation_missing(
            cleaned.get("outcome"), cleaned.get("outcome_explanation")
        ):
            self.add_error("outcome_explanation", Commitment.EXPLANATION_REQUIRED)
        self._check_fulfilled_against_target(cleaned, pledge)
        return cleaned

    def _check_fulfilled_against_target(self, cleaned, pledge):
        """As on the close page: "Uppfyllt" with a figure under the target needs an
        explanation (the final figure when set, else the logged activities)."""
        if pledge is None or cleaned.get("outcome") != Commitment.Outcome.FULFILLED:
            return
        if (cleaned.get("outcome_explanation") or "").strip():
            return
        target = progress_target_total(
            kind=cleaned.get("target_kind"),
            quantity=cleaned.get("target_quantity"),
            interval=cleaned.get("interval"),
            start=pledge.start_date,
            end=pledge.end_date,
        )
        if target is None:
            return
        figure = cleaned.get("final_quantity")
        if figure is None:
            figure = (
                self.instance.activities.aggregate(total=Sum("quantity"))["total"] or 0
                if self.instance.pk
                else 0
            )
        if figure < target:
            self.add_error(
                "outcome", FULFILLED_UNDER_TARGET_MESSAGE % {"figure": figure, "target": target}
            )

    class Meta:
        model = Commitment
        fields = [
            "pledge", "focus_area", "order", "text", "short_text", "responsible_police",
            "responsible_municipality", "responsible_partners", "responsible_note", "places",
            "kind",
            "target_kind", "target_quantity", "target_unit", "target_unit_singular", "interval",
            "status",
            "completed_on", "outcome", "outcome_explanation", "final_quantity",
            "final_quantity_source",
        ]  # fmt: skip


class FollowUpNoteForm(forms.ModelForm):
    class Meta:
        model = FollowUpNote
        fields = ["follow_up", "commitment", "note"]

    def clean(self):
        cleaned = super().clean()
        follow_up = cleaned.get("follow_up") or getattr(self.instance, "follow_up", None)
        commitment = cleaned.get("commitment")
        if (
            follow_up is not None
            and commitment is not None
            and commitment.pledge_id != follow_up.pledge_id
        ):
            self.add_error(
                "commitment", _("Välj ett åtagande i det löfte som uppföljningen gäller.")
            )
        return cleaned


class NewStaffForm(forms.Form):
    """ "Ny personal": one form for a new staff account, its role and its scope."""

    class Role:
        POLICE = "kommunpolis"
        COORDINATOR = "samordnare"

    first_name = forms.CharField(label=gettext_lazy("Förnamn"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Efternamn"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("E-post"),
        help_text=gettext_lazy("Länken för att välja lösenord skickas hit. Blir användarnamnet."),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Roll"),
        widget=forms.RadioSelect,
        choices=[
            (Role.POLICE, gettext_lazy("Kommunpolis i ett lokalpolisområde")),
            (Role.COORDINATOR, gettext_lazy("Samordnare i en kommun")),
        ],
    )
    police_area = forms.ModelChoiceField(
        label=gettext_lazy("Lokalpolisområde"),
        queryset=PoliceArea.objects.none(),
        required=False,
        empty_label=gettext_lazy("Välj lokalpolisområde"),
        help_text=gettext_lazy("För kommunpoliser. Finns området inte? Lägg till det först."),
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Kommun"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=gettext_lazy("Välj kommun"),
        help_text=gettext_lazy("För samordnare."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.national = is_national_admin(user)
        if self.national:
            self.fields["police_area"].queryset = PoliceArea.objects.order_by("name")
            self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        else:
            # A coordinator adds colleagues in their own kommun only.
            self.fields["role"].choices = [self.fields["role"].choices[1]]
            self.fields["role"].initial = self.Role.COORDINATOR
            del self.fields["police_area"]
            self.fields["municipality"].queryset = Municipality.objects.filter(
                memberships__user=user
            ).order_by("name")
            # Not required on the form (the role decides), but a coordinator's only one.
            options = list(self.fields["municipality"].queryset.values_list("pk", flat=True)[:2])
            if len(options) == 1:
                self.fields["municipality"].initial = options[0]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        User = get_user_model()  # noqa: N806
        if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
            raise ValidationError(EMAIL_TAKEN_MESSAGE)
        return email

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == self.Role.POLICE:
            cleaned["municipality"] = None
            if not cleaned.get("police_area"):
                self.add_error(
                    "police_area", _("Välj vilket lokalpolisområde kommunpolisen hör till.")
                )
        elif role == self.Role.COORDINATOR:
            cleaned["police_area"] = None
            if not cleaned.get("municipality"):
                self.add_error("municipality", _("Välj vilken kommun samordnaren hör till."))
        return cleaned


def onboardable_users(user):
    """The staff accounts `user` may send a set-password link to: anyone's for a national
    administrator; for a coordinator, those with a membership of one of their kommuner
    (whom they may add with "Ny personal")."""
    User = get_user_model()  # noqa: N806
    users = User.objects.filter(is_active=True, is_staff=True)
    if not is_national_admin(user):
        users = users.filter(
            memberships__municipality__memberships__user=user,
        ).distinct()
    return users.order_by("first_name", "last_name", "username")


class ResendLinkForm(forms.Form):
    """ "Skicka länken igen": a new set-password link for a colleague whose first one
    expired or who lost their password."""

    user = forms.ModelChoiceField(
        label=gettext_lazy("Person"),
        queryset=get_user_model().objects.none(),
        empty_label=gettext_lazy("Välj person"),
        help_text=gettext_lazy(
            "En ny länk för att välja lösenord skickas till personens e-postadress. Tidigare "
            "länkar slutar gälla när lösenordet väljs."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = onboardable_users(user)
        field.label_from_instance = self.label_for
        preselect_single_choice(field)
        field.error_messages["invalid_choice"] = _("Välj en person i listan.")
        field.error_messages["required"] = _("Välj vem länken ska skickas till.")

    @staticmethod
    def label_for(person):
        name = person.get_full_name() or person.get_username()
        label = f"{name} <{person.email}>" if person.email else name
        if not person.has_usable_password():
            label += " – " + _("har inte valt lösenord än")
        return label

    def clean_user(self):
        person = self.cleaned_data["user"]
        if not person.email:
            raise ValidationError(_("Personen har ingen e-postadress. Lägg till den först."))
        return person
