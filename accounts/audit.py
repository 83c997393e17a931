"""Recording sign-in attempts for the audit trail."""

from accounts.models import SignInAttempt
from core.clientip import client_ip, hash_ip


def record_sign_in(*, request, username, user=None, success):
    ip_address = client_ip(request) if request is not None else ""
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SignInAttempt.objects.create(
        username=(username or "")[:150],
        user=user,
        success=success,
        ip_hash=hash_ip(ip_address),
        user_agent=user_agent[: SignInAttempt.USER_AGENT_MAX_LENGTH],
    )
