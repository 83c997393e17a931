"""The audit trail of staff sign-ins."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class SignInAttemptQuerySet(models.QuerySet):
    def expired(self, now=None):
        """Attempts older than SIGNIN_AUDIT_RETENTION_DAYS, due to be purged."""
        now = now or timezone.now()
        cutoff = now - datetime.timedelta(days=settings.SIGNIN_AUDIT_RETENTION_DAYS)
        return self.filter(created_at__lt=cutoff)


class SignInAttempt(models.Model):
    """One sign-in to the staff areas, successful or not. Never the password.

    The address is kept as a salted hash: enough to see that many failures came from one
    place, without storing the personal data itself.
    """

    USER_AGENT_MAX_LENGTH = 200

    created_at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    username = models.CharField(_("angivet användarnamn"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in_attempts",
    )
    success = models.BooleanField(_("lyckad"))
    ip_hash = models.CharField(_("adress (hashad)"), max_length=64, blank=True)
    user_agent = models.CharField(_("webbläsare"), max_length=USER_AGENT_MAX_LENGTH, blank=True)

    objects = SignInAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inloggningsförsök")
        verbose_name_plural = _("inloggningsförsök")
        indexes = [models.Index(fields=["username", "-created_at"])]

    def __str__(self):
        outcome = _("lyckad") if self.success else _("misslyckad")
        return f"{self.username} ({outcome}, {self.created_at:%Y-%m-%d %H:%M})"


class AuthenticatorApp(TOTPDevice):
    """django-otp's TOTP device under a Swedish name, for the admin (a proxy: same table)."""

    class Meta:
        proxy = True
        verbose_name = _("autentiseringsapp")
        verbose_name_plural = _("autentiseringsappar")


class BackupCodes(StaticDevice):
    """django-otp's static device (the backup codes) under a Swedish name, for the admin."""

    class Meta:
        proxy = True
        verbose_name = _("reservkoder")
        verbose_name_plural = _("reservkoder")


class PasswordResetRequestQuerySet(models.QuerySet):
    def older_than(self, seconds, now=None):
        now = now or timezone.now()
        return self.filter(created_at__lt=now - datetime.timedelta(seconds=seconds))


class PasswordResetRequest(models.Model):
    """One "Glömt lösenordet?" request, counted for the rate limit per address and per
    client (accounts.passwordreset). Both are salted hashes; whether the address has an
    account is not recorded. Rows older than the limit's window are deleted as new ones
    come in."""

    created_at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    email_hash = models.CharField(_("e-postadress (hashad)"), max_length=64)
    ip_hash = models.CharField(_("adress (hashad)"), max_length=64, blank=True)

    objects = PasswordResetRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("begäran om nytt lösenord")
        verbose_name_plural = _("begäranden om nytt lösenord")
        indexes = [
            models.Index(fields=["email_hash", "created_at"]),
            models.Index(fields=["ip_hash", "created_at"]),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"
