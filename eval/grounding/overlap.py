"""Content-word overlap between a claim and a passage span: stemmed, accent-folded, negation-aware."""

from __future__ import annotations

from dataclasses import dataclass

import Stemmer

from eval.grounding.numbers import NUMBER_WORDS
from eval.grounding.text import fold, guess_language, vocabulary, words

_STOP_EN = vocabulary(
    "a about above after again against all also am an and any are as at be because been before being"
    " below between both but by can could did do does doing down during each few for from further had"
    " has have having he her here hers herself him himself his how i if in into is it its itself just"
    " me more most my myself of off on once only or other our ours ourselves out over own same she"
    " should so some such than that the their theirs them themselves then there these they this those"
    " through to too under until up very was we were what when where which while who whom why will"
    " with would you your yours yourself yourselves said says say told tell according also us may"
    " might must shall 's s t"
)
_STOP_ES = vocabulary(
    "a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el"
    " ella ellas ellos en entre era eran es esa esas ese eso esos esta estaba estaban estado estan"
    " estar este esto estos fue fueron ha habia han hasta hay la las le les lo los mas me mi mis muy"
    " nos nosotros o os otra otras otro otros para pero poco por porque que quien quienes se sea segun"
    " ser si sido siendo sobre son su sus tambien tan tanto te tiene tienen todo todos tras tu tus un"
    " una uno unos unas y ya yo dijo dice afirmo explico"
)
STOP_WORDS = frozenset(_STOP_EN + _STOP_ES)
# Words that flip a statement's polarity ("n't" is matched as a suffix).
NEGATIONS = frozenset(vocabulary("not no never without nor cannot nunca jamas sin ni tampoco ningun ninguno ninguna"))
_STEMMERS = {"en": "english", "es": "spanish"}


@dataclass(frozen=True)
class Term:
    """A content word: its stem, its surface form and where it sits in the text it came from."""

    stem: str
    word: str
    start: int
    end: int


def is_negation(folded_word: str) -> bool:
    return folded_word in NEGATIONS or folded_word.endswith("n't")


class LexicalMatcher:
    """Stems content words with PyStemmer (en/es) so "killed"/"kill" or "policías"/"policia" match."""

    def __init__(self) -> None:
        self._stemmers = {lang: Stemmer.Stemmer(name) for lang, name in _STEMMERS.items()}

    def terms(self, text: str, language: str | None = None) -> list[Term]:
        """Content words of `text` in order, stop words and negations removed."""
        lang = language or guess_language(text)
        if lang not in self._stemmers:
            raise ValueError(f"unsupported language {lang!r}; expected one of {sorted(self._stemmers)}")
        kept = [(t, t.folded) for t in words(text)]
        kept = [(t, f) for t, f in kept if len(f) > 1 and not self._is_function_word(f)]
        stems = self._stemmers[lang].stemWords([f for _, f in kept])
        return [Term(s, t.text, t.start, t.end) for (t, _), s in zip(kept, stems, strict=True)]

    @staticmethod
    def _is_function_word(folded: str) -> bool:
        return folded in STOP_WORDS or folded in NUMBER_WORDS or is_negation(folded)

    @staticmethod
    def negated(text: str) -> bool:
        """Whether `text` carries a negation cue (en: not, never, n't, without; es: no, nunca, sin, ni...)."""
        return any(is_negation(fold(t.text)) for t in words(text))
