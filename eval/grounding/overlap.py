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
# A cue negates the first content word within this many words after it ("was not even killed").
NEGATION_SCOPE = 3
_STEMMERS = {"en": "english", "es": "spanish"}


@dataclass(frozen=True)
class Term:
    """A content word: its stem, and its surface form for evidence."""

    stem: str
    word: str


@dataclass(frozen=True)
class Analysed:
    """A sentence prepared once for every overlap measure."""

    stems: tuple[str, ...]  # every word stemmed, in order, for n-grams; numbers are left to NumberExtractor
    terms: tuple[Term, ...]  # content words only
    negated: frozenset[str]  # stems of content words under a negation ("not killed" -> {"kill"})


def is_negation(folded_word: str) -> bool:
    return folded_word in NEGATIONS or folded_word.endswith("n't")


class LexicalMatcher:
    """Stemmed n-gram and content-word precision of a claim against passage sentences.

    Precision, not recall: a grounded claim may leave most of a passage out, but what it says
    must come from the passage. Word n-grams catch claims stitched from unrelated sentences.
    """

    def __init__(self, ngram: int = 3, subject_weight: float = 3.0) -> None:
        if ngram < 1:
            raise ValueError("ngram must be >= 1")
        if subject_weight < 1.0:
            raise ValueError("subject_weight must be >= 1 (the subject counts at least as much as any word)")
        self.ngram = ngram
        self.subject_weight = subject_weight
        self._stemmers = {lang: Stemmer.Stemmer(name) for lang, name in _STEMMERS.items()}

    def analyse(self, text: str, language: str | None = None) -> Analysed:
        lang = language or guess_language(text)
        if lang not in self._stemmers:
            raise ValueError(f"unsupported language {lang!r}; expected one of {sorted(self._stemmers)}")
        tokens = [(t, t.folded) for t in words(text)]
        tokens = [(t, f) for t, f in tokens if f not in NUMBER_WORDS]
        stems = self._stemmers[lang].stemWords([f for _, f in tokens])
        terms: list[Term] = []
        negated: set[str] = set()
        scope = 0  # words left in which a negation cue still applies
        for (t, f), stem in zip(tokens, stems, strict=True):
            if is_negation(f):
                scope = NEGATION_SCOPE
            elif len(f) > 1 and f not in STOP_WORDS:
                terms.append(Term(stem, t.text))
                if scope:
                    negated.add(stem)
                scope = 0
            else:
                scope = max(scope - 1, 0)
        return Analysed(stems=tuple(stems), terms=tuple(terms), negated=frozenset(negated))

    def ngram_precision(self, claim: Analysed, sentences: list[Analysed]) -> float:
        """Share of the claim's word n-grams found within any one passage sentence."""
        n = min(self.ngram, len(claim.stems))
        if n == 0:
            return 0.0
        grams = _ngrams(claim.stems, n)
        available = set().union(*(_ngrams(s.stems, n) for s in sentences)) if sentences else set()
        return sum(g in available for g in grams) / len(grams)

    def content_precision(self, claim: Analysed, sentence: Analysed) -> float:
        """Share of the claim's content words in `sentence`; the first one, usually the subject, weighs more.

        A claim that takes a true predicate from one sentence and pins it on the wrong subject
        is the commonest unfaithful summary sentence.
        """
        if not claim.terms:
            return 0.0
        present = {t.stem for t in sentence.terms}
        weights = [self.subject_weight, *([1.0] * (len(claim.terms) - 1))]
        found = sum(w for t, w in zip(claim.terms, weights, strict=True) if t.stem in present)
        return found / sum(weights)

    @staticmethod
    def polarity_differs(claim: Analysed, sentence: Analysed) -> bool:
        """A word negated on one side appears un-negated on the other ("were not killed" vs "were killed").

        Only the negated word counts, so a passage sentence negating something the claim leaves out
        ("has not been fined ... and will be in the squad") does not count against the claim.
        """
        claim_stems = {t.stem for t in claim.terms}
        sentence_stems = {t.stem for t in sentence.terms}
        return any(s in sentence_stems and s not in sentence.negated for s in claim.negated) or any(
            s in claim_stems and s not in claim.negated for s in sentence.negated
        )

    @staticmethod
    def negated(text: str) -> bool:
        """Whether `text` carries a negation cue at all; for sentences in two languages, whose stems differ."""
        return any(is_negation(fold(t.text)) for t in words(text))


def _ngrams(seq: tuple[str, ...], n: int) -> list[tuple[str, ...]]:
    return [seq[i : i + n] for i in range(len(seq) - n + 1)]
