"""Swedish alphabetical order: å, ä and ö come after z (and é sorts as e, ü as y).

Databases differ in collation (SQLite compares bytes and puts Ä before Å), so lists shown
to people are sorted with this key in Python where order matters.
"""

_FOLD = str.maketrans(
    {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "é": "e", "è": "e", "ü": "y"}
)


def swedish_key(text):
    return str(text).casefold().translate(_FOLD)


def swedish_sorted(items, key=str):
    return sorted(items, key=lambda item: swedish_key(key(item)))
