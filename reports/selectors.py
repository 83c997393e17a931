"""Public (open data) querysets: one named function per resource (see reports.resources)
and per feed. Every one starts from the public-visibility rule (`Pledge.objects.public()`,
`Commitment.objects.public()`, `Activity.objects.public()`), so drafts, löften published in
the future and archived löften or commitments never appear.

Nothing here selects an internal note, who logged an activity, or a sign-up. The API, the
CSV downloads and the feeds all read through these functions.
"""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from dialogues.models import Finding, SafetyWalk
from pledges.dates import local_midnight
from pledges.models import Activity, Commitment, FollowUp, Municipality, Pledge, PoliceArea


def public_municipalities(filters):
    queryset = Municipality.objects.select_related("county").prefetch_related(
        Prefetch("police_areas", queryset=PoliceArea.objects.order_by("name"))
    )
    if filters.municipality:
        queryset = queryset.filter(slug=filters.municipality)
    if filters.police_area:
        queryset = queryset.filter(police_areas__slug=filters.police_area)
    if filters.start or filters.end:
        pledges = filter_pledge_period(Pledge.objects.public(), filters)
        queryset = queryset.filter(pk__in=pledges.values("municipality_id"))
    return queryset.order_by("code")


def filter_pledge_period(queryset, filters, prefix=""):
    if filters.start:
        queryset = queryset.filter(**{f"{prefix}end_date__gte": filters.start})
    if filters.end:
        queryset = queryset.filter(**{f"{prefix}start_date__lte": filters.end})
    return queryset


def filter_place(queryset, filters, municipality_path):
    if filters.municipality:
        queryset = queryset.filter(**{f"{municipality_path}__slug": filters.municipality})
    if filters.police_area:
        queryset = queryset.filter(
            **{
                f"{municipality_path}__in": Municipality.objects.filter(
                    police_areas__slug=filters.police_area
                ).values("pk")
            }
        )
    return queryset


def public_pledges(filters):
    queryset = filter_place(Pledge.objects.public(), filters, "municipality")
    queryset = filter_pledge_period(queryset, filters)
    return queryset.select_related("municipality", "police_area").order_by(
        "municipality__code", "-start_date", "id"
    )


def public_commitments(filters):
    queryset = filter_place(Commitment.objects.public(), filters, "pledge__municipality")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return filter_pledge_period(queryset, filters, "pledge__").order_by(
        "pledge__municipality__code", "pledge_id", "focus_area__order", "order", "id"
    )


def with_progress(commitments):
    """What a page of commitments needs to compute progress: one query."""
    return commitments.select_related("pledge__municipality", "focus_area").annotate(
        achieved=Coalesce(Sum("activities__quantity"), 0)
    )


def filter_activity_dates(queryset, filters):
    if filters.start:
        queryset = queryset.filter(date__gte=filters.start)
    if filters.end:
        queryset = queryset.filter(date__lte=filters.end)
    return queryset


def public_one_by_one():
    """`Activity.objects.public()` for the newest rows of a national list (the feed, the
    API), with the visibility rule as a subquery per row instead of a join. Read for a page
    of ids alone (`newest_public`), the query has one table and no join to start from: its
    plan walks an activity index in the list's order and stops after the page, whatever
    the statistics say. Through the joins, PostgreSQL with no or stale statistics (right
    after a bulk load or a restore, before ANALYZE) took the public löften or commitments
    for a handful, read every activity of theirs and sorted them (tests/test_plans.py)."""
    public = (
        Commitment.objects.public().filter(pk=OuterRef("commitment_id")).order_by().values("pk")
    )
    return Activity.objects.alias(public_commitment=Subquery(public[:1])).filter(
        public_commitment__isnull=False
    )


