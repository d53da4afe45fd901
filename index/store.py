"""ChromaDB storage of chunks and of a registry of article versions; the one source of truth.

Three collections share one name prefix:
- `<name>`: chunks (text and metadata, passage vector). Written with Chroma's own client, not
  llama-index's vector store, whose `_node_content` metadata repeats text and metadata in every row
  (which Chroma indexes again): that copy alone cost about 4 KB per chunk;
- `<name>__docs`: one row per article with its content hash, the time it was committed (`ts`, ns)
  and the process that wrote it. That row is the commit point of an update: chunks of any other
  version are invisible and swept, so a crash mid-ingest leaves every article fully old or fully new;
- `<name>__deleted`: one row per deleted article with the time of the deletion.
`ts` of the last two make a change feed: `changes_since` tells a process which articles another
process added, replaced or deleted, so derived indexes catch up instead of rebuilding.

Every read is paged (Chroma's SQLite rejects a statement with more than 32,766 variables, so an
unpaged `get()` fails past that many rows). Vectors are always passed explicitly, so Chroma's
default (downloading) embedding function never runs. Chroma failures surface as `StoreError`s; a
server that does not answer is retried a few times, then reported as `StoreUnavailableError`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import chromadb
import httpx
import numpy as np
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import DEFAULT_DATABASE, DEFAULT_TENANT
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError

from index.errors import InvalidRequestError, StoreError, StoreMissingError, StoreUnavailableError
from index.locking import setup_lock
from index.records import Article, Chunk
from index.sentence_vectors import (
    MetadataSentenceVectors,
    SentenceVectorStore,
    SqliteSentenceVectors,
    pack,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

REGISTRY_VECTOR = [1.0]
"""Chroma stores a vector with every row; registry rows are not searched, so a constant one will do."""
WRITE_BATCH = 2000
PAGE = 5000
"""Rows per paged read: far below SQLite's 32,766 variables, large enough that paging costs little."""
RETRY_DELAYS = (0.25, 1.0, 2.0)
"""Seconds between attempts when a Chroma server does not answer: rides out a restart of a few seconds."""
CHANGE_WINDOW_NS = 60_000_000_000
"""Server stores: a change is looked for this long before the newest one seen. Writers there commit
at once, so one commit can land after a later-stamped one, and hosts' clocks differ a little."""
EMBEDDED_CHANGE_WINDOW_NS = 2_000_000_000
"""Embedded stores have one writer at a time on one clock, so commits land in their order; two
seconds cover a clock stepped back by NTP."""
TEXT_KEY = "text"
"""The chunk text is metadata, not Chroma's document: Chroma's embedded store builds a trigram
full-text index of every document (3 KB a chunk, measured), which newsbot never queries; its BM25
lives in the lexical index. Chunks written before hold their text as the document, still read."""
PROCESS_TOKEN = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
"""Marks this process's commits, so a reader knows when another process changed the store."""


def date_number(date: str) -> int:
    """'2019-11-30' -> 20191130, so Chroma's numeric $gte/$lte can filter by date; 0 when unknown."""
    digits = date[:10].replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else 0


@dataclass(frozen=True)
class StoredChunk:
    """A chunk read back from the store, with the vector of each of its sentences when asked for."""

    chunk: Chunk
    vector: np.ndarray | None = None
    sentence_vectors: np.ndarray | None = None


@dataclass
class ChunkVectors:
    """A chunk's passage vector and the vectors of its sentences, read without its text."""

    doc_id: str
    vector: np.ndarray
    sentence_vectors: np.ndarray


@dataclass(frozen=True)
class Change:
    """One commit or deletion of an article, as the change feed reports it."""

    doc_id: str
    ts: int
    writer: str
    deleted: bool = False


@dataclass(frozen=True)
class ServerAccess:
    """Where in a Chroma server the store lives and how to authenticate: a self-hosted `chroma run` needs
    none of it; Chroma's hosted and distributed service needs all three."""

    tenant: str | None = None
    database: str | None = None
    api_key: str | None = None
    """Sent as Chroma's `x-chroma-token` header, as Chroma's own cloud client does."""


