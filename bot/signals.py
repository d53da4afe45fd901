"""Language-independent clues shared by a question and a passage: names and numbers.

A Spanish question and an English article share 'Riquelme', 'Coahuila' and '21' even when no
other word matches, so these clues carry retrieval across languages where BM25 cannot.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.lexical import fold_accents

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITALIZED = re.compile(r"\b[A-ZÁÉÍÓÚÑ][\wáéíóúñü'-]+(?:\s+[A-ZÁÉÍÓÚÑ][\wáéíóúñü'-]+)*")
_COMMON_CAPITALIZED = frozenset(
    """the a an in on at of and but or what who whom which when where why how is are was were did do does
    el la los las un una en de del y o que qué quién quien quiénes cuál cual cuándo cuando dónde donde por
    cómo como cuántos cuantos cuántas cuantas es son fue fueron hay según this that these those it its
    after before during desde hasta tras""".split()
)
"""Capitalised only because they start a question; never names."""
_SENTENCE_START = re.compile(r"(?:^|[.!?¿¡:\"“«(\[]\s*)$")
"""Text before a word that puts it at the start of a sentence."""
CALENDAR_WORDS = frozenset(
    """january february march april may june july august september october november december enero febrero
    marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre monday tuesday wednesday
    thursday friday saturday sunday lunes martes miercoles jueves viernes sabado domingo""".split()
)
"""Months and weekdays: dates, handled by the time-scope parser, not names of a story."""


def clues(text: str) -> set[str]:
    """Numbers and names, accent-folded and lower-cased; a run of capitalised words is one name
    ('Villa Unión' must match as a whole, not 'Villa' here and 'Unión Europea' there)."""
    found = {n.replace(",", "").replace(".", "") for n in _NUMBER.findall(text)}
    for match in _CAPITALIZED.finditer(text):
        words = fold_accents(re.sub(r"['’]s\b", "", match.group())).lower().split()
        if _SENTENCE_START.search(text[: match.start()]):
            if len(words) == 1:
                continue  # 'Evening visits doubled': capitalised by its place, not a name
            while words and words[0] in _COMMON_CAPITALIZED:
                words.pop(0)
        elif len(words) == 1 and words[0] in _COMMON_CAPITALIZED:
            continue
        name = " ".join(w for w in words if w not in CALENDAR_WORDS)
        if len(name) > 2:
            found.add(name)
    return found


def names(question_clues: set[str]) -> set[str]:
    """The clues that are names, not numbers."""
    return {clue for clue in question_clues if not clue.isdigit()}


def _name_found(name: str, folded: str, words: set[str]) -> bool:
    """A name counts as found when it stands whole, or when most of its words do
    ('Governor Miguel Ángel Riquelme' in a text saying 'Miguel Angel Riquelme'; but 'Villa Unión'
    needs the whole phrase, so 'Unión Europea' is no match)."""
    if " " + " ".join(_WORD.findall(name)) + " " in folded:
        return True
    parts = [part for part in name.split() if len(part) > 2 and part not in _COMMON_CAPITALIZED]
    if len(parts) < 3:
        return False
    return sum(part in words for part in parts) >= (len(parts) + 2) // 2


@lru_cache(maxsize=8192)
def _prepared(passage: str) -> tuple[str, frozenset[str], frozenset[str]]:
    """(the passage's capitalised words, folded and padded by spaces, the set of them, its numbers).

    Names are matched against capitalised words only: 'El Paso' is a city, 'el paso del huracán' is
    not. Cached: a question checks each candidate passage for its clues and again for its names, and
    questions about one story meet the same passages (120 candidates a question).
    """
    tokens = [t.lower() if t[0].isupper() else "~" for t in _WORD.findall(fold_accents(passage))]
    digits = frozenset(n.replace(",", "").replace(".", "") for n in _NUMBER.findall(passage))
    return f" {' '.join(tokens)} ", frozenset(tokens), digits  # whole words only: 'Oro' is not in 'Toros'


def clue_overlap(question_clues: set[str], passage: str) -> float:
    """Share of the question's clues that the passage contains (0 when the question has none)."""
    if not question_clues:
        return 0.0
    folded, words, digits = _prepared(passage)
    hits = sum(1 for clue in question_clues if (clue in digits if clue.isdigit() else _name_found(clue, folded, words)))
    return hits / len(question_clues)
