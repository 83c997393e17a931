"""What changed in a published löfte, for the public section "Ändringar i löftet".

Residents must be able to trust that targets are not quietly lowered: every change of a
commitment's target after publication, every extension of the period and every removed
commitment is listed with its date and the organisation that made it (never the person).
Changes made while the löfte was a draft are not changes to a promise and are left out.
"""

import dataclasses
import datetime

from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pledges.models import Commitment, Membership, PledgeDecision, PledgeExtension
from pledges.text import shorten

# Comparable yearly rates, so that "1 a week" → "2 a month" counts as lowered.
_PER_YEAR = {"week": 52, "month": 12, "quarter": 4, "year": 1}
_TARGET_FIELDS = ("target_kind", "target_quantity", "interval", "target_unit")


@dataclasses.dataclass(frozen=True)
class Change:
    date: datetime.date  # the decision's date where known, else the day it was entered
    kind: str  # "target_lowered", "target_raised", "target_changed", "extended", "removed"
    title: str
    text: str
    organisation: str
    decided_by: str = ""
    entered: datetime.datetime | None = None  # when it was recorded; orders a day's changes

    @property
    def is_lowered(self):
        return self.kind == "target_lowered"


def describe_target(kind, quantity, unit, interval):
    """A target in words, as the public page writes it."""
    if kind == Commitment.TargetKind.COUNT:
        return _("minst %(quantity)s %(unit)s") % {"quantity": quantity, "unit": unit or ""}
    if kind == Commitment.TargetKind.RECURRING:
        return _("minst %(quantity)s %(unit)s %(interval)s") % {
            "quantity": quantity,
            "unit": unit or ngettext("gång", "gånger", quantity or 0),
            "interval": Commitment.Interval(interval).label if interval else "",
        }
    return str(Commitment.TargetKind(kind).label) if kind else ""


def _rate(record):
    kind, quantity = record["target_kind"], record["target_quantity"] or 0
    if kind == Commitment.TargetKind.COUNT:
        return ("count", quantity)
    if kind == Commitment.TargetKind.RECURRING:
        return ("recurring", quantity * _PER_YEAR.get(record["interval"], 0))
    return (kind, None)


def _direction(old, new):
    (old_kind, old_rate), (new_kind, new_rate) = _rate(old), _rate(new)
    if old_kind == new_kind and old_rate is not None and new_rate is not None:
        if new_rate < old_rate:
            return "target_lowered"
        if new_rate > old_rate:
            return "target_raised"
    return "target_changed"


def _organisations(pledge):
    """The organisation each user acts for on this löfte: the membership that covers
    the löfte's kommun, preferring the kommun itself, then the police area.

    One query, always: the users are found by subqueries, not by a list fetched first
    (an empty list would skip the query and make the count depend on the data)."""
    names = {}
    changers = Commitment.history.filter(pledge_id=pledge.pk, history_user_id__isnull=False)
    extenders = PledgeExtension.objects.filter(pledge=pledge, created_by__isnull=False)
    deciders = PledgeDecision.objects.filter(pledge=pledge, created_by__isnull=False)
    memberships = (
        Membership.objects.filter(
            Q(user_id__in=Subquery(changers.values("history_user_id")))
            | Q(user_id__in=Subquery(extenders.values("created_by_id")))
            | Q(user_id__in=Subquery(deciders.values("created_by_id")))
        )
        .select_related("police_area", "municipality")
        .order_by("id")
    )
    for membership in memberships:
        if membership.municipality_id == pledge.municipality_id:
            score = 0
        elif membership.police_area_id and membership.police_area_id == pledge.police_area_id:
            score = 1
        else:
            score = 2
        best = names.get(membership.user_id)
        if best is None or score < best[0]:
            names[membership.user_id] = (score, membership.organisation_name)
    return {user_id: name for user_id, (score, name) in names.items()}


_REASON_SEPARATOR = "|"


def decision_reason(decided_on, decided_by):
    """A change's decision in the history record's change reason (at most 100 characters):
    "2018-11-20|Kommunstyrelsen". Empty when staff gave neither."""
    if not decided_on and not decided_by:
        return ""
    date = decided_on.isoformat() if decided_on else ""
    return f"{date}{_REASON_SEPARATOR}{decided_by}"[:100]


def parse_decision_reason(reason):
    """(decided_on or None, decided_by) from `decision_reason`'s text; anything else that
    simple-history may hold there reads as no decision."""
    date, separator, decided_by = (reason or "").partition(_REASON_SEPARATOR)
    if not separator:
        return None, ""
    try:
        decided_on = datetime.date.fromisoformat(date) if date else None
    except ValueError:
        decided_on = None
    return decided_on, decided_by


