"""The staff preview of a löfte: exactly its public page, with a preview banner above it."""

from django.template.loader import render_to_string

from pledges.models import Pledge
from pledges.views import render_pledge


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
    public = Pledge.objects.get_public_page(pk=pledge.pk)
    others = list(Pledge.objects.public().filter(municipality=pledge.municipality_id).for_listing())
    response = render_pledge(request, public, others=others, municipality_page=False)
    if preview:
        response = _with_banner(request, response, pledge)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
    return response
