"""`newsbot doctor [--repair]`: is every article whole, every vector readable, every derived index in step?

Checks, reading the store page by page (memory stays bounded by a page):
- every registry row has all its chunks, of its version (an incomplete article);
- no chunk of an article the registry lacks (orphan), of another version (stale) or twice (duplicate);
- every current chunk's passage vector can be read back, and its sentence vectors exist;
- the lexical index and catalog hold exactly the current chunks and versions.

`repair` fixes what it can from Chroma and the source files, holding the write lock: orphan, stale
and duplicate rows are deleted; vectors that cannot be read are computed again from the chunk text
Chroma keeps; an article missing chunks is ingested again from the file and line it came from
(the registry row's `origin`); the lexical index is rebuilt. What cannot be fixed is listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from index.embedders import NewsEmbedding
from index.loaders import load_paths
from index.pipeline import EncodingBatch, Ingestor
from index.records import Article, Chunk
from index.store import PAGE, ChunkStore
from index.sync import IndexSync

SHOWN = 20
"""Ids listed per problem in the report; the counts are always whole."""
VECTOR_PROBE = 200
"""Chunks whose vectors are read per request; a failing group is split until the bad ids are found."""


class DoctorReport(BaseModel):
    """What `doctor` found (and, with repair, fixed)."""

    documents: int = 0
    chunks: int = Field(0, description="Chunk rows in Chroma, of every version.")
    current_chunks: int = 0
    incomplete_articles: list[str] = Field(default_factory=list)
    orphan_chunks: list[str] = Field(default_factory=list)
    stale_chunks: list[str] = Field(default_factory=list)
    duplicate_chunks: list[str] = Field(default_factory=list)
    unreadable_vectors: list[str] = Field(default_factory=list)
    missing_sentence_vectors: list[str] = Field(default_factory=list)
    orphan_sentence_vectors: list[str] = Field(default_factory=list)
    lexical_out_of_step: int = Field(0, description="Chunks or versions the lexical index and catalog disagree on.")
    repaired: dict[str, int] = Field(default_factory=dict)
    unrepairable: list[str] = Field(default_factory=list)

    @property
    def problems(self) -> dict[str, int]:
        counts = {
            "incomplete_articles": len(self.incomplete_articles),
            "orphan_chunks": len(self.orphan_chunks),
            "stale_chunks": len(self.stale_chunks),
            "duplicate_chunks": len(self.duplicate_chunks),
            "unreadable_vectors": len(self.unreadable_vectors),
            "missing_sentence_vectors": len(self.missing_sentence_vectors),
            "orphan_sentence_vectors": len(self.orphan_sentence_vectors),
            "lexical_out_of_step": self.lexical_out_of_step,
        }
        return {key: value for key, value in counts.items() if value}

    @property
    def healthy(self) -> bool:
        return not self.problems

    def summary(self) -> list[str]:
        """Lines for a terminal: counts, then a few ids per problem."""
        lines = [f"{self.documents} articles, {self.current_chunks} current chunks ({self.chunks} chunk rows)"]
        if self.healthy:
            lines.append("no problems found")
        for name, count in self.problems.items():
            ids = getattr(self, name, None)
            shown = f": {', '.join(ids[:SHOWN])}{' …' if len(ids) > SHOWN else ''}" if isinstance(ids, list) else ""
            lines.append(f"{name.replace('_', ' ')}: {count}{shown}")
        for name, count in self.repaired.items():
            lines.append(f"repaired {name.replace('_', ' ')}: {count}")
        lines += [f"cannot repair: {reason}" for reason in self.unrepairable]
        return lines


class Doctor:
    """Checks (and repairs) one store and what this process derived from it."""

    def __init__(self, store: ChunkStore, sync: IndexSync, ingestor: Ingestor, embedder: NewsEmbedding) -> None:
        self.store = store
        self.sync = sync
        self.ingestor = ingestor
        self.embedder = embedder

    def check(self) -> DoctorReport:
        self.sync.refresh()
        report = DoctorReport()
        registry = {row.pop("id"): row for row in self.store.documents()}
        report.documents = len(registry)
        current: dict[str, list[Chunk]] = defaultdict(list)
        seen: dict[tuple[str, str, int], str] = {}
        for chunk, _, _ in self.store.iter_chunks():
            report.chunks += 1
            row = registry.get(chunk.doc_id)
            if row is None:
                report.orphan_chunks.append(chunk.id)
            elif row.get("version") != chunk.version:
                report.stale_chunks.append(chunk.id)
            elif (chunk.doc_id, chunk.version, chunk.index) in seen:
                report.duplicate_chunks.append(chunk.id)
            else:
                seen[(chunk.doc_id, chunk.version, chunk.index)] = chunk.id
                current[chunk.doc_id].append(chunk)
        report.current_chunks = sum(len(chunks) for chunks in current.values())
        report.incomplete_articles = sorted(
            doc_id for doc_id, row in registry.items() if len(current.get(doc_id, [])) != int(row.get("chunks", 0))
        )
        current_ids = [chunk.id for chunks in current.values() for chunk in chunks]
        report.unreadable_vectors = self._unreadable(current_ids)
        report.missing_sentence_vectors, report.orphan_sentence_vectors = self._sentence_vector_gaps(current)
        lexical = self.sync.lexical
        versions = lexical.versions()
        report.lexical_out_of_step = (
            len(lexical.chunk_ids() ^ set(current_ids))
            + sum(1 for doc_id, row in registry.items() if versions.get(doc_id) != row.get("version"))
            + sum(1 for doc_id in versions if doc_id not in registry)
        )
        return report

    def repair(self) -> DoctorReport:
        """Check, fix under the write lock, and check again; the returned report is the one after."""
        report = self.check()
        if report.healthy:
            return report
        repaired: dict[str, int] = {}
        unrepairable: list[str] = []
        with self.sync.writing("repair"):
            doomed = report.orphan_chunks + report.stale_chunks + report.duplicate_chunks
            if doomed:
                self.store.delete_chunks(doomed)
                repaired["chunks_removed"] = len(doomed)
            if report.orphan_sentence_vectors:
                self.store.sentence_vectors.delete_chunks(report.orphan_sentence_vectors)
                repaired["sentence_vectors_removed"] = len(report.orphan_sentence_vectors)
            incomplete = set(report.incomplete_articles)
            to_embed = [
                c
                for c in self.store.get_chunks(
                    sorted(set(report.unreadable_vectors) | set(report.missing_sentence_vectors)), with_vectors=False
                )
                if c.chunk.doc_id not in incomplete
            ]
            if to_embed:
                self._embed_again([c.chunk for c in to_embed])
                repaired["vectors_recomputed"] = len(to_embed)
            if incomplete:
                done, failures = self._ingest_again(sorted(incomplete))
                repaired["articles_ingested_again"] = done
                unrepairable += failures
        self.sync.rebuild()
        repaired["lexical_index_rebuilt"] = 1
        after = self.check()
        after.repaired = repaired
        after.unrepairable = unrepairable
        return after

    # -- checks -----------------------------------------------------------------------------------
    def _unreadable(self, chunk_ids: Sequence[str]) -> list[str]:
        """Ids whose passage vector Chroma cannot read back (found by splitting failing groups)."""
        collection = self.store.chunks
        bad: list[str] = []
        pending = [list(chunk_ids[i : i + VECTOR_PROBE]) for i in range(0, len(chunk_ids), VECTOR_PROBE)]
        while pending:
            group = pending.pop()
            try:
                rows = collection.get(ids=group, include=["embeddings"])
                vectors = rows["embeddings"]
                bad += [i for i, v in zip(rows["ids"], vectors, strict=True) if v is None or not np.isfinite(v).all()]
                bad += sorted(set(group) - set(rows["ids"]))
            except Exception:  # Chroma says "Error finding id" for a vector its index lost
                if len(group) == 1:
                    bad += group
                else:
                    pending += [group[: len(group) // 2], group[len(group) // 2 :]]
        return sorted(bad)

    def _sentence_vector_gaps(self, current: dict[str, list[Chunk]]) -> tuple[list[str], list[str]]:
        """(current chunks without sentence vectors, sentence vector rows of no current chunk)."""
        chunks = [chunk for doc_chunks in current.values() for chunk in doc_chunks]
        missing: list[str] = []
        for i in range(0, len(chunks), PAGE):
            page = chunks[i : i + PAGE]
            metadata = self._metadata([c.id for c in page])
            found = self.store.sentence_vectors.fetch([(c, metadata.get(c.id, {})) for c in page])
            missing += [c.id for c in page if c.id not in found]
        stored = self.store.sentence_vectors.chunk_ids()
        orphans = sorted(stored - {c.id for c in chunks}) if stored is not None else []
        return sorted(missing), orphans

    def _metadata(self, chunk_ids: list[str]) -> dict[str, dict[str, Any]]:
        if self.store.sentence_vectors.chunk_ids() is not None:
            return {}  # a sidecar does not need the chunks' metadata
        rows = self.store.chunks.get(ids=chunk_ids, include=["metadatas"])
        return dict(zip(rows["ids"], rows["metadatas"], strict=True))

    # -- repairs ----------------------------------------------------------------------------------
    def _embed_again(self, chunks: list[Chunk]) -> None:
        """New passage and sentence vectors from the chunk text Chroma keeps (same ids, same version)."""
        for i in range(0, len(chunks), 512):
            batch = EncodingBatch([], chunks[i : i + 512], pool=self.embedder.passage_from_sentences)
            passage_vectors, sentence_vectors = batch.assemble(self.embedder.embed_passages(batch.texts))
            self.store.replace_chunks(batch.chunks, passage_vectors, sentence_vectors)

    def _ingest_again(self, doc_ids: list[str]) -> tuple[int, list[str]]:
        """Ingest these articles again from the file and line each came from."""
        rows = self.store.registry_rows(doc_ids)
        by_file: dict[str, set[str]] = defaultdict(set)
        failures = []
        for doc_id in doc_ids:
            origin = str(rows.get(doc_id, {}).get("origin", ""))
            path = origin.rsplit(":", 1)[0] if origin else ""
            if not path or not Path(path).is_file():
                failures.append(f"{doc_id}: its source file {path or '(unknown)'} is not readable; ingest it again")
                continue
            by_file[path].add(doc_id)
        articles: list[Article] = []
        for path, wanted in by_file.items():
            found = {a.id: a for a in load_paths([path]) if isinstance(a, Article) and a.id in wanted}
            for doc_id in sorted(wanted):
                article = found.get(doc_id)
                if article is not None and not article.language:
                    article.language = rows[doc_id].get("language", "")
                if article is None or article.content_hash != rows[doc_id].get("version"):
                    failures.append(
                        f"{doc_id}: {path} no longer holds this version (or was read with --map/--language); "
                        "ingest it again"
                    )
                else:
                    articles.append(article)
        if articles:
            self.ingestor.ingest_articles(articles, force=True)
        return len(articles), failures
