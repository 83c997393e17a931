"""Who must use a second factor, and where they are sent to provide it."""

from django.conf import settings
from django_otp import user_has_device


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
