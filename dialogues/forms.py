"""Public forms. They validate; `dialogues.services` saves. The honeypot and the signed
timestamp are not form fields: `dialogues.protection` checks them from the raw post, so a
redisplayed form always gets a fresh token while keeping what the resident wrote."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.models import Feedback, FeedbackCategory, WalkSignup


class TelInput(forms.TextInput):
    """A phone number field: type="tel" (a number pad on phones), and only that type."""

    input_type = "tel"


class StoredChoicesSelect(forms.Select):
    """A select whose choices are stored Swedish text (the synpunkt categories): each option
    but the empty one says lang="sv", so that it is read as Swedish on the English pages
    (WCAG 3.1.2)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value not in ("", None):
            option["attrs"]["lang"] = "sv"
        return option


def required(message):
    """error_messages for a required field: what to write, in the form's own words."""
    return {"required": message}


class PublicFormMixin:
    """crispy-forms without its own <form> tag: the template writes the tag, the hidden
    protection fields and the error summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class FeedbackForm(PublicFormMixin, forms.ModelForm):
    field_order = ["category", "place", "when_happens", "text", "name", "email", "phone", "consent"]

    category = forms.ModelChoiceField(
        label=_("Vad gäller det?"),
        queryset=FeedbackCategory.objects.active(),
        empty_label=_("Välj en kategori"),
        widget=StoredChoicesSelect,
        error_messages={
            **required(_("Välj vad synpunkten gäller i listan.")),
            "invalid_choice": _("Välj vad synpunkten gäller i listan."),
        },
    )
    place = forms.CharField(
        label=_("Var?"),
        max_length=200,
        help_text=_("Till exempel en gata, en park eller en hållplats."),
        error_messages=required(_("Skriv var det händer, till exempel en gata eller en park.")),
    )
    when_happens = forms.CharField(
        label=_("När händer det? (frivilligt)"),
        max_length=200,
        required=False,
        help_text=_("Till exempel kvällar och helger."),
    )
    text = forms.CharField(
        label=_("Beskriv vad som gör dig otrygg"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Högst 5 000 tecken. Skriv inte namn på andra personer."),
        error_messages=required(_("Beskriv med några ord vad som gör dig otrygg.")),
    )
    name = forms.CharField(label=_("Namn (frivilligt)"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-post (frivilligt)"),
        required=False,
        max_length=254,
        help_text=_(
            "Om du vill ha ett kvitto. Utan samtycket nedan används adressen bara till "
            "kvittot och sparas inte; med samtycket sparas den så att kommunen kan svara dig."
        ),
        error_messages={"invalid": _("Skriv e-postadressen som namn@exempel.se.")},
    )
    phone = forms.CharField(
        label=_("Telefon (frivilligt)"), max_length=50, required=False, widget=TelInput
    )
    consent = forms.BooleanField(
        label=_(
            "Jag samtycker till att kommunen sparar mitt namn och mina kontaktuppgifter för att "
            "kunna svara mig. De tas bort automatiskt efter kommunens gallringstid."
        ),
        required=False,
    )

    class Meta:
        model = Feedback
        # `email` is a form field but not saved by the form: without consent it is used for
        # the receipt only (dialogues.services.submit_feedback decides what is stored).
        fields = ["category", "place", "when_happens", "text", "name", "phone", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        # The error summary names the field by this, not by the whole consent sentence.
        self.fields["consent"].summary_label = _("Samtycke")

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(c.isdigit() or c in " +-()" for c in phone):
            raise forms.ValidationError(
                _("Skriv telefonnumret med siffror, till exempel 070-123 45 67.")
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        # An e-mail address alone needs no consent: it is used for the receipt only and not
        # stored (dialogues.services.submit_feedback). A name or phone number is stored.
        gave_contact = any(cleaned.get(f) for f in ("name", "phone"))
        if gave_contact and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Kryssa i rutan om samtycke om kommunen får spara ditt namn eller "
                    "telefonnummer, eller ta bort dem."
                ),
            )
        return cleaned


class WalkSignupForm(PublicFormMixin, forms.ModelForm):
    name = forms.CharField(
        label=_("Namn"), max_length=200, error_messages=required(_("Skriv ditt namn."))
    )
    email = forms.EmailField(
        label=_("E-post"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Skriv e-postadressen som namn@exempel.se.")},
    )
    phone = forms.CharField(label=_("Telefon"), max_length=50, required=False, widget=TelInput)
    people = forms.IntegerField(
        label=_("Antal personer"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("Du och de du tar med dig, högst 10."),
        error_messages={
            **required(_("Skriv hur många ni blir, från 1 till 10.")),
            "invalid": _("Skriv hur många ni blir med siffror, från 1 till 10."),
            "min_value": _("Skriv hur många ni blir, från 1 till 10."),
            "max_value": _("Ni kan vara högst 10. Anmäl en större grupp till kommunen."),
        },
    )

    class Meta:
        model = WalkSignup
        fields = ["name", "email", "phone", "people"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("Ange e-post eller telefon, så kan vi nå dig.")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    clean_phone = FeedbackForm.clean_phone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
            self.add_error(
                "email", _("Skriv din e-postadress eller ditt telefonnummer, så kan vi nå dig.")
            )
        return cleaned
