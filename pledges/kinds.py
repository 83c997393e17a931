"""The kind of a commitment (`Commitment.Kind`) suggested from its text: a pure function,
used as the admin form's initial value. Staff choose; the suggestion only saves a click
where the text is obvious ("Minst 20 trafikkontroller" is a traffic control)."""

import re

# Checked in this order: the first kind with a matching word wins. A keyword matches the
# start of a word ("trafikkontroller"), and one of six letters or more also the inside of a
# compound ("hastighetskontroller", "medborgardialog").
KEYWORDS = (
    ("safety_walks", ("trygghetsvandring",)),
    ("traffic", ("trafik", "hastighet", "fortkörning", "moped", "traktor")),
    ("youth", ("unga", "ungdom", "skola", "skolor", "elev", "fritidsgård", "ferie", "sommarlov")),
    (
        "environment",
        ("belysning", "klotter", "nedskräpning", "renhållning", "röjning", "fysisk", "kamera"),
    ),
    ("presence", ("patrull", "fotpatrull", "närvaro", "poliskontor", "ordningsvakt", "värdar")),
    (
        "targeted",
        ("narkotika", "brottsaktiva", "tillsyn", "langning", "droger", "vapen"),
    ),
    (
        "dialogue",
        ("dialog", "information", "informera", "kommunikation", "grannsamverkan", "möte"),
    ),
    (
        "cooperation",
        ("samverkan", "samarbete", "styrgrupp", "samordna", "avstämning", "trygghetsteam"),
    ),
)

_WORD = re.compile(r"\w+")


def suggest_kind(text):
    """The kind value (a `Commitment.Kind` value) that `text` most obviously is, or "other"
    when none of the keywords occurs."""
    words = _WORD.findall((text or "").lower())
    for kind, keywords in KEYWORDS:
        for word in words:
            if any(
                word.startswith(keyword) or (len(keyword) >= 6 and keyword in word)
                for keyword in keywords
            ):
                return kind
    return "other"
