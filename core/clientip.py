"""The client's address, and the one way it is hashed before it is stored.

Used by the public forms' rate limit (dialogues.protection), the sign-in audit (accounts)
and django-axes (settings.AXES_CLIENT_IP_CALLABLE), so that all three see the same client.
"""

import functools
import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac

_HASH_SALT = "medborgarlofte.client-ip"


def client_ip(request):
    """The address of the client that sent `request`.

    X-Forwarded-For is read only when the peer (REMOTE_ADDR) is one of our proxies,
    `FORWARDED_ALLOW_IPS` (the addresses or networks gunicorn trusts for the scheme too):
    anyone who reaches gunicorn directly gets their own address, whatever they write in
    the header. Behind `NUM_PROXIES` trusted proxies it is the address the outermost of them
    saw: each proxy appends the address it received from, so that entry is `NUM_PROXIES`
    from the right, and anything a client wrote further left is ignored. Without proxies
    (or without the header) it is REMOTE_ADDR.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    if proxies and is_trusted_proxy(peer):
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return peer


@functools.cache
def _networks(allowed):
    networks = []
    for entry in allowed:
        if entry == "*":
            return None  # every peer, as gunicorn reads "*"
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue  # not an address (gunicorn refuses to start with one)
    return tuple(networks)


def is_trusted_proxy(peer):
    """Whether `peer` is in FORWARDED_ALLOW_IPS. A peer that is no IP address came through
    a unix socket (GUNICORN_BIND=unix:…), whose file permissions are the boundary: trusted,
    as gunicorn trusts it."""
    networks = _networks(tuple(settings.FORWARDED_ALLOW_IPS))
    if networks is None:
        return True
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return True
    return any(address in network for network in networks)


def hash_ip(address):
    """A salted hash of an address (keyed with SECRET_KEY): equal for the same address, so
    posts and sign-ins can be counted and told apart, useless for finding the person."""
    if not address:
        return ""
    return salted_hmac(_HASH_SALT, address, algorithm="sha256").hexdigest()
