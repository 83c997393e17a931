import contextlib
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_PDF_BYTES = 20 * 1024 * 1024

# A PDF starts with its header (`%PDF-1.7`, `%PDF-2.0`) and ends with the cross-reference
# pointer and the end-of-file marker; a few bytes of line endings may follow.
_PDF_HEADER = re.compile(rb"\A%PDF-[12]\.\d")
_PDF_TRAILER = re.compile(rb"startxref\s+\d+\s+%%EOF\s*\Z")
_TAIL_BYTES = 2048


def validate_pdf_size(file):
    if file.size > MAX_PDF_BYTES:
        raise ValidationError(_("Filen är för stor. En PDF får vara högst 20 MB."))


def validate_pdf_content(file):
    """Accepts only a real PDF, judged by its content, not by its name.

    Checks the header and the trailer, which every complete PDF has: a renamed HTML page,
    image or program, or a truncated upload, is refused.
    """
    message = _("Filen är inte en giltig PDF. Ladda upp löftet som en PDF-fil.")
    try:
        file.seek(0)
        head = file.read(1024)
        size = file.size
        file.seek(max(0, size - _TAIL_BYTES))
        tail = file.read(_TAIL_BYTES)
    except (OSError, ValueError) as error:
        raise ValidationError(message, code="invalid_pdf") from error
    finally:
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    if not _PDF_HEADER.match(head) or not _PDF_TRAILER.search(tail):
        raise ValidationError(message, code="invalid_pdf")
