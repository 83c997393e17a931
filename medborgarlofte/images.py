"""Cleaning uploaded photos (findings from safety walks) before they are stored.

A photo from a phone carries metadata: often the GPS position where it was taken (which
may be the sender's home), the phone's model, sometimes the owner's name. The file itself
may also be something other than it claims. `clean_image` opens the upload with Pillow,
refuses what is not a JPEG, PNG or WebP image or is too large, and returns a new image,
re-encoded from the pixels only: no EXIF, no GPS, no comments, no ICC profile.
"""

import contextlib
import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
# Larger images are refused before decoding (a small file can claim huge dimensions).
MAX_IMAGE_PIXELS = 50_000_000
# Stored images are scaled down to fit in this many pixels on the longest side.
MAX_DIMENSION = 2000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
JPEG_QUALITY = 85


def _invalid():
    return ValidationError(
        _("Filen är inte en bild vi kan ta emot. Skicka ett foto i formatet JPEG, PNG eller WebP."),
        code="invalid_image",
    )


def clean_image(
    uploaded_file,
    *,
    max_bytes=MAX_IMAGE_BYTES,
    max_pixels=MAX_IMAGE_PIXELS,
    max_dimension=MAX_DIMENSION,
):
    """A re-encoded copy of the uploaded image without metadata, as a ContentFile.

    Raises ValidationError (in Swedish) for anything else. PNG stays PNG (drawings,
    screenshots); everything else becomes JPEG. The name is random: the uploaded name may
    itself be personal data.
    """
    if uploaded_file.size is not None and uploaded_file.size > max_bytes:
        raise ValidationError(
            _("Bilden är för stor. Den får vara högst %(mb)d MB.")
            % {"mb": max_bytes // (1024 * 1024)},
            code="image_too_large",
        )
    try:
        uploaded_file.seek(0)
        with Image.open(uploaded_file) as probe:
            image_format = probe.format
            if image_format not in ACCEPTED_FORMATS:
                raise _invalid()
            if probe.width * probe.height > max_pixels:
                raise ValidationError(
                    _("Bilden har för många bildpunkter. Ta en mindre bild och försök igen."),
                    code="image_too_many_pixels",
                )
            probe.verify()
        uploaded_file.seek(0)
        with Image.open(uploaded_file) as image:
            image.load()
            # Turn the pixels as the camera meant, since the orientation tag goes too.
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_dimension, max_dimension))
            return _encode(image, keep_png=image_format == "PNG")
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError, TypeError, EOFError) as error:  # fmt: skip
        raise _invalid() from error
    finally:
        with contextlib.suppress(OSError, ValueError):
            uploaded_file.seek(0)


def _encode(image, *, keep_png):
    """Encodes only the pixels: a fresh image object carries no `info` from the upload."""
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    if keep_png:
        mode = "RGBA" if has_alpha else "RGB"
        extension, save_args = "png", {"format": "PNG", "optimize": True}
    else:
        mode = "RGB"
        extension = "jpg"
        save_args = {"format": "JPEG", "quality": JPEG_QUALITY, "optimize": True}
    pixels = image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    buffer = io.BytesIO()
    clean.save(buffer, **save_args)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
