"""Who must use a second factor, and where they are sent to provide it."""

import math

from django.conf import settings
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice


def requires_two_factor(user):
    """Whether this signed-in user must verify a second factor for the staff areas."""
    if not settings.REQUIRE_2FA:
        return False
    if not (user.is_authenticated and user.is_staff):
        return False
    # The demo accounts share a published password: exempt only on a developer's machine.
    return not (settings.DEBUG and user.get_username() in settings.DEMO_USERNAMES)


def is_protected_path(path):
    return any(path.startswith(prefix) for prefix in settings.TWO_FACTOR_PROTECTED_PREFIXES)


def has_confirmed_device(user):
    return user_has_device(user, confirmed=True)


def seconds_until_allowed(user, token):
    """Seconds until a throttled device that could accept `token` takes codes again
    (django-otp doubles the wait after each wrong code); 0 when none is throttled. An app
    device is only a candidate for a code of its length in digits, so a reused backup
    code is "wrong", not "wait"."""
    now = timezone.now()
    waits = []
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice) and not (token.isdigit() and len(token) == device.digits):
            continue
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(math.ceil((data["locked_until"] - now).total_seconds()))
    return max([wait for wait in waits if wait > 0], default=0)
