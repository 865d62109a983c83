"""The bounds every way in (editor, import, checker) holds input to, so the database never
has to refuse it. Plain Python: the forms, the importer and the checker's view share it."""

from __future__ import annotations

import re

TITLE = 200
SERVICE = 100
AUTHOR = 150  # Django's username
ROW_TEXT = 500
ACTOR = 100
OWNER = 100
REFERENCE = 200
URL = 500

# The live check reads at most this much text per request (all sections together): the
# checker is linear, so this bounds one request's time (about a second) for any reader.
CHECK_MAX_CHARS = 1_000_000

# PostgreSQL's integer, and ten years of minutes: more is a typo, not an incident.
MAX_USERS = 2_147_483_647
MAX_MINUTES = 10 * 366 * 24 * 60
# DecimalField(max_digits=14, decimal_places=2)
MAX_MONEY = 10**12 - 1

# NUL cannot be stored in PostgreSQL text; the other C0 controls (tab, newline and carriage
# return aside) and DEL are never typed on purpose and break exports.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def first_control_character(text: str) -> int | None:
    """The index of the first control character no field may hold, or None."""
    match = _CONTROL.search(text or "")
    return match.start() if match else None


def describe_control_character(text: str, index: int) -> str:
    char = text[index]
    name = "NUL" if char == "\x00" else f"U+{ord(char):04X}"
    return f"a {name} control character"


def replace_control_characters(text: str) -> str:
    """The text with each refused character shown as U+FFFD: what a kept draft stores."""
    return _CONTROL.sub("\ufffd", text or "")
