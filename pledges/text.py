"""Short forms of long texts, one rule for every page, staff screen and export."""

import re

# A sentence ends at . ! or ? followed by white space and an upper-case letter,
# so "t.ex. fler" and "kl. 18" do not end one.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"”«(])")


def first_sentence(text):
    text = " ".join(str(text).split())
    return SENTENCE_END.split(text, maxsplit=1)[0]


def shorten(text, limit=80):
    """The first sentence of `text`, cut at a word boundary with "…" when it is longer than
    `limit` characters (the "…" included), so a list never shows half a word."""
    sentence = first_sentence(text)
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1]
    if not sentence[limit - 1].isspace():
        space = cut.rfind(" ")
        if space > limit // 2:  # else one very long word: cut inside it
            cut = cut[:space]
    return cut.rstrip(" ,;:–-") + "…"
