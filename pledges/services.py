"""Writes that span several models or must be all-or-nothing."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pledges.models import Activity, Commitment, FocusArea, Pledge, PledgeExtension


@transaction.atomic
def publish_pledge(*, pledge, at=None, user=None):
    """Publishes a löfte now, or at `at` (a future time: it stays hidden until then)."""
    pledge.status = Pledge.Status.PUBLISHED
    pledge.published_at = at or timezone.now()
    pledge.save(update_fields=["status", "published_at", "updated_at"])
    return pledge


@transaction.atomic
def unpublish_pledge(*, pledge, user=None):
    pledge.status = Pledge.Status.DRAFT
    pledge.save(update_fields=["status", "updated_at"])
    return pledge


@transaction.atomic
def extend_pledge(*, pledge, new_end_date, reason, user):
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


@transaction.atomic
def copy_pledge_for_next_period(*, pledge, start_date, end_date, user):
    """A new DRAFT löfte for the next period with the same texts, focus areas and
    commitments (targets included; progress, outcomes and activities start afresh)."""
    if start_date > end_date:
        raise ValidationError(_("Perioden måste börja innan den slutar."))
    new = Pledge.objects.create(
        municipality=pledge.municipality,
        police_area=pledge.police_area,
        title=pledge.title,
        slug=_next_slug(pledge, start_date, end_date),
        start_date=start_date,
        end_date=end_date,
        introduction=pledge.introduction,
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
    for commitment in pledge.commitments.prefetch_related("responsible_partners"):
        copy = Commitment.objects.create(
            pledge=new,
            focus_area=focus_map.get(commitment.focus_area_id),
            text=commitment.text,
            short_text=commitment.short_text,
            responsible_police=commitment.responsible_police,
            responsible_municipality=commitment.responsible_municipality,
            responsible_note=commitment.responsible_note,
            places=commitment.places,
            target_kind=commitment.target_kind,
            target_quantity=commitment.target_quantity,
            target_unit=commitment.target_unit,
            interval=commitment.interval,
            order=commitment.order,
        )
        copy.responsible_partners.set(commitment.responsible_partners.all())
    return new


def default_next_period(pledge):
    """The period after `pledge`: from the day after it ends, as long as it was."""
    start = pledge.end_date + datetime.timedelta(days=1)
    length = pledge.end_date - pledge.start_date
    return start, start + length


@transaction.atomic
def import_activities(*, rows, user):
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
