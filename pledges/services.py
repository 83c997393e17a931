"""Writes that span several models or must be all-or-nothing."""

import datetime
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledges.dates import add_months
from pledges.groups import COORDINATOR_GROUP, POLICE_GROUP, ensure_staff_groups, is_national_admin
from pledges.models import (
    Activity,
    Commitment,
    FocusArea,
    FollowUp,
    Membership,
    Municipality,
    Pledge,
    PledgeDecision,
    PledgeExtension,
    PoliceArea,
)
from pledges.problems import carry_problems

FINAL_SOURCE_REQUIRED_MESSAGE = gettext_lazy(
    "Skriv varifrån siffran kommer när den skiljer sig från de registrerade insatserna, till "
    "exempel ”Enligt polisens sammanställning 2019-10-02”."
)
FULFILLED_UNDER_TARGET_MESSAGE = gettext_lazy(
    "”Uppfyllt” med %(figure)s av målet %(target)s kräver en förklaring till allmänheten. "
    "Skriv en förklaring, rätta siffran eller välj Delvis uppfyllt."
)
# The staff status that follows each outcome when a löfte is closed.
STATUS_FOR_OUTCOME: dict[str, str] = {
    Commitment.Outcome.FULFILLED: Commitment.Status.DONE,
    Commitment.Outcome.PARTLY: Commitment.Status.IN_PROGRESS,
    Commitment.Outcome.NOT_FULFILLED: Commitment.Status.NOT_DONE,
}
EMAIL_TAKEN_MESSAGE = gettext_lazy(
    "Det finns redan ett konto med den e-postadressen. Ge det behörighet under Medlemskap."
)
COPIED_INTRODUCTION_MESSAGE = gettext_lazy(
    "Inledningen är densamma som i förra årets löfte. Uppdatera den, eller bekräfta att den "
    "fortfarande stämmer."
)


@transaction.atomic
def publish_pledge(
    *,
    pledge: Pledge,
    at: datetime.datetime | None = None,
    user: Any = None,
    confirm_copied_introduction: bool = False,
):
    """Publishes a löfte now, or at `at` (a future time: it stays hidden until then).

    A renewal whose introduction is still last year's word for word is refused unless staff
    confirm they have read it: residents would otherwise read last year's situation."""
    if pledge.introduction_is_copied() and not confirm_copied_introduction:
        raise ValidationError(COPIED_INTRODUCTION_MESSAGE, code="copied_introduction")
    pledge.status = Pledge.Status.PUBLISHED
    pledge.published_at = at or timezone.now()
    pledge.save(update_fields=["status", "published_at", "updated_at"])
    return pledge


@transaction.atomic
def unpublish_pledge(*, pledge: Pledge, user: Any = None):
    pledge.status = Pledge.Status.DRAFT
    pledge.save(update_fields=["status", "updated_at"])
    return pledge


@transaction.atomic
def extend_pledge(
    *,
    pledge: Pledge,
    new_end_date: datetime.date,
    reason: str,
    user: Any,
    decided_on: datetime.date | None = None,
    decided_by: str = "",
):
    """Keeps a löfte for longer: moves its end date and records why and by whom."""
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if new_end_date <= pledge.end_date:
        raise ValidationError(
            _("Det nya slutdatumet måste vara efter det nuvarande (%(date)s).")
            % {"date": pledge.end_date.isoformat()}
        )
    extension = PledgeExtension.objects.create(
        pledge=pledge,
        previous_end_date=pledge.end_date,
        new_end_date=new_end_date,
        reason=reason,
        decided_on=decided_on,
        decided_by=decided_by,
        created_by=user,
    )
    pledge.end_date = new_end_date
    pledge.save(update_fields=["end_date", "updated_at"])
    return extension


