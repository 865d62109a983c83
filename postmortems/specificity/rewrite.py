"""Rewrite suggestions built from the phrase's own words.

A generic "name the artifact" helps nobody who already knows they were vague. These take the
object of the item ("agent memory usage" in "Investigate agent memory usage"), its nouns and
its failure, and put them into the shape the section needs: "Alert when agent_memory_usage >
N for 10m → #agent-oncall", "HH:MM UTC — rolled back the deploy — @who".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .phrase_view import PhraseView

_TOKEN: Final = re.compile(r"[A-Za-z][\w'./-]*")
_LONG_LOWER_TOKEN: Final = re.compile(r"[a-z][\w'./-]{2,}", re.ASCII)
_LEADING_FILLER: Final = re.compile(
    r"^\W*(?:(?:into|at|about|on|with|to|whether|if|how|why|what|the|a|an|our|any|all|more|"
    r"further|better|additional|some|ways?\s+to|options\s+for|up\s+on)\s+)+",
    re.IGNORECASE,
)
_SPACED_HYPHEN: Final = re.compile(r"\s-\s")
_TRAILER: Final = re.compile(
    r"\s*(?:[—–]|\s-\s|\(|,\s*(?:owner|due|by)\b|;\s*owner\b).*$", re.IGNORECASE
)
# What str.split() splits ASCII text on, besides the space.
_OTHER_ASCII_WHITESPACE: Final = ("\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
# Each alternative of _TRAILER starts with one of these.
_TRAILER_MARKS: Final = ("—", "–", "-", "(", ",", ";")
_NOT_NOUNS_WORDS: Final = """the a an and or of to in on at for with by from as is was were be been are had has have
    did does do not no its our their we us it they this that these those when then also just
    which so into after before again any all some more most better further additional other
    investigate investigating investigation look looking consider assess evaluate explore review
    revisit reflect discuss agree align teach train figure continue make sure ensure improve
    improving improved improvement add adding added fix fixed update updated create implement
    set tune rewrite remove need needs should will would could must can may might there here
    whether if how why what who where very too about around over under up down out off new
    failed fail failing broke broken error errors issue issues problem problems bug because
    due caused cause since someone somebody team engineer engineers people customer customers
    owner due tbd soon next sprint week quarter q1 q2 q3 q4 asap forgot didn't wasn't didnt
    properly correctly enough many several few lot lots things stuff something"""
_NOT_NOUNS: Final = frozenset(_NOT_NOUNS_WORDS.split())
_NOT_NAME_CHARS: Final = re.compile(r"[^a-z0-9]+")
_STEP_LEAD: Final = re.compile(r"^\W*(?:to\s+|that\s+|the\s+)?")
_CLOCK_LEAD: Final = re.compile(r"^\W*[\d:.]+\s*(?:[a-zA-Z]{1,4}\b)?\W*")
_METRIC_ENDINGS: Final = (
    "rate",
    "usage",
    "latency",
    "lag",
    "count",
    "errors",
    "depth",
    "ratio",
    "total",
)


def object_of(text: str, lead_end: int = 0) -> str:
    """The words the item is about: after its leading verb, before any owner or date trailer."""
    rest = strip_trailer(text[lead_end:]).strip(" .:;-—–")
    rest = _LEADING_FILLER.sub("", rest).strip(" .:;")
    words = rest.split()
    return " ".join(words[:8]) if words else text.strip(" .")


def strip_trailer(text: str) -> str:
    """``text`` without a trailing owner, due date, dash clause or parenthesis."""
    # _TRAILER tries every position (its leading \s*); substring tests (a twentieth of the
    # cost) say first whether any of the marks it needs is there at all. Most phrases: no.
    # A hyphen counts only between spaces ("on-call" and "us-east-1" are no trailer).
    if "—" in text or "–" in text or "(" in text or ("-" in text and _SPACED_HYPHEN.search(text)):
        return _strip_from_first_mark(text)
    if "," in text or ";" in text:
        lower = text.lower()
        if "owner" in lower or "due" in lower or "by" in lower:
            return _strip_from_first_mark(text)
    return text


def _strip_from_first_mark(text: str) -> str:
    """``_TRAILER.sub("", text)``, run from where a match can first start: every match is
    whitespace, then a mark, so none starts before the space in front of the first mark."""
    start = len(text)
    for mark in _TRAILER_MARKS:
        at = text.find(mark, 0, start)
        if at >= 0:
            start = at
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return text[:start] + _TRAILER.sub("", text[start:])


def nouns_of(text: str, limit: int = 3, ascii_words: bool = False) -> list[str]:
    """Up to ``limit`` content words of ``text`` in order, lower-cased, no verbs of intention.

    ``ascii_words``: the caller knows that every letter, digit and space of ``text`` is ASCII
    (PhraseView.ascii_words()), its other characters punctuation ("—", "’"). Such text is read
    as ASCII text is, which finds the same words faster.
    """
    found: list[str] = []
    if ascii_words or text.isascii():
        # Lowercased once and read chunk by chunk between spaces (no token crosses one), so
        # that the reading stops at the limit. A chunk of letters alone is its own token; only
        # the others ("billing-api,", "v2.3.1") need the token pattern, whose tokens start
        # with a letter, so only their end strips. A word shorter than three characters is
        # never kept, so shorter tokens are not even found.
        for chunk in text.lower().split():
            if chunk.isalpha():
                words = [chunk]
            else:
                words = [token.rstrip("./-'") for token in _LONG_LOWER_TOKEN.findall(chunk)]
            for word in words:
                if _kept(word, found) and len(found) >= limit:
                    return found
        return found
    # Other text word by word ("İ" and the Kelvin sign lowercase into letters the token
    # pattern starts on).
    for token in _TOKEN.findall(text):
        if _kept(token.lower().strip("./-'"), found) and len(found) >= limit:
            break
    return found


def _kept(word: str, found: list[str]) -> bool:
    """Add ``word`` to ``found`` when it is a content word not there yet; whether it was."""
    if len(word) < 3 or word in _NOT_NOUNS or word in found:
        return False
    found.append(word)
    return True


def metric_name(nouns: list[str]) -> str:
    """A metric name an engineer would grep for, made from the phrase's nouns."""
    parts = [_NOT_NAME_CHARS.sub("_", n).strip("_") for n in nouns if n] or ["signal"]
    name = "_".join(parts[:3])
    return name if name.endswith(_METRIC_ENDINGS) else f"{name}_total"


