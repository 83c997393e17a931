"""Path converters shared by every app's URLs.

`<id:name>` is a database id: ASCII digits only, at most 18 of them, so that every value it
lets through fits a PostgreSQL bigint. Python's `str.isdigit()` and `int()` accept other
digits ("²", "٣"), and Django's `int` converter any length; an id from the address is
parsed here or not at all (`parse_id` for ids read from a query string or a form).
"""

import re

from django.urls import register_converter

ID_PATTERN = "[0-9]{1,18}"
_ID = re.compile(ID_PATTERN)


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(int(value))


def parse_id(value):
    """`value` (text from a request) as an id, or None when it is not one."""
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value)
    return None


def register():
    register_converter(IdConverter, "id")
