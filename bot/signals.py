"""Language-independent clues shared by a question and a passage: names and numbers.

A Spanish question and an English article share 'Riquelme', 'Coahuila' and '21' even when no
other word matches, so these clues carry retrieval across languages where BM25 cannot.
"""

from __future__ import annotations

import re

from index.lexical import fold_accents

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITALIZED = re.compile(r"\b[A-ZÁÉÍÓÚÑ][\wáéíóúñü'-]+(?:\s+[A-ZÁÉÍÓÚÑ][\wáéíóúñü'-]+)*")
_COMMON_CAPITALIZED = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "of",
        "and",
        "but",
        "or",
        "what",
        "who",
        "whom",
        "which",
        "when",
        "where",
        "why",
        "how",
        "is",
        "are",
        "was",
        "were",
        "did",
        "do",
        "does",
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "en",
        "de",
        "del",
        "y",
        "o",
        "que",
        "qué",
        "quién",
        "quien",
        "quiénes",
        "cuál",
        "cual",
        "cuándo",
        "cuando",
        "dónde",
        "donde",
        "por",
        "cómo",
        "como",
        "cuántos",
        "cuantos",
        "cuántas",
        "cuantas",
        "es",
        "son",
        "fue",
        "fueron",
        "hay",
        "según",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "after",
        "before",
        "during",
        "desde",
        "hasta",
        "tras",
    ]
)


def clues(text: str) -> set[str]:
    """Numbers and names, accent-folded and lower-cased; a run of capitalised words is one name
    ('Villa Unión' must match as a whole, not 'Villa' here and 'Unión Europea' there)."""
    found = {n.replace(",", "").replace(".", "") for n in _NUMBER.findall(text)}
    for run in _CAPITALIZED.findall(text):
        words = fold_accents(run).lower().split()
        while words and words[0] in _COMMON_CAPITALIZED:
            words.pop(0)
        name = " ".join(words)
        if len(name) > 2:
            found.add(name)
    return found


def names(question_clues: set[str]) -> set[str]:
    """The clues that are names, not numbers."""
    return {clue for clue in question_clues if not clue.isdigit()}


def clue_overlap(question_clues: set[str], passage: str) -> float:
    """Share of the question's clues that the passage contains (0 when the question has none)."""
    if not question_clues:
        return 0.0
    folded = " ".join(fold_accents(passage).lower().split())
    digits = {n.replace(",", "").replace(".", "") for n in _NUMBER.findall(passage)}
    hits = sum(1 for clue in question_clues if (clue in digits if clue.isdigit() else clue in folded))
    return hits / len(question_clues)
