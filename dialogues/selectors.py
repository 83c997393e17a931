"""Read shapes for the public pages, each a fixed number of queries."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from dialogues.models import Dialogue, Feedback, FeedbackCategory, Finding, SafetyWalk
from pledges.dates import add_months


def feedback_counts(municipality, now=None):
    """Synpunkter per category over the last 12 months: one query. Categories no longer in
    use still show when they have synpunkter in the period."""
    since = add_months(now or timezone.now(), -12)
    # Counted per category in a subquery on the kommun's synpunkter (its index), not by
    # joining every synpunkt in the country to the categories.
    recent = (
        Feedback.objects.filter(
            category=OuterRef("pk"), municipality=municipality, created_at__gte=since
        )
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        FeedbackCategory.objects.annotate(count=Coalesce(Subquery(recent), 0))
        .filter(Q(is_active=True) | Q(count__gt=0))
        .order_by("order", "name")
    )
    return list(rows)


def municipality_summary(municipality, now=None):
    """What the kommun page shows about dialogue with residents: four queries."""
    now = now or timezone.now()
    walks = list(
        SafetyWalk.objects.upcoming(now).filter(municipality=municipality).order_by("starts_at")[:3]
    )
    dialogues = list(
        Dialogue.objects.filter(
            municipality=municipality,
            status=Dialogue.Status.PLANNED,
            date__gte=timezone.localdate(now),
        ).order_by("date")[:3]
    )
    findings = Finding.objects.filter(
        walk__municipality=municipality, walk__status=SafetyWalk.Status.HELD
    ).counts()
    # The kommun page lists the most common categories first.
    counts = sorted(
        (c for c in feedback_counts(municipality, now) if c.count), key=lambda c: -c.count
    )
    return {
        "municipality": municipality,
        "upcoming_walks": walks,
        "upcoming_dialogues": dialogues,
        "findings": findings,
        "feedback_counts": counts,
        "feedback_total": sum(c.count for c in counts),
        "has_examples": any(w.is_example for w in walks) or any(d.is_example for d in dialogues),
    }
