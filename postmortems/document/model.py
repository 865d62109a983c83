"""The plain data a postmortem document parses into and renders from.

Every class is a frozen dataclass with defaults, so callers (forms, the importer, tests) can
build one by hand and hand it to ``render_document``. Equality ignores what is not content:
parse warnings and the raw text a timeline line was read from. That is what makes the round
trip ``parse_document(render_document(doc)) == doc`` a meaningful test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .phases import suggest_phase

SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")
STATUSES = ("draft", "in_review", "published")
LAG_KINDS = ("detection", "response", "escalation", "other")
CHANGE_KINDS = ("pr", "alert", "eval", "runbook", "config", "other")
ITEM_STATUSES = ("open", "done", "dropped")

# An imported postmortem with no `status:` in its front matter is history that already
# happened, so the importer publishes it (see ParsedDocument.import_status).
IMPORT_DEFAULT_STATUS = "published"


class DocumentError(ValueError):
    """The text cannot be read as a postmortem at all; ``str()`` is ``"line N: reason"``."""

    def __init__(self, line: int | None, reason: str):
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}" if line is not None else reason)

    def __reduce__(self):  # pickled by line and reason (an import's reading workers send it)
        return type(self), (self.line, self.reason)


@dataclass(frozen=True)
class DocumentWarning:
    """Something in an old or hand-written document was read leniently; nothing was dropped."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Impact:
    """The user-facing numbers at the top of a postmortem, plus its free-text summary."""

    users_affected: int | None = None
    minutes: int | None = None
    money: Decimal | None = None
    currency: str | None = None
    summary: str = ""

    def __post_init__(self):
        object.__setattr__(self, "summary", normalize_text(self.summary))


@dataclass(frozen=True)
class TimelineEntry:
    """One event. ``at`` is None when the written line had no readable time.

    ``phase`` holds only a phase set by hand. A phase equal to what ``suggest_phase`` reads
    from the text is no override, so it is stored as None; read ``effective_phase`` for the
    phase to use either way.
    """

    at: datetime | None
    text: str
    actor: str = ""
    phase: str | None = None
    raw: str = field(default="", compare=False)

    def __post_init__(self):
        if self.phase is not None and self.phase == suggest_phase(self.text):
            object.__setattr__(self, "phase", None)

    @property
    def effective_phase(self) -> str | None:
        return self.phase or suggest_phase(self.text)


@dataclass(frozen=True)
class LagEntry:
    """One cause of the incident lasting longer: detection, response or escalation lag."""

    kind: str
    minutes: int | None
    text: str


@dataclass(frozen=True)
class ChangeItem:
    """One specific change: a PR, alert, eval case, runbook edit or config change."""

    kind: str
    text: str
    reference: str = ""
    url: str = ""
    owner: str = ""
    due: date | None = None
    status: str = "open"


@dataclass(frozen=True)
class CommitmentItem:
    """An owned, dated promise; ``change_reference`` names the change it delivers, if any."""

    text: str
    owner: str = ""
    due: date | None = None
    status: str = "open"
    change_reference: str = ""


@dataclass(frozen=True)
class ExtraSection:
    """A section of an imported document that maps to no house part, kept as written.

    ``level`` is the heading level it had in the source (2 for ``##``), so nested parts
    ("What went well" under "Lessons learned") keep their shape when exported again.
    """

    heading: str
    text: str = ""
    level: int = 2

    def __post_init__(self):
        object.__setattr__(self, "text", normalize_text(self.text))


@dataclass(frozen=True)
class ParsedDocument:
    """A whole postmortem. ``status`` None means the front matter gave none."""

    slug: str
    title: str
    incident_date: date
    severity: str | None = None
    status: str | None = None
    incident_start: datetime | None = None
    incident_end: datetime | None = None
    services: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    impact: Impact = field(default_factory=Impact)
    timeline: tuple[TimelineEntry, ...] = ()
    what_broke: str = ""
    why: str = ""
    lags: tuple[LagEntry, ...] = ()
    changes: tuple[ChangeItem, ...] = ()
    commitments: tuple[CommitmentItem, ...] = ()
    extra_sections: tuple[ExtraSection, ...] = ()
    warnings: tuple[DocumentWarning, ...] = field(default=(), compare=False)

    def __post_init__(self):
        object.__setattr__(self, "what_broke", normalize_text(self.what_broke))
        object.__setattr__(self, "why", normalize_text(self.why))
        # Lists are accepted for convenience; tuples keep the frozen object hashable-ish
        # and make equality independent of which one the caller passed.
        for name in (
            "services",
            "authors",
            "timeline",
            "lags",
            "changes",
            "commitments",
            "extra_sections",
        ):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def import_status(self) -> str:
        """The status an import should give this postmortem: its own, else published."""
        return self.status or IMPORT_DEFAULT_STATUS


def normalize_text(text: str) -> str:
    """Free Markdown as the document stores it: no surrounding blank lines or trailing spaces.

    Rendering puts blank lines around every section, so anything else would not survive
    a round trip; normalising on construction keeps built and parsed documents equal.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")
