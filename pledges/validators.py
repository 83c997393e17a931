import contextlib
import io
import logging
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

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
# A name as written in the file, `#xx` escapes and all (`/J#61vaScript` is /JavaScript).
_RAW_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]*)")
# Stream data (images, fonts, compressed page content) is left out of that scan: its bytes
# are no names, and by chance some would spell one.
_STREAM_DATA = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# A script address in a decoded string (a link's /URI written as a hex or octal string),
# after dropping the whitespace and control characters a viewer skips.
_SCRIPT_URI = re.compile(r"(?:java|vb)script:", re.IGNORECASE)
_SKIPPED = re.compile(r"[\x00-\x20\x7f]+")


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
    if _POLYGLOT_MARKERS.search(data) or _raw_active_name(data):
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


def _raw_active_name(data):
    """An active key or action named anywhere in the file's bytes, escapes decoded: in an
    object nothing refers to, or that the cross-reference table leaves out, which a
    viewer that repairs the file would still find."""
    for match in _RAW_NAME.finditer(_STREAM_DATA.sub(b"", data)):
        name = _NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), match[1])
        text = "/" + name.decode("latin-1")
        if text in _ACTIVE_KEYS or text in _ACTIVE_ACTIONS:
            return text
    return None


def _script_in_string(value):
    """Whether a string object, decoded from its hex or octal form, holds a script
    address or markup."""
    if isinstance(value, ByteStringObject):
        text = bytes(value).decode("latin-1")
    elif isinstance(value, TextStringObject):
        text = str(value)
    else:
        return False
    return bool(
        _SCRIPT_URI.search(_SKIPPED.sub("", text)) or _POLYGLOT_MARKERS.search(text.encode())
    )


def _every_object(reader):
    """The trailer and every object the cross-reference table lists, referenced or not
    (compressed object streams included)."""
    yield reader.trailer
    for generation, objects in reader.xref.items():
        for idnum in objects:
            yield IndirectObject(idnum, generation, reader)
    for idnum in getattr(reader, "xref_objStm", {}):
        yield IndirectObject(idnum, 0, reader)


def _active_content(reader):
    """The first active key, action or script string found in any object of the file:
    those reachable from the trailer and those nothing refers to."""
    seen = set()
    stack = list(_every_object(reader))
    stack.reverse()
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
            if obj is None:
                continue
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
                kind = value.get_object() if isinstance(value, IndirectObject) else value
                if name == "/S" and isinstance(kind, NameObject) and kind in _ACTIVE_ACTIONS:
                    return kind
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif _script_in_string(obj):
            return "script string"
    return None
