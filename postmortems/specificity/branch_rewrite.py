"""Alternations of words regrouped by their first character, so Python's engine tries fewer.

``re`` tries the branches of an alternation one by one at every position it reaches. A lexicon
of 40 words behind ``\\b`` costs 40 branch tries at every word start of a phrase, although at
most the few words that start with the character there can match. ``factor_first_characters``
rewrites ``(?:forgot|forgotten|neglected|missed)`` as ``(?:f(?:orgot|orgotten)|neglected|missed)``:
one try per distinct first character, then the words that start with it.

The match is the same. Branches that start with different literal characters can never both
match at one position, so their order among each other does not matter; branches that share
one keep their order within its group, and the first of them that matches still wins. Only
branches that start with a plain literal character (not repeated) are regrouped, and only
among the neighbours that do too: a branch led by a class or a group stays where it is, and
nothing moves across it. Never in a pattern with capturing groups, whose numbers the
regrouping could move. A branch led by a group of a few alternatives, ``(?:did not|never)\\s+X``,
is first spread into one branch per alternative, ``did not\\s+X|never\\s+X``, which the engine
tries in the same order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lead_rewrite import _closing_paren, _unescaped, top_level_branches

_MIN_BRANCHES = 4  # fewer gain nothing worth the group
_MAX_SPREAD = 8  # a leading group of more alternatives is not spread (its rest is copied each)
_QUANTIFIERS = frozenset("?*+{")
# Characters that stand for themselves unescaped (outside a class, without re.VERBOSE).
_PLAIN_MARKS = frozenset("_#@'\"/:,;!%&=<>~`- ")


@lru_cache(maxsize=4096)  # the same item is compiled for itself and in its alternations
def factor_first_characters(source: str, caseless: bool) -> str:
    """``source`` with each non-capturing group's branches grouped by first character (see
    above), or ``source`` itself when nothing can be. ``caseless``: the pattern is compiled
    with re.IGNORECASE, so "A" and "a" start the same branches."""
    try:
        return _rewrite(source, caseless)
    except ValueError:  # unbalanced, or a capturing group: as written
        return source


def compile_factored(source: str, flags: int) -> re.Pattern[str]:
    """``re.compile(source, flags)``, regrouped by first character; as written should the
    regrouped text not compile (it always has, but the rewrite must never cost a rule)."""
    factored = factor_first_characters(source, bool(flags & re.IGNORECASE))
    if factored != source:
        try:
            return re.compile(factored, flags)
        except re.error:
            pass
    return re.compile(source, flags)


def _rewrite(text: str, caseless: bool) -> str:
    """Every group of ``text`` rewritten inside, and its top level regrouped. ValueError for
    unbalanced parentheses or a capturing group."""
    out: list[str] = []
    last = 0
    depth = 0
    opened = 0
    for i, ch in _unescaped(text):
        if ch == "(":
            if not text.startswith("(?", i) or text.startswith("(?P<", i):
                raise ValueError("a capturing group")
            if depth == 0:
                opened = i
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise ValueError("unbalanced group")
            if depth == 0:
                opener = _opener(text, opened)
                out.append(text[last : opened + len(opener)])
                out.append(_rewrite(text[opened + len(opener) : i], caseless))
                out.append(")")
                last = i + 1
    if depth:
        raise ValueError("unbalanced group")
    out.append(text[last:])
    return _factor("".join(out), caseless)


def _opener(text: str, start: int) -> str:
    """The opening of the group at ``start``: "(", "(?:", "(?<!", "(?-i:", ..."""
    if not text.startswith("(?", start):
        return "("
    end = start + 2
    while end < len(text) and text[end] not in ":)=!<>":
        end += 1
    if text.startswith("<", end) and end + 1 < len(text) and text[end + 1] in "=!":
        end += 1  # a lookbehind "(?<=" / "(?<!"
    return text[start : end + 1]


def _factor(body: str, caseless: bool) -> str:
    """The top-level branches of ``body`` grouped by first character. A branch that does not
    start with a plain literal stays where it is, and so does the order of the runs of
    branches before and after it: only within a run are branches regrouped."""
    branches = top_level_branches(body)
    if branches is None or len(branches) < _MIN_BRANCHES:
        return body
    branches = [spread for branch in branches for spread in _distributed(branch)]
    parts: list[str] = []
    run: list[tuple[str, str]] = []  # (first character as written, branch)
    for branch in branches:
        first = _first_literal(branch)
        if first is None:
            parts.extend(_grouped(run, caseless))
            run = []
            parts.append(branch)
        else:
            run.append((first, branch))
    parts.extend(_grouped(run, caseless))
    rewritten = "|".join(parts)
    return body if len(parts) == len(branches) else rewritten


def _first_literal(branch: str) -> str | None:
    """How ``branch`` writes the one character it must start with ("a", "\\*", "_"), or None
    when it does not start with a single literal character (a class, a group, a repeated
    character, an anchor, an escape sequence that is not a plain character)."""
    if branch.startswith("\\"):
        first = branch[:2]
        if len(first) < 2 or not first[1].isascii() or first[1].isalnum() or first[1] == "\\":
            return None
    else:
        first = branch[:1]
        if not first.isascii() or not (first.isalnum() or first in _PLAIN_MARKS):
            return None
    return None if branch[len(first) : len(first) + 1] in _QUANTIFIERS else first


def _grouped(run: list[tuple[str, str]], caseless: bool) -> list[str]:
    """The branches of a run grouped by first character (order of first appearance), each
    group's branches in their order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for first, branch in run:
        groups.setdefault(first[-1].lower() if caseless else first[-1], []).append((first, branch))
    parts = []
    for members in groups.values():
        if len(members) == 1:
            parts.append(members[0][1])
        elif len({first for first, _ in members}) > 1:
            # Caseless, "A..." and "a..." share the group; each keeps its own first letter.
            parts.append("(?:" + "|".join(branch for _, branch in members) + ")")
        else:
            first = members[0][0]
            rests = "|".join(branch[len(first) :] for _, branch in members)
            parts.append(f"{first}(?:{rests})")
    return parts


def _distributed(branch: str) -> list[str]:
    """A branch led by a group of alternatives, ``(?:a|b)rest``, as ``arest`` and ``brest``:
    tried in the same order (all of ``a`` then ``rest`` before ``b``), and each then led by a
    literal it can be grouped on. Any other branch as it is."""
    if not branch.startswith("(?:"):
        return [branch]
    end = _closing_paren(branch, 0)
    if end is None or branch[end + 1 : end + 2] in _QUANTIFIERS:
        return [branch]
    inner = top_level_branches(branch[3:end])
    if inner is None or len(inner) > _MAX_SPREAD:
        return [branch]
    rest = branch[end + 1 :]
    return [f"{alternative}{rest}" for alternative in inner]
