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

from core.clientip import client_ip, hash_ip
from dialogues.models import FormAttempt, UsedFormToken

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
    attempt: FormAttempt | None = None


def check_post(request, action):
    """Checks the rate limit, the honeypot and the signed timestamp of a form post.

    Takes one of the rate limit's places first (see `reserve_attempt`); a post refused for
    a mistake the resident can fix gives it back, a post caught as a bot keeps it. Does not
    consume the token; call `consume()` once the post is accepted, or `release()` if the
    form turns out invalid.
    """
    attempt = reserve_attempt(request, action)
    if attempt is None:
        return Check(
            False,
            _(
                "Du har skickat många formulär på kort tid. Vänta en stund och försök igen, "
                "eller kontakta kommunen direkt."
            ),
            status=429,
        )
    check = _check_token(request)
    check.attempt = attempt
    if not check.ok and not check.bot:
        release(check)
    return check


def _check_token(request):
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


def reserve_attempt(request, action):
    """Records this post's attempt, then counts the window; None when over the limit.

    Insert first, count second: of any two concurrent posts, the one that counts last sees
    both rows, so parallel posts can never all pass a check that each made alone (count,
    then insert, let 20 parallel posts get 7 through a limit of 5). Works the same on
    PostgreSQL and SQLite, without locks. A refused post removes its own row again.
    """
    limit, seconds = rate_limit()
    attempt = FormAttempt.objects.create(action=action, ip_hash=hash_ip(client_ip(request)))
    since = timezone.now() - datetime.timedelta(seconds=seconds)
    count = FormAttempt.objects.filter(
        action=action, ip_hash=attempt.ip_hash, created_at__gte=since
    ).count()
    if count > limit:
        attempt.delete()
        return None
    return attempt


def release(check):
    """Gives a reserved place back: the post was not accepted and was no bot."""
    if check.attempt is not None and check.attempt.pk is not None:
        check.attempt.delete()


def consume(request):
    """Marks the post's token as used; False when another request used it first."""
    token = request.POST.get(TOKEN_FIELD, "")
    try:
        with transaction.atomic():
            UsedFormToken.objects.create(token_hash=_token_hash(token))
    except IntegrityError:
        return False
    return True


def protected_post(request, action, form):
    """Runs the abuse checks, then the form's validation. Returns (ok, message, status).
    Every public form uses it (synpunkt, walk sign-up, alerts), so they share one honeypot,
    time trap and rate limit."""
    check = check_post(request, action)
    if not check.ok:
        form.is_valid()  # so the page shows field errors too, and keeps the input
        return False, check.message, check.status
    if not form.is_valid():
        release(check)
        return False, "", 400
    if not consume(request):
        release(check)
        return False, _("Formuläret har redan skickats."), 400
    return True, "", 200
