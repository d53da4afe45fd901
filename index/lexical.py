"""BM25 over the stored chunks with English and Spanish stemming and stop words (bm25s + PyStemmer).

A second BM25 index over word prefixes ('cognates') lets a question match passages in the other
language: 'constitución' and 'constitution', 'universidad' and 'university' share their first letters.
Both are persisted beside the store and rebuilt on ingest and delete, so a start only loads them.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_SPANISH

STEMMER_NAMES = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese", "de": "german", "it": "italian"}
STOPWORDS = {"en": frozenset(STOPWORDS_EN), "es": frozenset(STOPWORDS_SPANISH)}
_TOKEN = re.compile(r"\w+", re.UNICODE)
COGNATE_PREFIX = 4
"""Letters of a word kept for cross-language matching; 4 beat 5 and 6 on XQuAD-dev (bench/retrieval.py)."""


def fold_accents(text: str) -> str:
    """'Unión' -> 'Union': names match whichever way an outlet spelled them."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@cache
def _stemmer(language: str) -> Stemmer.Stemmer | None:
    name = STEMMER_NAMES.get(language)
    return Stemmer.Stemmer(name) if name else None


def stem_words(words: list[str], language: str) -> list[str | None]:
    """Each lower-cased word as indexed in `language`: stemmed, accents folded; None for its stop words."""
    stop = STOPWORDS.get(language, frozenset())
    stemmer = _stemmer(language)
    stems = stemmer.stemWords(words) if stemmer is not None else words
    return [None if word in stop else fold_accents(stem) for word, stem in zip(words, stems, strict=True)]


def tokenize(text: str, language: str) -> list[str]:
    """Lower-cased, stop words of `language` removed, stemmed in `language`, accents folded."""
    return [term for term in stem_words(_TOKEN.findall(text.lower()), language) if term is not None]


def cognate_tokens(text: str, language: str) -> list[str]:
    """First letters of the content words (stop words of `language`, short words and numbers removed)."""
    stop = STOPWORDS.get(language, frozenset())
    return [
        fold_accents(w)[:COGNATE_PREFIX]
        for w in _TOKEN.findall(text.lower())
        if len(w) >= COGNATE_PREFIX and w not in stop and not w.isdigit()
    ]


