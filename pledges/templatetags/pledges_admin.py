import datetime

from django import template
from django.utils import timezone

from pledges.admin import can_add_staff
from pledges.models import FollowUp, Pledge, PledgeDecision
from pledges.scoping import scope_queryset

register = template.Library()

# How far around today the admin's start page looks for löften to close or renew.
RECENT = datetime.timedelta(days=400)
SOON = datetime.timedelta(days=120)


@register.simple_tag(takes_context=True)
def season_tasks(context):
    """The löften of the user's own area that the season asks something of: ended and not
    yet closed ("Avsluta löftet"), and ending soon or ended without a next löfte ("Nästa
    löfte"), and follow-up rounds waiting for the user's approval. Three bounded queries."""
    user = context["request"].user
    today = timezone.localdate()
    mine = scope_queryset(Pledge.objects.active(), user, "municipality").select_related(
        "municipality"
    )
    to_close = (
        mine.filter(end_date__lt=today, end_date__gte=today - RECENT)
        .exclude(decisions__kind=PledgeDecision.Kind.CLOSED)
        .order_by("-end_date")[:5]
    )
    to_renew = mine.filter(
        end_date__gte=today - RECENT, end_date__lte=today + SOON, next_pledges__isnull=True
    ).order_by("end_date")[:5]
    to_approve = (
        FollowUp.objects.awaiting_approval_by(user)
        .select_related("pledge__municipality")
        .order_by("-date", "-id")[:10]
    )
    return {
        "to_approve": list(to_approve),
        "to_close": list(to_close),
        "to_renew": list(to_renew),
        "can_add_staff": can_add_staff(user),
    }
