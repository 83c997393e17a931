"""Who may see and change what: the scope of a staff user.

A staff user belongs to organisations through `Membership`: a police area (LPO staff work
on every kommun the LPO covers) or a kommun (a coordinator works on that kommun).
Superusers (national administrators) see everything. Django groups carry the model
permissions; this module carries the scope. Every admin, staff page and export filters
through `municipalities_for()` so that the rule lives in one place.
"""

from django.db.models import Q

from pledges.models import Municipality, PoliceArea


def municipalities_for(user):
    """The kommuner a user may work on, as a QuerySet."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(
        Q(memberships__user=user) | Q(police_areas__memberships__user=user)
    ).distinct()


def police_areas_for(user):
    """The police areas a user may work on: their own, or all for a superuser."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return PoliceArea.objects.none()
    if user.is_superuser:
        return PoliceArea.objects.all()
    return PoliceArea.objects.filter(memberships__user=user).distinct()


def scope_queryset(queryset, user, municipality_path):
    """Filters `queryset` to the user's kommuner.

    `municipality_path` is the lookup from the model to its Municipality, e.g.
    "municipality" for a Pledge, "pledge__municipality" for a Commitment, or "" for
    Municipality itself.
    """
    if user.is_authenticated and user.is_active and user.is_staff and user.is_superuser:
        return queryset
    lookup = f"{municipality_path}__in" if municipality_path else "pk__in"
    return queryset.filter(**{lookup: municipalities_for(user).values("pk")})


def in_scope(obj, user, municipality_path):
    """Whether one object lies in the user's scope."""
    if obj is None:
        return True
    model = type(obj)
    return scope_queryset(
        model._default_manager.filter(pk=obj.pk), user, municipality_path
    ).exists()
