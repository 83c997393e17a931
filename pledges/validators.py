from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_PDF_BYTES = 20 * 1024 * 1024


def validate_pdf_size(file):
    if file.size > MAX_PDF_BYTES:
        raise ValidationError(_("Filen är för stor. En PDF får vara högst 20 MB."))
