"""Audit-trail handlers for Django's authentication signals (no business logic here)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts.audit import record_sign_in


@receiver(user_logged_in, dispatch_uid="accounts.audit.logged_in")
def audit_logged_in(sender, request, user, **kwargs):
    record_sign_in(request=request, username=user.get_username(), user=user, success=True)


@receiver(user_login_failed, dispatch_uid="accounts.audit.login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password already masked by Django; only the username is kept.
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    record_sign_in(request=request, username=username, success=False)
