"""The bounds of postmortems/limits.py applied to a PostmortemContent: what validate_content
adds so that nothing reaches the database that it would refuse (issue 9)."""

from __future__ import annotations

from collections.abc import Mapping

from . import limits
from .content import FieldError, PostmortemContent

_TEXT_FIELDS = ("title", "slug", "impact_currency", "impact_summary", "what_broke", "why")
_ROW_TEXT_FIELDS = {
    "timeline": ("text", "actor", "phase"),
    "lags": ("kind", "text"),
    "changes": ("kind", "text", "reference", "url", "owner", "status"),
    "commitments": ("text", "owner", "status", "change_reference"),
}


def _control_error(field: str, text: str) -> FieldError | None:
    index = limits.first_control_character(text)
    if index is None:
        return None
    what = limits.describe_control_character(text, index)
    return FieldError(field, f"Remove {what} (character {index + 1}); it cannot be stored.")


def _bounded(field: str, value, bound, label: str) -> FieldError | None:
    if value is None or 0 <= value <= bound:
        return None
    return FieldError(field, f"{label} must be between 0 and {bound:,}.")


def limit_errors(content: PostmortemContent) -> list[FieldError]:
    """Control characters, names over their column, and numbers out of range, by field."""
    errors = [_control_error(name, getattr(content, name) or "") for name in _TEXT_FIELDS]
    for name, field, bound in (
        ("services", "services_text", limits.SERVICE),
        ("authors", "authors_text", limits.AUTHOR),
    ):
        for value in getattr(content, name):
            errors.append(_control_error(field, value))
            if len(value) > bound:
                errors.append(
                    FieldError(
                        field, f"“{value[:40]}…” is {len(value)} characters; at most {bound}."
                    )
                )
    errors += [
        _bounded("impact_users", content.impact_users, limits.MAX_USERS, "Users affected"),
        _bounded("impact_minutes", content.impact_minutes, limits.MAX_MINUTES, "Minutes of impact"),
        _bounded("impact_money", content.impact_money, limits.MAX_MONEY, "Money"),
    ]
    for prefix, names in _ROW_TEXT_FIELDS.items():
        for index, row in enumerate(getattr(content, prefix)):
            for name in names:
                errors.append(_control_error(f"{prefix}-{index}-{name}", getattr(row, name) or ""))
            if prefix == "lags":
                errors.append(
                    _bounded(f"lags-{index}-minutes", row.minutes, limits.MAX_MINUTES, "Minutes")
                )
    return [e for e in errors if e is not None]


def storable(data: Mapping) -> dict:
    """Typed data as a revision can keep it: each refused control character becomes U+FFFD,
    so the draft keeps every other character and shows where the bad one was."""
    return {
        key: limits.replace_control_characters(value) if isinstance(value, str) else value
        for key, value in data.items()
    }
