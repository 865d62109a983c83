"""What a change or commitment bullet says besides its text: owner, due date, status,
reference (``PR #2341``, ``#123``, ``PROJ-123``, a URL) and kind.

Written by hand these appear anywhere in the line (``owner: @alice``, ``(@alice, due
2026-10-15)``, ``status: done``); rendered they trail the text as `` — owner: @alice``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# The value of a field runs to the next separator: a dash with spaces, a comma, semicolon,
# bracket, or the next field name.
_VALUE = r"(?P<value>[^—–,;()\[\]]+?)"
_VALUE_END = r"(?=\s+[—–]|\s+--?\s|[,;()\[\]]|\s+(?:due|owner|status|kind|ref|url|change)\b|$)"
# A field takes the separator in front of it along, so "text — owner: @a" leaves "text";
# inside brackets it takes nothing, and the emptied "()" is tidied away afterwards.
_LEAD = r"(?:\s*(?:[—–]|--?|[,;])\s*|\s+|^|(?<=\())"


def _field(name: str, value: str = _VALUE + _VALUE_END) -> re.Pattern[str]:
    return re.compile(_LEAD + rf"\b{name}\s*{value}", re.IGNORECASE)


_FIELDS = {
    "owner": _field("owner:"),
    "due": _field(r"due(?:\s+by)?:?", r"(?P<value>\d{4}-\d{1,2}-\d{1,2})\b"),
    "status": _field("status:", r"(?P<value>done|open|dropped)\b"),
    "kind": _field("kind:", r"(?P<value>pr|alert|eval|runbook|config|other)\b"),
    "ref": _field("ref(?:erence)?:"),
    "url": _field("url:", r"(?P<value>https?://\S+?)(?=[\s,;)\]]|$)"),
    "change": _field("change:"),
}
_CHECKBOX = re.compile(r"^\[([ xX])\]\s+")
_BARE_OWNER = re.compile(r"(?:\s*(?:[—–]|--?|[,;])\s*|\s+|^)\(?@(?P<value>[\w.\-]+)\)?\s*$")
_EMPTY_BRACKETS = re.compile(r"\s*\(\s*[,;]?\s*\)|\s*\[\s*[,;]?\s*\]")
_TRAILING_SEPARATORS = re.compile(r"(?:\s+(?:[—–]|--?)|\s*[—–,;])+\s*$")

_PR = re.compile(r"\b(?:PR|pull request)\s*#\s*(\d+)\b", re.IGNORECASE)
_MR = re.compile(r"\bMR\s*!\s*(\d+)\b")
_PR_URL = re.compile(r"https?://github\.com/[^/\s]+/[^/\s]+/pull/(\d+)")
_MR_URL = re.compile(r"https?://\S+?/-/merge_requests/(\d+)")
_ISSUE = re.compile(r"(?<![\w&/#!])#(\d+)\b")
_TICKET = re.compile(r"\b([A-Z][A-Z0-9]{1,9}-\d+)\b")
_URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
# Upper-case words with a number that are standards or model names, not ticket keys.
_NOT_TICKETS = {"UTF", "ISO", "SHA", "RFC", "GPT", "SEV", "HTTP", "TLS", "SSL", "IPV", "MD"}

_KIND_WORDS = (
    ("alert", re.compile(r"^\s*alert\b|\balert (?:when|on|if)\b|\balert:", re.IGNORECASE)),
    ("eval", re.compile(r"\bevals?\b|\beval case", re.IGNORECASE)),
    ("runbook", re.compile(r"\brunbook", re.IGNORECASE)),
    ("config", re.compile(r"\bconfig(?:uration)?\b", re.IGNORECASE)),
)


@dataclass
class Fields:
    """The parts read out of one bullet; ``text`` is what is left, references included."""

    text: str
    values: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_fields(line: str, names: tuple[str, ...]) -> Fields:
    """Take the named fields out of a bullet's text; a bad due date stays in the text."""
    text = line.strip()
    values: dict[str, str] = {}
    problems: list[str] = []
    box = _CHECKBOX.match(text)
    if box:
        text = text[box.end() :]
        values["status"] = "done" if box[1] in "xX" else "open"
    for name in names:
        match = _FIELDS[name].search(text)
        if match is None:
            continue
        value = match["value"].strip()
        if name == "due":
            try:
                value = date.fromisoformat(value).isoformat()
            except ValueError:
                problems.append(
                    f'due date "{value}" is not a real YYYY-MM-DD date; kept in the text'
                )
                continue
        values[name] = value.lower() if name in ("status", "kind") else value
        text = _tidy(text[: match.start()] + text[match.end() :])
    if "owner" in names and "owner" not in values:
        bare = _BARE_OWNER.search(text)
        if bare:
            values["owner"] = bare["value"]
            text = _tidy(text[: bare.start()])
    if "owner" in values:
        values["owner"] = values["owner"].removeprefix("@")
    return Fields(text=_tidy(text), values=values, problems=problems)


def find_reference(text: str) -> str:
    """The first reference a change or commitment names, in a stable written form."""
    for pattern, form in (
        (_PR, "PR #{}"),
        (_MR, "MR !{}"),
        (_PR_URL, "PR #{}"),
        (_MR_URL, "MR !{}"),
    ):
        match = pattern.search(text)
        if match:
            return form.format(match[1])
    match = _ISSUE.search(text)
    if match:
        return f"#{match[1]}"
    for match in _TICKET.finditer(text):
        if match[1].split("-")[0] not in _NOT_TICKETS:
            return match[1]
    return find_url(text)


def find_url(text: str) -> str:
    """The first http(s) URL in the text, without trailing punctuation."""
    match = _URL.search(text)
    return match[0] if match else ""


def guess_kind(text: str, reference: str) -> str:
    """The change kind the words suggest: pr, alert, eval, runbook, config or other."""
    if reference.startswith(("PR #", "MR !")):
        return "pr"
    for kind, pattern in _KIND_WORDS:
        if pattern.search(text):
            return kind
    return "other"


def same_reference(a: str, b: str) -> bool:
    """Whether two references name the same thing: "PR #2341" and "#2341" do."""
    if not a or not b:
        return False

    def key(reference: str) -> str:
        return re.sub(r"^(?:PR|MR)\s*", "", reference.strip(), flags=re.IGNORECASE).lstrip("#!")

    return key(a).lower() == key(b).lower()


def format_owner(owner: str) -> str:
    """``owner: @alice`` for a handle, ``owner: Payments team`` for anything else."""
    return f"owner: @{owner}" if re.fullmatch(r"[\w.\-]+", owner) else f"owner: {owner}"


def _tidy(text: str) -> str:
    text = _EMPTY_BRACKETS.sub("", text)
    return _TRAILING_SEPARATORS.sub("", text).strip()
