"""Turning a mapped section's text into house parts: changes, lags, impact, why."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from ..items import read_change_line
from ..lines import BULLET, NumberedLines, logical_lines
from ..model import ChangeItem, LagEntry
from .dates import find_date
from .tables import cells, column_named, is_separator, is_table_line

_CHECKBOX = re.compile(r"^\[( |x|X)\]\s*")
_GROUP_LABEL = re.compile(r"^(?:\*\*|__)([^*_]{1,80}?):?(?:\*\*|__):?$")
_FIGURE = re.compile(
    r"(?:mean\s+)?time\s+to\s+(?P<what>[a-z]+)[a-z ]*?\s*(?:\([^)]*\))?\s*[:=–—-]\s*"
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>h|hrs?|hours?|m|mins?|minutes?)\b", re.IGNORECASE
)
_FIGURE_KINDS = {
    "detect": "detection", "detection": "detection", "discover": "detection",
    "notice": "detection", "alert": "detection", "engage": "response",
    "acknowledge": "response", "ack": "response", "respond": "response",
    "response": "response", "mitigate": "response", "mitigation": "response",
    "resolve": "response", "resolution": "response", "recover": "response",
    "recovery": "response", "restore": "response", "repair": "response",
    "escalate": "escalation", "escalation": "escalation",
}  # fmt: skip
_LAG_HINTS = (
    (
        "detection",
        re.compile(r"\b(detect\w*|alert\w*|monitor\w*|notic\w*|noticed|paged|page)\b", re.I),
    ),
    ("escalation", re.compile(r"\b(escalat\w*|hand-?off|handed over)\b", re.I)),
    (
        "response",
        re.compile(
            r"\b(respon\w*|rollback|roll(ed)? back|mitigat\w*|recover\w*|runbook|restor\w*)\b", re.I
        ),
    ),
)
# The people a service serves, as teams name them: "3,400 shoppers", "120 paying subscribers".
_PEOPLE = (
    "user|customer|account|merchant|tenant|shopper|buyer|seller|visitor|player|subscriber|"
    "client|viewer|listener|reader|learner|student|patient|rider|driver|developer|publisher|"
    "maintainer|organi[sz]ation|workspace|household"
)
_IMPACT_NOUNS = re.compile(
    rf"\b((?:{_PEOPLE})s?|requests?|orders?|transactions?|"
    r"payments?|sessions?|minutes?|mins?|hours?|hrs?|seconds?|revenue|refunds?|tickets?|"
    r"errors?|calls?|sites?|websites?|builds?|jobs?|messages?|emails?)\b|[%$€£]",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_USERS = re.compile(
    # Not the minutes of a clock time ("at 00:20 UTC users saw").
    rf"(?<![\d:.,])(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+)\s+(?:\w+\s+)?(?:{_PEOPLE})s\b",
    re.IGNORECASE,
)
_CLOCK = r"(?P<h{n}>[01]?\d|2[0-3]):(?P<m{n}>[0-5]\d)(?:\s*(?:UTC|GMT|Z))?"
_CLOCK_SPAN = re.compile(
    rf"\b(?:between|from)\s+{_CLOCK.format(n=1)}\s*(?:and|to|until|till|-|–|—)\s*"
    rf"{_CLOCK.format(n=2)}(?!\d)",
    re.IGNORECASE,
)
_MONEY = re.compile(r"(?P<symbol>[$€£])\s?(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_CHANGE_TEXT_WORDS = ("action", "item", "task", "description", "what", "change", "title",
                      "summary", "remediation", "follow")  # fmt: skip
_OWNER_WORDS = ("owner", "assignee", "assigned", "who", "responsible", "team")
_DUE_WORDS = ("due", "deadline", "date", "eta", "target", "when")
_REF_WORDS = ("ticket", "issue", "jira", "link", "pr", "bug", "reference", "ref", "tracking", "id")
_STATUS_WORDS = ("status", "state", "done")


def minutes_of(value: str, unit: str) -> int:
    amount = float(value)
    unit = unit.lower()
    if unit.startswith("h"):
        amount *= 60
    elif unit.startswith("s"):
        amount /= 60
    return round(amount)


def read_changes(lines: NumberedLines) -> tuple[list[ChangeItem], list[tuple[int, str]]]:
    """Every bullet, numbered item, table row or paragraph of an action-item section."""
    changes: list[ChangeItem] = []
    problems: list[tuple[int, str]] = []
    index = 0
    plain: NumberedLines = []
    while index < len(lines):
        if is_table_line(lines[index][1]):
            end = index
            while end < len(lines) and is_table_line(lines[end][1]):
                end += 1
            changes += _changes_from_table(lines[index:end])
            index = end
            continue
        plain.append(lines[index])
        index += 1
    group = ""
    for number, line in logical_lines(plain, lazy=True):
        text = BULLET.sub("", line.strip(), count=1)
        label = _GROUP_LABEL.match(text)
        if label:
            # "**BinderHub**" over a list: the items below are that component's.
            group = label[1].strip()
            continue
        if group:
            text = f"{group}: {text}"
        done = False
        box = _CHECKBOX.match(text)
        if box:
            done = box[1].lower() == "x"
            text = text[box.end() :]
        if not text.strip():
            continue
        change, found = read_change_line(text)
        if done and change.status == "open":
            change = _replace(change, status="done")
        problems += [(number, problem) for problem in found]
        changes.append(change)
    return changes, problems


def _changes_from_table(rows: NumberedLines) -> list[ChangeItem]:
    parsed = [cells(line) for _, line in rows]
    header: list[str] = []
    if len(parsed) > 1 and is_separator(parsed[1]):
        header, parsed = parsed[0], parsed[2:]
    body = [row for row in parsed if not is_separator(row) and any(row)]
    if not body:
        return []
    width = max(len(row) for row in body)
    header = header + [""] * (width - len(header))
    owner_col = column_named(header, _OWNER_WORDS)
    due_col = column_named(header, _DUE_WORDS)
    ref_col = column_named(header, _REF_WORDS)
    status_col = column_named(header, _STATUS_WORDS)
    taken = {owner_col, due_col, ref_col, status_col}
    text_col = column_named(
        [h if i not in taken else "" for i, h in enumerate(header)], _CHANGE_TEXT_WORDS
    )
    if text_col is None:
        free = [i for i in range(width) if i not in taken]
        text_col = (
            max(free, key=lambda i: sum(len(r[i]) for r in body if i < len(r))) if free else 0
        )
    changes = []
    for row in body:
        row = row + [""] * (width - len(row))
        others = [
            f"{header[i]}: {row[i]}" if header[i] else row[i]
            for i in range(width)
            if i not in (text_col, owner_col, due_col, status_col) and row[i]
        ]
        text = row[text_col] + (f" ({'; '.join(others)})" if others else "")
        change, _ = read_change_line(text)
        due = find_date(row[due_col]) if due_col is not None and row[due_col] else change.due
        status = change.status
        if status_col is not None and row[status_col]:
            status = _status_of(row[status_col])
        owner = change.owner
        if owner_col is not None and row[owner_col]:
            # Stored without the "@" the pages put in front of it ("@mira" is shown "@mira").
            owner = row[owner_col].strip().lstrip("@").strip()
        reference = change.reference
        if ref_col is not None and row[ref_col] and not reference:
            reference = row[ref_col]
        changes.append(
            _replace(change, owner=owner[:100], due=due, status=status, reference=reference)
        )
    return changes


def _status_of(written: str) -> str:
    lowered = written.lower()
    if re.search(r"\b(done|closed|complete\w*|fixed|merged|resolved|shipped)\b|✅|\[x\]", lowered):
        return "done"
    if re.search(r"\b(won.?t|dropped|cancel\w*|abandon\w*|rejected)\b", lowered):
        return "dropped"
    return "open"


def read_lags(lines: NumberedLines, *, kind: str | None) -> list[LagEntry]:
    """One lag per bullet or paragraph; the kind from the heading, else from its words."""
    lags = []
    group = ""
    for _, line in logical_lines(_paragraphs(lines), lazy=True):
        text = BULLET.sub("", line.strip(), count=1).strip()
        if not text:
            continue
        label = _GROUP_LABEL.match(text)
        if label:
            group = label[1].strip()
            continue
        if group:
            text = f"{group}: {text}"
        figure = _FIGURE.search(text)
        minutes = None
        if figure:
            minutes = minutes_of(figure["value"], figure["unit"])
        else:
            duration = _DURATION.search(text)
            minutes = minutes_of(duration["value"], duration["unit"]) if duration else None
        lags.append(LagEntry(kind=kind or lag_kind_of(text), minutes=minutes, text=text))
    return lags


def lag_kind_of(text: str) -> str:
    for kind, pattern in _LAG_HINTS:
        if pattern.search(text):
            return kind
    return "other"


def read_figures(lines: NumberedLines) -> tuple[list[LagEntry], NumberedLines, int | None]:
    """``Time to detection: 4 minutes`` lines as lags; the other lines, and a duration."""
    lags: list[LagEntry] = []
    rest: NumberedLines = []
    duration = None
    for number, line in lines:
        text = BULLET.sub("", line.strip(), count=1).replace("**", "").strip()
        figure = _FIGURE.search(text)
        if figure:
            what = figure["what"].lower()
            kind = next((k for stem, k in _FIGURE_KINDS.items() if what.startswith(stem)), "other")
            lags.append(
                LagEntry(kind=kind, minutes=minutes_of(figure["value"], figure["unit"]), text=text)
            )
            continue
        if re.match(
            r"^(?:total\s+)?(?:duration|downtime|outage duration|impact duration)\b", text, re.I
        ):
            found = _DURATION.search(text)
            if found:
                duration = minutes_of(found["value"], found["unit"])
        rest.append((number, line))
    return lags, rest, duration


def split_summary(text: str) -> tuple[str, str]:
    """Sentences with numbers about users, minutes or money go to impact; the rest to what broke."""
    impact: list[str] = []
    broke: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = paragraph.split("\n")
        if any(BULLET.match(line) for line in lines):
            units = [line for line in lines if line.strip()]
            joiner = "\n"
        else:
            units = _SENTENCE.split(" ".join(line.strip() for line in lines))
            joiner = " "
        mine: list[str] = []
        theirs: list[str] = []
        for unit in units:
            (mine if is_impact_sentence(unit) else theirs).append(unit)
        if mine:
            impact.append(joiner.join(mine))
        if theirs:
            broke.append(joiner.join(theirs))
    return "\n\n".join(impact), "\n\n".join(broke)


def is_impact_sentence(sentence: str) -> bool:
    without_dates = re.sub(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(?::\d{2})?", "", sentence)
    return bool(_NUMBER.search(without_dates) and _IMPACT_NOUNS.search(without_dates))


def impact_numbers(text: str) -> dict:
    """Users affected, minutes and money, when the impact text names them plainly."""
    values: dict = {}
    users = _USERS.search(text)
    if users:
        values["users_affected"] = int(users["n"].replace(",", ""))
    minutes = re.search(
        r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>minutes?|mins?|hours?|hrs?)\b", text, re.IGNORECASE
    )
    if minutes:
        values["minutes"] = minutes_of(minutes["value"], minutes["unit"])
    else:
        span = _CLOCK_SPAN.search(text)
        if span:
            # "between 09:10 and 09:52": the minutes between, past midnight when the end is earlier.
            start = int(span["h1"]) * 60 + int(span["m1"])
            end = int(span["h2"]) * 60 + int(span["m2"])
            between = (end - start) % (24 * 60)
            if between:
                values["minutes"] = between
    money = _MONEY.search(text)
    if money:
        try:
            values["money"] = Decimal(money["amount"].replace(",", ""))
            values["currency"] = _SYMBOLS[money["symbol"]]
        except InvalidOperation:
            pass
    return values


def _paragraphs(lines: NumberedLines) -> NumberedLines:
    return [
        (number, line)
        for number, line in lines
        if not is_table_line(line) or not is_separator(cells(line))
    ]


def _replace(change: ChangeItem, **values) -> ChangeItem:
    data = {
        name: getattr(change, name)
        for name in ("kind", "text", "reference", "url", "owner", "due", "status")
    }
    data.update(values)
    return ChangeItem(**data)


def status_of_document(written: str) -> str | None:
    """A source's own status word: drafts stay drafts, anything final is published."""
    lowered = written.strip().lower()
    if not lowered:
        return None
    if re.search(r"\bdraft|\bwip\b|work in progress|\bincomplete", lowered):
        return "draft"
    if re.search(r"\breview|\bpending", lowered):
        return "in_review"
    return "published"


def severity_of(written: str) -> str | None:
    lowered = written.strip().lower()
    match = re.search(r"\b(?:sev|severity|s)\s*-?\s*([0-4])\b", lowered)
    if match:
        return f"SEV{max(1, int(match[1]))}"
    match = re.search(r"\bp\s*-?\s*([0-4])\b", lowered)
    if match:
        return f"SEV{min(4, max(1, int(match[1])))}"
    for words, severity in (
        (("critical", "blocker", "emergency"), "SEV1"),
        (("major", "high"), "SEV2"),
        (("medium", "moderate", "minor"), "SEV3"),
        (("low", "cosmetic"), "SEV4"),
    ):
        if any(re.search(rf"\b{word}\b", lowered) for word in words):
            return severity
    return None


def first_date(text: str) -> date | None:
    return find_date(text)
