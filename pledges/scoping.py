"""Who may see and change what: the scope of a staff user.

A staff user belongs to organisations through `Membership`: a police area (LPO staff work
on every kommun the LPO covers) or a kommun (a coordinator works on that kommun).
Superusers (national administrators) see everything. Django groups carry the model
permissions; this module carries the scope. Every admin, staff page and export filters
through `municipalities_for()` so that the rule lives in one place.
"""

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Exists, Model, Q, QuerySet

from pledges.groups import NATIONAL_ADMIN_GROUP
from pledges.models import Municipality, PoliceArea


def _in_national_group(user: Any) -> Exists:
    """A condition true for every row when the user is in the national administrators'
    group: a subquery, so that scoping costs no extra query per request."""
    return Exists(Group.objects.filter(user=user.pk, name=NATIONAL_ADMIN_GROUP))


def municipalities_for(user: Any) -> QuerySet[Municipality]:
    """The kommuner a user may work on, as a QuerySet."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(
        Q(memberships__user=user)
        | Q(police_areas__memberships__user=user)
        | Q(_in_national_group(user))
    ).distinct()


def police_areas_for(user: Any) -> QuerySet[PoliceArea]:
    """The police areas a user may work on: their own, or all for a superuser."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return PoliceArea.objects.none()
    if user.is_superuser:
        return PoliceArea.objects.all()
    return PoliceArea.objects.filter(
        Q(memberships__user=user) | Q(_in_national_group(user))
    ).distinct()


def local_municipalities_for(user: Any) -> QuerySet[Municipality]:
    """The kommuner whose data a user reads through a local membership (a kommun's, or every
    kommun of a police area's), or every kommun for a superuser. The national
    administrators' group manages staff, police areas and the national tables; it gives no
    kommun's drafts or reports by itself (reports/views.py)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(
        Q(memberships__user=user) | Q(police_areas__memberships__user=user)
    ).distinct()


def local_police_areas_for(user: Any) -> QuerySet[PoliceArea]:
    """The police areas a user is a member of, or every one for a superuser."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return PoliceArea.objects.none()
    if user.is_superuser:
        return PoliceArea.objects.all()
    return PoliceArea.objects.filter(memberships__user=user).distinct()


def scope_queryset(queryset: QuerySet, user: Any, municipality_path: str) -> QuerySet:
    """Filters `queryset` to the user's kommuner.

    `municipality_path` is the lookup from the model to its Municipality, e.g.
    "municipality" for a Pledge, "pledge__municipality" for a Commitment, or "" for
    Municipality itself.
    """
    if user.is_authenticated and user.is_active and user.is_staff and user.is_superuser:
        return queryset
    lookup = f"{municipality_path}__in" if municipality_path else "pk__in"
    return queryset.filter(**{lookup: municipalities_for(user).values("pk")})


def in_scope(obj: Model | None, user: Any, municipality_path: str) -> bool:
    """Whether one object lies in the user's scope."""
    if obj is None:
        return True
    model = type(obj)
    return scope_queryset(
        model._default_manager.filter(pk=obj.pk), user, municipality_path
    ).exists()


# The lookup from each scoped model to its Municipality. Admins, staff pages and exports of
# other apps register theirs with `register_scope_path` so that foreign-key choices pointing
# at their models are scoped too.
_SCOPE_PATHS: dict[type, str] = {}


def register_scope_path(model: type[Model], municipality_path: str) -> None:
    _SCOPE_PATHS[model] = municipality_path


def scope_path_for(model: type[Model]) -> str | None:
    """The registered municipality path for `model`, or None when it is not scoped."""
    return _SCOPE_PATHS.get(model)


def scope_for_model(queryset: QuerySet, user: Any) -> QuerySet:
    """Scopes `queryset` by its model's registered path; unscoped models pass through."""
    path = scope_path_for(queryset.model)
    if path is None:
        return queryset
    scoped = scope_queryset(queryset, user, path)
    # A path through a many-to-many relation (a police area's kommuner) repeats rows.
    return scoped.distinct() if "municipalities" in path.split("__") else scoped


def _register_pledges_paths() -> None:
    from pledges import models

    for model, path in [
        (models.Municipality, ""),
        (models.PoliceArea, "municipalities"),
        (models.Pledge, "municipality"),
        (models.PledgeExtension, "pledge__municipality"),
        (models.Signatory, "pledge__municipality"),
        (models.Contact, "pledge__municipality"),
        (models.FocusArea, "pledge__municipality"),
        (models.Commitment, "pledge__municipality"),
        (models.Activity, "commitment__pledge__municipality"),
        (models.FollowUp, "pledge__municipality"),
        (models.FollowUpNote, "follow_up__pledge__municipality"),
        (models.Problem, "pledge__municipality"),
        (models.Indicator, "municipality"),
        (models.IndicatorValue, "indicator__municipality"),
        (models.Membership, None),
    ]:
        if path is not None:
            register_scope_path(model, path)


_register_pledges_paths()
