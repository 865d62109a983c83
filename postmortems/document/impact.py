"""The "User impact" section: named numbers first, then a free-text summary.

    - Users affected: 1,240
    - Minutes of impact: 9
    - Money: 312.40 USD

The number lines may be bullets or plain lines, bold or not; ``$312.40`` reads as USD.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .lines import NumberedLines, strip_bullet
from .model import DocumentWarning, Impact, normalize_text

_LABELS = {
    "users": re.compile(r"^users affected\s*:\s*(?P<value>.*)$", re.IGNORECASE),
    "minutes": re.compile(r"^minutes of impact\s*:\s*(?P<value>.*)$", re.IGNORECASE),
    "money": re.compile(r"^money\s*:\s*(?P<value>.*)$", re.IGNORECASE),
}
_COUNT = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)"
_USERS = re.compile(rf"^{_COUNT}(?:\s+users?)?$", re.IGNORECASE)
_MINUTES = re.compile(rf"^{_COUNT}(?:\s*(?:m|mins?|minutes?))?$", re.IGNORECASE)
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY = re.compile(
    rf"^(?:(?P<symbol>[$€£])\s*(?P<a1>{_AMOUNT})(?:\s+(?P<c1>[A-Z]{{3}}))?"
    rf"|(?P<a2>{_AMOUNT})(?:\s*(?P<c2>[A-Z]{{3}}))?"
    rf"|(?P<c3>[A-Z]{{3}})\s*(?P<a3>{_AMOUNT}))$"
)
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}


def read_impact(lines: NumberedLines) -> tuple[Impact, list[DocumentWarning]]:
    """Read the leading number lines, then keep everything from the first other line as text.

    A number line whose value does not read (``Users affected: about a thousand``) ends
    the numbers and stays in the summary, with a warning.
    """
    values: dict = {}
    warnings: list[DocumentWarning] = []
    rest = 0
    for index, (number, line) in enumerate(lines):
        rest = index
        if not line.strip():
            rest = index + 1
            continue
        content = strip_bullet(line).replace("**", "").replace("__", "").strip()
        label = next((key for key, p in _LABELS.items() if p.match(content)), None)
        if label is None or label in values:
            break
        value = _LABELS[label].match(content)["value"].strip()
        if not _read_value(values, label, value):
            warnings.append(
                DocumentWarning(number, f'"{content}" does not give a number; kept in the summary')
            )
            break
        rest = index + 1
    summary = "\n".join(line for _, line in lines[rest:])
    impact = Impact(
        users_affected=values.get("users"),
        minutes=values.get("minutes"),
        money=values.get("money"),
        currency=values.get("currency"),
        summary=normalize_text(summary),
    )
    return impact, warnings


def _read_value(values: dict, label: str, value: str) -> bool:
    if label in ("users", "minutes"):
        match = (_USERS if label == "users" else _MINUTES).match(value)
        if match is None:
            return False
        values[label] = int(match["n"].replace(",", ""))
        return True
    match = _MONEY.match(value)
    if match is None:
        return False
    amount = match["a1"] or match["a2"] or match["a3"]
    try:
        values["money"] = Decimal(amount.replace(",", ""))
    except InvalidOperation:
        return False
    values["currency"] = match["c1"] or match["c2"] or match["c3"] or _SYMBOLS.get(match["symbol"])
    return True


def format_impact(impact: Impact) -> str:
    """The section body: number lines as bullets, a blank line, then the summary."""
    lines = []
    if impact.users_affected is not None:
        lines.append(f"- Users affected: {impact.users_affected:,}")
    if impact.minutes is not None:
        lines.append(f"- Minutes of impact: {impact.minutes:,}")
    if impact.money is not None:
        money = f"- Money: {impact.money:,f}"
        lines.append(f"{money} {impact.currency}" if impact.currency else money)
    if impact.summary:
        lines += ["", impact.summary] if lines else [impact.summary]
    return "\n".join(lines)
