"""Plain result types of the specificity checker (frozen dataclasses, no behaviour beyond helpers).

Each pickles through its constructor (``__reduce__``): compiled with mypyc (native.py), a frozen
dataclass cannot be unpickled field by field, and import workers send results across processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

CONCRETE: Final = "concrete"
VAGUE: Final = "vague"
ANTI_PATTERN: Final = "anti-pattern"
TAGS: Final = (CONCRETE, VAGUE, ANTI_PATTERN)

VERDICT_EMPTY: Final = "empty"
VERDICT_SPARSE: Final = "sparse"
VERDICT_SPECIFIC: Final = "specific"
VERDICT_ANTI_PATTERN: Final = "anti-pattern"

OVERALL_ANTI_PATTERNS: Final = "Anti-patterns present"
OVERALL_NEEDS_DETAIL: Final = "Needs detail"
OVERALL_SPECIFIC: Final = "Specific enough to act on"


def _probe() -> None:
    """Defined only to tell whether this module runs compiled (native.py)."""


# A compiled function has no code object: then this module's classes are native ones.
_COMPILED: Final = not hasattr(_probe, "__code__")


@dataclass(frozen=True, slots=True)
class Span:
    """One phrase of a section: ``text == source[start:end]``."""

    start: int
    end: int
    text: str

    # Written out, as PhraseResult's is: one Span is made for every phrase a section splits.
    def __init__(self, start: int, end: int, text: str) -> None:
        if _COMPILED:
            self.start = start  # type: ignore[misc]
            self.end = end  # type: ignore[misc]
            self.text = text  # type: ignore[misc]
            return
        setattr_ = object.__setattr__  # frozen: assignment would raise
        setattr_(self, "start", start)
        setattr_(self, "end", end)
        setattr_(self, "text", text)

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (Span, (self.start, self.end, self.text))


@dataclass(frozen=True, slots=True)
class PhraseResult:
    """The tag of one phrase, why it got it, and how to fix it (None when concrete)."""

    text: str
    tag: str
    reasons: tuple[str, ...]
    suggestion: str | None
    start: int
    end: int

    # Written out, so that mypyc compiles it: the dataclass's generated __init__ runs
    # interpreted, and one PhraseResult is made for every phrase checked (callgrind: about
    # 9,000 instructions a phrase for the generated one, of the checker's 200,000).
    # dataclass keeps an __init__ the class defines.
    def __init__(
        self,
        text: str,
        tag: str,
        reasons: tuple[str, ...],
        suggestion: str | None,
        start: int,
        end: int,
    ) -> None:
        if _COMPILED:
            # Compiled, these are writes into the object's own fields, which the frozen
            # __setattr__ (a Python function dataclass adds) never sees: 60 instructions
            # against 5,800 for the six object.__setattr__ calls below.
            self.text = text  # type: ignore[misc]
            self.tag = tag  # type: ignore[misc]
            self.reasons = reasons  # type: ignore[misc]
            self.suggestion = suggestion  # type: ignore[misc]
            self.start = start  # type: ignore[misc]
            self.end = end  # type: ignore[misc]
            return
        setattr_ = object.__setattr__  # frozen: assignment would raise
        setattr_(self, "text", text)
        setattr_(self, "tag", tag)
        setattr_(self, "reasons", reasons)
        setattr_(self, "suggestion", suggestion)
        setattr_(self, "start", start)
        setattr_(self, "end", end)

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (
            PhraseResult,
            (self.text, self.tag, self.reasons, self.suggestion, self.start, self.end),
        )


@dataclass(frozen=True, slots=True)
class SectionResult:
    """The phrases of one section and the section's verdict (empty/sparse/specific/anti-pattern)."""

    section: str
    verdict: str
    phrases: tuple[PhraseResult, ...]

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (SectionResult, (self.section, self.verdict, self.phrases))

    @property
    def anti_patterns(self) -> tuple[PhraseResult, ...]:
        return tuple(p for p in self.phrases if p.tag == ANTI_PATTERN)


@dataclass(frozen=True, slots=True)
class Finding:
    """A cross-section problem, e.g. a stochastic root cause with no eval case among the changes."""

    code: str
    message: str
    sections: tuple[str, ...]

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (Finding, (self.code, self.message, self.sections))


@dataclass(frozen=True, slots=True)
class LibraryPhrase:
    """A good pattern the editor can insert into a section."""

    label: str
    text: str

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (LibraryPhrase, (self.label, self.text))


@dataclass(frozen=True, slots=True)
class PostmortemResult:
    """Every section's result, the cross-section findings and the overall verdict."""

    sections: dict[str, SectionResult]
    findings: tuple[Finding, ...]
    verdict: str

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return (PostmortemResult, (self.sections, self.findings, self.verdict))

    def blocking_phrases(self) -> list[tuple[str, PhraseResult]]:
        """(section, phrase) pairs that block publishing: every anti-pattern phrase."""
        return [
            (key, phrase)
            for key, section in self.sections.items()
            for phrase in section.phrases
            if phrase.tag == ANTI_PATTERN
        ]

    def empty_sections(self) -> list[str]:
        """Section keys with nothing in them; publishing is refused while any remain."""
        return [key for key, section in self.sections.items() if section.verdict == VERDICT_EMPTY]

    @property
    def can_publish(self) -> bool:
        """True when no section is empty and no phrase is an anti-pattern."""
        return not self.empty_sections() and not self.blocking_phrases()