class _AnyOf(Func):
    """`<column> = ANY(<array>)` (PostgreSQL)."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def newest_public(ids, queryset=None):
    """The activities of `queryset` (all) whose ids are in `ids`, a sliced, ordered
    `public_one_by_one().values("pk")`: two steps in one query, the page's ids from the
    activity table alone, then their rows and joins by primary key. On PostgreSQL the ids
    are an array (`id = ANY(ARRAY(...))`), which is looked up in the primary key: as a
    semi-join the planner could scan the whole table to meet a page of ids."""
    queryset = Activity.objects.all() if queryset is None else queryset
    if connection.vendor == "postgresql":
        return queryset.filter(_AnyOf(F("pk"), ArraySubquery(ids)))
    return queryset.filter(pk__in=ids)


class NewestPublicPages:
    """A national list of public activities that a Paginator slices like a QuerySet: each
    slice is `newest_public` (the page's ids walked from an index, then their rows), so
    page 1 and page 400 read only what they show and what they skip."""

    ordered = True

    def __init__(self, ids, rows):
        self.ids = ids  # ordered public_one_by_one().values("pk")
        self.rows = rows  # the records, in the same order, every row

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        return newest_public(self.ids[item], self.rows)

    def count(self):
        return self.rows.count()


def public_activities(filters):
    queryset = filter_place(Activity.objects.public(), filters, "commitment__pledge__municipality")
    return filter_activity_dates(queryset, filters).order_by("-date", "-id")


def public_activity_counts(filters):
    """{kommun slug: number of `public_activities(filters)`} for every kommun at once. The
    activities are counted per commitment (an index-only scan, no join per row) and summed
    over each kommun's public commitments (a few thousand rows): at a million activities
    several times faster than grouping the joined rows by kommun."""
    municipality_of = dict(
        filter_place(Commitment.objects.public(), filters, "pledge__municipality")
        .order_by()
        .values_list("pk", "pledge__municipality__slug")
    )
    per_commitment = (
        filter_activity_dates(Activity.objects.order_by(), filters)
        .values_list("commitment")
        .annotate(n=Count("*"))
    )
    counts = {}
    for commitment, n in per_commitment:
        slug = municipality_of.get(commitment)
        if slug is not None:  # not public, or outside the place asked for
            counts[slug] = counts.get(slug, 0) + n
    return counts


def public_activity_rows(filters):
    """Public activities as dicts of `Activity.PUBLIC_FIELDS` and where they belong:
    `values()` keeps the internal note and the author out of the SQL, not just out of the
    output, and skips building a million model instances for a CSV."""
    return public_activities(filters).values(
        *Activity.PUBLIC_FIELDS, "commitment__pledge_id", "commitment__pledge__municipality__slug"
    )


def public_activity_pages(filters):
    """`public_activity_rows(filters)` for an API list read a page at a time: the national
    list through `NewestPublicPages`, whose plans need no statistics; a list of one kommun
    or police area joins from it as before."""
    rows = public_activity_rows(filters)
    if filters.municipality or filters.police_area:
        return rows
    ids = filter_activity_dates(public_one_by_one(), filters).order_by("-date", "-id")
    return NewestPublicPages(ids.values("pk"), rows)


def public_follow_ups(municipality=None, limit=20):
    queryset = FollowUp.objects.approved().filter(pledge__in=Pledge.objects.public().values("pk"))
    if municipality is not None:
        queryset = queryset.filter(pledge__municipality=municipality)
    return queryset.select_related("pledge__municipality").order_by("-date", "-id")[:limit]


def feed_activities(municipality=None, limit=30):
    if municipality is not None:
        queryset = Activity.objects.public().filter(commitment__pledge__municipality=municipality)
    else:
        ids = public_one_by_one().order_by("-created_at", "-id").values("pk")[:limit]
        queryset = newest_public(ids)
    # `only` keeps internal notes and authors out of the objects the feed templates see.
    return (
        queryset.select_related("commitment__pledge__municipality")
        .only(
            *Activity.PUBLIC_FIELDS,
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
    """Walks that start within [start, end], in whole local days."""
    if filters.start:
        queryset = queryset.filter(**{f"{prefix}starts_at__gte": local_midnight(filters.start)})
    if filters.end:
        end = local_midnight(filters.end + datetime.timedelta(days=1))
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
    commitment only when the public may see it (`public_commitment_id`): one query."""
    status = Finding.Status
    return (
        walks.select_related("municipality")
        .with_public_commitment()
        .annotate(
            findings_total=finding_count(),
            findings_fixed=finding_count(status.FIXED),
            findings_open=finding_count(status.OPEN),
            findings_declined=finding_count(status.DECLINED),
        )
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


# --- Problems and effect indicators (pledges.problems) --------------------------------------


def public_problems(filters):
    """Problems of public löften (`Problem.objects.public()`), in the löften's period."""
    from pledges.models import Problem

    queryset = filter_place(Problem.objects.public(), filters, "pledge__municipality")
    return filter_pledge_period(queryset, filters, "pledge__").order_by(
        "pledge__municipality__code", "pledge_id", "order", "id"
    )


def with_problem_details(problems):
    """A page of problems with their löfte and kommun, the public commitments and the focus
    areas that answer them, the indicators that measure them and the dialogues that brought
    them up: five queries."""
    from dialogues.models import Dialogue
    from pledges.models import FocusArea, Indicator

    return problems.select_related("pledge__municipality").prefetch_related(
        Prefetch(
            "commitments",
            queryset=Commitment.objects.filter(archived_at__isnull=True).order_by("order", "id"),
        ),
        Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "id")),
        Prefetch("indicators", queryset=Indicator.objects.order_by("name")),
        Prefetch("dialogues", queryset=Dialogue.objects.order_by("date", "id")),
    )


def public_indicators(filters):
    """Indicators that measure a problem of a public löfte (`Indicator.objects.public()`);
    with `fran`/`till`, of a löfte whose period overlaps."""
    from pledges.models import Indicator, Problem

    queryset = filter_place(Indicator.objects.public(), filters, "municipality")
    if filters.start or filters.end:
        problems = filter_pledge_period(Problem.objects.public(), filters, "pledge__")
        queryset = queryset.filter(
            pk__in=Indicator.problems.through.objects.filter(problem__in=problems).values(
                "indicator_id"
            )
        )
    return queryset.order_by("municipality__code", "name", "id")


def with_indicator_details(indicators):
    """A page of indicators with their kommun, their values oldest first and the public
    problems they measure: three queries."""
    from pledges.models import IndicatorValue, Problem

    return indicators.select_related("municipality").prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.order_by("period")),
        Prefetch("problems", queryset=Problem.objects.public().order_by("id")),
    )


def public_indicator_values(filters):
    """Values of public indicators, as dicts, with their indicator and kommun; with
    `fran`/`till`, those whose period lies within."""
    from pledges.models import IndicatorValue

    queryset = IndicatorValue.objects.filter(
        indicator__in=public_indicators(without_period(filters)).values("pk")
    )
    if filters.start:
        queryset = queryset.filter(period__gte=filters.start)
    if filters.end:
        queryset = queryset.filter(period__lte=filters.end)
    return queryset.order_by("indicator__municipality__code", "indicator__name", "period").values(
        "id",
        "indicator_id",
        "indicator__name",
        "indicator__unit",
        "indicator__municipality__slug",
        "period",
        "granularity",
        "value",
        "source",
        "note",
        "is_example",
        "updated_at",
    )


def without_period(filters):
    import dataclasses

    return dataclasses.replace(filters, start=None, end=None)
