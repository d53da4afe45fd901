"""Language-independent clues shared by a question and a passage: names and numbers.

A Spanish question and an English article share 'Riquelme', 'Coahuila' and '21' even when no
other word matches, so these clues carry retrieval across languages where BM25 cannot.
"""

from __future__ import annotations

import re

from index.lexical import fold_accents

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CAPITALIZED = re.compile(r"\b[A-ZÁÉÍÓÚÑ][\wáéíóúñü'-]+")
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
    """Numbers and capitalised words (not sentence-initial function words), accent-folded and lower-cased."""
    found = {n.replace(",", "").replace(".", "") for n in _NUMBER.findall(text)}
    for word in _CAPITALIZED.findall(text):
        folded = fold_accents(word).lower()
        if folded not in _COMMON_CAPITALIZED and len(folded) > 2:
            found.add(folded)
    return found


def clue_overlap(question_clues: set[str], passage: str) -> float:
    """Share of the question's clues that the passage contains (0 when the question has none)."""
    if not question_clues:
        return 0.0
    folded = fold_accents(passage).lower()
    digits = {n.replace(",", "").replace(".", "") for n in _NUMBER.findall(passage)}
    hits = sum(1 for clue in question_clues if (clue in digits if clue.isdigit() else clue in folded))
    return hits / len(question_clues)
