"""Public (open data) querysets: one named function per endpoint, published löften only.

Nothing here selects an internal note, who logged an activity, or a draft. The API, the
CSV downloads and the feeds all read through these functions.
"""

import datetime

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce

from dialogues.models import Finding, SafetyWalk
from pledges.dates import local_midnight, start_of_today
from pledges.models import Activity, Commitment, FollowUp, Municipality, Pledge, PoliceArea

ACTIVITY_FIELDS = (
    "id",
    "date",
    "quantity",
    "place",
    "description",
    "is_example",
    "updated_at",
    "commitment_id",
    "commitment__pledge_id",
    "commitment__pledge__municipality__slug",
)


def published_pledges(now=None):
    return Pledge.objects.published(now)


def public_municipalities(filters):
    queryset = Municipality.objects.select_related("county").prefetch_related(
        Prefetch("police_areas", queryset=PoliceArea.objects.order_by("name"))
    )
    if filters.kommun:
        queryset = queryset.filter(slug=filters.kommun)
    if filters.lpo:
        queryset = queryset.filter(police_areas__slug=filters.lpo)
    if filters.fran or filters.till:
        pledges = filter_pledge_period(published_pledges(), filters)
        queryset = queryset.filter(pk__in=pledges.values("municipality_id"))
    return queryset.order_by("code")


def filter_pledge_period(queryset, filters, prefix=""):
    if filters.fran:
        queryset = queryset.filter(**{f"{prefix}end_date__gte": filters.fran})
    if filters.till:
        queryset = queryset.filter(**{f"{prefix}start_date__lte": filters.till})
    return queryset


def filter_place(queryset, filters, municipality_path):
    if filters.kommun:
        queryset = queryset.filter(**{f"{municipality_path}__slug": filters.kommun})
    if filters.lpo:
        queryset = queryset.filter(
            **{
                f"{municipality_path}__in": Municipality.objects.filter(
                    police_areas__slug=filters.lpo
                ).values("pk")
            }
        )
    return queryset


def public_pledges(filters):
    queryset = filter_place(published_pledges(), filters, "municipality")
    queryset = filter_pledge_period(queryset, filters)
    return queryset.select_related("municipality", "police_area").order_by(
        "municipality__code", "-start_date", "id"
    )


def public_commitments(filters):
    queryset = Commitment.objects.filter(pledge__in=published_pledges().values("pk"))
    queryset = filter_place(queryset, filters, "pledge__municipality")
    return filter_pledge_period(queryset, filters, "pledge__").order_by(
        "pledge__municipality__code", "pledge_id", "focus_area__order", "order", "id"
    )


def with_progress(commitments):
    """What a page of commitments needs to compute progress: one query."""
    return commitments.select_related("pledge__municipality", "focus_area").annotate(
        achieved=Coalesce(Sum("activities__quantity"), 0)
    )


def public_activities(filters):
    queryset = Activity.objects.filter(commitment__pledge__in=published_pledges().values("pk"))
    queryset = filter_place(queryset, filters, "commitment__pledge__municipality")
    if filters.fran:
        queryset = queryset.filter(date__gte=filters.fran)
    if filters.till:
        queryset = queryset.filter(date__lte=filters.till)
    return queryset.order_by("-date", "-id")


def public_follow_ups(municipality=None, limit=20):
    queryset = FollowUp.objects.filter(pledge__in=published_pledges().values("pk"))
    if municipality is not None:
        queryset = queryset.filter(pledge__municipality=municipality)
    return queryset.select_related("pledge__municipality").order_by("-date", "-id")[:limit]


def feed_activities(municipality=None, limit=30):
    queryset = Activity.objects.filter(commitment__pledge__in=published_pledges().values("pk"))
    if municipality is not None:
        queryset = queryset.filter(commitment__pledge__municipality=municipality)
    # `only` keeps internal notes and authors out of the objects the feed templates see.
    return (
        queryset.select_related("commitment__pledge__municipality")
        .only(
            "id",
            "date",
            "quantity",
            "place",
            "description",
            "is_example",
            "created_at",
            "updated_at",
            "commitment__id",
            "commitment__text",
            "commitment__short_text",
            "commitment__pledge__id",
            "commitment__pledge__slug",
            "commitment__pledge__title",
            "commitment__pledge__municipality__id",
            "commitment__pledge__municipality__slug",
            "commitment__pledge__municipality__name",
        )
        .order_by("-created_at", "-id")[:limit]
    )


# --- Trygghetsvandringar and their findings ---------------------------------------------

PUBLIC_WALK_STATUSES = (SafetyWalk.Status.HELD, SafetyWalk.Status.PLANNED)


