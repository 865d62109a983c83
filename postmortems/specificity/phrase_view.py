"""A phrase plus memoised pattern searches, and the shared pieces every section rule uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from .fast_pattern import disjoint, fold_text
from .results import ANTI_PATTERN, CONCRETE, VAGUE
from .ruleset import Ruleset

_DIGIT: Final = re.compile(r"\d")
_KELVIN: Final = "\u212a"
_NUMBER_TAIL: Final = re.compile(r"(?:\d|[.,](?=\d))+")
_CAUSE_SPLIT: Final = re.compile(
    r"\b(?:because|since|due to|as a result of)\b|,\s*so\b|\bso that\b"
)
_ARTIFACT_SPECIFICS: Final = ("identifier", "quoted", "url", "channel", "threshold")
_CAUSE_SPECIFICS: Final = (
    "identifier", "quoted", "url", "named_artifact", "unit_quantity", "reference", "channel",
)  # fmt: skip


class Tagging:
    """What a section rule decided for one phrase (never changed once made).

    A plain class, not a dataclass: a dataclass's generated __init__ stays interpreted Python
    when the rest is compiled (native.py), and one or two of these are made for every phrase.
    """

    __slots__ = ("tag", "reasons", "suggestion", "code")

    def __init__(
        self, tag: str, reasons: tuple[str, ...], suggestion: str | None, code: str = ""
    ) -> None:
        self.tag = tag
        self.reasons = reasons
        self.suggestion = suggestion
        # The message code or rule name that decided it: the rewrite is shaped by it.
        self.code = code

    def __repr__(self) -> str:
        return f"Tagging({self.tag!r}, {self.reasons!r}, {self.suggestion!r}, {self.code!r})"


def contains_digit(text: str) -> bool:
    """``re.search(r"\\d", text)``: ten substring tests on ASCII text (a fifth of the regex's
    cost, which looks up every character's Unicode category), the regex on any other."""
    if not text.isascii():
        return _DIGIT.search(text) is not None
    return (
        "0" in text or "1" in text or "2" in text or "3" in text or "4" in text
        or "5" in text or "6" in text or "7" in text or "8" in text or "9" in text
    )  # fmt: skip


class PhraseView:
    """One phrase with cached searches of the ruleset's named patterns (each runs at most once)."""

    __slots__ = (
        "text", "lower", "has_digit", "present", "path", "ruleset", "section", "_found",
    )  # fmt: skip

    def __init__(
        self, text: str, ruleset: Ruleset, section: str = "", scanned: bool = True
    ) -> None:
        self.text = text
        lower = self.lower = fold_text(text)
        self.has_digit = contains_digit(text)
        # Which gate literals of the ruleset occur (or, where the section has an item scanner,
        # which of its items can match at all): one pass, then every gate is a set test.
        # Unscanned, each search tests its items' own literals instead (the same matches).
        # ``path`` is the scope's number when its scanner read the phrase (then a gate is one
        # set lookup), 0 on the literal path.
        self.present: set[int] | None = None
        self.path = 0
        if lower is not None and scanned:
            self.present, self.path = ruleset.literals.gates(lower, section)
        self.ruleset = ruleset
        self.section = section
        self._found: dict[str, re.Match[str] | None] = {}

    def search(self, name: str) -> re.Match[str] | None:
        found = self._found
        if name in found:
            return found[name]
        pattern = self.ruleset.patterns[name]
        present = self.present
        if present is not None and not pattern.may_match(present, self.path):
            # Most searches end here (no item can match): without the call into search_in.
            match = None
        else:
            match = pattern.search_in(self.text, self.lower, self.has_digit, present, self.path)
        found[name] = match
        return match

    def ascii_words(self) -> bool:
        """Every letter, digit and space of the text is ASCII, its other characters punctuation:
        the scanner read the lowercased text (scan_runtime.scan_bytes), and lowercasing keeps
        whether a non-ASCII character is a letter, digit or space, except for the Kelvin sign,
        which becomes "k" (checked over every code point: tests)."""
        return self.text.isascii() or (self.path > 0 and _KELVIN not in self.text)

    def has(self, name: str) -> bool:
        return self.search(name) is not None

    def found(self, name: str) -> str:
        match = self.search(name)
        # Slice the original: a match on the lowercased text has a lowercased group().
        return self.text[match.start() : match.end()].strip() if match else ""

    def finditer(self, name: str) -> Iterator[re.Match[str]]:
        """Every match of a named pattern, left to right, as ``FastPattern.finditer`` gives
        them, run with this phrase's gates (on the lowercased text a match's group() is
        lowercased: slice ``text`` for the words as written)."""
        return self.ruleset.patterns[name].finditer_in(
            self.text, self.lower, self.has_digit, self.present, self.path
        )

    def findall_text(self, name: str) -> list[str]:
        """The words of every match of a named pattern, as written."""
        return [self.text[m.start() : m.end()] for m in self.finditer(name)]

    def any_of(self, names: tuple[str, ...]) -> bool:
        return any(self.search(name) is not None for name in names)

    def sub_view(self, text: str, scanned: bool = True) -> PhraseView:
        """A view of part of this phrase (the same text shares this view's cache); one asked
        about a pattern or two is cheaper ``scanned=False``, without the scan of every item."""
        if text == self.text:
            return self
        return PhraseView(text, self.ruleset, self.section, scanned)


def concrete(ruleset: Ruleset, code: str, **fields: str) -> Tagging:
    message = ruleset.message(code, **fields)
    return Tagging(CONCRETE, (message.reason,), message.suggestion, code)


def vague(ruleset: Ruleset, *codes_and_fields: tuple[str, dict[str, str]]) -> Tagging:
    """A vague tagging from one or more message codes; the first code gives the suggestion."""
    messages = [ruleset.message(code, **fields) for code, fields in codes_and_fields]
    suggestion = next((m.suggestion for m in messages if m.suggestion), None)
    return Tagging(VAGUE, tuple(m.reason for m in messages), suggestion, codes_and_fields[0][0])


def has_artifact_specifics(view: PhraseView) -> bool:
    """A named thing another engineer can find: identifier, quote, link, channel or threshold."""
    return view.any_of(_ARTIFACT_SPECIFICS)


def has_named_mechanism(view: PhraseView) -> bool:
    """Two different named parts (certificate, cron, pool, offset, flag...) joined by a cause or
    a specific defect ("because", "had no", "instead of", "expired"), and no generic failure word.

    "The x509 certificate expired because the renewal cron had no alert" passes; "DNS was
    flaky", "the cert expired" and "the cache caused issues because of a bug" do not.
    """
    if not view.has("mechanism_link") or view.has("generic_failure"):
        return False
    nouns = view.ruleset.patterns["mechanism_noun"]
    count = nouns.count_distinct(view.text, view.lower, view.has_digit, 2, view.present, view.path)
    return count >= 2


def has_systemic_cause(view: PhraseView) -> bool:
    """The phrase goes on to name a system gap after "because/since/so", not just a person."""
    parts = _CAUSE_SPLIT.split(view.text, maxsplit=1)
    if len(parts) < 2:
        return False
    return view.sub_view(parts[1], scanned=False).any_of(_CAUSE_SPECIFICS)


def apply_phrase_rules(section: str, view: PhraseView) -> Tagging | None:
    """Apply the lexicon rules (data) of ``section``; None when no rule tags the phrase.

    Anti-pattern rules win over vague ones; every matching rule of the winning tag adds its
    reason. A rule marked ``rescued_by = "specifics"`` does not fire when the phrase names a
    concrete artifact, and only makes it vague when a bare reference (PR #, ticket) is all there is.
    """
    ruleset = view.ruleset
    needed = ruleset.rule_literals[section]
    if needed is not None and view.present is not None and disjoint(needed, view.present):
        return None
    hits: dict[str, list[tuple[str, str, str]]] = {ANTI_PATTERN: [], VAGUE: []}
    for rule in ruleset.rules_by_section[section]:
        if not rule.pattern.search_in(
            view.text, view.lower, view.has_digit, view.present, view.path
        ):
            continue
        if rule.rescued_by == "specifics":
            if has_artifact_specifics(view):
                continue
            if rule.vague_when and view.has(rule.vague_when):
                # "Add heartbeat monitoring": a signal without threshold or channel is vague.
                message = ruleset.message("signal_without_alert", found=view.found(rule.vague_when))
                hits[VAGUE].append((message.reason, message.suggestion or "", rule.name))
                continue
            if view.has("reference"):
                message = ruleset.message(
                    "aspiration_with_reference", found=view.found("reference")
                )
                hits[VAGUE].append(
                    (f"{rule.reason} {message.reason}", message.suggestion or "", rule.name)
                )
                continue
        elif rule.rescued_by == "systemic_cause" and has_systemic_cause(view):
            continue
        hits[rule.tag].append((rule.reason, rule.suggestion, rule.name))
    for tag in (ANTI_PATTERN, VAGUE):
        if hits[tag]:
            reasons = tuple(dict.fromkeys(reason for reason, _, _ in hits[tag]))
            return Tagging(tag, reasons, hits[tag][0][1], hits[tag][0][2])
    return None


def strip_owner_and_date(view: PhraseView) -> PhraseView:
    """The change description without a trailing ``— owner: @x — due YYYY-MM-DD``."""
    match = view.search("owner_date_trailer")
    if not match or match.start() == 0:
        return view
    return view.sub_view(view.text[: match.start()].rstrip(" ,;:—–-"))


def matched_texts(view: PhraseView, names: tuple[str, ...], limit: int = 3) -> str:
    """Up to ``limit`` snippets that explain a tag: the first match of each named pattern.

    Patterns the rules already ran are read from the cache; the others run only when the
    cached ones explain nothing, so writing a reason rarely costs another regex search.
    """
    snippets: list[str] = []
    cached = [name for name in names if name in view._found]
    for pass_names in (cached, [name for name in names if name not in view._found]):
        for name in pass_names:
            snippet = _whole_token(view, view.search(name)).strip(" ,;:()")
            if snippet and all(snippet not in s and s not in snippet for s in snippets):
                snippets.append(snippet)
                if len(snippets) >= limit:
                    return ", ".join(snippets)
        if snippets:
            break
    return ", ".join(snippets)


def _whole_token(view: PhraseView, match: re.Match[str] | None) -> str:
    """The match widened to the token it sits in ("orders.customer_id", not ".customer_id")."""
    if match is None:
        return ""
    text, start, end = view.text, match.start(), match.end()
    while (
        start > 0
        and (text[start - 1].isalnum() or text[start - 1] in "_.-")
        and match.group()[:1] in "._-"
    ):
        start -= 1
    # A number cut short by the pattern ("$2" of "$200,000", "0%" of "10%") is shown whole.
    while start > 0 and text[start].isdigit() and text[start - 1].isdigit():
        start -= 1
    if end > start and text[end - 1].isdigit():
        tail = _NUMBER_TAIL.match(text, end)
        end = tail.end() if tail else end
    return text[start:end].strip()
