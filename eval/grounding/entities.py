"""Capitalized names ("Miguel Ángel Riquelme", "EE.UU.") a claim asserts, and whether a passage names them."""

from __future__ import annotations

from dataclasses import dataclass

from eval.grounding.numbers import MONTHS, NUMBER_WORDS
from eval.grounding.overlap import STOP_WORDS
from eval.grounding.text import Token, vocabulary, words

# Joiners inside one name: "Banco de España", "Bank of England".
_NAME_JOINERS = frozenset(vocabulary("de del la las los of the da do dos van von"))
# Titles carry no identity: "Gov. Riquelme" and "Riquelme" are the same person.
_TITLES = frozenset(
    vocabulary(
        "mr mrs ms dr dra prof sr sra srta don dona gov governor gobernador gobernadora president"
        " presidente presidenta sen senator senador senadora gen general rep mayor alcalde alcaldesa"
        " minister ministro ministra king rey queen reina pope papa chief jefe"
    )
)
_WEEKDAYS = frozenset(
    vocabulary(
        "monday tuesday wednesday thursday friday saturday sunday lunes martes miercoles jueves viernes sabado domingo"
    )
)
# The same place or body named in English and Spanish; a claim may use either for a passage in the other.
_ALIASES: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split("|"))
    for group in (
        "estados unidos|ee.uu.|eeuu|united states|u.s.|usa",
        "reino unido|united kingdom|u.k.|uk|britain|gran bretana",
        "union europea|ue|european union|eu",
        "naciones unidas|onu|united nations",
        "casa blanca|white house",
        "nueva york|new york",
        "londres|london",
        "espana|spain",
        "alemania|germany",
        "francia|france",
        "italia|italy",
        "rusia|russia",
        "japon|japan",
        "brasil|brazil",
    )
)


@dataclass(frozen=True)
class NameMention:
    """A name in a claim: its text, and the folded words a passage must contain."""

    label: str
    parts: tuple[str, ...]


class EntityExtractor:
    """Finds runs of capitalized words; a lone first word is skipped, as every sentence capitalizes it."""

    def mentions(self, sentence: str) -> list[NameMention]:
        tokens = words(sentence)
        runs: list[list[Token]] = []
        for i, tok in enumerate(tokens):
            gap = sentence[tokens[i - 1].end : tok.start] if i else ""
            joinable = i > 0 and runs and runs[-1][-1] is tokens[i - 1] and not gap.strip()
            if tok.text[0].isupper():
                if joinable or (runs and self._joined_by_joiner(runs[-1], tokens, i, sentence)):
                    runs[-1].append(tok)
                else:
                    runs.append([tok])
        out: list[NameMention] = []
        for run in runs:
            kept = [t for t in run if not self._is_filler(t.folded)]
            while kept and kept[-1].folded in _NAME_JOINERS:
                kept.pop()
            if not kept or (run[0] is tokens[0] and len(run) == 1 and not self._looks_special(run[0].text)):
                continue
            start, end = kept[0].start, kept[-1].end
            parts = tuple(t.folded for t in kept if t.folded not in _NAME_JOINERS)
            out.append(NameMention(label=sentence[start:end], parts=parts))
        return out

    @staticmethod
    def found_in(mention: NameMention, passage_words: str) -> bool:
        """All of the name's words occur in the passage, directly or through an EN/ES alias.

        `passage_words` is the passage's folded words joined by single spaces, padded with a space.
        """
        if all(f" {part} " in passage_words for part in mention.parts):
            return True
        label = " ".join(mention.parts)
        return any(label in group and any(f" {alias} " in passage_words for alias in group) for group in _ALIASES)

    @staticmethod
    def _joined_by_joiner(run: list[Token], tokens: list[Token], i: int, sentence: str) -> bool:
        """ "Banco de España": a lowercase joiner between two capitalized words keeps one name."""
        if i < 2 or run[-1] is not tokens[i - 2] or tokens[i - 1].folded not in _NAME_JOINERS:
            return False
        before, joiner, after = tokens[i - 2], tokens[i - 1], tokens[i]
        gaps = sentence[before.end : joiner.start] + sentence[joiner.end : after.start]
        return not gaps.strip() and joiner.text.islower()

    @staticmethod
    def _is_filler(word: str) -> bool:
        if word in STOP_WORDS and word not in _NAME_JOINERS:
            return True
        return word in _TITLES or word in MONTHS or word in NUMBER_WORDS or word in _WEEKDAYS

    @staticmethod
    def _looks_special(word: str) -> bool:
        """Acronyms and CamelCase ("FBI", "EE.UU.", "McDonald") are names even at the start of a sentence."""
        return any(ch.isupper() for ch in word[1:])
