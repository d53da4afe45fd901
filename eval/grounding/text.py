"""Shared text primitives: accent folding, word tokens with offsets, a cheap EN/ES language guess."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters (any script) with inner apostrophes ("n't", "o'brien"), or dotted acronyms ("EE.UU.", "U.S.").
_WORD = re.compile(r"(?:[^\W\d_]{1,3}\.){2,}|[^\W\d_]+(?:['’][^\W\d_]+)*")


def vocabulary(words_text: str) -> list[str]:
    """A whitespace-separated word list; keeps long vocabularies readable in source."""
    return words_text.split()


_SPANISH_MARKERS = frozenset(
    vocabulary(
        "el la los las del de que y en por para con una es se su al lo como pero más fue son han sus este esta"
        " según tras sobre entre también"
    )
)
_ENGLISH_MARKERS = frozenset(
    vocabulary(
        "the of and to in is was were for on with that by at from as are has have his her their it said"
        " after about this which"
    )
)


@dataclass(frozen=True)
class Token:
    """A word with its offsets in the original text, kept so evidence can point back into a passage."""

    text: str
    start: int
    end: int

    @property
    def folded(self) -> str:
        return fold(self.text)


def fold(text: str) -> str:
    """Lowercase and strip accents so "Ángel" matches "Angel" and "policías" matches "policias"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("’", "'")


def words(text: str) -> list[Token]:
    """Word tokens of `text` with character offsets (numbers and punctuation are skipped)."""
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def guess_language(text: str) -> str:
    """'es' or 'en' by counting frequent function words; enough to pick a stemmer and a stop list."""
    folded = [fold(t.text) for t in words(text)]
    spanish = sum(w in _SPANISH_MARKERS for w in folded) + 2 * sum(ch in "ñ¿¡" for ch in text.lower())
    english = sum(w in _ENGLISH_MARKERS for w in folded)
    return "es" if spanish > english else "en"
