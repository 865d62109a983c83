"""The traps recognised by the shape of a phrase, not by remembered wording.

Three structures, each read from the lexicons of ``structure_rules.toml``:

- **aspiration**: an action item whose leading verb is one of intention (investigate, look
  into, consider, align on, make sure, better X, ...) and that names no artifact to merge;
- **blame**: a person, role, group, vendor's staff or customers as the agent of a failure
  predicate ("the intern forgot", "@dana didn't escalate", "X's sloppy commit");
- **restatement**: a why whose cause, once the failure words and generic surfaces (service,
  system, API) are set aside, says nothing its effect did not ("the API failed because the
  service errored").

Each returns a Tagging with a human reason naming the words it read, or None.
"""

from __future__ import annotations

import re
from typing import Final

from .phrase_view import PhraseView, Tagging, has_systemic_cause
from .results import ANTI_PATTERN, VAGUE
from .rewrite import clip as _clip
from .rewrite import (
    suggest_for_aspiration,
    suggest_for_blame,
    suggest_for_restatement,
    suggest_for_vague,
)
from .section_rules import reference_is_described

_ITEM_SECTIONS: Final = frozenset({"changes", "commitments"})
_WORD: Final = re.compile(r"[a-z][a-z0-9'-]*")
_STOP_WORDS: Final = (
    "the a an and or of to in on at for with by from as is was were be been are had has have "
    "did does do not no its our their we us when then also just which that this these those "
    "very all any some being into after before again so"
)
_STOP: Final = frozenset(_STOP_WORDS.split())


def find_structural_trap(section: str, view: PhraseView) -> Tagging | None:
    """The first structural trap in the phrase (blame, restatement, aspiration), or None."""
    tagging = find_blame(view)
    if tagging is None and section == "why":
        tagging = find_restatement(view)
    if tagging is None and section in _ITEM_SECTIONS:
        tagging = find_aspiration(view)
    return tagging


def find_aspiration(view: PhraseView) -> Tagging | None:
    """An item leading with a verb of intention and naming no artifact; a bare reference
    (PR #, ticket) beside it makes it vague rather than an anti-pattern."""
    lead = view.search("aspiration_lead") or view.search("aspiration_purpose")
    if lead is None or view.any_of(_RESCUES) or _complete_alert(view):
        return None
    words = view.text[lead.start() : lead.end()].strip(" -–—:*[]()")
    suggestion = suggest_for_aspiration(view, lead.end())
    if view.has("reference"):
        if reference_is_described(view):
            return None  # "Consider X ... (#611)": the ticket holds the change; the section decides
        found = view.found("reference")
        reason = f'Leads with "{words}", an intention; {found} tracks it but names no change.'
        return Tagging(VAGUE, (reason,), suggestion, "aspiration_with_reference")
    reason = (
        f'Leads with "{words}": an intention with no artifact to merge (no PR, ticket, '
        "config key, path, or alert with threshold and channel)."
    )
    return Tagging(ANTI_PATTERN, (reason,), suggestion, "aspiration")


# What rescues an intention: something to merge, not a product name ("SecOps") or a quote.
_RESCUES: Final = ("code_artifact", "mergeable_artifact", "url")


def _complete_alert(view: PhraseView) -> bool:
    return all(view.has(part) for part in ("metric", "threshold", "channel"))


_CONSEQUENCE_OF: Final = re.compile(
    r"\b(?:so|which meant|meaning|therefore|thus|hence|as a result)\s*(?:that\s+)?,?\s*$",
    re.IGNORECASE,
)
_WINDOW: Final = 60


def blame_words(view: PhraseView) -> str | None:
    """The agent and its failure ("the intern forgot"), when a person or group is the cause."""
    for act, agent in (("blame_act", "blame_agent_before"), ("human_blame_act", "name_before")):
        if not view.has(act):
            continue
        agents = view.ruleset.patterns[agent]
        for match in view.finditer(act):
            before = view.text[max(0, match.start() - _WINDOW) : match.start()]
            found = agents.search(before)
            if found is None:
                continue
            start = match.start() - len(before) + found.start()
            if not _consequence_of_a_named_gap(view, start):
                return view.text[start : match.end()].strip()
    phrase = view.search("blame_phrase")
    return view.text[phrase.start() : phrase.end()].strip() if phrase else None


