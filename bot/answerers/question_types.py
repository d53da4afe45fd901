"""What kind of fact a question asks for (who / how many / when / where), in English and Spanish.

The extractive answerer leads with the sentence that holds that kind of fact.
"""

from __future__ import annotations

import re
from typing import Literal

from eval.grounding.numbers import MONTHS, NUMBER_WORDS
from index.lexical import fold_accents

QuestionType = Literal["count", "person", "time", "place", "other"]

_PATTERNS: list[tuple[QuestionType, re.Pattern[str]]] = [
    (
        "count",
        re.compile(
            r"\b(how many|how much|what number|toll|cu[aá]nt[oa]s?|qu[eé] cantidad|cifra|"
            r"n[uú]mero de|balance)\b",
            re.I,
        ),
    ),
    (
        "person",
        re.compile(
            r"\b(who|whom|whose|qui[eé]n(es)?|a qui[eé]n|(which|what) (governor|official|president|"
            r"mayor|minister|leader|person|man|woman|spokes\w+)|qu[eé] (gobernador|funcionari[oa]|"
            r"president[ea]|alcalde|alcaldesa|ministr[oa]|l[ií]der|persona|vocero))\b",
            re.I,
        ),
    ),
    (
        "time",
        re.compile(
            r"\b(when|what (year|date|day|time)|cu[aá]ndo|qu[eé] (a[nñ]o|fecha|d[ií]a|hora)|"
            r"en qu[eé] (a[nñ]o|fecha))\b",
            re.I,
        ),
    ),
    (
        "place",
        re.compile(
            r"\b(where|d[oó]nde|ad[oó]nde|in which (town|city|country|state)|"
            r"en qu[eé] (ciudad|pa[ií]s|estado|lugar|municipio))\b",
            re.I,
        ),
    ),
]

TIME_WORDS = frozenset(MONTHS) | frozenset(
    """monday tuesday wednesday thursday friday saturday sunday yesterday today lunes martes miércoles jueves
    viernes sábado domingo ayer hoy century siglo""".split()
)
PERSON_WORDS = frozenset(
    """officer officers police policeman policemen gunmen gunman governor president mayor minister people
    civilians victims soldiers agents members leader spokesman spokeswoman he she they policía policías
    agentes pistoleros sicarios gobernador presidente alcalde ministro personas civiles víctimas soldados
    miembros líder vocero portavoz man men woman women children residents workers fishermen hombre hombres
    mujer mujeres niños vecinos trabajadores pescadores""".split()
)

_WORD = re.compile(r"\w+", re.UNICODE)
_DIGITS = re.compile(r"\d")
_INNER_CAPITAL = re.compile(r"(?<=\w[\s,])[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+")


def question_type(question: str) -> QuestionType:
    for kind, pattern in _PATTERNS:
        if pattern.search(question):
            return kind
    return "other"


def holds_fact_type(sentence: str, kind: QuestionType, question_names: frozenset[str] = frozenset()) -> bool:
    """Does the sentence contain the kind of fact asked for (a number, a name, a date, a place)?

    Capitalised words the question itself names ('Villa Unión' in 'who died in Villa Unión?', given
    lower-cased and accent-folded) are the topic, not an answer, so they do not count as a name.
    """
    if kind == "other":
        return False
    words = {w.lower() for w in _WORD.findall(sentence)}
    if kind == "count":
        return bool(_DIGITS.search(sentence) or words & NUMBER_WORDS)
    if kind == "time":
        return bool(re.search(r"\b(1[5-9]|20)\d\d\b", sentence) or words & TIME_WORDS)
    names = [
        m
        for m in _INNER_CAPITAL.findall(sentence)
        if fold_accents(m).lower() not in question_names and m.lower() not in TIME_WORDS
    ]
    if kind == "person":
        return bool(names or words & PERSON_WORDS)
    return bool(names)
