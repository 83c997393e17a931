"""Short forms of long texts for lists, pickers and reports."""

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def shorten(text, limit=80):
    """The first sentence of `text`, cut at a word boundary to at most `limit` characters
    with "…" when it had to be cut."""
    text = " ".join((text or "").split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"