def _team(nouns: list[str]) -> str:
    return _NOT_NAME_CHARS.sub("-", nouns[0]).strip("-") if nouns else "owning-team"


def clip(text: str, limit: int = 70) -> str:
    if not _single_spaced(text):
        text = " ".join(text.split())
    text = text.strip(" .;:")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _single_spaced(text: str) -> bool:
    """``" ".join(text.split()) == text``, without building the words: in ASCII text, only a
    double, leading or trailing space or one of the other whitespace characters would change."""
    if not text.isascii() or "  " in text or text.startswith(" ") or text.endswith(" "):
        return False
    return all(other not in text for other in _OTHER_ASCII_WHITESPACE)


def suggest_for_aspiration(view: PhraseView, lead_end: int) -> str:
    """'Investigate agent memory usage' → the ticket for the question, or the alert/PR."""
    subject = clip(object_of(view.text, lead_end), 60)
    nouns = nouns_of(subject, ascii_words=view.ascii_words())
    metric = metric_name(nouns)
    noun = " ".join(nouns[:2]) or subject
    return (
        f'Name what will merge: the ticket for "{subject}" with its done-state '
        f'("ABC-123: answer <question about {noun}> by <date>"), or the change itself, e.g. '
        f'"Alert when {metric} > N for 10m → #{_team(nouns)}-oncall" or '
        f'"PR #N: <set/add/remove> <{noun} config key or check> in <file>".'
    )


def suggest_for_blame(view: PhraseView, words: str) -> str:
    """'The intern forgot to renew the cert' → the step, and the guard missing around it."""
    at = view.text.find(words)
    after = view.text[at + len(words) :] if at >= 0 else view.text
    step = clip(_STEP_LEAD.sub("", after), 50) or "the step"
    return (
        f'Replace "{clip(words, 50)}" with what the system allowed: "{step}" relied on a '
        f'person; name the missing guard: "<{step}> had no <check/confirmation/alert/'
        f'automation>, so <effect> for N min".'
    )


def suggest_for_restatement(view: PhraseView, effect: str, cause: str) -> str:
    """'The API failed because the service errored' → the mechanism inside that surface."""
    nouns = nouns_of(effect + " " + cause, limit=2)
    surface = " ".join(nouns) or "the component"
    return (
        f'"{clip(cause, 50)}" is "{clip(effect, 50)}" said again. Name what inside {surface} '
        f'broke: "{surface} <failed> because <config key>=<value> / <code path> / <version> '
        f'made <component> <behaviour>".'
    )


def suggest_for_vague(
    section: str, text: str, code: str, base: str | None, ascii_words: bool = False
) -> str | None:
    """A vague phrase's rewrite in the section's shape, filled with the phrase's own words;
    the ruleset's generic pattern ``base`` follows it. ``ascii_words`` as for nouns_of."""
    subject = clip(strip_trailer(text) or text, 60)
    nouns = nouns_of(subject, ascii_words=ascii_words)
    noun = " ".join(nouns[:2]) or "it"
    if section == "timeline":
        event = clip(_CLOCK_LEAD.sub("", text) or text, 50)
        specific = (
            f'"HH:MM UTC — {event} — @who" (the exact minute from the pager, chat or deploy log).'
        )
    elif section in ("impact", "what_broke"):
        specific = (
            f'Put numbers on "{subject}": how many users/requests hit ({noun}), for how many '
            f"minutes, how much money or what % failed."
        )
    elif section == "why":
        specific = (
            f'Name the mechanism behind "{subject}": the config key, schema field, code path '
            f'or version of {noun} and what it did, e.g. "{noun}: <key>=<value> made '
            f'<component> <behaviour>".'
        )
    elif section == "kept_broken":
        specific = (
            f'Say which lag "{subject}" was and what caused it: "Detection lag (N min): '
            f'<alert/runbook for {noun}> <was missing / pointed at X>".'
        )
    elif section == "changes":
        if code == "alert_incomplete":
            specific = (
                f'Complete the alert: "Alert when {metric_name(nouns)} > N for 10m → '
                f'#{_team(nouns)}-oncall".'
            )
        else:
            specific = (
                f'Make "{subject}" mergeable: "PR #N: <set/add/remove> <{noun} key, check or '
                f'section> in <file>", or a ticket ABC-123 that says what changes.'
            )
    elif code in ("no_owner", "no_date", "vague_date"):
        specific = f'"{subject} — owner: @handle — due YYYY-MM-DD".'
    else:
        specific = f'"PR #N {subject} — owner: @handle — due YYYY-MM-DD", naming what merges.'
    return f"{specific} Pattern: {base}" if base else specific
