"""Archiving instead of deleting: what the public has seen is never lost.

A published löfte, or a commitment in one, is archived: it disappears from the public pages
(`PledgeQuerySet.public()`, `CommitmentQuerySet.public()`, `ActivityQuerySet.public()`)
but stays in the database with its activities and its history. Drafts can still be deleted.
"""

from django.db import transaction
from django.utils import timezone

from pledges.models import Commitment, Pledge


def is_protected(obj):
    """Whether deleting `obj` would remove something the public has seen."""
    if isinstance(obj, Pledge):
        return obj.status == Pledge.Status.PUBLISHED
    if isinstance(obj, Commitment):
        return obj.pledge.status == Pledge.Status.PUBLISHED
    return False


def _archive(obj, *, user, now):
    if obj.archived_at is None:
        obj.archived_at = now
        # simple-history reads the author from here outside a request.
        obj._history_user = user
        obj.save(update_fields=["archived_at"])


@transaction.atomic
def archive_pledge(*, pledge, user):
    """Archives the löfte and its commitments; each change is kept in their history."""
    now = timezone.now()
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    _archive(pledge, user=user, now=now)
    for commitment in pledge.commitments.filter(archived_at__isnull=True):
        _archive(commitment, user=user, now=now)
    return pledge


@transaction.atomic
def archive_commitment(*, commitment, user):
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _archive(commitment, user=user, now=timezone.now())
    return commitment


@transaction.atomic
def restore_pledge(*, pledge, user):
    """Undoes an archiving (the löfte and the commitments archived with it)."""
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    archived_at = pledge.archived_at
    if archived_at is None:
        return pledge
    for commitment in pledge.commitments.filter(archived_at=archived_at):
        commitment.archived_at = None
        commitment._history_user = user
        commitment.save(update_fields=["archived_at"])
    pledge.archived_at = None
    pledge._history_user = user
    pledge.save(update_fields=["archived_at"])
    return pledge
