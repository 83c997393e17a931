"""The client's address, and the one way it is hashed before it is stored.

Used by the public forms' rate limit (dialogues.protection), the sign-in audit (accounts)
and django-axes (settings.AXES_CLIENT_IP_CALLABLE), so that all three see the same client.
"""

from django.conf import settings
from django.utils.crypto import salted_hmac

_HASH_SALT = "medborgarlofte.client-ip"


def client_ip(request):
    """The address of the client that sent `request`.

    Behind `NUM_PROXIES` trusted proxies it is the address the outermost of them saw: each
    proxy appends the address it received from to X-Forwarded-For, so that entry is
    `NUM_PROXIES` from the right, and anything a client wrote further left is ignored.
    Without proxies (or without the header) it is REMOTE_ADDR.
    """
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hash_ip(address):
    """A salted hash of an address (keyed with SECRET_KEY): equal for the same address, so
    posts and sign-ins can be counted and told apart, useless for finding the person."""
    if not address:
        return ""
    return salted_hmac(_HASH_SALT, address, algorithm="sha256").hexdigest()
