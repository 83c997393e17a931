"""'Glömt lösenordet?': who gets a reset link, and how often anyone may ask for one.

Built on Django's password-reset views and tokens (the link is the same one a new staff
member gets, `accounts:set_password`). The answer is the same whether or not the address
belongs to an account; requests are counted per address and per client (salted hashes,
insert first and count second, as in dialogues.protection), so that nobody can flood a
colleague's inbox or probe many addresses from one place.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.models import PasswordResetRequest
from core.clientip import client_ip, hash_ip

_EMAIL_SALT = "accounts.password-reset.email"

LIMITED_MESSAGE = _(
    "Du har bett om många länkar på kort tid. Vänta en timme och försök igen, eller be den "
    "som skapade ditt konto att skicka länken igen."
)


def rate_limit():
    """(requests per address, requests per client, seconds)."""
    return getattr(settings, "PASSWORD_RESET_RATE_LIMIT", (3, 10, 60 * 60))


def hash_email(email):
    return salted_hmac(_EMAIL_SALT, email.strip().lower(), algorithm="sha256").hexdigest()


def reserve_request(request, email):
    """Records the request, then counts the window per address and per client; False (and
    the record removed again) when either is over its limit."""
    per_address, per_client, seconds = rate_limit()
    PasswordResetRequest.objects.older_than(seconds).delete()
    record = PasswordResetRequest.objects.create(
        email_hash=hash_email(email), ip_hash=hash_ip(client_ip(request))
    )
    window = PasswordResetRequest.objects.filter(
        created_at__gte=record.created_at - datetime.timedelta(seconds=seconds)
    )
    over = window.filter(email_hash=record.email_hash).count() > per_address or (
        record.ip_hash and window.filter(ip_hash=record.ip_hash).count() > per_client
    )
    if over:
        record.delete()
        return False
    return True


class StaffPasswordResetForm(PasswordResetForm):
    """Django's form, for active staff only, including a new member who never chose a
    password (whose first link may have expired): nobody else signs in here."""

    def get_users(self, email):
        User = get_user_model()  # noqa: N806
        email_field = User.get_email_field_name()
        return User._default_manager.filter(
            **{f"{email_field}__iexact": email.strip(), "is_active": True, "is_staff": True}
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-post")
        self.fields["email"].help_text = _("Den adress som ditt personalkonto är kopplat till.")
        self.fields["email"].error_messages = {
            "required": _("Skriv din e-postadress."),
            "invalid": _("Skriv en hel e-postadress, till exempel namn@kommun.se."),
        }
