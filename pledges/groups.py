"""The two staff roles as Django groups. Groups carry model permissions; a user's
`Membership` carries the scope (which kommuner). Both roles edit löften together, so they
get the same permissions: the group says what kind of organisation the user works for.

Reference data (län, kommuner, polisregioner, lokalpolisområden), memberships and
deleting a whole löfte are for national administrators (superusers) only.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

POLICE_GROUP = "Lokalpolisområde"
COORDINATOR_GROUP = "Kommunens samordnare"

# model name → actions, for the pledges app.
PLEDGES_PERMISSIONS = {
    "pledge": ["view", "add", "change"],
    "focusarea": ["view", "add", "change", "delete"],
    "commitment": ["view", "add", "change", "delete"],
    "activity": ["view", "add", "change", "delete"],
    "signatory": ["view", "add", "change", "delete"],
    "contact": ["view", "add", "change", "delete"],
    "followup": ["view", "add", "change", "delete"],
    "followupnote": ["view", "add", "change", "delete"],
    "pledgeextension": ["view"],
    "partner": ["view", "add"],
    "municipality": ["view"],
    "policearea": ["view"],
    "county": ["view"],
    "policeregion": ["view"],
}
# Other apps' models that staff work on in their own area (their admins are scoped too).
OTHER_APPS_ALL_PERMISSIONS = ["dialogues"]


def staff_permissions():
    condition = Q()
    for model, actions in PLEDGES_PERMISSIONS.items():
        condition |= Q(
            content_type__app_label="pledges",
            codename__in=[f"{action}_{model}" for action in actions],
        )
    condition |= Q(content_type__app_label__in=OTHER_APPS_ALL_PERMISSIONS) & ~Q(
        content_type__model__startswith="historical"
    )
    return Permission.objects.filter(condition)


def ensure_staff_groups():
    """Creates or updates both groups; safe to run any number of times."""
    permissions = list(staff_permissions())
    groups = {}
    for name in (POLICE_GROUP, COORDINATOR_GROUP):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        groups[name] = group
    return groups


NATIONAL_ADMIN_GROUP = "Nationell administratör"


def is_national_admin(user):
    """Superusers and members of the national administrators' group: they maintain reference
    data (police areas) and onboard staff anywhere."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    # Asked several times per request (scope, permissions): one query per user object.
    if not hasattr(user, "_is_national_admin"):
        user._is_national_admin = user.groups.filter(name=NATIONAL_ADMIN_GROUP).exists()
    return user._is_national_admin
