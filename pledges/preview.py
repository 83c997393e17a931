"""A minimal rendering of a löfte's public page, used by the staff preview.

The real public page (`pledges.views`, template `pledges/pledge_detail.html`) is written
separately; at merge, point `render_pledge_page` at the function that builds the public
page's context so that the preview is exactly what residents will see. Until then the
preview falls back to a plain template of its own.
"""

from django.db.models import Prefetch
from django.template.loader import select_template
from django.template.response import TemplateResponse

from pledges.history import public_changes
from pledges.models import Commitment, FocusArea


def pledge_page_context(pledge):
    commitments = (
        Commitment.objects.filter(pledge=pledge)
        .with_achieved()
        .prefetch_related("responsible_partners")
        .order_by("focus_area__order", "order", "id")
    )
    focus_areas = FocusArea.objects.filter(pledge=pledge).prefetch_related(
        Prefetch("commitments", queryset=commitments)
    )
    return {
        "pledge": pledge,
        "municipality": pledge.municipality,
        "focus_areas": focus_areas,
        "unsorted_commitments": [c for c in commitments if c.focus_area_id is None],
        "changes": public_changes(pledge),
    }


def render_pledge_page(request, pledge, preview=False):
    context = pledge_page_context(pledge)
    context["preview"] = preview
    template = select_template(
        ["pledges/pledge_detail.html", "pledges/staff/pledge_preview_fallback.html"]
    )
    response = TemplateResponse(request, template, context)
    if preview:
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
    return response
