"""BERT uncased WordPiece tokenisation in pure Python (the vocabulary of all-MiniLM-L6-v2).

Lower-case, strip accents, split on whitespace and punctuation, then greedy longest-match
sub-words with the "##" continuation prefix; words longer than 100 characters become [UNK].
Memoised per word: postmortems repeat the same few thousand words.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def _is_punctuation(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def basic_words(text: str) -> list[str]:
    """Lower-cased, accent-stripped words and single punctuation marks."""
    text = unicodedata.normalize("NFD", text.lower())
    out, current = [], []
    for ch in text:
        if unicodedata.category(ch) == "Mn":
            continue
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            if current:
                out.append("".join(current))
                current = []
        elif _is_punctuation(ch):
            if current:
                out.append("".join(current))
                current = []
            out.append(ch)
        else:
            current.append(ch)
    if current:
        out.append("".join(current))
    return out


class WordPiece:
    def __init__(self, vocabulary: list[str]):
        self.index = {token: i for i, token in enumerate(vocabulary)}
        self.unknown = self.index["[UNK]"]
        self.pieces = lru_cache(maxsize=100_000)(self._pieces)

    def _pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > 100:
            return (self.unknown,)
        out, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.index:
                    found = self.index[piece]
                    break
                end -= 1
            if found is None:
                return (self.unknown,)
            out.append(found)
            start = end
        return tuple(out)

    def ids(self, text: str) -> list[int]:
        return [i for word in basic_words(text) for i in self.pieces(word)]
