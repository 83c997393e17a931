"""Recording sign-in attempts for the audit trail."""

from axes.helpers import get_client_ip_address
from django.utils.crypto import salted_hmac

from accounts.models import SignInAttempt

_IP_HASH_SALT = "accounts.signin-audit.ip"


def hash_ip(ip_address):
    if not ip_address:
        return ""
    return salted_hmac(_IP_HASH_SALT, ip_address, algorithm="sha256").hexdigest()


def record_sign_in(*, request, username, user=None, success):
    ip_address = get_client_ip_address(request) if request is not None else None
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SignInAttempt.objects.create(
        username=(username or "")[:150],
        user=user,
        success=success,
        ip_hash=hash_ip(ip_address),
        user_agent=user_agent[: SignInAttempt.USER_AGENT_MAX_LENGTH],
    )
