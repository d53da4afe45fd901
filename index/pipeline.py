"""The ingestion pipeline: files -> articles -> language -> chunks -> vectors -> Chroma and BM25."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field
from tqdm import tqdm

from index.chunker import SentenceChunker
from index.embedders import NewsEmbedding
from index.language import LanguageDetector
from index.lexical import LexicalIndex
from index.loaders import FieldMap, load_paths
from index.records import Article, Chunk, IngestIssue
from index.store import ChunkStore

ARTICLE_BATCH = 128
"""Articles embedded and written together: large enough to batch the encoder, small enough to lose little."""
DETECTION_CHARS = 600
"""langdetect reads this much of an article: plenty for news prose, and its cost grows with the length."""


class IngestReport(BaseModel):
    """What one ingest did; `failed` counts records that could not be stored."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    chunks: int = Field(0, description="Chunks written by this run.")
    seconds: float = 0.0
    issues: list[str] = Field(default_factory=list, description="'file:line: reason' for every problem.")

    @property
    def stored(self) -> int:
        return self.added + self.updated + self.unchanged


class Ingestor:
    """Turns files into stored, searchable chunks; re-running on the same files writes nothing."""

    def __init__(
        self,
        store: ChunkStore,
        embedder: NewsEmbedding,
        chunker: SentenceChunker,
        detector: LanguageDetector,
        lexical: LexicalIndex,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.chunker = chunker
        self.detector = detector
        self.lexical = lexical

    def ingest(
        self,
        paths: Sequence[str | Path],
        field_map: FieldMap | None = None,
        where: dict[str, str] | None = None,
        language: str | None = None,
        progress: bool = False,
    ) -> IngestReport:
        """Load, chunk, embed and store every article under `paths`; bad records are reported, not fatal."""
        report = IngestReport()

        def articles() -> Iterator[Article]:
            records = load_paths(paths, field_map=field_map, where=where, language=language)
            for record in tqdm(records, disable=not progress, unit=" articles", desc="ingest"):
                if isinstance(record, IngestIssue):
                    report.issues.append(str(record))
                    report.failed += record.severity == "error"
                else:
                    yield record

        return self._run(articles(), report)

    def ingest_articles(self, articles: Iterable[Article]) -> IngestReport:
        """Store already-built articles (the Python API, benchmarks and tests use this)."""
        return self._run(iter(articles), IngestReport())

    def _run(self, articles: Iterator[Article], report: IngestReport) -> IngestReport:
        """Prepare batch n+1 (detect, chunk, embed) while a writer thread stores batch n.

        The encoder's tokenizer and langdetect are pure Python and leave a core idle, which
        Chroma's native writes use. Batches are committed in order; a failed write stops the run.
        """
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chroma-writer") as writer:
            pending: Future[None] | None = None
            while batch := list(islice(articles, ARTICLE_BATCH)):
                prepared = self._prepare_batch(batch, report)
                if pending is not None:
                    pending.result()
                pending = writer.submit(self.store.write, *prepared) if prepared else None
            if pending is not None:
                pending.result()
        if report.added or report.updated:
            self.refresh_lexical()
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def delete(self, doc_ids: Sequence[str] = (), source: str | None = None) -> int:
        """Remove articles by id and/or by outlet; returns how many were removed."""
        targets = list(doc_ids)
        if source:
            targets += [row["id"] for row in self.store.documents(where={"source": source})]
        removed = self.store.delete(targets)
        if removed:
            self.refresh_lexical()
        return removed

    def refresh_lexical(self) -> None:
        self.lexical.rebuild(*self.store.all_chunk_texts())

    def _prepare_batch(
        self, articles: list[Article], report: IngestReport
    ) -> tuple[list[Article], list[Chunk], np.ndarray, np.ndarray] | None:
        """Language, change detection, chunks and vectors of one batch; None when nothing changed."""
        for article in articles:
            if not article.language:
                article.language = self.detector.detect(f"{article.title}\n{article.text[:DETECTION_CHARS]}")
        stored = self.store.versions([a.id for a in articles])
        changed = [a for a in articles if stored.get(a.id) != a.content_hash]
        report.unchanged += len(articles) - len(changed)
        if not changed:
            return None
        chunks: list[Chunk] = []
        writable: list[Article] = []
        for article in changed:
            try:
                chunks.extend(self.chunker.chunk(article))
                writable.append(article)
            except ValueError as error:
                report.issues.append(str(error))
                report.failed += 1
        chunk_vectors, sentence_vectors = self.embed_chunks(chunks)
        report.updated += sum(1 for a in writable if a.id in stored)
        report.added += sum(1 for a in writable if a.id not in stored)
        report.chunks += len(chunks)
        return writable, chunks, chunk_vectors, sentence_vectors

    def embed_chunks(self, chunks: Sequence[Chunk]) -> tuple[np.ndarray, np.ndarray]:
        """Passage vectors and per-sentence vectors; a sentence repeated by chunk overlap is embedded once."""
        sentence_texts = [c.text[a:b] for c in chunks for a, b in c.sentence_spans]
        unique = list(dict.fromkeys(sentence_texts))
        texts = [c.text for c in chunks] + unique
        vectors = self.embedder.embed_passages(texts)
        chunk_vectors = vectors[: len(chunks)]
        position = {text: len(chunks) + i for i, text in enumerate(unique)}
        sentence_vectors = vectors[[position[t] for t in sentence_texts]] if sentence_texts else vectors[:0]
        return chunk_vectors, sentence_vectors
