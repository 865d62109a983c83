"""Structural rules per section: what a concrete phrase must contain in each part of the template."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from .phrase_view import (
    PhraseView,
    Tagging,
    concrete,
    has_artifact_specifics,
    has_named_mechanism,
    matched_texts,
    strip_owner_and_date,
    vague,
)

_QUANTITIES: Final = ("money", "percent", "unit_quantity", "count_quantity", "time_with_zone")
_MECHANISM_SPECIFICS: Final = ("identifier", "quoted", "url", "reference", "named_artifact")
_CAUSE_SPECIFICS: Final = (
    "identifier", "quoted", "url", "reference", "named_artifact", "channel",
    "unit_quantity", "money", "percent", "metric",
)  # fmt: skip
_TIMELINE_SEGMENTS: Final = re.compile(r"\s+(?:—|–|-{1,2})\s+|\s*[—–]\s*")
_LAG_LABEL: Final = re.compile(
    r"^\W*(detection|response|escalation)\s+lag\b(?:\s*\(([^)]*)\))?\s*:?", re.IGNORECASE
)
_LAG_KINDS: Final = (
    ("detection", "lag_detection"),
    ("response", "lag_response"),
    ("escalation", "lag_escalation"),
)
_WORD: Final = re.compile(r"[A-Za-z][\w'-]*")


def _has_real_quantity(view: PhraseView, *, user_facing: bool, clock_times: bool = True) -> bool:
    for name in _QUANTITIES:
        if name == "time_with_zone" and not clock_times:
            continue
        if not view.has(name):
            continue
        if name == "count_quantity" and not _count_says_something(view):
            continue
        if name == "count_quantity" and user_facing and view.has("internal_quantity"):
            # "8 traces" counts for engineers only; look for another count beside it.
            internal = view.ruleset.patterns["internal_quantity"]
            counts = view.finditer(name)
            if any(not internal.match(m.group()) for m in counts):
                return True
            continue
        return True
    return False


_NOT_A_COUNT: Final = re.compile(r"^(?:(?:19|20)\d\d|\d{5,}|\d+\.\d+)\b")


def _count_says_something(view: PhraseView) -> bool:
    """A count in digits of something that is users or the failure: not "a few thousand
    users, roughly" (hedged, in words), "two graphs turned red" (an idle count), nor a year,
    an id or a version before a noun ("2020 tutorials", "2.2 builds")."""
    counts = [m.group() for m in view.finditer("count_quantity")]
    counts = [c for c in counts if not _NOT_A_COUNT.match(c)]
    if view.has("idle_count"):
        idle = view.ruleset.patterns["idle_count"]
        counts = [c for c in counts if not idle.search(c)]
    if view.has("hedged_count"):
        counts = [c for c in counts if any(ch.isdigit() for ch in c)]
    return bool(counts)


def _vague_hint(view: PhraseView) -> str:
    words = matched_texts(view, ("vague_words",))
    return f"only general words ({words})." if words else "say how many, how long, how much."


def classify_impact(view: PhraseView) -> Tagging:
    """Impact: named numbers in user terms (users, minutes, money, counts, rates)."""
    rs = view.ruleset
    if _has_real_quantity(view, user_facing=True):
        return concrete(rs, "concrete_quantity", found=matched_texts(view, _QUANTITIES))
    if view.has("internal_quantity"):
        return vague(rs, ("internal_count", {}))
    if view.has("number"):
        return vague(rs, ("bare_number", {}))
    return vague(rs, ("no_quantity", {"hint": _vague_hint(view)}))


def classify_what_broke(view: PhraseView) -> Tagging:
    """What broke: named numbers (SPECIFICITY.md); a mechanism without them is vague, and a
    clock time is when, not how much."""
    rs = view.ruleset
    if _has_real_quantity(view, user_facing=False, clock_times=False):
        return concrete(rs, "concrete_quantity", found=matched_texts(view, _QUANTITIES))
    # SPECIFICITY.md: what broke is concrete with named numbers; a mechanism without them
    # ("the `binder` pods were deleted") is real but says nothing about how much broke.
    if view.any_of(("identifier", "quoted")) or has_named_mechanism(view):
        found = matched_texts(view, ("identifier", "quoted")) or _mechanism_found(view)
        return vague(rs, ("mechanism_without_numbers", {"found": found}))
    if view.has("number"):
        return vague(rs, ("bare_number", {}))
    return vague(rs, ("no_mechanism", {"hint": ": " + _vague_hint(view).rstrip(".")}))


def _mechanism_found(view: PhraseView) -> str:
    nouns = [m.group() for m in view.finditer("mechanism_noun")]
    return ", ".join(dict.fromkeys(n.lower() for n in nouns[:4]))


def _generic_failure(view: PhraseView) -> bool:
    match = view.search("vague_words")
    return bool(
        match and match.group().lower() in {"a bug", "an issue", "issue", "issues", "something"}
    )


_WHY_SPECIFICS: Final = ("code_artifact", "limit_or_version", "named_artifact")
_WHY_QUANTITIES: Final = ("money", "percent", "unit_quantity")


def classify_why(view: PhraseView) -> Tagging:
    """Why: a mechanism naming the schema, config, code path, prompt or sampling setting.

    A count alone ("two major oversights") and a product name ("EthereumJS") name none.
    """
    rs = view.ruleset
    if view.any_of(_WHY_SPECIFICS) or view.any_of(_WHY_QUANTITIES):
        found = matched_texts(view, (*_WHY_SPECIFICS, *_WHY_QUANTITIES))
        return concrete(rs, "concrete_mechanism", found=found)
    if has_named_mechanism(view):
        return concrete(rs, "concrete_mechanism", found=_mechanism_found(view))
    hint = matched_texts(view, ("vague_words",))
    return vague(rs, ("no_mechanism", {"hint": f" (only: {hint})" if hint else ""}))


def classify_timeline(view: PhraseView) -> Tagging:
    """Timeline: ``HH:MM UTC — what happened — who did it``."""
    rs = view.ruleset
    zoned = view.search("time_with_zone")
    for code, name in (("vague_time", "time_vague"), ("approximate_time", "time_approximate")):
        match = view.search(name)
        # With an exact UTC time on the line, "mined roughly 30 minutes earlier" describes
        # something else; only a mark on the time itself ("~19:00", "0659 UTC (approx)") counts.
        if match and (zoned is None or _touches(match, zoned)):
            return vague(rs, (code, {"found": view.found(name)}))
    if zoned is None:
        if view.has("time_other_zone"):
            return vague(rs, ("other_zone", {"found": view.found("time_other_zone")}))
        if view.has("time_any"):
            return vague(rs, ("no_zone", {"found": view.found("time_any")}))
        return vague(rs, ("no_time", {}))
    rest = (view.text[: zoned.start()] + " " + view.text[zoned.end() :]).strip(" ,:;—–-*_()")
    segments = [s.strip(" ,:;*_()") for s in _TIMELINE_SEGMENTS.split(rest)]
    # Markdown emphasis and separators ("**04:02 UTC — ...**") are not the event.
    segments = [s for s in segments if _WORD.search(s)]
    event = segments[0] if segments else ""
    event_view = view.sub_view(event, scanned=False)
    problems: list[tuple[str, dict[str, str]]] = []
    if len(_WORD.findall(event)) < 2 or event_view.has("vague_event"):
        problems.append(("no_event", {}))
    if problems:
        return vague(rs, *problems)
    # SPECIFICITY.md: an actor is expected, but its absence alone does not demote the line.
    actor_named = len(segments) >= 2 or view.sub_view(rest, scanned=False).has("actor")
    tagging = concrete(rs, "concrete_timeline")
    if not actor_named:
        no_actor = rs.message("no_actor")
        tagging = Tagging(
            tagging.tag, (rs.message("concrete_timeline_no_actor").reason,), no_actor.suggestion
        )
    return tagging


def _touches(mark: re.Match[str], time: re.Match[str], gap: int = 12) -> bool:
    return mark.start() <= time.end() + gap and time.start() <= mark.end() + gap


def classify_kept_broken(view: PhraseView) -> Tagging:
    """What kept it broken: the lag kind (detection/response/escalation), its cause and minutes."""
    rs = view.ruleset
    label = _LAG_LABEL.match(view.text)
    if label:
        kind = label.group(1).lower()
        minutes = bool(label.group(2) and rs.patterns["unit_quantity"].search(label.group(2)))
        cause = view.sub_view(view.text[label.end() :].strip(" .:;—–-"))
        has_cause = bool(_WORD.search(cause.text))
    else:
        kind = next((k for k, name in _LAG_KINDS if view.has(name)), "")
        minutes = view.has("unit_quantity")
        cause = view
        # Without a "Detection lag:" label, a negation alone is the lag itself ("we didn't
        # notice for a while"), not its cause.
        marker = view.search("cause_marker")
        has_cause = marker is not None and not _only_negation(view)
    if not kind:
        return vague(rs, ("no_lag_kind", {}))
    fields = {"kind": kind, "Kind": kind.capitalize()}
    if not has_cause:
        return vague(rs, ("no_cause", fields))
    if not cause.any_of(_CAUSE_SPECIFICS) and not has_named_mechanism(cause):
        hint = (
            matched_texts(cause, ("vague_cause", "vague_words"))
            or "no named alert, runbook, pager or eval"
        )
        return vague(rs, ("vague_cause", {**fields, "hint": hint}))
    found = matched_texts(cause, _CAUSE_SPECIFICS) or _mechanism_found(cause)
    tagging = concrete(rs, "concrete_lag", kind=kind, found=found)
    if not minutes:
        tagging = Tagging(
            tagging.tag, tagging.reasons, rs.message("lag_without_minutes", **fields).suggestion
        )
    return tagging


_NEGATION: Final = re.compile(r"n't\b|\bnot\b|\bno\b|\bnever\b", re.IGNORECASE)


def _only_negation(view: PhraseView) -> bool:
    markers = view.findall_text("cause_marker")
    return all(_NEGATION.fullmatch(m.strip()) for m in markers)


def change_kind(view: PhraseView) -> str:
    """eval, runbook, alert or code: which shape of change a phrase describes."""
    for kind, name in (
        ("eval", "change_eval"),
        ("runbook", "change_runbook"),
        ("alert", "change_alert"),
    ):
        if view.has(name):
            return kind
    return "code"


def reference_is_described(view: PhraseView) -> bool:
    reference = view.search("reference")
    if reference is None:
        return False
    description = view.text[: reference.start()] + " " + view.text[reference.end() :]
    return len(_WORD.findall(description)) >= 3 and not view.sub_view(
        description, scanned=False
    ).has("vague_description")


def classify_changes(view: PhraseView) -> Tagging:
    """Specific changes: PR/ticket/link, eval case, runbook section, or a complete alert."""
    rs = view.ruleset
    desc = strip_owner_and_date(view)
    kind = change_kind(desc)
    # An alert written in any syntax ("page #db-oncall when lag exceeds 30s for 5m") is one.
    looks_like_alert = desc.has("metric") and desc.has("threshold") and desc.has("channel")
    if (kind == "alert" or looks_like_alert) and not desc.has("change_eval"):
        missing = [
            part for part in ("metric", "threshold", "window", "channel") if not desc.has(part)
        ]
        if not missing:
            return concrete(rs, "concrete_alert")
        if not reference_is_described(desc) or len(missing) < 4:
            return vague(rs, ("alert_incomplete", {"missing": _join(missing)}))
    if reference_is_described(desc) or _mergeable(desc, kind):
        found = matched_texts(
            desc, ("reference", "done_marker", "mergeable_artifact", "code_artifact", "identifier")
        )
        return concrete(rs, "concrete_change", found=found)
    if has_artifact_specifics(desc):
        # `permit()`, `Guaranteed` QoS: a named artifact, but nothing to merge yet.
        found = matched_texts(desc, ("identifier", "quoted", "url", "channel"))
        return vague(rs, ("artifact_not_mergeable", {"found": found}))
    if desc.has("reference"):
        return vague(rs, ("reference_with_vague_description", {"found": desc.found("reference")}))
    if kind == "eval":
        return vague(rs, ("eval_unspecific", {}))
    if kind == "runbook":
        return vague(rs, ("runbook_unspecific", {}))
    hint = matched_texts(desc, ("vague_description",))
    return vague(rs, ("change_unspecific", {"hint": f" ({hint})" if hint else ""}))


def _mergeable(view: PhraseView, kind: str) -> bool:
    """Something that merges or has merged: a done mark, a config value or file to change,
    or a runbook/eval item that quotes its command, case or section."""
    if view.has("done_marker") and not view.has("aspiration_lead"):
        return True
    if view.has("mergeable_artifact"):
        return True
    if view.has("shipped_change") and (has_artifact_specifics(view) or view.has("reference")):
        # "`prepareReturn` now checks totalDebt", "the deposit limit was raised to $10m":
        # a change already made to a named artifact.
        return True
    return kind in ("runbook", "eval") and view.any_of(("quoted", "identifier", "url", "threshold"))


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def classify_commitments(view: PhraseView) -> Tagging:
    """Improvement commitments: a specific change with a named owner and a real date."""
    rs = view.ruleset
    desc = strip_owner_and_date(view)
    problems: list[tuple[str, dict[str, str]]] = []
    specific = (
        desc.has("reference")
        or has_artifact_specifics(desc)
        or desc.has("named_artifact")
        # "Lower TTL to 60 s", "pool size 50 → 200": the target value names the change.
        or (desc.has("unit_quantity") and desc.has("mechanism_noun"))
    ) and not desc.has("vague_description")
    if not specific:
        hint = matched_texts(desc, ("vague_description",))
        problems.append(("commitment_unspecific", {"hint": f" ({hint})" if hint else ""}))
    owner = view.search("owner")
    owner_named = owner is not None and not (
        view.has("vague_owner") and not owner.group().startswith("@")
    )
    if not owner_named:
        problems.append(("no_owner", {}))
    if view.has("vague_date") and not view.has("date"):
        problems.append(("vague_date", {"found": view.found("vague_date")}))
    elif not view.has("date"):
        problems.append(("no_date", {}))
    if problems:
        return vague(rs, *problems)
    return concrete(rs, "concrete_commitment")


SECTION_RULES: dict[str, Callable[[PhraseView], Tagging]] = {
    "impact": classify_impact,
    "timeline": classify_timeline,
    "what_broke": classify_what_broke,
    "why": classify_why,
    "kept_broken": classify_kept_broken,
    "changes": classify_changes,
    "commitments": classify_commitments,
}