def _consequence_of_a_named_gap(view: PhraseView, agent_start: int) -> bool:
    # "shadowing ends after 1 week, so the primary had never run a rollback": the gap is
    # named first and the person's act is only its consequence.
    before = view.text[:agent_start]
    return bool(_CONSEQUENCE_OF.search(before)) and view.sub_view(before, scanned=False).any_of(
        _GAP_SPECIFICS
    )


_GAP_SPECIFICS: Final = (
    "identifier",
    "quoted",
    "url",
    "named_artifact",
    "unit_quantity",
    "reference",
)


def find_blame(view: PhraseView) -> Tagging | None:
    """A person, role or group as the agent of a failure, unless the phrase goes on to name
    the system gap that let it happen ("... because the script had no confirmation")."""
    words = blame_words(view)
    if words is None or has_systemic_cause(view):
        return None
    reason = (
        f'Names a person or group as the cause ("{words}"): blame, where the system gap that '
        "let it happen should be."
    )
    return Tagging(ANTI_PATTERN, (reason,), suggest_for_blame(view, words), "blame")


def find_restatement(view: PhraseView) -> Tagging | None:
    """A cause that repeats its effect: every content word of the cause is a failure word, a
    generic surface (service, system, API, it) or a word the effect already used."""
    rs = view.ruleset
    text = view.text
    joint = view.search("cause_after")
    if joint is not None:
        effect, cause = text[: joint.start()], text[joint.end() :]
    else:
        joint = view.search("cause_before")
        if joint is None:
            return None
        cause, effect = text[: joint.start()], text[joint.end() :]
    cause_words = _content_words(cause)
    effect_words = _content_words(effect)
    if (
        not cause_words
        or not effect_words
        or view.sub_view(cause, scanned=False).any_of(_CAUSE_NAMES)
    ):
        return None
    filler = rs.patterns["restatement_filler"]
    new = [w for w in cause_words if w not in effect_words and not filler.fullmatch(w)]
    if new:
        return None
    reason = (
        f'The cause ("{cause.strip(" .,;:")}") restates the failure ("{effect.strip(" .,;:")}"): '
        "one surface said twice, no mechanism."
    )
    return Tagging(ANTI_PATTERN, (reason,), suggest_for_restatement(view, effect, cause))


_CAUSE_NAMES: Final = ("identifier", "quoted", "url", "limit_or_version", "unit_quantity", "number")


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


_STRUCTURAL_PREFIX: Final = "Name what will merge:"


def personalise(section: str, view: PhraseView, tagging: Tagging, base: str | None) -> str | None:
    """The suggestion for a vague or anti-pattern tagging, in the phrase's own words.

    Structural traps already wrote theirs; lexicon rules and section rules get one here.
    """
    suggestion = tagging.suggestion
    if suggestion and (
        suggestion.startswith(_STRUCTURAL_PREFIX)
        or suggestion.startswith('Replace "')
        or " said again. " in suggestion
    ):
        return suggestion
    code = tagging.code
    if code.startswith("blame"):
        words = blame_words(view) or " ".join(view.text.split()[:3])
        return suggest_for_blame(view, words)
    if code in ("some-confusion",):
        subject = _clip(view.text, 60)
        return (
            f'Say what was unclear in "{subject}" and which artifact should have said it: '
            '"<runbook section/owner list/dashboard> did not say <X>, so <effect> for N min".'
        )
    if tagging.tag == "anti-pattern" and section in ("changes", "commitments"):
        lead = view.search("aspiration_lead")
        specific = suggest_for_aspiration(view, lead.end() if lead else 0)
        return f"{specific} Pattern: {base}" if base else specific
    return suggest_for_vague(section, view.text, code, base, view.ascii_words())
