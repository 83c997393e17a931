"""For tests of staff pages while REQUIRE_2FA is on (the default with DEBUG off).

from tests.twofactor import force_login_verified
force_login_verified(client, user)   # signed in, second factor verified
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def force_login_verified(client, user):
    """Like `client.force_login`, with a confirmed TOTP device already verified."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
