"""Markers and helpers for the reports, API and feed tests; the `world` and `dialogue_world`
fixtures that place the markers live in tests/conftest.py."""

import datetime

from pledges.dates import local_datetime

SECRET_NOTE = "HEMLIG-ANTECKNING-7f3a"
DRAFT_TITLE = "UTKAST-LOFTE-91bc"
DRAFT_ACTIVITY = "UTKAST-INSATS-55d1"
AUTHOR = "polis-forfattare-x9"


def login(client, user):
    # UserFactory sets the password after saving and skips the save, so the session hash
    # made from the in-memory user would not match the stored one: save first.
    user.save()
    client.force_login(user)


# --- r2data: walks, findings and synpunkter -------------------------------------------------

SIGNUP_NAME = "ANMALD-NAMN-3c7e"
SIGNUP_EMAIL = "anmald-4d2f@example.se"
FEEDBACK_TEXT = "OPUBLICERAD-SYNPUNKT-8a1b"
FEEDBACK_RAW_TEXT = "RAATEXT-PUBLICERAD-6e0c"
FEEDBACK_NOTE = "INTERN-SYNPUNKT-2b9d"
FEEDBACK_REPLY = "PRIVAT-SVAR-7c4a"
FEEDBACK_NAME = "SYNPUNKT-NAMN-1f5e"
FINDING_MARKER = "Gatlykta-vid-skolan"


def at(day, hour=18):
    return local_datetime(day, datetime.time(hour))


PERSONAL_MARKERS = (
    SIGNUP_NAME,
    SIGNUP_EMAIL,
    FEEDBACK_TEXT,
    FEEDBACK_RAW_TEXT,
    FEEDBACK_NOTE,
    FEEDBACK_REPLY,
    FEEDBACK_NAME,
    "synpunkt-5a3b@example.se",
)
