"""The queries a follow-up report shares between its document (reports.document) and its
tables (reports.sections): both import from here, so imports run one way only
(queries -> document -> sections)."""

from django.db.models import Count, Q

from pledges.dates import day_bounds


def walks_in_period(municipality_ids, period):
    """Held and planned walks of the kommuner that start in the period, with their finding
    counts per status: one query. `values_list` keeps sign-ups, descriptions and reports
    out of the SQL; a report never needs them."""
    from dialogues.models import Finding, SafetyWalk

    start, end = day_bounds(period.start, period.end)
    return (
        SafetyWalk.objects.filter(
            municipality_id__in=municipality_ids, starts_at__gte=start, starts_at__lt=end
        )
        .exclude(status=SafetyWalk.Status.CANCELLED)
        .annotate(
            findings_total=Count("findings"),
            findings_fixed=Count("findings", filter=Q(findings__status=Finding.Status.FIXED)),
            findings_open=Count("findings", filter=Q(findings__status=Finding.Status.OPEN)),
            findings_declined=Count("findings", filter=Q(findings__status=Finding.Status.DECLINED)),
        )
        .order_by("starts_at", "id")
        .values_list(
            "starts_at",
            "municipality__name",
            "area",
            "status",
            "participants",
            "findings_total",
            "findings_fixed",
            "findings_open",
            "findings_declined",
            "is_example",
        )
    )


def feedback_per_category(municipality_ids, period):
    """Synpunkter received in the period per category and status: one query. Counts only:
    no text, no place, no contact details ever leave this function."""
    from dialogues.models import Feedback

    status = Feedback.Status
    start, end = day_bounds(period.start, period.end)
    return (
        Feedback.objects.filter(
            municipality_id__in=municipality_ids, created_at__gte=start, created_at__lt=end
        )
        .values("category__order", "category__name")
        .annotate(
            total=Count("id"),
            new=Count("id", filter=Q(status=status.NEW)),
            in_progress=Count("id", filter=Q(status=status.IN_PROGRESS)),
            forwarded=Count(
                "id",
                filter=Q(status__in=[status.FORWARDED_POLICE, status.FORWARDED_MUNICIPALITY]),
            ),
            closed=Count("id", filter=Q(status=status.CLOSED)),
            published=Count("id", filter=Q(is_published=True)),
        )
        .order_by("category__order", "category__name")
    )
