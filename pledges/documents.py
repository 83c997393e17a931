"""Serving a löfte's PDF: only published löften, only as a download, never sniffed."""

import re

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from pledges.models import Pledge

_UNSAFE_FILENAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


def document_filename(pledge):
    """An ASCII file name built from the slugs, never from the uploaded name."""
    stem = f"medborgarlofte-{pledge.municipality.slug}-{pledge.slug}"
    stem = _UNSAFE_FILENAME_CHARACTERS.sub("-", stem).strip("-.")[:120] or "medborgarlofte"
    return f"{stem}.pdf"


@require_safe
def pledge_document(request, pledge_id):
    pledge = get_object_or_404(
        Pledge.objects.public().select_related("municipality").exclude(document=""),
        pk=pledge_id,
    )
    try:
        handle = pledge.document.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document_filename(pledge),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
