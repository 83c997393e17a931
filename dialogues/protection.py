"""Abuse protection for the public forms, without third parties.

Each form carries a signed timestamp (a post faster than `SYNPUNKT_MIN_SECONDS` or older
than `FORM_MAX_AGE_SECONDS` is refused, and each token works once) and a honeypot field
hidden from people. Accepted posts are counted per salted IP hash in the database.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues.models import FormAttempt, UsedFormToken
from medborgarlofte.clientip import client_ip, hash_ip

TOKEN_FIELD = "ts"
HONEYPOT_FIELD = "webbplats"
_SALT = "dialogues.form-timestamp"


def min_seconds():
    return getattr(settings, "SYNPUNKT_MIN_SECONDS", 3)


def max_age_seconds():
    return getattr(settings, "FORM_MAX_AGE_SECONDS", 2 * 60 * 60)


def rate_limit():
    """(posts, seconds) allowed per IP hash and form."""
    return getattr(settings, "FORM_RATE_LIMIT", (5, 60 * 60))


def new_token():
    return signing.TimestampSigner(salt=_SALT).sign(secrets.token_urlsafe(12))


def _younger_than(signer, token, seconds):
    """Whether the (valid) token was signed less than `seconds` ago: the signer's own age
    check, asked the other way round (it raises SignatureExpired when older)."""
    if seconds <= 0:
        return False
    try:
        signer.unsign(token, max_age=seconds)
    except signing.SignatureExpired:
        return False
    return True


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Check:
    ok: bool
    message: str = ""
    status: int = 400
    bot: bool = False


def check_post(request, action):
    """Checks the honeypot, the signed timestamp and the rate limit of a form post.

    Does not consume the token; call `consume()` once the post is accepted.
    """
    if rate_limited(request, action):
        return Check(
            False,
            _(
                "Du har skickat många formulär på kort tid. Vänta en stund och försök igen, "
                "eller kontakta kommunen direkt."
            ),
            status=429,
        )
    if request.POST.get(HONEYPOT_FIELD, ""):
        return Check(False, _("Formuläret kunde inte skickas. Försök igen."), bot=True)
    token = request.POST.get(TOKEN_FIELD, "")
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        signer.unsign(token, max_age=max_age_seconds())
    except signing.SignatureExpired:
        return Check(
            False,
            _(
                "Formuläret har varit öppet för länge. Det du skrev finns kvar: "
                "kontrollera det och skicka igen."
            ),
        )
    except signing.BadSignature:
        return Check(False, _("Formuläret kunde inte skickas. Försök igen."))
    if _younger_than(signer, token, min_seconds()):
        return Check(
            False,
            _("Formuläret skickades väldigt snabbt. Kontrollera det du skrev och skicka igen."),
            bot=True,
        )
    if UsedFormToken.objects.filter(token_hash=_token_hash(token)).exists():
        return Check(
            False,
            _("Formuläret har redan skickats. Ladda om sidan om du vill skicka något nytt."),
        )
    return Check(True)


def rate_limited(request, action):
    limit, seconds = rate_limit()
    since = timezone.now() - datetime.timedelta(seconds=seconds)
    return (
        FormAttempt.objects.filter(
            action=action, ip_hash=hash_ip(client_ip(request)), created_at__gte=since
        ).count()
        >= limit
    )


def record_attempt(request, action):
    FormAttempt.objects.create(action=action, ip_hash=hash_ip(client_ip(request)))


def consume(request):
    """Marks the post's token as used; False when another request used it first."""
    token = request.POST.get(TOKEN_FIELD, "")
    try:
        with transaction.atomic():
            UsedFormToken.objects.create(token_hash=_token_hash(token))
    except IntegrityError:
        return False
    return True
