"""The subscription form. The honeypot and the signed timestamp are checked by
`dialogues.protection`, as for the synpunkt form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.models import Subscription
from dialogues.forms import PublicFormMixin


class SubscribeForm(PublicFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Din e-postadress"),
        max_length=254,
        error_messages={
            "required": _("Skriv din e-postadress."),
            "invalid": _("Skriv en giltig e-postadress, till exempel namn@exempel.se."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("Hur ofta vill du få e-post när något har hänt?"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Välj en gång i veckan eller en gång om dagen.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})
