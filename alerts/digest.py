"""What happened to a kommun's löften in a window of time, read from the data itself (no
signals): the lines of an alert digest.

A change belongs to the window (since, until] by the moment it became public, so a window
that was sent never yields it again:
- activities logged (summed per commitment with its unit, example data left out);
- a follow-up written;
- a target changed or the period extended (the public "Ändringar i löftet" list);
- a safety walk announced, or findings of a walk fixed;
- a löfte that ended (the day after its last day), with its commitments' outcomes;
- a löfte published.
"""

import dataclasses
import datetime

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogues.models import Finding, SafetyWalk
from pledges.history import public_changes
from pledges.models import Activity, Commitment, FollowUp, Pledge


@dataclasses.dataclass(frozen=True)
class Line:
    section: str
    text: str
    url: str = ""


def _commitment_title(commitment):
    return commitment.short_text or commitment.text[:120]


def _local_date(moment):
    return timezone.localdate(moment)


def activity_lines(municipality, since, until):
    rows = (
        Activity.objects.public()
        .filter(
            commitment__pledge__municipality=municipality,
            is_example=False,
            created_at__gt=since,
            created_at__lte=until,
        )
        .order_by()
        .values("commitment")
        .annotate(total=Sum("quantity"))
    )
    totals = {row["commitment"]: row["total"] for row in rows}
    commitments = Commitment.objects.filter(pk__in=totals).select_related("pledge__municipality")
    lines = []
    for commitment in sorted(commitments, key=lambda c: (c.pledge_id, c.order, c.pk)):
        total = totals[commitment.pk]
        if commitment.target_unit and total > 1:
            count = _("%(count)s nya %(unit)s") % {"count": total, "unit": commitment.target_unit}
        else:
            count = ngettext("%(count)s ny insats", "%(count)s nya insatser", total) % {
                "count": total
            }
        lines.append(
            Line(
                "activities",
                f"{count}: {_commitment_title(commitment)}",
                commitment.get_absolute_url(),
            )
        )
    return lines


def follow_up_lines(municipality, since, until):
    follow_ups = (
        # A round is published when its second approval is given (pledges.services).
        FollowUp.objects.approved()
        .annotate(approved=Greatest("police_approved_at", "municipality_approved_at"))
        .filter(
            pledge__in=Pledge.objects.public().filter(municipality=municipality),
            approved__gt=since,
            approved__lte=until,
        )
        .select_related("pledge__municipality")
        .order_by("date", "id")
    )
    return [
        Line(
            "follow_ups",
            _("Ny uppföljning: %(title)s (%(date)s)")
            % {"title": follow_up.title, "date": date_format(follow_up.date, "j F Y")},
            follow_up.pledge.get_absolute_url(),
        )
        for follow_up in follow_ups
    ]


def change_lines(municipality, since, until):
    """Targets changed and periods extended, as the löfte's public page lists them."""
    pledges = (
        Pledge.objects.public()
        .filter(municipality=municipality, end_date__gte=_local_date(since))
        .select_related("municipality")
    )
    lines = []
    for pledge in pledges:
        for change in reversed(public_changes(pledge)):
            # When it was recorded, not the decision's date: a decision of 2018 entered
            # today is news today.
            if change.entered is not None and since < change.entered <= until:
                lines.append(
                    Line("changes", f"{change.title}: {change.text}", pledge.get_absolute_url())
                )
    return lines


