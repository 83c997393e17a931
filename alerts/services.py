"""Writes of "Bevaka löftet": subscribe, confirm, unsubscribe, send digests, purge."""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from alerts import digest
from alerts.models import CONFIRMATION_HOURS, AlertSend, ConfirmationMail, Subscription

logger = logging.getLogger(__name__)

CONFIRM_SALT = "alerts.confirm"
_ADDRESS_SALT = "alerts.address"


def confirmation_limit():
    """(mails, seconds): confirmation mails one address may receive."""
    return getattr(settings, "ALERT_CONFIRMATION_LIMIT", (3, 24 * 60 * 60))


def site_url():
    return settings.SITE_URL.rstrip("/")


def normalise_email(email):
    """Addresses are compared and stored in lower case, so "Anna@X.se" and "anna@x.se"
    are one subscriber."""
    return email.strip().lower()


def address_hash(email):
    return salted_hmac(_ADDRESS_SALT, normalise_email(email), algorithm="sha256").hexdigest()


class ConfirmationLimited(Exception):
    """Too many confirmation mails to one address lately."""


def confirmation_token(subscription):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscription.token)


def subscription_from_confirmation(token):
    """(subscription or None, reason): reason is "expired" or "invalid" when None."""
    try:
        secret = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=datetime.timedelta(hours=CONFIRMATION_HOURS)
        )
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    subscription = Subscription.objects.select_related("municipality").filter(token=secret).first()
    return subscription, (None if subscription else "invalid")


def reserve_confirmation(*, hashed, now):
    """Records a confirmation mail to the address `hashed`, then counts the window; None
    when over the limit (the row is removed again).

    Insert first, count second, each committed on its own (as the form limit in
    dialogues.protection): of any two parallel posts, the one that counts last sees both
    rows, so 20 posts at once cannot all pass a count that each made alone."""
    limit, seconds = confirmation_limit()
    mail = ConfirmationMail.objects.create(address_hash=hashed, created_at=now)
    recent = ConfirmationMail.objects.filter(
        address_hash=hashed, created_at__gte=now - datetime.timedelta(seconds=seconds)
    ).count()
    if recent > limit:
        mail.delete()
        return None
    return mail


def subscribe(*, email, municipality, frequency, now=None):
    """Saves an unconfirmed subscription and mails its confirmation link.

    An address already following the kommun gets nothing new (and the page says the same
    as for a new one, so the form does not tell who follows what); an unconfirmed one gets
    its link again. Raises ConfirmationLimited, saving nothing, when the address has had
    too many confirmation mails lately: whether or not it follows the kommun, so that the
    limit's answer does not tell either."""
    now = now or timezone.now()
    email = normalise_email(email)
    mail = reserve_confirmation(hashed=address_hash(email), now=now)
    if mail is None:
        raise ConfirmationLimited
    sent = False
    try:
        with transaction.atomic():
            subscription = Subscription.objects.filter(
                email=email, municipality=municipality
            ).first()
            if subscription is not None and subscription.is_confirmed:
                return subscription  # no mail: the reservation is given back below
            if subscription is not None and subscription.frequency != frequency:
                subscription.frequency = frequency
                subscription.save(update_fields=["frequency"])
            if subscription is None:
                try:
                    with transaction.atomic():
                        subscription = Subscription.objects.create(
                            email=email,
                            municipality=municipality,
                            frequency=frequency,
                            created_at=now,
                        )
                except IntegrityError:
                    # A parallel post for the same address and kommun won (and mails).
                    return Subscription.objects.get(email=email, municipality=municipality)
            transaction.on_commit(lambda: send_confirmation(subscription))
            sent = True
    finally:
        if not sent:
            mail.delete()
    return subscription


def _unsubscribe_url(subscription):
    return site_url() + reverse("alerts:unsubscribe", args=[subscription.token])


def send_confirmation(subscription):
    context = {
        "subscription": subscription,
        "municipality": subscription.municipality,
        "confirm_url": site_url()
        + reverse("alerts:confirm", args=[confirmation_token(subscription)]),
        "hours": CONFIRMATION_HOURS,
    }
    message = EmailMessage(
        _("Bekräfta att du vill bevaka medborgarlöftet i %(name)s")
        % {"name": subscription.municipality.name},
        render_to_string("alerts/email/confirm.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
    )
    try:
        message.send()
    except Exception:
        # The address stays unconfirmed and is purged; the resident can ask again.
        logger.exception("Could not send the alert confirmation")
        return False
    return True


def confirm(*, subscription, now=None):
    """Confirms; digests cover what happens from now on. Confirming twice changes nothing."""
    if subscription.is_confirmed:
        return subscription
    now = now or timezone.now()
    Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, sent_until=now
    )
    subscription.refresh_from_db()
    return subscription


