"""Public forms. They validate; `dialogues.services` saves. The honeypot and the signed
timestamp are not form fields: `dialogues.protection` checks them from the raw post, so a
redisplayed form always gets a fresh token while keeping what the resident wrote."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.models import Feedback, FeedbackCategory, WalkSignup


class PublicFormMixin:
    """crispy-forms without its own <form> tag: the template writes the tag, the hidden
    protection fields and the error summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class FeedbackForm(PublicFormMixin, forms.ModelForm):
    category = forms.ModelChoiceField(
        label=_("Vad gäller det?"),
        queryset=FeedbackCategory.objects.active(),
        empty_label=_("Välj en kategori"),
    )
    place = forms.CharField(
        label=_("Var?"),
        max_length=200,
        help_text=_("Till exempel en gata, en park eller en hållplats."),
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
    )
    name = forms.CharField(label=_("Namn (frivilligt)"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-post (frivilligt)"),
        required=False,
        max_length=254,
        help_text=_("Om du vill ha ett kvitto och svar."),
    )
    phone = forms.CharField(label=_("Telefon (frivilligt)"), max_length=50, required=False)
    consent = forms.BooleanField(
        label=_(
            "Jag samtycker till att kommunen sparar mitt namn och mina kontaktuppgifter för att "
            "kunna svara mig. De tas bort automatiskt efter kommunens gallringstid."
        ),
        required=False,
    )

    class Meta:
        model = Feedback
        fields = ["category", "place", "when_happens", "text", "name", "email", "phone", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(c.isdigit() or c in " +-()" for c in phone):
            raise forms.ValidationError(
                _("Skriv telefonnumret med siffror, till exempel 070-123 45 67.")
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        gave_contact = any(cleaned.get(f) for f in ("name", "email", "phone"))
        if gave_contact and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Kryssa i samtycket om du vill lämna namn eller kontaktuppgifter, "
                    "eller ta bort dem."
                ),
            )
        return cleaned


class WalkSignupForm(PublicFormMixin, forms.ModelForm):
    name = forms.CharField(label=_("Namn"), max_length=200)
    email = forms.EmailField(label=_("E-post"), required=False, max_length=254)
    phone = forms.CharField(label=_("Telefon"), max_length=50, required=False)
    people = forms.IntegerField(
        label=_("Antal personer"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("Du och de du tar med dig, högst 10."),
    )

    class Meta:
        model = WalkSignup
        fields = ["name", "email", "phone", "people"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("Ange e-post eller telefon, så kan vi nå dig.")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})

    clean_phone = FeedbackForm.clean_phone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
            self.add_error("email", _("Ange e-post eller telefonnummer."))
        return cleaned
