"""The "Bygger på" list: the dialogues a löfte or a commitment came from, on the pages of the
pledges app (composed here, in the app that owns dialogues, so pledges imports nothing of
dialogues)."""

from django import template
from django.db.models import Q

from dialogues.models import Dialogue
from pagecache.pages import page_value

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


@register.simple_tag(takes_context=True)
def problem_dialogues(context, pledge, page=""):
    """{problem id: [dialogue, ...]}: the dialogues that brought up each of the löfte's
    problems, oldest first, for "Problemen som löftet ska minska". One query, kept under the
    kommun's text version (no activity changes it), so the part of the page that shows the
    commitments' states is made again without it. `page` names the page, which keeps its
    own copy like its other parts."""

    def load():
        by_problem = {}
        links = (
            Dialogue.problems.through.objects.filter(problem__pledge=pledge)
            .select_related("dialogue")
            .order_by("dialogue__date", "dialogue_id")
        )
        for link in links:
            by_problem.setdefault(link.problem_id, []).append(link.dialogue)
        return by_problem

    request = context.get("request")
    if request is None:
        return load()
    return page_value(request, f"problem-dialogues:{pledge.pk}:{page}", load, texts_only=True)


@register.filter
def dialogues_of(by_problem, problem):
    """{{ by_problem|dialogues_of:problem }}: one problem's dialogues from `problem_dialogues`."""
    return by_problem.get(problem.pk, [])
