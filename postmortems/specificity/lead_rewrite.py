"""Regexes rewritten to start with a character, so Python's engine can skip ahead to it.

Python's ``re`` searches fast when a pattern starts with a literal or a character class: it
scans for that character and tries a match only there. A pattern that starts with ``\\b`` or a
lookbehind gets no such prefix, and a full match attempt is made at every position of the
phrase; so does one that starts with a repeat (``\\d+``). Most of the checker's items start that
way (``\\b\\d+\\s+in\\s+\\d+\\b``, ``(?<![\\d:])(?:[01]?\\d|2[0-3]):...``), and most searches are
misses, which pay for every position.

``lead_with_consumer`` moves the leading zero-width assertions after the first character they
guard, where they test the same positions:

- ``\\bX`` becomes ``X(?<!\\wX)`` when X matches only word characters (a digit, a letter, ``\\d``,
  ``[a-z0-9]``), ``X(?<=\\wX)`` when it matches only other characters (``\\.``, ``#``);
- ``(?<!L)X`` becomes ``X(?<!(?:L)X)``, and ``(?<=L)X`` becomes ``X(?<=(?:L)X)``;
- a leading repeat ``X+`` / ``X{n,m}`` is split into ``X`` and ``X*`` / ``X{n-1,m-1}``;
- assertions before a group ``(?:a|b)`` go into each branch.

The match is the same (same start, same end, same groups) because the assertion still looks at
the characters before the match's start; only the order of the tests changes. Anything the
rewrite does not understand is left as it is (None).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

try:  # The parser is private; without it nothing is rewritten.
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Python versions
    sre_parse = sre_constants = None

_GROUP_OPENERS = ("(?:", "(?-i:", "(?i:")
_LOOKBEHINDS = ("(?<!", "(?<=")
_BAD_ESCAPES = set("0123456789xuUNpPAZbB")
_QUANTIFIER = re.compile(r"\+|\{(\d+)(?:(,)(\d*))?\}")

Prefix = tuple[str, str]  # ("b", "") for \b, ("<!", body) or ("<=", body) for a lookbehind


def lead_with_consumer(source: str) -> str | None:
    """``source`` with its leading assertions moved after its first character, or None.

    None too when the rewrite would not pay: a word boundary rejects most positions cheaply,
    so moving it behind letters that start many words ("(?:add|more|better|...)") makes the
    engine try more positions than before. The rewrite is kept when the pattern then starts
    with a run of two or more literal characters (the engine looks for the run), or with
    characters that start few positions of prose (digits, punctuation, rare letters).
    """
    if sre_parse is None:
        return None
    branches = top_level_branches(source)
    if branches is None or len(branches) > 1:
        return None  # "\\bfoo|\\bbar": the run would start one branch, not the pattern
    prefixes, rest = _peel([], source)
    if not prefixes:
        return None
    led = _lead(prefixes, rest)
    if led is None:
        return None
    rewritten, starts = led
    if starts != _LITERAL_RUN and _start_share(starts) > _MAX_START_SHARE:
        return None
    try:
        before, after = re.compile(source), re.compile(rewritten)
    except re.error:
        return None
    if (after.groups, after.groupindex) != (before.groups, before.groupindex):
        # A capturing group was copied (into two branches): numbers and groups() would move.
        return None
    return rewritten


# Share of the characters of English prose that are each letter (the rest: digits, spaces,
# punctuation). A pattern whose first characters cover more than _MAX_START_SHARE of a phrase
# is tried at more places than a word boundary lets through (about one character in six).
_LETTER_SHARE = dict(
    zip(
        "etaoinshrdlcumwfgypbvkjxqz",
        (
            0.102, 0.074, 0.066, 0.062, 0.058, 0.057, 0.053, 0.050, 0.049, 0.034, 0.033,
            0.023, 0.023, 0.020, 0.019, 0.018, 0.016, 0.016, 0.016, 0.012, 0.008, 0.006,
            0.001, 0.001, 0.001, 0.001,
        ),
        strict=True,
    )
)  # fmt: skip
_OTHER_SHARE = 0.005
_MAX_START_SHARE = 0.12
_LITERAL_RUN = "run"
_NO_LETTERS = "rare"
Starts = frozenset[str] | str


def _start_share(starts: Starts) -> float:
    if starts == _NO_LETTERS:
        return _OTHER_SHARE
    if isinstance(starts, str):
        return 1.0
    return sum(_LETTER_SHARE.get(ch.lower(), _OTHER_SHARE) for ch in starts)


def _peel(prefixes: list[Prefix], text: str) -> tuple[list[Prefix], str]:
    prefixes = list(prefixes)
    while True:
        if text.startswith("\\b"):
            prefixes.append(("b", ""))
            text = text[2:]
        elif text.startswith(_LOOKBEHINDS):
            end = _closing_paren(text, 0)
            if end is None:
                return prefixes, text
            prefixes.append((text[2:4], text[4:end]))
            text = text[end + 1 :]
        else:
            return prefixes, text


def _lead(prefixes: list[Prefix], text: str, top: bool = True) -> tuple[str, Starts] | None:
    """``text`` led by a consumer with ``prefixes`` moved behind it, and what it starts with:
    _LITERAL_RUN, _NO_LETTERS or the set of its first characters."""
    prefixes, text = _peel(prefixes, text)
    opener = next((o for o in _GROUP_OPENERS if text.startswith(o)), None)
    if opener is not None:
        end = _closing_paren(text, 0)
        if end is None:
            return None
        after = text[end + 1 :]
        if after[:1] in ("*", "+", "?", "{"):
            return None
        branches = top_level_branches(text[len(opener) : end])
        if branches is None:
            return None
        tried = [_lead(prefixes, branch, top=False) for branch in branches]
        led = [branch for branch in tried if branch is not None]
        if len(led) < len(tried):
            return None
        starts: set[str] = set()
        for _, branch_starts in led:
            if isinstance(branch_starts, str):
                if branch_starts != _NO_LETTERS:
                    return None
            else:
                starts |= branch_starts
        joined = opener + "|".join(branch for branch, _ in led) + ")" + after
        return joined, frozenset(starts) if starts else _NO_LETTERS
    atom_end = _atom_end(text)
    if atom_end is None:
        return None
    atom = text[:atom_end]
    tail = text[atom_end:]
    if tail[:1] in ("*", "?"):
        if tail[1:2] in ("?", "+"):
            return None  # lazy or possessive: the order of the tries would change
        # "X?rest" tries "Xrest" then "rest"; "X*rest" tries "X+rest" then "rest".
        rest = tail[1:]
        first = atom if tail[0] == "?" else atom + "+"
        return _lead(prefixes, f"(?:{first}{rest}|{rest})", top)
    run_end = _literal_run_end(text) if atom_end == 1 and _is_word(atom) else 0
    if run_end:
        # A run of plain characters ("cve-", "half an hour"): searched for whole. A first
        # character that is itself repeated ("s+") is no run: it goes the repeat's way below,
        # since an assertion put between it and its "+" would be what repeats.
        run = text[:run_end]
        checks = _all_shifted(prefixes, run, atom)
        if checks is None:
            return None
        run_starts = _LITERAL_RUN if top and len(run) >= 2 else frozenset({atom})
        return run + "".join(checks) + text[run_end:], run_starts
    checks = _all_shifted(prefixes, atom, atom)
    if checks is None:
        return None
    quantifier = _QUANTIFIER.match(tail)
    if quantifier is not None:
        lazy_or_possessive = tail[quantifier.end() : quantifier.end() + 1]
        if lazy_or_possessive == "+":
            return None
        remainder = _remaining_repeat(quantifier)
        if remainder is None:
            return None
        tail = atom + remainder + tail[quantifier.end() :]
    return atom + "".join(checks) + tail, _NO_LETTERS if _matches_no_letter(atom) else "letters"


def _all_shifted(prefixes: list[Prefix], text: str, atom: str) -> list[str] | None:
    """_shifted of every prefix, or None when one of them cannot be moved past ``text``."""
    checks = [_shifted(prefix, text, atom) for prefix in prefixes]
    shifted = [check for check in checks if check is not None]
    return shifted if len(shifted) == len(checks) else None


_RUN_CHAR = re.compile(r"[a-z0-9 '-]", re.IGNORECASE)


def _literal_run_end(text: str) -> int:
    """End of the run of plain characters at the start of ``text`` (0 for none); a character
    that a quantifier follows (the "s" of "days?") is not part of it."""
    end = 0
    while end < len(text) and _RUN_CHAR.fullmatch(text[end]):
        if text[end + 1 : end + 2] in ("*", "+", "?", "{"):
            break
        end += 1
    return end


def _matches_no_letter(atom: str) -> bool:
    try:
        regex = re.compile(atom, re.IGNORECASE)
    except re.error:
        return False
    return not any(regex.fullmatch(ch) for ch in "abcdefghijklmnopqrstuvwxyz")


def _remaining_repeat(quantifier: re.Match[str]) -> str | None:
    """The repeat left after taking one copy: ``+`` -> ``*``, ``{3}`` -> ``{2}``, ``{1,4}`` -> ``{0,3}``."""
    if quantifier.group() == "+":
        return "*"
    low = int(quantifier.group(1))
    if low < 1:
        return None
    if quantifier.group(2) is None:
        return f"{{{low - 1}}}"
    high = quantifier.group(3)
    return f"{{{low - 1},{int(high) - 1 if high else ''}}}"


def _shifted(prefix: Prefix, consumed: str, first: str) -> str | None:
    """``prefix`` tested after ``consumed`` (a regex of fixed width) whose first atom is ``first``."""
    kind, body = prefix
    if kind == "b":
        word = _word_kind(first)
        if word is None:
            return None
        return f"(?<!\\w{consumed})" if word else f"(?<=\\w{consumed})"
    return f"(?{kind}(?:{body}){consumed})"


def _atom_end(text: str) -> int | None:
    """End of the one-character atom at the start of ``text`` (a literal, an escape, a class)."""
    if not text:
        return None
    first = text[0]
    if first == "\\":
        if len(text) < 2 or text[1] in _BAD_ESCAPES:
            return None
        return 2
    if first == "[":
        return class_end(text, 0)
    if first in "()|*+?{}^$":
        return None
    return 1


def class_end(text: str, start: int) -> int | None:
    """Index just past the class "[...]" opened at ``start`` (a "]" right after "[" or "[^"
    is a member), or None when it is never closed."""
    i = start + 1
    if text[i : i + 1] == "^":
        i += 1
    if text[i : i + 1] == "]":
        i += 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "]":
            return i + 1
        i += 1
    return None


def _unescaped(text: str) -> Iterator[tuple[int, str]]:
    """Each character of ``text`` outside escapes and classes, with its index; a class that is
    never closed ends the scan with ValueError."""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            end = class_end(text, i)
            if end is None:
                raise ValueError("unterminated class")
            i = end
            continue
        yield i, ch
        i += 1


def _closing_paren(text: str, start: int) -> int | None:
    """Index of the parenthesis that closes the one opened at ``start``."""
    depth = 0
    try:
        for i, ch in _unescaped(text[start:]):
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return start + i
    except ValueError:
        return None
    return None


def top_level_branches(body: str) -> list[str] | None:
    """The alternatives of ``body`` split at each "|" outside groups and classes."""
    branches, depth, start = [], 0, 0
    try:
        for i, ch in _unescaped(body):
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "|" and depth == 0:
                branches.append(body[start:i])
                start = i + 1
    except ValueError:
        return None
    branches.append(body[start:])
    return branches


def _word_kind(atom: str) -> bool | None:
    """True when ``atom`` matches only word characters, False when only others, else None."""
    try:
        parsed = list(sre_parse.parse(atom))
    except re.error:
        return None
    if len(parsed) != 1:
        return None
    op, av = parsed[0]
    c = sre_constants
    if op is c.LITERAL:
        return _is_word(chr(av))
    if op is not c.IN:
        return None
    kinds = set()
    for member_op, member in av:
        if member_op is c.LITERAL:
            kinds.add(_is_word(chr(member)))
        elif member_op is c.RANGE:
            low, high = member
            if high - low > 0x3000:
                return None
            kinds.update(_is_word(chr(code)) for code in range(low, high + 1))
        elif member_op is c.CATEGORY and member in (c.CATEGORY_DIGIT, c.CATEGORY_WORD):
            kinds.add(True)
        elif member_op is c.CATEGORY and member in (c.CATEGORY_SPACE, c.CATEGORY_NOT_WORD):
            kinds.add(False)
        else:
            return None  # a negated class, \D, \S: both kinds
        if len(kinds) > 1:
            return None
    return kinds.pop() if len(kinds) == 1 else None


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
