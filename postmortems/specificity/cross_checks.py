"""Rules that look across sections: root-cause branch vs changes, lags vs alerts, commitments vs changes."""

from __future__ import annotations

import re
from typing import Final

from .phrase_view import PhraseView
from .results import CONCRETE, Finding, PhraseResult, SectionResult
from .ruleset import Ruleset
from .section_rules import change_kind

_TOKEN: Final = re.compile(r"[a-z0-9][a-z0-9_.$/-]*[a-z0-9]|[a-z0-9]", re.IGNORECASE)
_CHAIN_STEP: Final = re.compile(r"\bbecause\b|^\W*why\b|→|->", re.IGNORECASE)
_LAG_LABEL: Final = re.compile(r"^\W*(detection|response|escalation)\s+lag\b", re.IGNORECASE)
_MIN_CHAIN_STEPS: Final = 3


def find_cross_section_problems(
    results: dict[str, SectionResult], why_text: str, ruleset: Ruleset
) -> tuple[Finding, ...]:
    """Every cross-section finding, in a stable order."""
    changes = [
        (phrase, change_kind(PhraseView(phrase.text, ruleset, "changes")))
        for phrase in results["changes"].phrases
        if phrase.tag == CONCRETE
    ]
    findings: list[Finding] = []
    findings += _root_cause_branches(results["why"], changes, ruleset)
    findings += _detection_lags_need_alert_or_eval(results["kept_broken"], changes, ruleset)
    findings += _commitments_need_a_change(results["commitments"], changes, ruleset)
    findings += _why_chain_restates_one_surface(why_text, ruleset)
    return tuple(findings)


def _root_cause_branches(
    why: SectionResult, changes: list[tuple[PhraseResult, str]], ruleset: Ruleset
) -> list[Finding]:
    if not why.phrases:
        return []
    text = " ".join(p.text for p in why.phrases)
    stochastic = ruleset.patterns["stochastic_terms"].search(text)
    deterministic = not stochastic or ruleset.patterns["deterministic_terms"].search(text)
    kinds = {kind for _, kind in changes}
    findings: list[Finding] = []
    if stochastic and "eval" not in kinds:
        findings.append(
            Finding(
                "stochastic-root-cause-without-eval",
                f"The root cause is on the stochastic branch (it needs the word "
                f'"{stochastic.group()}"), but no specific change is an eval case. A prompt or '
                "sampling fix without an eval is undone by the next prompt edit: add "
                '"Eval case: <input> must produce <output> over N seeds".',
                ("why", "changes"),
            )
        )
    if deterministic and "code" not in kinds:
        findings.append(
            Finding(
                "deterministic-root-cause-without-code-change",
                "The root cause has a deterministic branch (schema, config or code), but no "
                'specific change is a code, schema or config change: add "PR #N: <verb> <named '
                'field/check/config key>".',
                ("why", "changes"),
            )
        )
    return findings


def _detection_lags_need_alert_or_eval(
    kept_broken: SectionResult, changes: list[tuple[PhraseResult, str]], ruleset: Ruleset
) -> list[Finding]:
    catchers = [phrase for phrase, kind in changes if kind in {"alert", "eval"}]
    unused = list(catchers)
    words_of = {id(c): _content_words(c.text, ruleset) for c in catchers}
    findings: list[Finding] = []
    for lag in kept_broken.phrases:
        if not _is_detection_lag(lag.text, ruleset):
            continue
        lag_words = _content_words(lag.text, ruleset)
        match = next((c for c in unused if lag_words & words_of[id(c)]), None)
        match = match or (unused[0] if unused else None)
        if match is None:
            findings.append(
                Finding(
                    "detection-lag-without-alert",
                    f'Detection lag "{_clip(lag.text)}" has no alert or eval change that would '
                    'have caught it: add "Alert when METRIC > THRESHOLD over WINDOW, routes to '
                    'CHANNEL" or an eval case.',
                    ("kept_broken", "changes"),
                )
            )
        else:
            unused.remove(match)
    return findings


def _is_detection_lag(text: str, ruleset: Ruleset) -> bool:
    label = _LAG_LABEL.match(text)
    if label:
        return label.group(1).lower() == "detection"
    return bool(ruleset.patterns["lag_detection"].search(text))


def _commitments_need_a_change(
    commitments: SectionResult, changes: list[tuple[PhraseResult, str]], ruleset: Ruleset
) -> list[Finding]:
    references = ruleset.patterns["reference"]
    change_refs = [set(_normalise_refs(references.findall_text(p.text))) for p, _ in changes]
    change_words = [_content_words(p.text, ruleset) for p, _ in changes]
    findings: list[Finding] = []
    for commitment in commitments.phrases:
        refs = set(_normalise_refs(references.findall_text(commitment.text)))
        words = _content_words(commitment.text, ruleset)
        linked = any(refs & r for r in change_refs) or any(
            len(words & w) >= min(2, len(words)) and words for w in change_words
        )
        if not linked:
            findings.append(
                Finding(
                    "commitment-without-change",
                    f'Commitment "{_clip(commitment.text)}" does not refer to any specific '
                    "change: name the PR, ticket or artifact from the changes section.",
                    ("commitments", "changes"),
                )
            )
    return findings


def _why_chain_restates_one_surface(why_text: str, ruleset: Ruleset) -> list[Finding]:
    steps = [line for line in why_text.splitlines() if _CHAIN_STEP.search(line)]
    if len(steps) < _MIN_CHAIN_STEPS:
        return []
    shared = frozenset.intersection(*(_content_words(step, ruleset) for step in steps))
    if not shared:
        return []
    surface = ", ".join(sorted(shared)[:3])
    return [
        Finding(
            "why-chain-one-surface",
            f"The {len(steps)} why-steps all restate one surface ({surface}): this is one why, "
            "not a chain. State the single cause once, or follow a step that leaves this "
            "surface (the missing eval, the schema authoring, the prompt).",
            ("why",),
        )
    ]


def _content_words(text: str, ruleset: Ruleset) -> frozenset[str]:
    cached = ruleset.words_cache.get(text)
    if cached is None:
        if len(ruleset.words_cache) >= 8192:
            ruleset.words_cache.clear()
        cached = ruleset.words_cache[text] = frozenset(_find_content_words(text, ruleset))
    return cached


def _find_content_words(text: str, ruleset: Ruleset) -> set[str]:
    common = ruleset.patterns["common_words"]
    words = set()
    for token in _TOKEN.findall(text.lower()):
        token = token.strip(".$/-")
        if len(token) < 3 or common.fullmatch(token) or token.isdigit() and len(token) < 3:
            continue
        # A crude stem so "cents"/"cent" and "returned"/"return" meet.
        for suffix in ("ed", "s"):
            if token.endswith(suffix) and len(token) > len(suffix) + 3:
                token = token[: -len(suffix)]
                break
        words.add(token)
    return words


def _normalise_refs(refs: list[str]) -> list[str]:
    return [
        re.sub(r"[^A-Za-z0-9-]", "", r).upper().replace("PR", "").replace("MR", "") for r in refs
    ]


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
