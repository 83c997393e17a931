import contextlib
import io
import logging
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

logger = logging.getLogger(__name__)

MAX_PDF_BYTES = 20 * 1024 * 1024

# A PDF starts with its header (`%PDF-1.7`, `%PDF-2.0`) and ends with the cross-reference
# pointer and the end-of-file marker; a few bytes of line endings may follow.
_PDF_HEADER = re.compile(rb"\A%PDF-[12]\.\d")
_PDF_TRAILER = re.compile(rb"startxref\s+\d+\s+%%EOF\s*\Z")
_TAIL_BYTES = 2048
# Markup a browser or another viewer would act on: a PDF that also parses as HTML or SVG
# (a polyglot) is refused even though its PDF structure is fine.
_POLYGLOT_MARKERS = re.compile(
    rb"<\s*(?:html|script|body|iframe|svg|!doctype|object|embed)\b|javascript:", re.IGNORECASE
)
# Keys and action types that make a PDF run something: scripts, actions on opening or on
# events, launching programs, attached files, forms that submit, Flash, XFA.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFiles", "/EmbeddedFile"}
_ACTIVE_KEYS |= {"/RichMedia", "/XFA"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia"}
_ACTIVE_ACTIONS |= {"/GoToE", "/Rendition"}
# Bounds the walk through a hostile file (a 20 MB PDF has far fewer objects).
_MAX_OBJECTS = 200_000


def validate_pdf_size(file):
    if file.size > MAX_PDF_BYTES:
        raise ValidationError(_("Filen är för stor. En PDF får vara högst 20 MB."))


def validate_pdf_content(file):
    """Accepts only a real PDF, judged by its content, not by its name.

    Checks the header and the trailer, which every complete PDF has: a renamed HTML page,
    image or program, or a truncated upload, is refused. Then pypdf parses the whole file:
    it must have pages, no encryption, no JavaScript, no actions on opening (/OpenAction
    as an action) or on events (/AA), no /Launch, no embedded files, and no HTML or SVG
    markup anywhere in it (a PDF/HTML polyglot).
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
    _check_structure(file, message)


def _check_structure(file, message):
    """Parses the whole PDF with pypdf and refuses active content and polyglots."""
    active = _(
        "PDF-filen innehåller skript, automatiska åtgärder eller bifogade filer och kan "
        "därför inte tas emot. Spara den som en vanlig PDF, till exempel med ”Skriv ut som "
        "PDF”, och ladda upp den igen."
    )
    try:
        file.seek(0)
        data = file.read()
    finally:
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    if _POLYGLOT_MARKERS.search(data):
        raise ValidationError(active, code="active_pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(message, code="encrypted_pdf")
        if len(reader.pages) == 0:
            raise ValidationError(message, code="invalid_pdf")
        found = _active_content(reader)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, RecursionError, OSError) as error:
        raise ValidationError(message, code="invalid_pdf") from error
    if found:
        logger.warning("Refused a PDF upload with active content: %s", found)
        raise ValidationError(active, code="active_pdf")


def _active_content(reader):
    """The first active key or action found in any object reachable from the trailer."""
    seen = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        visited += 1
        if visited > _MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(obj, DictionaryObject):
            for name, value in obj.items():
                if name in _ACTIVE_KEYS:
                    return name
                # An action on opening is a script or worse; a plain destination
                # ("open at page 1, fit") is an array and harmless.
                if name == "/OpenAction" and not isinstance(value.get_object(), ArrayObject):
                    return name
                if name == "/S" and isinstance(value, NameObject) and value in _ACTIVE_ACTIONS:
                    return value
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None