def walk_lines(municipality, since, until):
    lines = []
    announced = (
        SafetyWalk.objects.filter(
            municipality=municipality, is_example=False, created_at__gt=since, created_at__lte=until
        )
        .exclude(status=SafetyWalk.Status.CANCELLED)
        .order_by("starts_at")
    )
    for walk in announced:
        lines.append(
            Line(
                "walks",
                _("Trygghetsvandring i %(area)s %(when)s")
                % {
                    "area": walk.area,
                    "when": date_format(timezone.localtime(walk.starts_at), "j F Y, H:i"),
                },
                walk.get_absolute_url(),
            )
        )
    # A finding counts as fixed when it first became fixed, so editing it later does not
    # announce it again.
    first_fixed = (
        Finding.history.filter(id=OuterRef("pk"), status=Finding.Status.FIXED)
        .order_by("history_date")
        .values("history_date")[:1]
    )
    fixed = (
        Finding.objects.filter(
            walk__municipality=municipality,
            walk__is_example=False,
            status=Finding.Status.FIXED,
        )
        .annotate(first_fixed=Subquery(first_fixed))
        .filter(first_fixed__gt=since, first_fixed__lte=until)
        .select_related("walk")
        .order_by("walk__starts_at", "id")
    )
    for finding in fixed:
        lines.append(
            Line(
                "walks",
                _("Åtgärdat efter trygghetsvandringen i %(area)s: %(place)s")
                % {"area": finding.walk.area, "place": finding.place},
                finding.walk.get_absolute_url(),
            )
        )
    return lines


def pledge_lines(municipality, since, until):
    """Löften published in the window, and löften that ended in it with their outcomes.
    A löfte ends at the start of the day after its last day."""
    lines = []
    published = Pledge.objects.public().filter(municipality=municipality)
    for pledge in published.filter(published_at__gt=since, published_at__lte=until).order_by(
        "start_date"
    ):
        lines.append(
            Line(
                "pledges",
                _("Nytt medborgarlöfte: %(title)s (%(start)s – %(end)s)")
                % {
                    "title": pledge.title,
                    "start": date_format(pledge.start_date, "j F Y"),
                    "end": date_format(pledge.end_date, "j F Y"),
                },
                pledge.get_absolute_url(),
            )
        )
    first_day, last_day = _local_date(since), _local_date(until)
    ended = published.filter(
        end_date__gte=first_day - datetime.timedelta(days=1),
        end_date__lt=last_day,
    ).annotate(
        fulfilled=_outcome_count(Commitment.Outcome.FULFILLED),
        partly=_outcome_count(Commitment.Outcome.PARTLY),
        not_fulfilled=_outcome_count(Commitment.Outcome.NOT_FULFILLED),
        unreported=_outcome_count(""),
    )
    for pledge in ended.order_by("end_date"):
        ended_at = timezone.make_aware(
            datetime.datetime.combine(pledge.end_date + datetime.timedelta(days=1), datetime.time())
        )
        if not since < ended_at <= until:
            continue
        outcomes = ", ".join(
            f"{label} {count}"
            for label, count in (
                (Commitment.Outcome.FULFILLED.label, pledge.fulfilled),
                (Commitment.Outcome.PARTLY.label, pledge.partly),
                (Commitment.Outcome.NOT_FULFILLED.label, pledge.not_fulfilled),
                (_("Utfall ej redovisat"), pledge.unreported),
            )
            if count
        )
        lines.append(
            Line(
                "pledges",
                _("Löftet %(title)s har gått ut. Utfall: %(outcomes)s.")
                % {"title": pledge.title, "outcomes": outcomes or _("inga åtaganden")},
                pledge.get_absolute_url(),
            )
        )
    return lines


def _outcome_count(outcome):
    return Subquery(
        Commitment.objects.active()
        .filter(pledge=OuterRef("pk"), outcome=outcome)
        .order_by()
        .values("pledge")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


SECTIONS = (
    ("pledges", pledge_lines),
    ("activities", activity_lines),
    ("follow_ups", follow_up_lines),
    ("changes", change_lines),
    ("walks", walk_lines),
)


def section_titles():
    return {
        "pledges": _("Löftet"),
        "activities": _("Genomförda insatser"),
        "follow_ups": _("Uppföljningar"),
        "changes": _("Ändringar i löftet"),
        "walks": _("Trygghetsvandringar"),
    }


def changes(municipality, since, until):
    """Every Line for the kommun in (since, until], in the digest's order."""
    return [line for _key, build in SECTIONS for line in build(municipality, since, until)]