class _Connection:
    """One Chroma client per store in this process, shared by every `ChunkStore` on it.

    Two clients of one embedded store in one process would be two writers; sharing one also lets
    `reopen` refresh every user at once.
    """

    def __init__(self, store_dir: Path, server_url: str | None, access: ServerAccess | None = None) -> None:
        self.store_dir = Path(store_dir)
        self.server_url = server_url
        self.access = access or ServerAccess()
        self.lock = threading.RLock()
        self.client = self._open()

    def _open(self) -> chromadb.ClientAPI:
        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if self.server_url:
            parsed = urlparse(self.server_url)
            access = self.access
            if access.api_key:
                settings.chroma_client_auth_provider = "chromadb.auth.token_authn.TokenAuthClientProvider"
                settings.chroma_client_auth_credentials = access.api_key
                settings.chroma_auth_token_transport_header = "X-Chroma-Token"
                settings.chroma_overwrite_singleton_tenant_database_access_from_auth = True
            https = parsed.scheme == "https"
            try:
                return chromadb.HttpClient(
                    host=parsed.hostname,
                    port=parsed.port or (443 if https else 8000),
                    ssl=https,
                    settings=settings,
                    tenant=access.tenant or DEFAULT_TENANT,
                    database=access.database or DEFAULT_DATABASE,
                )
            except ValueError as error:  # Chroma's way of saying the heartbeat failed
                raise ConnectionError(str(error)) from error
        with setup_lock(self.store_dir):
            return chromadb.PersistentClient(path=str(self.store_dir / "chroma"), settings=settings)

    def reopen(self) -> bool:
        """Embedded: load what other processes wrote (Chroma keeps the vector index in memory).

        Skipped (False) while this process is writing: its own view is current then.
        """
        if self.server_url or not self.lock.acquire(blocking=False):
            return False
        try:
            identifier = self.client._identifier
            SharedSystemClient._identifier_to_system.pop(identifier, None)
            SharedSystemClient._identifier_to_refcount.pop(identifier, None)
            self.client = self._open()  # the old system is dropped with its last reference
            return True
        finally:
            self.lock.release()

    def file_stamp(self) -> tuple[int, ...] | None:
        """Size and mtime of the embedded SQLite files: unchanged means nobody wrote (None: server)."""
        if self.server_url:
            return None
        stamp: list[int] = []
        for name in ("chroma.sqlite3", "chroma.sqlite3-wal"):
            try:
                info = os.stat(self.store_dir / "chroma" / name)
                stamp += [info.st_size, info.st_mtime_ns]
            except FileNotFoundError:
                stamp += [0, 0]
        return tuple(stamp)


_CONNECTIONS: dict[tuple[str, str], _Connection] = {}
_CONNECTIONS_GUARD = threading.Lock()


