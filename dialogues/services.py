"""Writes that span several rows or models, each in one transaction. Views and the admin
call these; there are no signals."""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.models import (
    Feedback,
    FormAttempt,
    ReferenceCounter,
    SafetyWalk,
    UsedFormToken,
    WalkSignup,
)
from pledges.dates import add_months
from pledges.models import Activity, Municipality

logger = logging.getLogger(__name__)

RECEIPT_SALT = "dialogues.feedback-receipt"
SIGNUP_SALT = "dialogues.walk-signup"


class WalkFull(Exception):
    """The walk has fewer places left than the sign-up asks for."""

    def __init__(self, places_left):
        super().__init__(places_left)
        self.places_left = places_left


# --- Synpunkter -------------------------------------------------------------------------


def next_reference(year):
    """The next SYN-<year>-<number>. The UPDATE locks the year's counter row until the
    transaction ends, so two concurrent posts never get the same number."""
    with transaction.atomic():
        updated = ReferenceCounter.objects.filter(year=year).update(
            last_number=F("last_number") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    ReferenceCounter.objects.create(year=year, last_number=1)
            except IntegrityError:
                ReferenceCounter.objects.filter(year=year).update(last_number=F("last_number") + 1)
        number = ReferenceCounter.objects.get(year=year).last_number
    return f"SYN-{year}-{number:04d}"


def submit_feedback(*, form, municipality, ip_hash):
    """Saves a valid synpunkt with its reference number; sends the receipt e-mail.

    An address given without consent is used for the receipt only and never stored, so
    nothing needs erasing later; with consent it is kept (for a reply) until the purge.
    """
    receipt_to = form.cleaned_data.get("email", "")
    with transaction.atomic():
        feedback = form.save(commit=False)
        feedback.email = receipt_to if feedback.consent else ""
        feedback.municipality = municipality
        feedback.ip_hash = ip_hash
        feedback.reference = next_reference(timezone.localdate().year)
        feedback.save()
    if receipt_to:
        send_feedback_receipt(feedback, to=receipt_to)
    return feedback


def receipt_token(feedback):
    return signing.dumps(feedback.pk, salt=RECEIPT_SALT)


def feedback_from_receipt_token(token, max_age=7 * 24 * 60 * 60):
    """The feedback pk in a receipt token, or None when the token is bad or old."""
    try:
        return int(signing.loads(token, salt=RECEIPT_SALT, max_age=max_age))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _send(subject, template, context, to):
    body = render_to_string(template, context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception:
        # The synpunkt is saved and the receipt page shows the number: a mail server
        # that is down must not turn that into an error for the resident.
        logger.exception("Could not send e-mail %r", subject)
        return False
    return True


def send_feedback_receipt(feedback, *, to=None):
    return _send(
        _("Vi har tagit emot din synpunkt %(reference)s") % {"reference": feedback.reference},
        "dialogues/email/feedback_receipt.txt",
        {"feedback": feedback, "municipality": feedback.municipality},
        to or feedback.email,
    )


def send_feedback_reply(*, feedback, user=None):
    """E-mails the staff reply to the resident; records when. False without an address."""
    if not feedback.email or not feedback.reply.strip():
        return False
    sent = _send(
        _("Svar på din synpunkt %(reference)s") % {"reference": feedback.reference},
        "dialogues/email/feedback_reply.txt",
        {"feedback": feedback, "municipality": feedback.municipality},
        feedback.email,
    )
    if sent:
        feedback.replied_at = timezone.now()
        Feedback.objects.filter(pk=feedback.pk).update(replied_at=feedback.replied_at)
        logger.info("Reply to %s sent by %s", feedback.reference, user)
    return sent


# --- Trygghetsvandringar ----------------------------------------------------------------


def sync_walk_activity(*, walk, user=None):
    """Keeps the walk's one activity in step with the walk: a held walk under a commitment
    counts once on it; a walk that is not held (or has no commitment) counts nothing."""
    with transaction.atomic():
        walk = (
            SafetyWalk.objects.select_for_update(of=("self",))
            .select_related("activity")
            .get(pk=walk.pk)
        )
        should_count = walk.status == SafetyWalk.Status.HELD and walk.commitment_id is not None
        activity = walk.activity
        if should_count:
            date = timezone.localdate(walk.starts_at)
            description = _("Trygghetsvandring: %(area)s") % {"area": walk.area}
            if walk.participants:
                description += " " + _("(%(count)s deltagare)") % {"count": walk.participants}
            if activity is None:
                activity = Activity.objects.create(
                    commitment_id=walk.commitment_id,
                    date=date,
                    quantity=1,
                    place=walk.area[:200],
                    description=description,
                    is_example=walk.is_example,
                    created_by=user if user is not None and user.is_authenticated else None,
                )
                walk.activity = activity
                walk.save(update_fields=["activity"])
            elif (activity.commitment_id, activity.date) != (walk.commitment_id, date):
                activity.commitment_id = walk.commitment_id
                activity.date = date
                activity.description = description
                activity.save()
        elif activity is not None:
            walk.activity = None
            walk.save(update_fields=["activity"])
            activity.delete()
    return walk


def record_walk_held(*, walk, user=None, participants=None):
    """Marks a walk held; under a commitment it counts as one activity, once."""
    with transaction.atomic():
        fields = {"status": SafetyWalk.Status.HELD}
        if participants is not None:
            fields["participants"] = participants
        SafetyWalk.objects.filter(pk=walk.pk).update(**fields, updated_at=timezone.now())
        return sync_walk_activity(walk=walk, user=user)


def cancel_walk(*, walk, user=None):
    """Cancels a walk and removes the activity it counted as, if any."""
    with transaction.atomic():
        SafetyWalk.objects.filter(pk=walk.pk).update(
            status=SafetyWalk.Status.CANCELLED, updated_at=timezone.now()
        )
        return sync_walk_activity(walk=walk, user=user)


def sign_up(*, form, walk, ip_hash, base_url=""):
    """Saves a sign-up unless the walk is full; the walk row is locked while counting."""
    with transaction.atomic():
        walk = SafetyWalk.objects.select_for_update().get(pk=walk.pk)
        signup = form.save(commit=False)
        if walk.capacity is not None:
            taken = (
                walk.signups.filter(cancelled_at__isnull=True).aggregate(n=Sum("people"))["n"] or 0
            )
            if taken + signup.people > walk.capacity:
                raise WalkFull(max(0, walk.capacity - taken))
        signup.walk = walk
        signup.ip_hash = ip_hash
        signup.save()
    if signup.email:
        _send(
            _("Du är anmäld till trygghetsvandringen %(area)s") % {"area": walk.area},
            "dialogues/email/signup_confirmation.txt",
            {
                "signup": signup,
                "walk": walk,
                "site_url": base_url,
                "manage_path": signup_manage_path(signup),
            },
            signup.email,
        )
    return signup


def signup_token(signup):
    return signing.dumps(signup.pk, salt=SIGNUP_SALT)


def signup_manage_path(signup):
    return reverse("dialogues:signup", args=[signup_token(signup)])


def signup_from_token(token):
    try:
        return int(signing.loads(token, salt=SIGNUP_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def cancel_signup(*, signup):
    if signup.cancelled_at is None:
        signup.cancelled_at = timezone.now()
        signup.save(update_fields=["cancelled_at"])
    return signup


# --- Personal data ----------------------------------------------------------------------


def purge_personal_data(*, dry_run=False, now=None):
    """Blanks names, e-mail addresses, phone numbers and IP hashes older than each kommun's
    retention period, in one transaction. Returns the counts."""
    now = now or timezone.now()
    blank = {"name": "", "email": "", "phone": "", "ip_hash": "", "personal_data_purged_at": now}
    has_personal = ~Q(name="", email="", phone="", ip_hash="")
    counts = {"feedback": 0, "signups": 0, "attempts": 0, "tokens": 0}
    with transaction.atomic():
        retention_values = (
            Municipality.objects.order_by()
            .values_list("personal_data_retention_months", flat=True)
            .distinct()
        )
        for months in retention_values:
            cutoff = add_months(now, -months)
            feedback = Feedback.objects.filter(
                has_personal,
                municipality__personal_data_retention_months=months,
                created_at__lt=cutoff,
            )
            signups = WalkSignup.objects.filter(
                has_personal,
                walk__municipality__personal_data_retention_months=months,
                created_at__lt=cutoff,
                walk__starts_at__lt=cutoff,
            )
            if dry_run:
                counts["feedback"] += feedback.count()
                counts["signups"] += signups.count()
            else:
                counts["feedback"] += feedback.update(**blank)
                counts["signups"] += signups.update(**blank)
        # The abuse-protection tables only need the last hours.
        attempts = FormAttempt.objects.filter(created_at__lt=now - datetime.timedelta(days=1))
        tokens = UsedFormToken.objects.filter(created_at__lt=now - datetime.timedelta(days=1))
        if dry_run:
            counts["attempts"] = attempts.count()
            counts["tokens"] = tokens.count()
        else:
            counts["attempts"] = attempts.delete()[0]
            counts["tokens"] = tokens.delete()[0]
    logger.info("purge_personal_data%s: %s", " (dry run)" if dry_run else "", counts)
    return counts