def _decision_date(decided_on, created_at):
    """The date the public reads: the decision's own date where staff gave one (an extension
    decided in 2018 but entered today), else the day it was entered."""
    return decided_on or timezone.localtime(created_at).date()


def public_changes(pledge, extensions=None, decisions=None):
    """Dated changes of a löfte, newest first, in four queries whatever its size.

    Pass `extensions` (the löfte's PledgeExtensions) and `decisions` (its PledgeDecisions)
    when the page has them already, to save a query each."""
    published_at = pledge.published_at if pledge.status == pledge.Status.PUBLISHED else None
    records = list(
        Commitment.history.filter(pledge_id=pledge.pk)
        .order_by("id", "history_date", "history_id")
        .values(
            "id",
            "history_id",
            "history_date",
            "history_type",
            "history_user_id",
            "history_change_reason",
            "text",
            "short_text",
            *_TARGET_FIELDS,
        )
    )
    if extensions is None:
        extensions = PledgeExtension.objects.filter(pledge=pledge).order_by("created_at")
    extensions = list(extensions)
    if decisions is None:
        decisions = PledgeDecision.objects.filter(pledge=pledge).order_by("created_at")
    decisions = list(decisions)
    organisations = _organisations(pledge)
    fallback = _("Portalens administratörer")

    def organisation(user_id):
        return organisations.get(user_id, fallback)

    changes = []
    previous = None
    for record in records:
        if previous is None or previous["id"] != record["id"]:
            previous = record
            continue
        after_publication = published_at is not None and record["history_date"] > published_at
        title = record["short_text"] or previous["short_text"] or shorten(previous["text"])
        if record["history_type"] == "-":
            if after_publication:
                changes.append(
                    Change(
                        date=timezone.localtime(record["history_date"]).date(),
                        entered=record["history_date"],
                        kind="removed",
                        title=title,
                        text=_("Åtagandet togs bort ur löftet. Målet var %(target)s.")
                        % {"target": describe_target(*_target(previous))},
                        organisation=organisation(record["history_user_id"]),
                    )
                )
        elif after_publication and any(
            record[field] != previous[field] for field in _TARGET_FIELDS
        ):
            kind = _direction(previous, record)
            verb = {
                "target_lowered": _("Målet sänktes"),
                "target_raised": _("Målet höjdes"),
                "target_changed": _("Målet ändrades"),
            }[kind]
            decided_on, decided_by = parse_decision_reason(record["history_change_reason"])
            changes.append(
                Change(
                    date=decided_on or timezone.localtime(record["history_date"]).date(),
                    decided_by=decided_by,
                    entered=record["history_date"],
                    kind=kind,
                    title=title,
                    text=_("%(verb)s från %(old)s till %(new)s.")
                    % {
                        "verb": verb,
                        "old": describe_target(*_target(previous)),
                        "new": describe_target(*_target(record)),
                    },
                    organisation=organisation(record["history_user_id"]),
                )
            )
        previous = record
    for extension in extensions:
        text = _("Perioden förlängdes från %(old)s till %(new)s.") % {
            "old": date_format(extension.previous_end_date, "j F Y"),
            "new": date_format(extension.new_end_date, "j F Y"),
        }
        if extension.reason:
            text = f"{text} {extension.reason}"
        changes.append(
            Change(
                date=_decision_date(extension.decided_on, extension.created_at),
                kind="extended",
                title=_("Förlängd period"),
                text=text,
                organisation=organisation(extension.created_by_id),
                decided_by=extension.decided_by,
                entered=extension.created_at,
            )
        )
    for decision in decisions:
        changes.append(
            Change(
                date=_decision_date(decision.decided_on, decision.created_at),
                kind=decision.kind,
                title=decision.get_kind_display(),
                text=decision.text,
                organisation=organisation(decision.created_by_id),
                decided_by=decision.decided_by,
                entered=decision.created_at,
            )
        )
    changes.sort(key=lambda change: (change.date, change.entered), reverse=True)
    return changes


def _target(record):
    return (
        record["target_kind"],
        record["target_quantity"],
        record["target_unit"],
        record["interval"],
    )


# --- The admin's history pages and the "someone else saved" message, in words ------------


def history_value(model, field_name, value):
    """A history record's stored value as staff read it: the choice's label instead of its
    code ("Publicerat", not `published`), a local date and time instead of a timestamp,
    "Ja"/"Nej", the related object's name instead of its id, and "–" for nothing."""
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - a field removed since the record was written
        field = None
    if value is None or value == "":
        return "–"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "j F Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if field is not None and field.is_relation and field.many_to_one:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else _("borttaget (%(id)s)") % {"id": value}
    return value