def _next_slug(pledge, start_date, end_date):
    base = (
        f"{start_date.year}"
        if start_date.year == end_date.year
        else f"{start_date.year}-{end_date.year}"
    )
    taken = set(
        Pledge.objects.filter(municipality=pledge.municipality).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


_YEAR_RANGE = re.compile(r"\b((?:19|20)\d{2})(\s*[–—-]\s*)((?:19|20)\d{2})\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def next_title(title, *, old_start, new_start, new_end):
    """The title with its year(s) moved to the new period: "Södertälje 2017" → "… 2018",
    "2025–2026" → "2027–2028" (a range keeps its dash; a one-year period drops it)."""
    shift = new_start.year - old_start.year

    def replace_range(match):
        if new_start.year == new_end.year:
            return str(new_start.year)
        return f"{new_start.year}{match.group(2)}{new_end.year}"

    if _YEAR_RANGE.search(title):
        return _YEAR_RANGE.sub(replace_range, title)
    if new_start.year != new_end.year and str(old_start.year) in title:
        # A one-year löfte renewed for two years: "2017" becomes "2018–2019".
        return _YEAR.sub(
            lambda m: (
                f"{new_start.year}–{new_end.year}"
                if m.group(0) == str(old_start.year)
                else str(int(m.group(0)) + shift)
            ),
            title,
        )
    return _YEAR.sub(lambda m: str(int(m.group(0)) + shift), title)


@transaction.atomic
def copy_pledge_for_next_period(
    *, pledge, start_date, end_date, user, title=None, introduction=None, police_area=None
):
    """A new DRAFT löfte for the next period with the same texts, focus areas and
    commitments (targets included; progress, outcomes and activities start afresh), and its
    problems carried over for review (`carry_problems`).

    It remembers the löfte it came from, so that publishing can refuse last year's
    introduction unread (see `publish_pledge`)."""
    if start_date > end_date:
        raise ValidationError(_("Perioden måste börja innan den slutar."))
    if title is None:
        title = next_title(
            pledge.title, old_start=pledge.start_date, new_start=start_date, new_end=end_date
        )
    new = Pledge.objects.create(
        municipality=pledge.municipality,
        police_area=police_area or pledge.police_area,
        police_partner_name=pledge.police_partner_name,
        previous=pledge,
        title=title,
        slug=_next_slug(pledge, start_date, end_date),
        start_date=start_date,
        end_date=end_date,
        introduction=pledge.introduction if introduction is None else introduction,
        background=pledge.background,
        goals=pledge.goals,
        focus_places=pledge.focus_places,
        follow_up_schedule=pledge.follow_up_schedule,
        follow_up_description=pledge.follow_up_description,
        status=Pledge.Status.DRAFT,
        published_at=None,
        is_demo=pledge.is_demo,
    )
    new.partners.set(pledge.partners.all())
    for signatory in pledge.signatories.all():
        # Signatories sign again; their names are a useful starting point.
        new.signatories.create(
            name=signatory.name,
            title=signatory.title,
            organisation=signatory.organisation,
            order=signatory.order,
        )
    for contact in pledge.contacts.all():
        new.contacts.create(
            name=contact.name,
            role=contact.role,
            organisation=contact.organisation,
            phone=contact.phone,
            email=contact.email,
            order=contact.order,
        )
    focus_map = {}
    for area in pledge.focus_areas.all():
        focus_map[area.pk] = FocusArea.objects.create(
            pledge=new, title=area.title, description=area.description, order=area.order
        )
    commitment_map = {}
    for commitment in pledge.commitments.prefetch_related("responsible_partners"):
        copy = commitment_map[commitment.pk] = Commitment.objects.create(
            pledge=new,
            focus_area=focus_map.get(commitment.focus_area_id),
            text=commitment.text,
            short_text=commitment.short_text,
            responsible_police=commitment.responsible_police,
            responsible_municipality=commitment.responsible_municipality,
            responsible_note=commitment.responsible_note,
            places=commitment.places,
            kind=commitment.kind,
            target_kind=commitment.target_kind,
            target_quantity=commitment.target_quantity,
            target_unit=commitment.target_unit,
            target_unit_singular=commitment.target_unit_singular,
            interval=commitment.interval,
            order=commitment.order,
        )
        copy.responsible_partners.set(commitment.responsible_partners.all())
    carry_problems(old=pledge, new=new, focus_map=focus_map, commitment_map=commitment_map)
    return new


@transaction.atomic
def close_pledge(
    *,
    pledge: Pledge,
    outcomes: dict[Commitment, tuple[str, str]],
    user: Any,
    decided_on: datetime.date | None = None,
    decided_by: str = "",
    final_figures: dict[Commitment, tuple[int | None, str]] | None = None,
):
    """Sets every commitment's outcome at once and records one "Löftet avslutat" entry.

    `outcomes` maps commitments of this löfte to (outcome, explanation). An explanation is
    required for "Delvis uppfyllt" and "Ej uppfyllt": residents must read why.

    `final_figures` maps commitments with a target number to (figure, source): the work
    done in the period. A figure that differs from the registered activities is kept as
    the commitment's `final_quantity` with its source, which is then required; "Uppfyllt"
    with a figure under the target needs an explanation. The staff status follows the
    outcome (`STATUS_FOR_OUTCOME`)."""
    final_figures = final_figures or {}
    counts: dict[str, int] = {}
    for commitment, (outcome, explanation) in outcomes.items():
        if commitment.pledge_id != pledge.pk:
            raise ValidationError(_("Åtagandet hör inte till löftet."))
        explanation = (explanation or "").strip()
        if Commitment.explanation_missing(outcome, explanation):
            raise ValidationError(Commitment.EXPLANATION_REQUIRED)
        logged = commitment.final_progress()
        figure, source = final_figures.get(commitment, (None, ""))
        source = (source or "").strip()
        if figure is None or figure == logged.achieved:
            figure, source = None, ""
        elif not source:
            raise ValidationError(FINAL_SOURCE_REQUIRED_MESSAGE)
        achieved = logged.achieved if figure is None else figure
        if (
            outcome == Commitment.Outcome.FULFILLED
            and logged.target is not None
            and achieved < logged.target
            and not explanation
        ):
            raise ValidationError(
                FULFILLED_UNDER_TARGET_MESSAGE % {"figure": achieved, "target": logged.target}
            )
        commitment.outcome = outcome
        commitment.outcome_explanation = explanation
        commitment.final_quantity = figure
        commitment.final_quantity_source = source
        commitment.status = STATUS_FOR_OUTCOME.get(outcome, commitment.status)
        commitment.save(
            update_fields=[
                "outcome",
                "outcome_explanation",
                "final_quantity",
                "final_quantity_source",
                "status",
                "updated_at",
            ]
        )
        counts[outcome] = counts.get(outcome, 0) + 1
    parts = [
        f"{counts[value]} {label.lower()}"
        for value, label in Commitment.Outcome.choices
        if counts.get(value)
    ]
    text = _("Löftet avslutades med utfall för %(n)s åtaganden: %(parts)s.") % {
        "n": sum(counts.values()),
        "parts": ", ".join(parts),
    }
    return PledgeDecision.objects.create(
        pledge=pledge,
        kind=PledgeDecision.Kind.CLOSED,
        text=text,
        decided_on=decided_on,
        decided_by=decided_by,
        created_by=user,
    )


@transaction.atomic
def create_staff_member(
    *,
    first_name: str,
    last_name: str,
    email: str,
    police_area: PoliceArea | None = None,
    municipality: Municipality | None = None,
):
    """A new staff account in one step: the user (staff status, no usable password yet),
    the role's group and the membership that gives the scope. The caller e-mails the link
    to set a password (`accounts.onboarding.send_set_password_email`)."""
    if (police_area is None) == (municipality is None):
        raise ValidationError(_("Välj antingen ett lokalpolisområde eller en kommun."))
    User = get_user_model()  # noqa: N806
    email = User.objects.normalize_email(email).strip()
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise ValidationError(EMAIL_TAKEN_MESSAGE, code="email_taken")
    user = User(
        username=email.lower(),
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
    )
    user.set_unusable_password()
    user.save()
    groups = ensure_staff_groups()
    user.groups.add(groups[POLICE_GROUP if police_area else COORDINATOR_GROUP])
    Membership.objects.create(user=user, police_area=police_area, municipality=municipality)
    return user


@transaction.atomic
def remove_membership(*, membership: Membership):
    """Removes a membership; a user left without any loses staff status, so that an
    account without a scope cannot sign in to the staff areas. National administrators
    keep theirs: their scope is the whole country."""
    user = membership.user
    membership.delete()
    if not user.memberships.exists() and user.is_staff and not is_national_admin(user):
        user.is_staff = False
        user.save(update_fields=["is_staff"])


def default_next_period(pledge):
    """The period after `pledge`: from the day after it ends, as long as it was. A period of
    whole calendar months (2025-01-01 – 2026-12-31) is followed by as many whole months, so a
    leap year does not end the next one a day early."""
    start = pledge.end_date + datetime.timedelta(days=1)
    if pledge.start_date.day == 1 and start.day == 1:
        months = (start.year - pledge.start_date.year) * 12 + start.month - pledge.start_date.month
        return start, add_months(start, months) - datetime.timedelta(days=1)
    length = pledge.end_date - pledge.start_date
    return start, start + length


@transaction.atomic
def import_activities(*, rows: list, user: Any):
    """Saves validated activity rows (dicts of Activity fields) all together or not at all.

    Saved one by one, not in bulk, so that each gets its history record.
    """
    created = []
    for row in rows:
        activity = Activity(created_by=user, **row)
        activity.full_clean()
        activity.save()
        created.append(activity)
    return created


# --- Joint sign-off of a follow-up round ----------------------------------------------

APPROVAL_WITHDRAWN_MESSAGE = gettext_lazy(
    "Uppföljningen ändrades efter att den godkänts. Godkännandena är borttagna: polisen och "
    "kommunen behöver godkänna den igen innan den visas för allmänheten."
)


def approval_parties(*, follow_up: FollowUp, user: Any):
    """The parties (`FollowUp.Party` values) `user` may approve `follow_up` for: "police"
    for a member of the löfte's police area (or, where the löfte names no area, of an area
    covering its kommun), "municipality" for a member of its kommun. A national
    administrator approves only through such a membership, like everyone else."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    pledge = follow_up.pledge
    memberships = Membership.objects.filter(user=user)
    parties = []
    if pledge.police_area_id is not None:
        police = memberships.filter(police_area_id=pledge.police_area_id)
    else:
        police = memberships.filter(police_area__municipalities=pledge.municipality_id)
    if police.exists():
        parties.append(FollowUp.Party.POLICE)
    if memberships.filter(municipality_id=pledge.municipality_id).exists():
        parties.append(FollowUp.Party.MUNICIPALITY)
    return parties


@transaction.atomic
def approve_follow_up(
    *,
    follow_up: FollowUp,
    user: Any,
    party: str | None = None,
    now: datetime.datetime | None = None,
):
    """Records `user`'s approval of `follow_up` for `party` ("police" or "municipality";
    when None, the one party `user` may approve for that has not yet). The round is
    published once both have approved. Saved with a history record ("Godkänd av ...").
    Raises ValidationError with the reason when `user` may not approve."""
    follow_up = FollowUp.objects.select_for_update().select_related("pledge").get(pk=follow_up.pk)
    allowed = approval_parties(follow_up=follow_up, user=user)
    if party is None:
        open_parties = [p for p in allowed if follow_up.approved_at(p) is None]
        party = open_parties[0] if open_parties else (allowed[0] if allowed else None)
    if party is None or party not in allowed:
        raise ValidationError(
            _(
                "Du kan inte godkänna den här uppföljningen. Den godkänns av en kommunpolis "
                "i löftets lokalpolisområde och en samordnare i kommunen."
            ),
            code="not_a_party",
        )
    if follow_up.approved_at(party) is not None:
        raise ValidationError(
            _("Uppföljningen är redan godkänd för %(party)s.")
            % {"party": FollowUp.Party(party).label},
            code="already_approved",
        )
    other = FollowUp.Party.MUNICIPALITY if party == FollowUp.Party.POLICE else FollowUp.Party.POLICE
    if getattr(follow_up, f"{other}_approved_by_id") == user.pk:
        raise ValidationError(
            _("Du har redan godkänt uppföljningen för den andra parten. Två personer godkänner."),
            code="same_person",
        )
    setattr(follow_up, f"{party}_approved_at", now or timezone.now())
    setattr(follow_up, f"{party}_approved_by", user)
    follow_up._change_reason = _("Godkänd av %(party)s") % {"party": FollowUp.Party(party).label}  # type: ignore[attr-defined]
    follow_up._history_user = user  # type: ignore[attr-defined]
    follow_up.save(update_fields=[f"{party}_approved_at", f"{party}_approved_by"])
    return follow_up


@transaction.atomic
def withdraw_follow_up_approvals(*, follow_up: FollowUp, user: Any = None):
    """Removes both approvals of `follow_up` (its summary or notes were edited after an
    approval, so what was approved is no longer what is shown). Returns whether there was
    any to withdraw; the history records the withdrawal."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not follow_up.has_approval:
        return False
    follow_up.police_approved_at = follow_up.police_approved_by = None
    follow_up.municipality_approved_at = follow_up.municipality_approved_by = None
    follow_up._change_reason = _("Godkännandena togs bort efter en ändring")  # type: ignore[attr-defined]
    if user is not None:
        follow_up._history_user = user  # type: ignore[attr-defined]
    follow_up.save(
        update_fields=[
            "police_approved_at",
            "police_approved_by",
            "municipality_approved_at",
            "municipality_approved_by",
        ]
    )
    return True