def unsubscribe(*, token):
    """Deletes the subscription (its address with it). True if there was one."""
    deleted, _counts = Subscription.objects.filter(token=token).delete()
    return bool(deleted)


def build_digest(subscription, until):
    lines = digest.changes(subscription.municipality, subscription.sent_until, until)
    titles = digest.section_titles()
    sections = []
    for line in lines:
        if not sections or sections[-1][0] != line.section:
            sections.append((line.section, []))
        sections[-1][1].append(line)
    return lines, [(titles[key], items) for key, items in sections]


def digest_message(subscription, sections):
    unsubscribe_url = _unsubscribe_url(subscription)
    context = {
        "municipality": subscription.municipality,
        "subscription": subscription,
        "sections": sections,
        "site_url": site_url(),
        "page_url": site_url() + subscription.municipality.get_absolute_url(),
        "unsubscribe_url": unsubscribe_url,
    }
    return EmailMessage(
        _("Nytt om medborgarlöftet i %(name)s") % {"name": subscription.municipality.name},
        render_to_string("alerts/email/digest.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers={
            # RFC 8058: mail clients offer one-click unsubscribe with a POST to this URL.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_digest(*, subscription, now=None, dry_run=False):
    """Sends one subscription its digest of changes since `sent_until`, if there are any.

    The window is claimed with a conditional update of `sent_until` and recorded as an
    AlertSend in the same transaction as the send: two runs at once cannot both claim it,
    and a failed send rolls the claim back so the changes go out next time. Returns the
    number of lines sent (0: nothing to send)."""
    now = now or timezone.now()
    since = subscription.sent_until
    with translation.override(settings.LANGUAGE_CODE):
        lines, sections = build_digest(subscription, now)
        if dry_run or not lines:
            return len(lines)
        with transaction.atomic():
            claimed = Subscription.objects.filter(
                pk=subscription.pk, sent_until=since, confirmed_at__isnull=False
            ).update(sent_until=now, last_sent_at=now)
            if not claimed:
                return 0
            AlertSend.objects.create(
                subscription=subscription,
                window_start=since,
                window_end=now,
                changes=len(lines),
                sent_at=now,
            )
            digest_message(subscription, sections).send()
    return len(lines)


def send_alerts(*, now=None, dry_run=False):
    """Digests for every due subscription. Returns counts of subscriptions checked, mails
    sent (or that would be) and mails that failed.

    Subscribers without news stay due, so every run would look at them again: each kommun
    is first asked once whether anything changed since the oldest watermark of its due
    subscribers, and only kommuner with news are read per subscriber."""
    now = now or timezone.now()
    counts = {"due": 0, "sent": 0, "failed": 0}
    by_municipality = {}
    for subscription in Subscription.objects.due(now):
        by_municipality.setdefault(subscription.municipality_id, []).append(subscription)
    for subscriptions in by_municipality.values():
        counts["due"] += len(subscriptions)
        since = min(subscription.sent_until for subscription in subscriptions)
        with translation.override(settings.LANGUAGE_CODE):
            if not digest.changes(subscriptions[0].municipality, since, now):
                continue
        for subscription in subscriptions:
            try:
                if send_digest(subscription=subscription, now=now, dry_run=dry_run):
                    counts["sent"] += 1
            except Exception:
                counts["failed"] += 1
                logger.exception(
                    "Could not send the alert digest of subscription %s", subscription.pk
                )
    return counts


def purge_unconfirmed(*, now=None, dry_run=False):
    """Deletes subscriptions left unconfirmed for CONFIRMATION_HOURS, and the per-address
    confirmation counts older than a day. Returns the counts."""
    now = now or timezone.now()
    unconfirmed = Subscription.objects.unconfirmed_before(
        now - datetime.timedelta(hours=CONFIRMATION_HOURS)
    )
    mails = ConfirmationMail.objects.filter(created_at__lt=now - datetime.timedelta(days=1))
    if dry_run:
        return {"unconfirmed": unconfirmed.count(), "confirmation_mails": mails.count()}
    with transaction.atomic():
        return {
            "unconfirmed": unconfirmed.delete()[1].get("alerts.Subscription", 0),
            "confirmation_mails": mails.delete()[0],
        }
