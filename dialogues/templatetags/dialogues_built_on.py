"""The "Bygger på" list: the dialogues a löfte or a commitment came from, on the pages of the
pledges app (composed here, in the app that owns dialogues, so pledges imports nothing of
dialogues)."""

from django import template
from django.db.models import Q

from dialogues.models import Dialogue

register = template.Library()


@register.simple_tag
def dialogues_built_on(pledge=None, commitment=None):
    """The dialogues linked to the löfte (through its commitments or focus areas) or to
    one commitment (directly or through its focus area), oldest first. One query."""
    if commitment is not None:
        condition = Q(commitments=commitment)
        if commitment.focus_area_id:
            condition |= Q(focus_areas=commitment.focus_area_id)
    else:
        condition = Q(commitments__pledge=pledge) | Q(focus_areas__pledge=pledge)
    return list(
        Dialogue.objects.filter(condition)
        .distinct()
        .order_by("date", "id")
        .only("id", "title", "date", "date_precision", "participants", "is_example")
    )
