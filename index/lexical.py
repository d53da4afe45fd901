"""BM25 over the stored chunks, kept in step with the store change by change.

Two fields per chunk: English or Spanish stems without stop words, and word prefixes ('cognates',
so 'constitución' and 'constitution' meet across languages). Scores follow bm25s's Lucene variant
(k1 1.5, b 0.75), the library this index used to be built with; bm25s cannot add or remove a
document without re-indexing everything (52–59 s and 4 GB at 100k chunks), so the postings live in
segments here, as in Lucene: each ingest batch becomes a small immutable segment, deleted or
replaced articles are marked dead, and segments of similar size are merged (each posting is merged
about log4(n) times). Document frequencies and lengths are read from the live postings at query
time, so adding or removing an article costs in proportion to the article.

The index also holds the registry row of every article it covers (title, date, source …): the
catalog `stats` and the newest corpus year are read from, without reading the store. It is saved
beside the store with the commit time (`stamp`) of the newest article it holds; a process that
loads it catches up with the store's change feed (`index.sync`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import re
import shutil
import threading
import time
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_SPANISH

from index.records import Chunk

STEMMER_NAMES = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese", "de": "german", "it": "italian"}
STOPWORDS = {"en": frozenset(STOPWORDS_EN), "es": frozenset(STOPWORDS_SPANISH)}
_TOKEN = re.compile(r"\w+", re.UNICODE)
COGNATE_PREFIX = 4
"""Letters of a word kept for cross-language matching; 4 beat 5 and 6 on XQuAD-dev (bench/retrieval.py)."""
K1, B = 1.5, 0.75
"""bm25s's defaults, kept so retrieval figures measured with bm25s carry over (tests compare the two)."""
MERGE_FACTOR = 4
MAX_MERGED_CHUNKS = 20_000
"""Segments stop merging at this size (as Lucene's largest merged segment): merging the whole index
while it grows held the old and the new postings at once, and left the freed memory in the heap. Building
bench/scale.py's 100k-chunk store, peak RSS went from 1,387 to 1,026 MB in the ingesting process
(+305 MB encoder child); the index then has 7 segments, and BM25 takes 2.7 instead of 2.1 ms a question."""
"""A segment is merged into the one before it once it holds a quarter of that one's chunks."""
FORMAT = 2
GARBAGE_AGE_SECONDS = 600
"""Unreferenced segment folders are removed after this long: another process may still be loading them."""