class LexicalIndex:
    """A BM25 index of chunk ids, saved in `directory` (index files plus the id list)."""

    IDS_FILE = "chunk_ids.json"
    LANGUAGES_FILE = "chunk_languages.json"
    COGNATES_DIR = "cognates"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._retriever: bm25s.BM25 | None = None
        self._cognates: bm25s.BM25 | None = None
        self._ids: list[str] = []
        self._languages: np.ndarray = np.array([], dtype=object)
        self._positions: dict[str, int] = {}
        self._load()

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def complete(self) -> bool:
        """False when an index saved by an older newsbot lacks the cognate index (rebuild it)."""
        return self._retriever is None or self._cognates is not None

    def _load(self) -> None:
        ids_file = self.directory / self.IDS_FILE
        if not ids_file.is_file():
            return
        self._ids = json.loads(ids_file.read_text(encoding="utf-8"))
        languages_file = self.directory / self.LANGUAGES_FILE
        languages = json.loads(languages_file.read_text(encoding="utf-8")) if languages_file.is_file() else []
        self._languages = np.array(languages if len(languages) == len(self._ids) else [""] * len(self._ids))
        self._positions = {chunk_id: i for i, chunk_id in enumerate(self._ids)}
        self._retriever = bm25s.BM25.load(str(self.directory)) if self._ids else None
        cognates = self.directory / self.COGNATES_DIR
        self._cognates = bm25s.BM25.load(str(cognates)) if self._ids and cognates.is_dir() else None

    def rebuild(self, chunk_ids: Sequence[str], texts: Sequence[str], languages: Sequence[str]) -> None:
        """Index these chunks from scratch and save; writes to a side directory, then swaps it in."""
        staging = self.directory.with_name(self.directory.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        retriever = cognates = None
        if chunk_ids:
            retriever = bm25s.BM25()
            corpus = [tokenize(text, lang) or ["\x00"] for text, lang in zip(texts, languages, strict=True)]
            retriever.index(corpus, show_progress=False)
            retriever.save(str(staging))
            cognates = bm25s.BM25()
            corpus = [cognate_tokens(text, lang) or ["\x00"] for text, lang in zip(texts, languages, strict=True)]
            cognates.index(corpus, show_progress=False)
            cognates.save(str(staging / self.COGNATES_DIR))
        (staging / self.IDS_FILE).write_text(json.dumps(list(chunk_ids)), encoding="utf-8")
        (staging / self.LANGUAGES_FILE).write_text(json.dumps(list(languages)), encoding="utf-8")
        shutil.rmtree(self.directory, ignore_errors=True)
        staging.rename(self.directory)
        self._retriever = retriever
        self._cognates = cognates
        self._ids = list(chunk_ids)
        self._languages = np.array(list(languages))
        self._positions = {chunk_id: i for i, chunk_id in enumerate(self._ids)}

    def scores(self, query: str, language: str) -> np.ndarray:
        """BM25 of every chunk, in the order of `ids`, as a share of the best score the query could get.

        Each chunk is scored with the query's words stemmed in the chunk's own language (stemmers
        differ; names and numbers then still match). The best score is summed over the query's
        content words, each at its best in any language: 'Mezquital' that only Spanish chunks hold
        still counts, so an English chunk sharing just 'water' with the question stays low and
        cannot outrank the Spanish article that names the place.
        """
        total = np.zeros(len(self._ids), dtype=np.float32)
        if self._retriever is None:
            return total
        stop = STOPWORDS.get(language, frozenset())
        words = [w for w in dict.fromkeys(_TOKEN.findall(query.lower())) if w not in stop]
        best_per_word = np.zeros(len(words), dtype=np.float32)
        for chunk_language in {*self._languages.tolist(), language}:
            mask = self._languages == chunk_language
            if not mask.any():
                continue
            for i, term in enumerate(self._terms(words, chunk_language)):
                if term is None:
                    continue
                term_scores = np.asarray(self._retriever.get_scores([term]), dtype=np.float32)
                total[mask] += term_scores[mask]
                best_per_word[i] = max(best_per_word[i], float(term_scores[mask].max()))
        ideal = float(best_per_word.sum())
        return np.minimum(1.0, total / ideal) if ideal > 0 else total

    def _terms(self, words: list[str], language: str) -> list[str | None]:
        """Each word as the index knows it in `language` (None: a stop word there, or never seen)."""
        seen: set[str] = set()
        unique: list[str | None] = []
        for term in stem_words(words, language):  # two words with one stem must not count twice
            unique.append(term if term and term not in seen and term in self._retriever.vocab_dict else None)
            seen.add(term or "")
        return unique

    def cognate_scores(self, query: str, language: str) -> np.ndarray:
        """BM25 of every chunk over word prefixes of the query (content words of `language`).

        Meant for chunks in another language, where the stemmed index matches only names and
        numbers; the retriever scales it by the best such chunk.
        """
        if self._cognates is None:
            return np.zeros(len(self._ids), dtype=np.float32)
        tokens = [t for t in dict.fromkeys(cognate_tokens(query, language)) if t in self._cognates.vocab_dict]
        if not tokens:
            return np.zeros(len(self._ids), dtype=np.float32)
        return np.asarray(self._cognates.get_scores(tokens), dtype=np.float32)

    def top(self, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k best chunk ids by `scores` (from `scores()`), zero scores left out."""
        if scores.size == 0:
            return []
        k = min(k, scores.size)
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best])]
        return [(self._ids[i], float(scores[i])) for i in best if scores[i] > 0]

    def score_of(self, scores: np.ndarray, chunk_id: str) -> float:
        position = self._positions.get(chunk_id)
        return float(scores[position]) if position is not None and scores.size else 0.0
