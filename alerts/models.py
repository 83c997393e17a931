"""Residents who follow a kommun's löfte by e-mail ("Bevaka löftet").

Only the address, the kommun and the frequency are kept. An address is saved unconfirmed
until its owner opens the signed link in the confirmation mail (double opt-in); unconfirmed
addresses are deleted after CONFIRMATION_HOURS by `purge_personal_data`, and unsubscribing
deletes the row.
"""

import datetime
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledges.models import Municipality

# How long a confirmation link works, and how long an unconfirmed address is kept.
CONFIRMATION_HOURS = 48


def new_token():
    return secrets.token_urlsafe(24)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_before(self, cutoff):
        return self.filter(confirmed_at__isnull=True, created_at__lt=cutoff)

    def due(self, now=None):
        """Confirmed subscriptions whose period since their last digest has passed (or
        that never had one), with their kommun: one query."""
        now = now or timezone.now()
        return (
            self.confirmed()
            .filter(
                Q(last_sent_at__isnull=True)
                | Q(
                    frequency=Subscription.Frequency.DAILY,
                    last_sent_at__lte=now - Subscription.PERIODS["daily"],
                )
                | Q(
                    frequency=Subscription.Frequency.WEEKLY,
                    last_sent_at__lte=now - Subscription.PERIODS["weekly"],
                )
            )
            .select_related("municipality")
            .order_by("id")
        )


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("En gång i veckan")
        DAILY = "daily", _("En gång om dagen")

    PERIODS = {
        "weekly": datetime.timedelta(days=7) - datetime.timedelta(minutes=30),
        "daily": datetime.timedelta(days=1) - datetime.timedelta(minutes=30),
    }

    email = models.EmailField(_("e-postadress"), max_length=254)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
    )
    frequency = models.CharField(
        _("hur ofta"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # The secret in the unsubscribe link; the confirmation link signs it too.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("anmäld"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)
    # Changes up to this moment have been sent (or happened before the confirmation).
    sent_until = models.DateTimeField(_("skickat till och med"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("senaste utskick"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("bevakning")
        verbose_name_plural = _("bevakningar")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "municipality"], name="one_subscription_per_address_and_kommun"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=["weekly", "daily"]),
                name="subscription_frequency_known",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=False) | Q(sent_until__isnull=True),
                name="subscription_sends_only_when_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["confirmed_at", "created_at"])]

    def __str__(self):
        return f"{self.municipality} ({self.get_frequency_display()})"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class AlertSend(models.Model):
    """One digest sent: the window of changes it covered. Written in the same transaction
    that moves the subscription's `sent_until`, so no window is ever sent twice."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="sends", verbose_name=_("bevakning")
    )
    window_start = models.DateTimeField(_("ändringar efter"))
    window_end = models.DateTimeField(_("ändringar till och med"))
    changes = models.PositiveIntegerField(_("antal rader"))
    sent_at = models.DateTimeField(_("skickat"), default=timezone.now)

    class Meta:
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "window_start"], name="one_send_per_window"
            ),
            models.CheckConstraint(
                condition=Q(window_start__lt=models.F("window_end")), name="send_window_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.subscription_id}: {self.window_start} – {self.window_end}"


class ConfirmationMail(models.Model):
    """A confirmation mail sent, counted per salted hash of the address so that one
    address cannot be flooded; deleted after a day by `purge_personal_data`."""

    address_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("bekräftelsemejl")
        verbose_name_plural = _("bekräftelsemejl")

    def __str__(self):
        return f"{self.address_hash[:8]} {self.created_at}"
