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
    after before during desde hasta tras under with for from by since into con para sin sobre""".split()
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
        for n, words in enumerate(name_parts(match.group())):
            if n == 0 and _SENTENCE_START.search(text[: match.start()]):
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


_POSSESSIVE_END = re.compile(r"(?<=\w)['’]s?$")


def name_parts(run: str) -> list[list[str]]:
    """A run of capitalised words as names, each a list of accent-folded lower-case words: a possessive ends
    a name ("Bernie Ebbers' WorldCom" is two), and quotes or dashes at a word's edges are not part of it
    ("la 'Casa Blanca'", "Ecuador- el"). Without this the question's own name, kept as "ebbers'", did not
    match "Ebbers" in a sentence, which then counted as naming someone else."""
    parts: list[list[str]] = [[]]
    for raw in fold_accents(run).lower().split():
        word = raw.strip("'’-")
        possessive = bool(_POSSESSIVE_END.search(raw.rstrip("-")))
        word = _POSSESSIVE_END.sub("", word) if possessive else word
        if word:
            parts[-1].append(word)
        if possessive and parts[-1]:
            parts.append([])
    return [words for words in parts if words]


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


NEAR_PREFIX = 4
"""Letters two spellings of a name must share at the start ('Panther' / 'Panthers', 'Kenyans' / 'Kenya')."""
ACRONYM_LETTERS = (2, 5)
"""Lengths at which a one-word name may be the initials of a passage's name ('UMC': United Methodist Church)."""


def loosely_named(question_names: set[str], passage: str) -> bool:
    """Does the passage mention any of the question's names, allowing for how askers write them?

    For refusing on names only: 'names absent' must not fire on a misspelling ('Percy Shelly'), another
    form ('Bronco' / 'Broncos', 'Southern Californian'), a name run into the next one ('Kublai Chinese')
    or initials ('UMC'). Held-out XQuAD-dev showed these as most false refusals (bench/answerability.py).
    Its words are needed as in `_name_found`, each spelled loosely: all of a name of one or two words
    ('Villa Unión' is not 'Unión Europea'), most of a longer one."""
    folded, words, _ = _prepared(passage)
    capitalised = [w for w in words if w != "~"]
    for name in question_names:
        if _name_found(name, folded, words):
            return True
        parts = [p for p in _WORD.findall(name) if len(p) > 2 and p not in _COMMON_CAPITALIZED]
        if not parts:
            continue
        found = sum(any(_same_name_word(part, word) for word in capitalised) for part in parts)
        if found == len(parts) or (len(parts) >= 3 and found >= (len(parts) + 2) // 2):  # as `_name_found`
            return True
        acronym = len(parts) == 1 and ACRONYM_LETTERS[0] <= len(parts[0]) <= ACRONYM_LETTERS[1]
        if acronym and parts[0] in _initials(passage, len(parts[0])):
            return True
    return False


def _same_name_word(asked: str, written: str) -> bool:
    if asked == written:
        return True
    shortest = min(len(asked), len(written))
    shared = next((i for i, (a, b) in enumerate(zip(asked, written, strict=False)) if a != b), shortest)
    if shared >= NEAR_PREFIX and shared >= shortest - 1:
        return True
    return shortest >= 5 and _one_edit_apart(asked, written)


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter inserted, deleted, replaced, or two neighbours swapped ('Geegen' / 'Gegeen')."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])


@lru_cache(maxsize=8192)
def _initials(passage: str, letters: int) -> frozenset[str]:
    """The initials of every run of `letters` capitalised words in the passage ('of' and 'de' may sit
    between them, as in 'Bank of England')."""
    found = set()
    for match in _CAPITALIZED_RUN.finditer(fold_accents(passage)):
        heads = [w[0].lower() for w in match.group().split() if w[0].isupper()]
        found.update("".join(heads[i : i + letters]) for i in range(len(heads) - letters + 1))
    return frozenset(found)


_CAPITALIZED_RUN = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:(?:of|de|del|the|la|y|and)\s+)?[A-Z][\w'-]*)*")