def filter_walk_period(queryset, filters, prefix=""):
    """Walks that start within [fran, till], in whole local days."""
    if filters.fran:
        queryset = queryset.filter(**{f"{prefix}starts_at__gte": local_midnight(filters.fran)})
    if filters.till:
        end = local_midnight(filters.till + datetime.timedelta(days=1))
        queryset = queryset.filter(**{f"{prefix}starts_at__lt": end})
    return queryset


def public_walks(filters):
    """Held and planned walks (cancelled ones leave the public pages too). Sign-ups are
    another table and never joined here."""
    queryset = SafetyWalk.objects.filter(status__in=PUBLIC_WALK_STATUSES)
    queryset = filter_place(queryset, filters, "municipality")
    return filter_walk_period(queryset, filters).order_by("-starts_at", "-id")


def finding_count(status=None):
    """A walk's number of findings (of a status) as a correlated subquery: unlike a join
    with GROUP BY, it lets the database take the page (or the feed's top N) by index first
    and count only for those rows."""
    findings = Finding.objects.filter(walk=OuterRef("pk"))
    if status is not None:
        findings = findings.filter(status=status)
    counted = findings.order_by().values("walk").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_walk_details(walks):
    """What a page of walks shows: its kommun, finding counts per status, and the
    commitment only when its löfte is published (a draft's id is not public): one query."""
    status = Finding.Status
    return walks.select_related("municipality").annotate(
        findings_total=finding_count(),
        findings_fixed=finding_count(status.FIXED),
        findings_open=finding_count(status.OPEN),
        findings_declined=finding_count(status.DECLINED),
        public_commitment_id=Case(
            When(
                commitment__pledge__in=published_pledges().values("pk"),
                then=F("commitment_id"),
            ),
            default=None,
            output_field=BigIntegerField(),
        ),
    )


def public_findings(filters):
    """Findings of held walks: what was seen, who should fix it, and whether they did."""
    queryset = Finding.objects.filter(walk__status=SafetyWalk.Status.HELD)
    queryset = filter_place(queryset, filters, "walk__municipality")
    queryset = filter_walk_period(queryset, filters, "walk__")
    return queryset.order_by("-walk__starts_at", "walk_id", "id")


def with_finding_walk(findings):
    return findings.select_related("walk__municipality")


def feed_walks(municipality=None, limit=30):
    """Held and planned walks for the Atom feeds, most recently changed first, with their
    finding counts: one query."""
    queryset = SafetyWalk.objects.filter(status__in=PUBLIC_WALK_STATUSES)
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    return (
        queryset.select_related("municipality")
        .annotate(
            findings_total=finding_count(),
            findings_fixed=finding_count(Finding.Status.FIXED),
        )
        .order_by("-updated_at", "-id")[:limit]
    )


# --- Fingerprints for ETag / Last-Modified: one aggregate query each ---------------------


def fingerprint(endpoint, queryset):
    """(count, last modified or None, extra) of a filtered queryset, cheaply."""
    if endpoint == "kommuner":
        data = queryset.order_by().aggregate(count=Count("pk", distinct=True), top=Max("pk"))
        return data["count"], None, data["top"]
    if endpoint == "loften":
        data = queryset.order_by().aggregate(
            count=Count("pk"), updated=Max("updated_at"), published=Max("published_at")
        )
        return data["count"], _latest(data["updated"], data["published"]), None
    if endpoint == "ataganden":
        data = queryset.order_by().aggregate(
            count=Count("pk", distinct=True),
            updated=Max("updated_at"),
            activity=Max("activities__updated_at"),
            published=Max("pledge__published_at"),
            activities=Count("activities", distinct=True),
        )
        # Expected progress moves with the date, so the data changes at midnight too.
        latest = _latest(data["updated"], data["activity"], data["published"], start_of_today())
        return data["count"], latest, data["activities"]
    if endpoint == "aktiviteter":
        data = queryset.order_by().aggregate(
            count=Count("pk"),
            updated=Max("updated_at"),
            published=Max("commitment__pledge__published_at"),
        )
        return data["count"], _latest(data["updated"], data["published"]), None
    if endpoint == "trygghetsvandringar":
        data = queryset.order_by().aggregate(
            count=Count("pk", distinct=True),
            updated=Max("updated_at"),
            finding=Max("findings__updated_at"),
            findings=Count("findings", distinct=True),
            published=Max("commitment__pledge__published_at"),
        )
        latest = _latest(data["updated"], data["finding"], data["published"])
        return data["count"], latest, data["findings"]
    if endpoint == "iakttagelser":
        data = queryset.order_by().aggregate(
            count=Count("pk"), updated=Max("updated_at"), walk=Max("walk__updated_at")
        )
        return data["count"], _latest(data["updated"], data["walk"]), None
    raise ValueError(endpoint)


def _latest(*values):
    values = [value for value in values if value is not None]
    return max(values) if values else None