def connect(store_dir: Path, server_url: str | None, access: ServerAccess | None = None) -> _Connection:
    """The shared connection to an embedded store in `store_dir`, or to a Chroma server (a database of it)."""
    access = access or ServerAccess()
    if server_url:
        parsed = urlparse(server_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise InvalidRequestError(f"chroma_url must look like http://host:port, got {server_url!r}")
        key: tuple[str, ...] = ("server", server_url.rstrip("/"), access.tenant or "", access.database or "")
    else:
        key = ("embedded", str(Path(store_dir).resolve()))
    with _CONNECTIONS_GUARD:
        if key not in _CONNECTIONS:
            _CONNECTIONS[key] = _guarded(server_url, "connect", lambda: _Connection(store_dir, server_url, access))
        return _CONNECTIONS[key]


def _guarded(server_url: str | None, what: str, call: Callable[[], T]) -> T:
    """Run a Chroma call; retry a server that does not answer, and turn failures into `StoreError`s."""
    for attempt in range(len(RETRY_DELAYS) + 1):
        try:
            return call()
        except (httpx.TransportError, ConnectionError) as error:
            if attempt == len(RETRY_DELAYS):
                raise StoreUnavailableError(
                    f"the Chroma server at {server_url} did not answer ({type(error).__name__}: {error}) "
                    f"after {attempt + 1} tries; start it (`chroma run --path DIR --port PORT`) or unset chroma_url"
                ) from None
            time.sleep(RETRY_DELAYS[attempt])
        except (ChromaError, httpx.HTTPError) as error:
            hint = "" if server_url else "; `newsbot doctor` checks the store"
            raise StoreError(f"Chroma {what} failed: {error}{hint}") from error
    raise AssertionError("unreachable")


class ChunkStore:
    """Reads and writes chunks, their sentence vectors and the article registry in one Chroma database."""

    def __init__(
        self,
        store_dir: Path,
        server_url: str | None = None,
        name: str = "news",
        access: ServerAccess | None = None,
        *,
        create: bool = True,
    ) -> None:
        """`create=False` raises `StoreMissingError` instead of creating an empty store (for commands that read)."""
        if not name or len(name) < 3:
            raise InvalidRequestError(f"collection name must have at least 3 characters, got {name!r}")
        self.name = name
        self.store_dir = Path(store_dir)
        self.server_url = server_url
        if not create and not server_url and not (self.store_dir / "chroma" / "chroma.sqlite3").is_file():
            raise StoreMissingError(f"no newsbot store in {self.store_dir}; {self._ingest_hint()}")
        self.connection = connect(self.store_dir, server_url, access)
        if not create:
            self._require_collection()
        self.sentence_vectors: SentenceVectorStore = (
            MetadataSentenceVectors()
            if server_url
            else SqliteSentenceVectors(self.store_dir / "sentences" / f"{name}.sqlite3")
        )
        self._last_ts = 0
        # create them now, so a first reader in another process finds them
        with setup_lock(self.store_dir) if self.embedded else contextlib.nullcontext():
            self._collections()

    @property
    def embedded(self) -> bool:
        return not self.server_url

    def _require_collection(self) -> None:
        """Raise `StoreMissingError` when the store has no chunk collection of this name (opening would create it)."""
        client = self.connection.client
        names = sorted(c.name for c in self._call("list", client.list_collections) if "__" not in c.name)
        if self.name in names:
            return
        where = f"the Chroma server at {self.server_url}" if self.server_url else f"the store in {self.store_dir}"
        held = f" (it holds {', '.join(names)}: built with another embedder or collection setting?)" if names else ""
        raise StoreMissingError(f"{where} has no collection {self.name!r}{held}; {self._ingest_hint()}")

    def _ingest_hint(self) -> str:
        store = "" if self.server_url else f" --store {self.store_dir}"
        return f"create it with `newsbot ingest FILE_OR_DIR...{store}`"

    # -- Chroma plumbing --------------------------------------------------------------------------
    def _call(self, what: str, call: Callable[[], T]) -> T:
        return _guarded(self.server_url, what, call)

    def _collections(self) -> tuple[Any, Any, Any]:
        """(chunks, registry, tombstones) of the current client (it changes when an embedded store reopens)."""
        client = self.connection.client
        cached = getattr(self, "_cached", None)
        if cached is None or cached[0] is not client:

            def open_all() -> tuple[Any, Any, Any]:
                space = {"hnsw:space": "cosine"}
                return (
                    client.get_or_create_collection(self.name, metadata=space, embedding_function=None),
                    client.get_or_create_collection(f"{self.name}__docs", embedding_function=None),
                    client.get_or_create_collection(f"{self.name}__deleted", embedding_function=None),
                )

            self._cached = cached = (client, *self._call("open collections", open_all))
            if f"{self.name}__sentences" in {c.name for c in self._call("list", client.list_collections)}:
                log.warning(
                    "collection %r was written by an older newsbot (sentence vectors in a separate collection): "
                    "passages are scored without their sentences until it is re-ingested into a new store",
                    self.name,
                )
        return cached[1], cached[2], cached[3]

    @property
    def chunks(self) -> Any:
        return self._collections()[0]

    @property
    def registry(self) -> Any:
        return self._collections()[1]

    @property
    def tombstones(self) -> Any:
        return self._collections()[2]

    def _pages(
        self, collection: Any, what: str, where: dict[str, Any] | None = None, include: Sequence[str] = ()
    ) -> Iterator[dict[str, Any]]:
        """`collection.get` in pages of `PAGE` rows."""
        offset = 0
        while True:
            rows = self._call(
                what,
                lambda offset=offset: collection.get(where=where, include=list(include), limit=PAGE, offset=offset),
            )
            if rows["ids"]:
                yield rows
            if len(rows["ids"]) < PAGE:
                return
            offset += PAGE

    # -- registry ---------------------------------------------------------------------------------
    def versions(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Current content hash of each of these articles that is stored."""
        return {row_id: meta["version"] for row_id, meta in self.registry_rows(doc_ids).items()}

    def registry_rows(self, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Registry metadata of each of these articles that is stored."""
        found: dict[str, dict[str, Any]] = {}
        doc_ids = list(dict.fromkeys(doc_ids))
        registry = self.registry
        for i in range(0, len(doc_ids), WRITE_BATCH):
            batch = doc_ids[i : i + WRITE_BATCH]
            rows = self._call("registry read", lambda batch=batch: registry.get(ids=batch, include=["metadatas"]))
            found.update(dict(zip(rows["ids"], rows["metadatas"], strict=True)))
        return found

    def documents(self, where: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Registry rows (id, title, date, source, url, language, chunks …) of all or matching articles."""
        return [
            {"id": row_id, **meta}
            for rows in self._pages(self.registry, "registry read", where, ["metadatas"])
            for row_id, meta in zip(rows["ids"], rows["metadatas"], strict=True)
        ]

    def count_documents(self) -> int:
        return self._call("count", self.registry.count)

    def count_chunks(self) -> int:
        return self._call("count", self.chunks.count)

    # -- change feed ------------------------------------------------------------------------------
    def changes_since(self, ts: int) -> list[Change]:
        """Commits and deletions after `ts` (ns) minus the window: several writers' commits can land out
        of their timestamps' order, and two hosts' clocks differ a little."""
        window = CHANGE_WINDOW_NS if self.server_url else EMBEDDED_CHANGE_WINDOW_NS
        after = {"ts": {"$gt": max(0, ts - window)}}
        changes = []
        for collection, deleted in ((self.registry, False), (self.tombstones, True)):
            for rows in self._pages(collection, "change feed", after, ["metadatas"]):
                changes += [
                    Change(doc_id, int(meta.get("ts", 0)), str(meta.get("writer", "")), deleted)
                    for doc_id, meta in zip(rows["ids"], rows["metadatas"], strict=True)
                ]
        return changes

    def _next_ts(self) -> int:
        """A commit time that never goes backwards within this process."""
        self._last_ts = max(time.time_ns(), self._last_ts + 1)
        return self._last_ts

    # -- writes -----------------------------------------------------------------------------------
    def write(
        self,
        articles: Sequence[Article],
        chunks: Sequence[Chunk],
        chunk_vectors: np.ndarray,
        sentence_vectors: np.ndarray,
    ) -> list[dict[str, Any]]:
        """Store new versions of `articles`: sentence vectors, chunks, then the registry (commit), then
        sweep old versions. Returns the registry rows committed, each with its 'id'."""
        self._write_chunks(chunks, chunk_vectors, sentence_vectors)
        chunk_counts: dict[str, int] = {}
        for chunk in chunks:
            chunk_counts[chunk.doc_id] = chunk_counts.get(chunk.doc_id, 0) + 1
        registry = self.registry
        ts = self._next_ts()
        rows = [self._registry_row(a, chunk_counts.get(a.id, 0), ts) for a in articles]
        for i in range(0, len(articles), WRITE_BATCH):
            batch = slice(i, i + WRITE_BATCH)
            self._call(
                "registry write",
                lambda batch=batch: registry.upsert(
                    ids=[a.id for a in articles[batch]],
                    embeddings=[REGISTRY_VECTOR] * len(articles[batch]),
                    metadatas=rows[batch],
                ),
            )
        self.sweep_stale({a.id: a.content_hash for a in articles})
        return [{"id": a.id, **row} for a, row in zip(articles, rows, strict=True)]

    def _write_chunks(self, chunks: Sequence[Chunk], chunk_vectors: np.ndarray, sentence_vectors: np.ndarray) -> None:
        """Sentence vectors first, then the chunk rows (not yet visible: the registry commits them)."""
        packed, row = [], 0
        for chunk in chunks:
            count = len(chunk.sentence_spans)
            packed.append(pack(sentence_vectors[row : row + count]))
            row += count
        extra = self.sentence_vectors.stage(chunks, packed)
        collection = self.chunks
        for i in range(0, len(chunks), WRITE_BATCH):
            batch = slice(i, i + WRITE_BATCH)
            ids = [c.id for c in chunks[batch]]
            metadatas = [{**_chunk_metadata(c), **e} for c, e in zip(chunks[batch], extra[batch], strict=True)]
            self._call(
                "chunk write",
                lambda ids=ids, batch=batch, metadatas=metadatas: collection.upsert(
                    ids=ids, embeddings=np.asarray(chunk_vectors[batch], dtype=np.float32), metadatas=metadatas
                ),
            )

    def sweep_stale(self, current: Mapping[str, str]) -> None:
        """Delete chunks (and sentence vectors) of these articles whose version is not `current[doc_id]`."""
        doc_ids = list(current)
        versions = list(set(current.values()))
        collection = self.chunks
        for i in range(0, len(doc_ids), WRITE_BATCH):
            where = {"$and": [{"doc_id": {"$in": doc_ids[i : i + WRITE_BATCH]}}, {"version": {"$nin": versions}}]}
            self._call("sweep", lambda where=where: collection.delete(where=where))
        self.sentence_vectors.sweep(doc_ids, current)

    def delete(self, doc_ids: Sequence[str]) -> list[str]:
        """Remove articles: registry rows first (they vanish from answers at once), a tombstone each
        (other processes learn of it), then their chunks."""
        existing = list(self.versions(list(doc_ids)))
        registry, tombstones, collection = self.registry, self.tombstones, self.chunks
        for i in range(0, len(existing), WRITE_BATCH):
            batch = existing[i : i + WRITE_BATCH]
            self._call("registry delete", lambda batch=batch: registry.delete(ids=batch))
            ts = self._next_ts()
            self._call(
                "tombstone write",
                lambda batch=batch, ts=ts: tombstones.upsert(
                    ids=batch,
                    embeddings=[REGISTRY_VECTOR] * len(batch),
                    metadatas=[{"ts": ts, "writer": PROCESS_TOKEN}] * len(batch),
                ),
            )
            self._call("chunk delete", lambda batch=batch: collection.delete(where={"doc_id": {"$in": batch}}))
        self.sentence_vectors.sweep(existing, {})
        return existing

    def delete_chunks(self, chunk_ids: Sequence[str]) -> None:
        """Delete chunk rows (and their sentence vectors) by id, whatever their version."""
        collection = self.chunks
        ids = list(chunk_ids)
        for i in range(0, len(ids), WRITE_BATCH):
            self._call("chunk delete", lambda batch=ids[i : i + WRITE_BATCH]: collection.delete(ids=batch))
        self.sentence_vectors.delete_chunks(ids)

    def replace_chunks(self, chunks: Sequence[Chunk], chunk_vectors: np.ndarray, sentence_vectors: np.ndarray) -> None:
        """Write these chunks again with new vectors (deleted first: Chroma may have lost the old vector)."""
        self.delete_chunks([c.id for c in chunks])
        self._write_chunks(chunks, chunk_vectors, sentence_vectors)

    # -- reads ------------------------------------------------------------------------------------
    def iter_chunks(
        self, where: dict[str, Any] | None = None, with_embeddings: bool = False
    ) -> Iterator[tuple[Chunk, dict[str, Any], np.ndarray | None]]:
        """Every chunk row (all versions), page by page: (chunk, its metadata, its vector when asked)."""
        include = ["documents", "metadatas", *(["embeddings"] if with_embeddings else [])]
        for rows in self._pages(self.chunks, "chunk read", where, include):
            vectors = rows.get("embeddings") if with_embeddings else None
            for i, (chunk_id, text, meta) in enumerate(
                zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
            ):
                yield self._chunk(chunk_id, text, meta), meta, (vectors[i] if vectors is not None else None)

    def current_chunks(self, rows: Mapping[str, Mapping[str, Any]]) -> dict[str, list[Chunk]]:
        """The chunks of the given versions (registry rows by article id), in article order."""
        found: dict[str, list[Chunk]] = {doc_id: [] for doc_id in rows}
        doc_ids = list(rows)
        for i in range(0, len(doc_ids), 500):
            where = {"doc_id": {"$in": doc_ids[i : i + 500]}}
            for chunk, _, _ in self.iter_chunks(where):
                if rows[chunk.doc_id].get("version") == chunk.version:
                    found[chunk.doc_id].append(chunk)
        for chunks in found.values():
            chunks.sort(key=lambda c: c.index)
        return found

    def get_chunks(
        self, chunk_ids: Sequence[str], with_vectors: bool = False, current: Mapping[str, str] | None = None
    ) -> list[StoredChunk]:
        """Chunks by id, in the given order, skipping unknown ids and versions that are not current.

        `current` maps article ids to their current version (the caller's synced copy of the
        registry, saving a read); without it the registry is read. With `with_vectors`, each comes
        with its passage vector and the vectors of its sentences.
        """
        if not chunk_ids:
            return []
        include = ["documents", "metadatas", "embeddings"] if with_vectors else ["documents", "metadatas"]
        collection = self.chunks
        rows = self._call("chunk read", lambda: collection.get(ids=list(chunk_ids), include=include))
        by_id = {
            row_id: (self._chunk(row_id, text, meta, validate=False), meta)
            for row_id, text, meta in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
        }
        if current is None:
            current = self.versions(sorted({chunk.doc_id for chunk, _ in by_id.values()}))
        by_id = {key: value for key, value in by_id.items() if current.get(value[0].doc_id) == value[0].version}
        if not with_vectors:
            return [StoredChunk(by_id[i][0]) for i in chunk_ids if i in by_id]
        chunk_vectors = dict(zip(rows["ids"], np.asarray(rows["embeddings"], dtype=np.float32), strict=True))
        sentences = self.sentence_vectors.fetch(list(by_id.values()))
        return [StoredChunk(by_id[i][0], chunk_vectors.get(i), sentences.get(i)) for i in chunk_ids if i in by_id]

    def get_vectors(self, chunk_ids: Sequence[str], current: Mapping[str, str]) -> dict[str, ChunkVectors] | None:
        """The vectors of the chunks of current versions (`current`: article id -> version), by chunk id,
        without their text and metadata; None when this store keeps sentence vectors in the chunks
        (a server store), so only `get_chunks` has them.

        Retrieval scores every candidate on its vectors and then reads the text of the few that can
        still rank: Chroma's metadata, one row per field, is the costly part of a chunk to read."""
        sentences = self.sentence_vectors.fetch_by_id(chunk_ids)
        if sentences is None:
            return None
        wanted = [i for i in chunk_ids if i in sentences and current.get(sentences[i][0]) == sentences[i][1]]
        if not wanted:
            return {}
        collection = self.chunks
        rows = self._call("vector read", lambda: collection.get(ids=wanted, include=["embeddings"]))
        return {
            row_id: ChunkVectors(sentences[row_id][0], np.asarray(vector, dtype=np.float32), sentences[row_id][2])
            for row_id, vector in zip(rows["ids"], rows["embeddings"], strict=True)
        }

    def query_chunks(self, vector: np.ndarray, k: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        """Nearest chunks by passage vector: (chunk id, cosine similarity), best first."""
        collection = self.chunks
        result = self._call(
            "vector query",
            lambda: collection.query(
                query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=k, where=where, include=["distances"]
            ),
        )
        return [(row_id, 1.0 - float(d)) for row_id, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    # -- conversions ------------------------------------------------------------------------------
    @staticmethod
    def _chunk(chunk_id: str, document: str | None, meta: Mapping[str, Any], validate: bool = True) -> Chunk:
        """A stored chunk. Retrieval reads ~100 a question and skips validating them again (`validate`
        False: they were validated when written); full scans (doctor, reindex) validate."""
        build = Chunk if validate else Chunk.model_construct
        return build(
            id=chunk_id,
            doc_id=meta["doc_id"],
            index=meta["index"],
            text=meta.get(TEXT_KEY) or document or "",
            start=meta["start"],
            end=meta["end"],
            title=meta.get("title", ""),
            date=meta.get("date", ""),
            source=meta.get("source", ""),
            url=meta.get("url", ""),
            language=meta.get("language", ""),
            version=meta["version"],
            sentence_spans=[tuple(s) for s in json.loads(meta["sentence_spans"])],
        )

    @staticmethod
    def _registry_row(article: Article, chunk_count: int, ts: int) -> dict[str, Any]:
        return {
            "version": article.content_hash,
            "title": article.title,
            "date": article.date,
            "date_num": date_number(article.date),
            "source": article.source,
            "url": article.url,
            "language": article.language,
            "chunks": chunk_count,
            "origin": article.origin,
            "ts": ts,
            "writer": PROCESS_TOKEN,
        }


def _chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        TEXT_KEY: chunk.text,
        "doc_id": chunk.doc_id,
        "index": chunk.index,
        "title": chunk.title,
        "date": chunk.date,
        "date_num": date_number(chunk.date),
        "source": chunk.source,
        "url": chunk.url,
        "language": chunk.language,
        "version": chunk.version,
        "start": chunk.start,
        "end": chunk.end,
        "sentence_spans": json.dumps(chunk.sentence_spans),
    }
