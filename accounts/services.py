"""Staff accounts: the e-mail that lets a new member choose a password, and enrolment of a
second factor (a TOTP app and a set of backup codes)."""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Autentiseringsapp"
BACKUP_DEVICE_NAME = "Reservkoder"


def pending_totp_device(*, user):
    """The user's unconfirmed TOTP device, created on first use (its key is shown once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(*, device):
    """Confirms the device and replaces any backup codes; returns the new codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return regenerate_backup_codes(user=device.user)


@transaction.atomic
def regenerate_backup_codes(*, user):
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def send_set_password_email(*, user, request):
    """E-mails a new staff member a one-time link to choose a password, through Django's
    password-reset machinery: the link stops working once a password is set, and after a
    few days (PASSWORD_RESET_TIMEOUT)."""
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "invited_by": request.user.get_full_name() or request.user.get_username(),
    }
    # PasswordResetForm.save() skips users without a usable password, which a new account
    # is; its send_mail() renders and sends the same way.
    PasswordResetForm().send_mail(
        "accounts/email/set_password_subject.txt",
        "accounts/email/set_password.txt",
        context,
        None,
        user.email,
    )
