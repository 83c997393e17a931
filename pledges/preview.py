"""A minimal rendering of a löfte's public page, used by the staff preview.

When the public page exists (`pledges.views.render_pledge`, written separately), the
preview renders exactly that page with a preview banner above it; until then it falls back
to a plain template of its own.
"""

from django.db.models import Prefetch
from django.template.loader import render_to_string, select_template
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


def _public_renderer():
    """The public page's renderer once it exists (`pledges.views.render_pledge` with
    `Pledge.objects.get_public_page`), else None."""
    from pledges import views
    from pledges.models import Pledge

    render_pledge = getattr(views, "render_pledge", None)
    if render_pledge is None or not hasattr(Pledge.objects, "get_public_page"):
        return None
    return render_pledge


def _with_banner(request, response, pledge):
    """Puts the preview banner above <main> of a rendered public page, so that staff never
    mistake a draft for a published page."""
    banner = render_to_string("includes/preview_banner.html", {"pledge": pledge}, request)
    content = response.content.decode(response.charset)
    marker = '<main id="main"'
    if marker in content:
        content = content.replace(marker, banner + marker, 1)
        response.content = content.encode(response.charset)
    return response


def render_pledge_page(request, pledge, preview=False):
    from pledges.models import Pledge

    render_pledge = _public_renderer()
    if render_pledge is not None:
        public = Pledge.objects.get_public_page(pk=pledge.pk)
        others = list(
            Pledge.objects.public().filter(municipality=pledge.municipality_id).for_listing()
        )
        response = render_pledge(request, public, others=others, municipality_page=False)
        if preview:
            response = _with_banner(request, response, pledge)
    else:
        context = pledge_page_context(pledge)
        context["preview"] = preview
        template = select_template(
            ["pledges/pledge_detail.html", "pledges/staff/pledge_preview_fallback.html"]
        )
        response = TemplateResponse(request, template, context).render()
    if preview:
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
    return response
