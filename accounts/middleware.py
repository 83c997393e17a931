from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts.twofactor import has_confirmed_device, is_protected_path, requires_two_factor

# Paths in the protected areas that a user must reach before verifying: signing out.
_ALWAYS_ALLOWED = ("/admin/logout/",)


class RequireTwoFactorMiddleware:
    """Sends signed-in staff who have not verified a second factor to verify or enrol.

    Must come after django_otp's OTPMiddleware, which sets `user.is_verified()`.
    Anonymous visitors pass through: the admin's own login takes care of them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_protected_path(request.path) and request.path not in _ALWAYS_ALLOWED:
            user = request.user
            if requires_two_factor(user) and not user.is_verified():
                name = "accounts:verify" if has_confirmed_device(user) else "accounts:enrol"
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(name)}?{query}")
        return self.get_response(request)
