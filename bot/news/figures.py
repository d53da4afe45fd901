"""Figures in news sentences ("four police officers", "21 muertos", "the toll rose to 23"), by concept.

News revises its numbers: the Villa Unión toll was 14, then 21, 22, 23. To report that honestly the
bot must know that "21 muertos" and "at least 21 people were killed" state the same quantity, and
that "23 dead" revises it. A figure is a value tied to a concept (deaths, police, gunmen ...)
recognised from the words next to the number, in English or Spanish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eval.grounding.numbers import NumberExtractor
from index.lexical import fold_accents

CONCEPT_WORDS: dict[str, frozenset[str]] = {
    "deaths": frozenset(
        """dead deaths died die killed murdered fatalities bodies lives muertos muertas muerte muertes
        fallecidos fallecidas fallecio fallecieron murio murieron muere mueren asesinados asesinadas
        victimas decesos""".split()
    ),
    "police": frozenset("police policemen officers policias agentes elementos".split()),
    "gunmen": frozenset(
        """gunmen gunman attackers assailants suspects sicarios pistoleros agresores atacantes
        delincuentes integrantes""".split()
    ),
    "civilians": frozenset("civilians civilian civiles civil".split()),
    "vehicles": frozenset("vehicles trucks pickups vehiculos camionetas unidades".split()),
    "injured": frozenset("wounded injured heridos lesionados".split()),
}
"""Accent-folded words that name what a number counts."""

TOLL_CUES = frozenset("toll cifra balance recuento tally count saldo".split())
"""Words before a number that make it a death toll ('the toll rose to 21', 'la cifra subió a 22')."""
COUNT_CUES = frozenset("number numero total".split())
RISE_CUES = frozenset(
    """rose risen climbed reached increased stood subio ascendio aumento llego elevo
    asciende sube""".split()
)
"""With a deaths word before the number, these make it a toll too ('people killed has risen to 23')."""

AFTER_WINDOW = 3
BEFORE_WINDOW = 20
MAX_FIGURE = 100_000
_WORD = re.compile(r"\w+", re.UNICODE)
_numbers = NumberExtractor()


@dataclass(frozen=True)
class Figure:
    """One number in one sentence, with the concept it counts."""

    concept: str
    value: int
    sentence: str
    span: tuple[int, int]


def _concept_of(word: str) -> str | None:
    return next((concept for concept, words in CONCEPT_WORDS.items() if word in words), None)


def figures_in(sentence: str) -> list[Figure]:
    """The countable figures of a sentence; dates, years and unrelated numbers are left out."""
    found = []
    previous_end = 0
    for mention in _numbers.mentions(sentence):
        values = [int(k) for k in mention.keys if k.isdigit()]
        if not values or any(k.startswith("date:") for k in mention.keys):
            continue
        value = values[0]
        if value <= 0 or value > MAX_FIGURE or 1900 <= value <= 2100:
            continue
        window_start, previous_end = previous_end, mention.span[1]
        after = [fold_accents(w).lower() for w in _WORD.findall(sentence[mention.span[1] :])][:AFTER_WINDOW]
        # A toll cue belongs to the first number after it: stop looking back at the previous number.
        before_text = sentence[window_start : mention.span[0]]
        before = [fold_accents(w).lower() for w in _WORD.findall(before_text)][-BEFORE_WINDOW:]
        concept = next((c for c in map(_concept_of, after) if c), None)
        if concept is None and _states_a_toll(set(before)):
            concept = "deaths"
        if concept:
            found.append(Figure(concept, value, sentence, mention.span))
    return found


def _states_a_toll(before: set[str]) -> bool:
    if TOLL_CUES & before:
        return True
    return bool(before & CONCEPT_WORDS["deaths"] and before & (COUNT_CUES | RISE_CUES))


def asked_concept(question: str) -> str | None:
    """Which concept a question counts ('how many police died?' -> police; 'death toll' -> deaths)."""
    words = [fold_accents(w).lower() for w in _WORD.findall(question)]
    concepts = [c for c in map(_concept_of, words) if c]
    if TOLL_CUES & set(words):
        concepts.append("deaths")
    if not concepts:
        return None
    specific = [c for c in concepts if c != "deaths"]
    return specific[0] if specific else "deaths"
