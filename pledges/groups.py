"""The staff roles as Django groups. Groups carry model permissions; a user's
`Membership` carries the scope (which kommuner). Both local roles edit löften together, so
they get the same permissions: the group says what kind of organisation the user works for.

National tables, which every kommun's pages and forms use (län, kommuner, polisregioner,
lokalpolisområden, samverkansparter, synpunkt categories), are changed only by national
administrators: the group "Nationell administratör" or superusers (`pledges.groups.
is_national_admin`). Local staff read them. Memberships and deleting a whole löfte are for
superusers only.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

POLICE_GROUP = "Lokalpolisområde"
COORDINATOR_GROUP = "Kommunens samordnare"
NATIONAL_ADMIN_GROUP = "Nationell administratör"

ALL_ACTIONS = ["view", "add", "change", "delete"]

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
    "problem": ["view", "add", "change", "delete"],
    "indicator": ["view", "add", "change", "delete"],
    "indicatorvalue": ["view", "add", "change", "delete"],
    "pledgeextension": ["view"],
    "partner": ["view", "add"],
    "municipality": ["view"],
    "policearea": ["view"],
    "county": ["view"],
    "policeregion": ["view"],
}
# The dialogues app's models that staff work on in their own area (their admins are
# scoped); its internal tables (counters, form attempts) are for no one, and its national
# table, the synpunkt categories, is read-only.
DIALOGUES_PERMISSIONS = {
    "feedback": ALL_ACTIONS,
    "safetywalk": ALL_ACTIONS,
    "walksignup": ALL_ACTIONS,
    "finding": ALL_ACTIONS,
    "dialogue": ALL_ACTIONS,
    "feedbackcategory": ["view"],
}
# What a national administrator changes: the national tables, per app.
NATIONAL_PERMISSIONS = {
    "pledges": {
        "county": ALL_ACTIONS,
        "policeregion": ALL_ACTIONS,
        "municipality": ALL_ACTIONS,
        "policearea": ALL_ACTIONS,
        "partner": ALL_ACTIONS,
    },
    "dialogues": {"feedbackcategory": ALL_ACTIONS},
}


def permissions_for(per_app):
    condition = Q(pk__in=[])
    for app_label, models in per_app.items():
        for model, actions in models.items():
            condition |= Q(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
    return Permission.objects.filter(condition)


def staff_permissions():
    return permissions_for({"pledges": PLEDGES_PERMISSIONS, "dialogues": DIALOGUES_PERMISSIONS})


def ensure_staff_groups():
    """Creates or updates the three groups; safe to run any number of times."""
    staff = list(staff_permissions())
    groups = {}
    for name, permissions in (
        (POLICE_GROUP, staff),
        (COORDINATOR_GROUP, staff),
        (NATIONAL_ADMIN_GROUP, list(permissions_for(NATIONAL_PERMISSIONS))),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        groups[name] = group
    return groups


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
