"""Demo accounts for local use and demonstrations, never in production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction

from pledges.groups import COORDINATOR_GROUP, POLICE_GROUP, ensure_staff_groups
from pledges.models import County, Membership, Municipality, PoliceArea, PoliceRegion

KUNGALV = {"code": "1482", "name": "Kungälv", "slug": "kungalv"}
ALE = {"code": "1440", "name": "Ale", "slug": "ale"}
TROLLHATTAN = {"code": "1488", "name": "Trollhättan", "slug": "trollhattan"}


def _municipality(data):
    # Reference data normally exists (load_reference_data); create it when run standalone.
    county, _ = County.objects.get_or_create(code="14", defaults={"name": "Västra Götalands län"})
    municipality, _ = Municipality.objects.get_or_create(
        code=data["code"], defaults={**data, "county": county}
    )
    return municipality


def _police_area():
    region, _ = PoliceRegion.objects.get_or_create(name="Väst", defaults={"slug": "vast"})
    area, created = PoliceArea.objects.get_or_create(
        slug="kungalv-ale",
        defaults={"name": "Kungälv/Ale", "region": region},
    )
    area.municipalities.add(_municipality(KUNGALV), _municipality(ALE))
    return area


@transaction.atomic
def create_demo_accounts(*, stdout=None):
    """Creates `admin`, `polis.kungalv-ale`, `samordnare.kungalv` and
    `samordnare.trollhattan` with the password `settings.DEMO_PASSWORD`. Idempotent: an
    existing account gets its password, groups and membership back."""
    if not settings.DEBUG:
        raise CommandError(
            "Demokonton skapas bara när DEBUG är på (lokal utveckling). "
            "Demo accounts are only created with DEBUG on."
        )
    groups = ensure_staff_groups()
    area = _police_area()
    accounts = [
        ("admin", {"is_superuser": True}, None, None),
        ("polis.kungalv-ale", {}, POLICE_GROUP, {"police_area": area}),
        ("samordnare.kungalv", {}, COORDINATOR_GROUP, {"municipality": _municipality(KUNGALV)}),
        (
            "samordnare.trollhattan",
            {},
            COORDINATOR_GROUP,
            {"municipality": _municipality(TROLLHATTAN)},
        ),
    ]
    User = get_user_model()
    users = {}
    for username, flags, group, membership in accounts:
        user, created = User.objects.get_or_create(username=username)
        user.is_staff = True
        user.is_active = True
        user.is_superuser = flags.get("is_superuser", False)
        user.email = user.email or f"{username}@example.se"
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        if group:
            user.groups.add(groups[group])
        if membership:
            Membership.objects.get_or_create(user=user, **membership)
        users[username] = user
        if stdout is not None:
            verb = "Skapade" if created else "Uppdaterade"
            stdout.write(f"{verb} demokontot {username}\n")
    return users