def _fold_char(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


_BEYOND_TABLE = re.compile("[\u3000-\U0010ffff]")


@cache
def _fold_table() -> dict[int, str]:
    """Accent folding of every character below U+3000 as a `str.translate` table (built once, ~20 ms)."""
    table = {}
    for code in range(0x80, 0x3000):
        folded = _fold_char(chr(code))
        if folded != chr(code):
            table[code] = folded
    return table


def fold_accents(text: str) -> str:
    """'Unión' -> 'Union': names match whichever way an outlet spelled them.

    A translate table, not a loop over characters: answering folds ~120 passages per question.
    """
    folded = text.translate(_fold_table())
    if folded.isascii() or not _BEYOND_TABLE.search(folded):
        return folded
    return "".join(_fold_char(ch) for ch in folded)


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


def content_words(text: str, language: str) -> list[str]:
    """The distinct lower-cased words of `text` that are not stop words of `language`, in order."""
    stop = STOPWORDS.get(language, frozenset())
    return [w for w in dict.fromkeys(_TOKEN.findall(text.lower())) if w not in stop]


def cognate_tokens(text: str, language: str) -> list[str]:
    """First letters of the content words (stop words of `language`, short words and numbers removed)."""
    stop = STOPWORDS.get(language, frozenset())
    return [
        fold_accents(w)[:COGNATE_PREFIX]
        for w in _TOKEN.findall(text.lower())
        if len(w) >= COGNATE_PREFIX and w not in stop and not w.isdigit()
    ]


FIELDS = {"stems": tokenize, "cognates": cognate_tokens}


@dataclass(frozen=True)
class Postings:
    """One field of a segment as an inverted index: term -> (local chunk rows, term frequencies)."""

    terms: list[str]
    indptr: np.ndarray
    rows: np.ndarray
    tf: np.ndarray
    lengths: np.ndarray
    """Tokens per chunk (1 for a chunk without any, as bm25s counts its placeholder token)."""
    lookup: dict[str, int] = field(repr=False, compare=False)

    @classmethod
    def build(cls, token_lists: Sequence[Sequence[str]]) -> Postings:
        vocab: dict[str, int] = {}
        term_ids = [vocab.setdefault(t, len(vocab)) for tokens in token_lists for t in tokens]
        counts = np.fromiter((len(tokens) for tokens in token_lists), dtype=np.int64, count=len(token_lists))
        rows = np.repeat(np.arange(len(token_lists), dtype=np.int64), counts)
        return cls.from_pairs(list(vocab), np.asarray(term_ids, dtype=np.int64), rows, None, np.maximum(counts, 1))

    @classmethod
    def from_pairs(
        cls, terms: list[str], term_ids: np.ndarray, rows: np.ndarray, tf: np.ndarray | None, lengths: np.ndarray
    ) -> Postings:
        """From (term id, row[, tf]) pairs in any order; repeated pairs add up."""
        n_rows = max(len(lengths), 1)
        key = term_ids * n_rows + rows
        if tf is None:
            key, tf = np.unique(key, return_counts=True)
        else:
            order = np.argsort(key, kind="stable")
            key, tf = key[order], tf[order]
        indptr = np.searchsorted(key // n_rows, np.arange(len(terms) + 1)).astype(np.int64)
        return cls(
            terms=terms,
            indptr=indptr,
            rows=(key % n_rows).astype(np.int32),
            tf=np.asarray(tf, dtype=np.float32),
            lengths=np.asarray(lengths, dtype=np.float32),
            lookup={t: i for i, t in enumerate(terms)},
        )

    def find(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        column = self.lookup.get(term)
        if column is None:
            return None
        start, stop = self.indptr[column], self.indptr[column + 1]
        return self.rows[start:stop], self.tf[start:stop]

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(term id, row) of every posting, in storage order."""
        return np.repeat(np.arange(len(self.terms), dtype=np.int64), np.diff(self.indptr)), self.rows.astype(np.int64)

    def save(self, directory: Path, prefix: str) -> None:
        (directory / f"{prefix}_terms.json").write_text(json.dumps(self.terms, ensure_ascii=False), encoding="utf-8")
        for name in ("indptr", "rows", "tf", "lengths"):
            np.save(directory / f"{prefix}_{name}.npy", getattr(self, name))

    @classmethod
    def load(cls, directory: Path, prefix: str) -> Postings:
        terms = json.loads((directory / f"{prefix}_terms.json").read_text(encoding="utf-8"))
        arrays = {
            name: np.load(directory / f"{prefix}_{name}.npy", mmap_mode="r")
            for name in ("indptr", "rows", "tf", "lengths")
        }
        return cls(terms=terms, lookup={t: i for i, t in enumerate(terms)}, **arrays)


class Segment:
    """An immutable batch of articles: their registry rows, their chunks and both fields' postings."""

    def __init__(
        self,
        docs: list[dict[str, Any]],
        chunk_ids: list[str],
        chunk_docs: np.ndarray,
        languages: list[str],
        fields: dict[str, Postings],
        name: str = "",
    ) -> None:
        self.docs = docs
        self.chunk_ids = chunk_ids
        self.chunk_docs = np.asarray(chunk_docs, dtype=np.int32)
        """Index into `docs` of each chunk's article."""
        self.languages = languages
        self.fields = fields
        self.name = name
        """Folder name once saved."""
        self.keys = [doc_key(row) for row in docs]
        order = np.argsort(self.chunk_docs, kind="stable")
        bounds = np.searchsorted(self.chunk_docs[order], np.arange(len(docs) + 1))
        self.doc_rows = [order[bounds[i] : bounds[i + 1]] for i in range(len(docs))]
        """Local chunk rows of each article."""

    def __len__(self) -> int:
        return len(self.chunk_ids)

    @classmethod
    def build(cls, docs: Sequence[tuple[Mapping[str, Any], Sequence[Chunk]]]) -> Segment:
        rows, chunk_ids, chunk_docs, languages, texts = [], [], [], [], []
        for i, (row, chunks) in enumerate(docs):
            rows.append(dict(row))
            for chunk in chunks:
                chunk_ids.append(chunk.id)
                chunk_docs.append(i)
                languages.append(chunk.language or "")
                texts.append(chunk.text)
        return cls(
            docs=rows,
            chunk_ids=chunk_ids,
            chunk_docs=np.asarray(chunk_docs, dtype=np.int32),
            languages=languages,
            fields={
                name: Postings.build([tokens(t, lang) for t, lang in zip(texts, languages, strict=True)])
                for name, tokens in FIELDS.items()
            },
        )

    @classmethod
    def merge(cls, segments: Sequence[Segment], dead: frozenset[str] | set[str]) -> Segment:
        """One segment holding the live articles of `segments`."""
        docs: list[dict[str, Any]] = []
        chunk_ids: list[str] = []
        chunk_docs: list[np.ndarray] = []
        languages: list[str] = []
        row_maps, keeps = [], []
        for segment in segments:
            live_docs = [i for i, key in enumerate(segment.keys) if key not in dead]
            doc_map = np.full(len(segment.docs), -1, dtype=np.int64)
            doc_map[live_docs] = np.arange(len(docs), len(docs) + len(live_docs))
            docs += [segment.docs[i] for i in live_docs]
            mapped = doc_map[segment.chunk_docs]
            keep = mapped >= 0
            row_map = np.full(len(segment), -1, dtype=np.int64)
            row_map[keep] = np.arange(int(keep.sum())) + len(chunk_ids)
            row_maps.append(row_map)
            keeps.append(keep)
            chunk_ids += [cid for cid, k in zip(segment.chunk_ids, keep.tolist(), strict=True) if k]
            languages += [lang for lang, k in zip(segment.languages, keep.tolist(), strict=True) if k]
            chunk_docs.append(mapped[keep])
        fields = {}
        for name in FIELDS:
            vocab: dict[str, int] = {}
            all_terms, all_rows, all_tf, lengths = [], [], [], []
            for segment, row_map, keep in zip(segments, row_maps, keeps, strict=True):
                postings = segment.fields[name]
                term_map = np.fromiter(
                    (vocab.setdefault(t, len(vocab)) for t in postings.terms), dtype=np.int64, count=len(postings.terms)
                )
                term_ids, rows = postings.pairs()
                new_rows = row_map[rows]
                live = new_rows >= 0
                all_terms.append(term_map[term_ids[live]])
                all_rows.append(new_rows[live])
                all_tf.append(np.asarray(postings.tf)[live])
                lengths.append(np.asarray(postings.lengths)[keep])
            fields[name] = Postings.from_pairs(
                list(vocab),
                np.concatenate(all_terms),
                np.concatenate(all_rows),
                np.concatenate(all_tf),
                np.concatenate(lengths),
            )
        return cls(docs, chunk_ids, np.concatenate(chunk_docs), languages, fields)

    def save(self, parent: Path) -> str:
        """Write to a fresh folder under `parent` (complete before it gets its final name); returns the name."""
        name = f"seg-{uuid.uuid4().hex[:12]}"
        staging = parent / f"tmp-{name}"
        staging.mkdir(parents=True)
        (staging / "docs.json").write_text(json.dumps(self.docs, ensure_ascii=False), encoding="utf-8")
        chunks = {"ids": self.chunk_ids, "languages": self.languages}
        (staging / "chunks.json").write_text(json.dumps(chunks, ensure_ascii=False), encoding="utf-8")
        np.save(staging / "chunk_docs.npy", self.chunk_docs)
        for field_name, postings in self.fields.items():
            postings.save(staging, field_name)
        staging.rename(parent / name)
        self.name = name
        return name

    @classmethod
    def load(cls, directory: Path) -> Segment:
        chunks = json.loads((directory / "chunks.json").read_text(encoding="utf-8"))
        return cls(
            docs=json.loads((directory / "docs.json").read_text(encoding="utf-8")),
            chunk_ids=chunks["ids"],
            chunk_docs=np.load(directory / "chunk_docs.npy"),
            languages=chunks["languages"],
            fields={name: Postings.load(directory, name) for name in FIELDS},
            name=directory.name,
        )


_UNSET = object()


class _Versions(Mapping[str, str]):
    """Article id -> version over the live registry rows."""

    def __init__(self, docs: Mapping[str, Mapping[str, Any]]) -> None:
        self._docs = docs

    def __getitem__(self, doc_id: str) -> str:
        return self._docs[doc_id].get("version", "")

    def __iter__(self):
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)


def doc_key(row: Mapping[str, Any]) -> str:
    """One commit of an article (id, version, commit time): what a dead mark names."""
    return f"{row['id']}\x1f{row.get('version', '')}\x1f{row.get('ts', 0)}"


@dataclass(frozen=True)
class _State:
    """Everything a query reads. A change makes a new one (copying arrays, not re-deriving them), so a
    concurrent query keeps reading one consistent version."""

    segments: tuple[Segment, ...] = ()
    offsets: tuple[int, ...] = (0,)
    dead: frozenset[str] = frozenset()
    stamp: int = 0
    ids: list[str] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)
    languages: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="U8"))
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    lengths: dict[str, np.ndarray] = field(default_factory=lambda: {n: np.zeros(0, np.float32) for n in FIELDS})
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Live registry rows by article id."""
    doc_positions: dict[str, np.ndarray] = field(default_factory=dict)
    """Positions of each live article's chunks."""
    newest_year: Any = field(default=None, compare=False)
    """Filled on first use (see `LexicalIndex.newest_year`)."""
    masks: Any = field(default=None, compare=False)
    """Filled on first use (see `language_masks`)."""
    field_stats: Any = field(default=None, compare=False)
    """Filled on first use (see `live_stats`)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "newest_year", _UNSET)
        object.__setattr__(self, "masks", None)
        object.__setattr__(self, "field_stats", {})

    def live_stats(self, field_name: str) -> tuple[int, float]:
        """(live chunks, their mean length in `field_name`), made once per state: every query term needs
        them, and counting the live chunks again per term was almost half of BM25 scoring at 100k chunks."""
        if field_name not in self.field_stats:
            n_live = int(self.alive.sum())
            average = float(self.lengths[field_name][self.alive].mean()) if n_live else 0.0
            self.field_stats[field_name] = (n_live, average)
        return self.field_stats[field_name]

    def language_masks(self) -> dict[str, np.ndarray]:
        """Each language's chunks as a boolean mask, made once per state. A question reads them three
        times; comparing every chunk's language string each time took ~15 % of retrieval at 100k chunks
        under 50 concurrent web askers (py-spy)."""
        if self.masks is None:
            codes, inverse = np.unique(self.languages, return_inverse=True)
            object.__setattr__(self, "masks", {str(code): inverse == i for i, code in enumerate(codes)})
        return self.masks

    def in_language(self, language: str) -> np.ndarray:
        masks = self.language_masks()
        return masks[language] if language in masks else np.zeros(len(self.ids), dtype=bool)

    @classmethod
    def of(cls, segments: Sequence[Segment], dead: Iterable[str], stamp: int) -> _State:
        """Derived from scratch (a load)."""
        state = cls(dead=frozenset(dead), stamp=stamp)
        for segment in segments:
            state = state.appending(segment)
        return state

    def appending(self, segment: Segment) -> _State:
        """With `segment` added at the end (its articles live unless marked dead)."""
        offset = len(self.ids)
        live = np.array([key not in self.dead for key in segment.keys], dtype=bool)
        docs = dict(self.docs)
        doc_positions = dict(self.doc_positions)
        for i, row in enumerate(segment.docs):
            if live[i]:
                docs[row["id"]] = row
                doc_positions[row["id"]] = segment.doc_rows[i] + offset
        positions = dict(self.positions)
        positions.update(zip(segment.chunk_ids, range(offset, offset + len(segment)), strict=True))
        return replace(
            self,
            segments=(*self.segments, segment),
            offsets=(*self.offsets, offset + len(segment)),
            ids=self.ids + segment.chunk_ids,
            positions=positions,
            languages=np.concatenate([self.languages, np.array(segment.languages, dtype="U8")]),
            alive=np.concatenate([self.alive, live[segment.chunk_docs] if len(segment) else np.zeros(0, bool)]),
            lengths={n: np.concatenate([self.lengths[n], np.asarray(segment.fields[n].lengths)]) for n in FIELDS},
            docs=docs,
            doc_positions=doc_positions,
        )

    def killing(self, doc_ids: Iterable[str]) -> _State:
        """With these articles dead (ids not held are ignored)."""
        doomed = [doc_id for doc_id in dict.fromkeys(doc_ids) if doc_id in self.docs]
        if not doomed:
            return self
        alive = self.alive.copy()
        docs = dict(self.docs)
        doc_positions = dict(self.doc_positions)
        dead = set(self.dead)
        for doc_id in doomed:
            dead.add(doc_key(docs.pop(doc_id)))
            alive[doc_positions.pop(doc_id)] = False
        return replace(self, alive=alive, docs=docs, doc_positions=doc_positions, dead=frozenset(dead))

    def truncated(self, keep: int) -> _State:
        """Only the first `keep` segments (their dead marks and positions unchanged)."""
        cut = self.offsets[keep]
        dropped = self.segments[keep:]
        docs = dict(self.docs)
        doc_positions = dict(self.doc_positions)
        positions = dict(self.positions)
        dead = set(self.dead)
        for segment in dropped:
            for row, key in zip(segment.docs, segment.keys, strict=True):
                if key in dead:
                    dead.discard(key)
                elif docs.get(row["id"]) is row:
                    del docs[row["id"]]
                    del doc_positions[row["id"]]
            for chunk_id in segment.chunk_ids:
                positions.pop(chunk_id, None)
        return replace(
            self,
            segments=self.segments[:keep],
            offsets=self.offsets[: keep + 1],
            dead=frozenset(dead),
            ids=self.ids[:cut],
            positions=positions,
            languages=self.languages[:cut],
            alive=self.alive[:cut],
            lengths={n: self.lengths[n][:cut] for n in FIELDS},
            docs=docs,
            doc_positions=doc_positions,
        )


class LexicalIndex:
    """BM25 over the live chunks plus the registry rows of their articles, saved in `directory`."""

    MANIFEST = "manifest.json"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._state = _State()
        self._update = threading.RLock()
        self._load()

    # -- what it holds ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self._state.alive.sum())

    @property
    def stamp(self) -> int:
        """Commit time (ns) of the newest change this index holds; 0 when it must be built."""
        return self._state.stamp

    def documents(self) -> list[dict[str, Any]]:
        """Registry rows of the articles held, as the store had them."""
        return list(self._state.docs.values())

    def versions(self) -> Mapping[str, str]:
        """Current version of every article held, by id (a view: no copy per question)."""
        return _Versions(self._state.docs)

    def newest_year(self) -> int | None:
        """The latest year an article is dated with; kept per index version, not recomputed per question."""
        state = self._state
        if state.newest_year is _UNSET:
            years = [int(row["date"][:4]) for row in state.docs.values() if str(row.get("date", ""))[:4].isdigit()]
            object.__setattr__(state, "newest_year", max(years) if years else None)
        return state.newest_year

    def version_of(self, doc_id: str) -> str | None:
        row = self._state.docs.get(doc_id)
        return None if row is None else row.get("version", "")

    def article(self, doc_id: str) -> Mapping[str, Any] | None:
        """The registry row of a live article (title, date, source, version, ...)."""
        return self._state.docs.get(doc_id)

    def chunk_language(self, chunk_id: str) -> str | None:
        """The language of a chunk held, as detected when it was stored."""
        state = self._state
        position = state.positions.get(chunk_id)
        return None if position is None else str(state.languages[position])

    def chunk_ids(self) -> set[str]:
        state = self._state
        return {state.ids[i] for i in np.flatnonzero(state.alive)}

    # -- changes ----------------------------------------------------------------------------------
    def apply(
        self,
        upserts: Sequence[tuple[Mapping[str, Any], Sequence[Chunk]]],
        deletions: Iterable[str] = (),
        stamp: int | None = None,
    ) -> None:
        """Replace or add these articles (registry row with 'id', and its chunks), drop `deletions`."""
        latest = list({row["id"]: (row, chunks) for row, chunks in upserts}.values())  # one per article
        with self._update:
            state = self._state.killing([*deletions, *(row["id"] for row, _ in latest)])
            if latest:
                state = state.appending(Segment.build(latest))
            state = _merged(state)
            self._state = replace(state, stamp=max(state.stamp, stamp or 0))

    def reset(self, stamp: int = 0) -> None:
        """Forget everything (before a rebuild)."""
        with self._update:
            self._state = _State(stamp=stamp)

    def set_stamp(self, stamp: int) -> None:
        with self._update:
            self._state = replace(self._state, stamp=max(self._state.stamp, stamp))

    # -- persistence ------------------------------------------------------------------------------
    def save(self) -> None:
        """Write new segments and the manifest (atomically); unreferenced old segments go later."""
        with self._update, self._directory_lock():
            state = self._state
            self.directory.mkdir(parents=True, exist_ok=True)
            names = [
                s.name if s.name and (self.directory / s.name).is_dir() else s.save(self.directory)
                for s in state.segments
            ]
            manifest = {"format": FORMAT, "stamp": state.stamp, "segments": names, "dead": sorted(state.dead)}
            staging = self.directory / f"{self.MANIFEST}.{os.getpid()}.tmp"
            staging.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
            os.replace(staging, self.directory / self.MANIFEST)
            self._collect_garbage(set(names))

    def _load(self) -> None:
        manifest_file = self.directory / self.MANIFEST
        if not manifest_file.is_file():
            return
        try:
            manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT:
                return
            segments = [Segment.load(self.directory / name) for name in manifest["segments"]]
        except (OSError, ValueError, KeyError):
            return  # a damaged or half-removed cache: the caller rebuilds from the store
        self._state = _State.of(segments, manifest["dead"], int(manifest["stamp"]))

    def _collect_garbage(self, keep: set[str]) -> None:
        cutoff = time.time() - GARBAGE_AGE_SECONDS
        for entry in self.directory.iterdir():
            stale = entry.name.startswith(("seg-", "tmp-seg-")) and entry.name not in keep
            if stale and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)

    @contextlib.contextmanager
    def _directory_lock(self):
        """Several processes may save one cache; they take turns."""
        self.directory.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)

    # -- scores -----------------------------------------------------------------------------------
    def _term(self, state: _State, field_name: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(positions, BM25 of `term`) over the live chunks holding it."""
        positions, frequencies = [], []
        for segment, offset in zip(state.segments, state.offsets, strict=False):
            found = segment.fields[field_name].find(term)
            if found is None:
                continue
            rows, tf = found
            where = rows.astype(np.int64) + offset
            live = state.alive[where]
            positions.append(where[live])
            frequencies.append(np.asarray(tf)[live])
        if not positions:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        where, tf = np.concatenate(positions), np.concatenate(frequencies)
        n_live, average = state.live_stats(field_name)
        if where.size == 0 or n_live == 0:
            return where, tf
        lengths = state.lengths[field_name]
        idf = math.log(1 + (n_live - where.size + 0.5) / (where.size + 0.5))
        scores = idf * tf / (K1 * ((1 - B) + B * lengths[where] / average) + tf)
        return where, scores.astype(np.float32)

    def scores(self, query: str, language: str) -> np.ndarray:
        """BM25 of every chunk, in the order of `ids`, as a share of the best score the query could get.

        Each chunk is scored with the query's words stemmed in the chunk's own language (stemmers
        differ; names and numbers then still match). The best score is summed over the query's
        content words, each at its best in any language: 'Mezquital' that only Spanish chunks hold
        still counts, so an English chunk sharing just 'water' with the question stays low and
        cannot outrank the Spanish article that names the place.
        """
        state = self._state
        total = np.zeros(len(state.ids), dtype=np.float32)
        if not state.alive.any():
            return total
        words = content_words(query, language)
        best_per_word = np.zeros(len(words), dtype=np.float32)
        for chunk_language in sorted({*state.language_masks(), language}):
            mask = state.in_language(chunk_language)
            if not mask.any():
                continue
            seen: set[str] = set()
            for i, term in enumerate(stem_words(words, chunk_language)):
                if not term or term in seen:  # two words with one stem must not count twice
                    continue
                seen.add(term)
                where, term_scores = self._term(state, "stems", term)
                in_language = mask[where]
                if not in_language.any():
                    continue
                total[where[in_language]] += term_scores[in_language]
                best_per_word[i] = max(best_per_word[i], float(term_scores[in_language].max()))
        ideal = float(best_per_word.sum())
        return np.minimum(1.0, total / ideal) if ideal > 0 else total

    def cognate_scores(self, query: str, language: str) -> np.ndarray:
        """BM25 over word prefixes of the query (content words of `language`), for chunks in other
        languages, as a share of the best score the query could get (each prefix at its best in any
        chunk: a chunk holding only the question's names must not reach a full share).

        The stemmed index matches only names and numbers across languages; prefixes also match
        cognates ('constitución', 'constitution'). A share, like `scores`, so a passage in another
        language that holds the question's prefixes competes on equal terms with one in the
        question's language that holds its stems.
        """
        state = self._state
        total = np.zeros(len(state.ids), dtype=np.float32)
        other = ~state.in_language(language)
        ideal = 0.0
        for token in dict.fromkeys(cognate_tokens(query, language)):
            where, term_scores = self._term(state, "cognates", token)
            if not where.size:
                continue
            ideal += float(term_scores.max())  # at its best in any language, as in `scores`
            elsewhere = other[where]
            total[where[elsewhere]] += term_scores[elsewhere]
        return np.minimum(1.0, total / ideal) if ideal > 0 else total

    def translated_scores(
        self,
        groups: Sequence[Sequence[str]],
        language: str,
        source: str | None = None,
        name_words: frozenset[str] = frozenset(),
    ) -> np.ndarray:
        """BM25 of the chunks in `language` for a question given as groups of words in that language (each
        a question word and its translations, `bot.translation`), as a share of the best score the question
        could get: a chunk scores each group by its best word, so three translations of one word count once.
        Chunks in other languages score 0.

        The best score counts each group at its best in `language` or, for the question's own word (a group's
        first), in `source`, the question's language, as `scores` counts each word at its best in any
        language: a word none of whose translations a chunk holds still counts, so a chunk sharing only the
        question's year cannot reach a full share ('Who won the 2019 Tour de France?' against a Spanish
        budget for 2019). A word of a name the question gives (`name_words`, accent-folded) that no chunk
        holds in either language counts as the rarest word would (`_unseen_term_score`): the corpus lacks
        what it names. Only names: a common word the stop words miss ('who', 'after') is absent only from a
        small corpus, and would count against every passage there."""
        state = self._state
        total = np.zeros(len(state.ids), dtype=np.float32)
        in_language = state.in_language(language)
        if not (state.alive & in_language).any():
            return total
        in_source = state.in_language(source) if source is not None else None
        ideal = 0.0
        for group in groups:
            best = np.zeros(len(state.ids), dtype=np.float32)
            for term in dict.fromkeys(t for t in stem_words([w.lower() for w in group], language) if t):
                where, term_scores = self._term(state, "stems", term)
                keep = in_language[where]
                np.maximum.at(best, where[keep], term_scores[keep])
            found = float(best.max())
            if in_source is not None and group and (term := stem_words([group[0].lower()], source)[0]):
                where, term_scores = self._term(state, "stems", term)
                found = max(found, float(term_scores[in_source[where]].max(initial=0.0)))
                if not found and fold_accents(group[0].lower()) in name_words:
                    found = _unseen_term_score(state)
            ideal += found
            total += best
        return np.minimum(1.0, total / ideal) if ideal > 0 else total

    def mentions(self, phrase: str, language: str) -> bool | None:
        """Whether some chunk in `language` holds every word of `phrase` (None: no chunk is in `language`)."""
        state = self._state
        in_language = state.alive & state.in_language(language)
        if not in_language.any():
            return None
        found = in_language
        for term in {t for t in stem_words(_TOKEN.findall(phrase.lower()), language) if t}:
            where, _ = self._term(state, "stems", term)
            holding = np.zeros(len(state.ids), dtype=bool)
            holding[where] = True
            found = found & holding
            if not found.any():
                return False
        return True

    def top(self, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k best chunk ids by `scores` (from `scores()`), zero scores left out."""
        ids = self._state.ids
        if scores.size == 0 or k <= 0:
            return []
        k = min(k, scores.size)
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best])]
        return [(ids[i], float(scores[i])) for i in best if scores[i] > 0 and i < len(ids)]

    def score_of(self, scores: np.ndarray, chunk_id: str) -> float:
        position = self._state.positions.get(chunk_id)
        return float(scores[position]) if position is not None and position < scores.size else 0.0


def _unseen_term_score(state: _State) -> float:
    """BM25 of a term no chunk holds, as if one chunk of average length held it once: what a question word
    the corpus lacks in every language would add to the best score a chunk could get."""
    n_live, _ = state.live_stats("stems")
    return math.log(1 + (n_live + 0.5) / 0.5) / (K1 + 1)


def _merged(state: _State) -> _State:
    """Merge the newest segments while the newest holds at least 1/MERGE_FACTOR of the one before,
    and everything once dead chunks are a third of the index."""
    segments = state.segments
    total = len(state.ids)
    if len(segments) > 1 and (total - int(state.alive.sum())) * 3 > total:
        return _State.of([Segment.merge(segments, state.dead)], (), state.stamp)
    first, size = len(segments) - 1, len(segments[-1]) if segments else 0
    while (
        first > 0
        and size * MERGE_FACTOR >= len(segments[first - 1])
        and size + len(segments[first - 1]) <= MAX_MERGED_CHUNKS
    ):
        first -= 1
        size += len(segments[first])
    if first >= len(segments) - 1:
        return state
    return state.truncated(first).appending(Segment.merge(segments[first:], state.dead))
