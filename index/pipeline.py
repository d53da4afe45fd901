"""The ingestion pipeline: files -> articles -> language -> chunks -> vectors -> Chroma -> lexical index.

Every write holds the store for writing (`IndexSync.writing`: on an embedded store, the write lock
that keeps a second process from corrupting it) and hands each committed batch to the lexical
index, which grows by that batch instead of being rebuilt.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from itertools import islice
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field
from tqdm import tqdm

from index.chunker import SentenceChunker
from index.embedders import NewsEmbedding
from index.embedders.base import normalize_rows
from index.encoder_process import PassageEncoder
from index.language import LanguageDetector
from index.loaders import FieldMap, load_paths
from index.progress import ProgressLines, ProgressStyle
from index.records import Article, Chunk, IngestIssue
from index.store import ChunkStore
from index.sync import IndexSync

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
    rejected: bool = Field(
        False, description="The batch had problems and was asked to be stored all or nothing: nothing was stored."
    )

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
        sync: IndexSync,
        encoder_processes: int = 0,
    ) -> None:
        if encoder_processes < 0:
            raise ValueError(f"encoder_processes must be >= 0, got {encoder_processes}")
        self.encoder_processes = encoder_processes
        self.store = store
        self.embedder = embedder
        self.chunker = chunker
        self.detector = detector
        self.sync = sync

    def ingest(
        self,
        paths: Sequence[str | Path],
        field_map: FieldMap | None = None,
        where: dict[str, str] | None = None,
        language: str | None = None,
        progress: bool | ProgressStyle = False,
        csv_header: bool = True,
        all_or_nothing: bool = False,
    ) -> IngestReport:
        """Load, chunk, embed and store every article under `paths`; bad records are reported, not fatal.

        `progress`: True or 'bar' draws a tqdm bar, 'lines' writes a line every few seconds (`ProgressLines`).
        `all_or_nothing` reads every record first and stores nothing when any has a problem, warnings
        included (the report is then `rejected`); the files are read twice, as a large batch cannot be held
        in memory, so a file changed between the two reads can still be stored in part.
        """
        report = IngestReport()

        def records() -> Iterator[Article | IngestIssue]:
            return load_paths(paths, field_map=field_map, where=where, language=language, csv_header=csv_header)

        if all_or_nothing:
            started = time.perf_counter()
            for _ in self._articles(records(), report, progress, "check", counts_chunks=False):
                pass
            if report.issues:
                report.rejected = True
                report.seconds = round(time.perf_counter() - started, 3)
                return report
        return self._run(self._articles(records(), report, progress, "ingest", counts_chunks=True), report)

    @staticmethod
    def _articles(
        records: Iterator[Article | IngestIssue],
        report: IngestReport,
        progress: bool | ProgressStyle,
        label: str,
        counts_chunks: bool,
    ) -> Iterator[Article]:
        """The articles among `records`, each problem added to `report`, with progress shown as asked
        (`counts_chunks`: the articles are being chunked, so progress lines say how many chunks so far)."""
        bar = tqdm(records, disable=progress not in (True, "bar"), unit=" articles", desc=label)
        lines = ProgressLines(label) if progress == "lines" else None
        articles = 0
        for record in bar:
            if isinstance(record, IngestIssue):
                report.issues.append(str(record))
                report.failed += record.severity == "error"
            else:
                articles += 1
                yield record
            if lines is not None:
                lines.update(articles, report.chunks if counts_chunks else None)

    def ingest_articles(self, articles: Iterable[Article], force: bool = False) -> IngestReport:
        """Store already-built articles (the Python API, benchmarks and tests use this).

        `force` writes them even when the registry already holds their version (a repair).
        """
        return self._run(iter(articles), IngestReport(), force)

    def _run(self, articles: Iterator[Article], report: IngestReport, force: bool = False) -> IngestReport:
        """Encode the next batches in the background while this thread writes the oldest one.

        From the second batch on, encoding moves to child processes (see `encoder_process`): Chroma's
        writes hold the GIL. Batches are committed in order; a failed write stops the run.
        """
        started = time.perf_counter()
        with self.sync.writing("ingest"), PassageEncoder(self.embedder, children=self.encoder_processes) as encoder:
            in_flight: deque[tuple[EncodingBatch, Future[np.ndarray]]] = deque()
            batches = 0
            while batch := list(islice(articles, ARTICLE_BATCH)):
                batches += 1
                if batches == 2:
                    encoder.use_children()
                planned = self._plan_batch(batch, report, force)
                if planned is not None:
                    in_flight.append((planned, encoder.submit(planned.texts)))
                while len(in_flight) > encoder.parallel:
                    self._write(*in_flight.popleft())
            while in_flight:
                self._write(*in_flight.popleft())
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def delete(self, doc_ids: Sequence[str] = (), source: str | None = None) -> int:
        """Remove articles by id and/or by outlet; returns how many were removed."""
        with self.sync.writing("delete"):
            targets = list(doc_ids)
            if source:
                targets += [row["id"] for row in self.store.documents(where={"source": source})]
            removed = self.store.delete(targets)
            self.sync.committed([], [], removed)
        return len(removed)

    def _plan_batch(self, articles: list[Article], report: IngestReport, force: bool = False) -> EncodingBatch | None:
        """Language, change detection and chunks of one batch; None when nothing changed."""
        for article in articles:
            if not article.language:
                article.language = self.detector.detect(f"{article.title}\n{article.text[:DETECTION_CHARS]}")
        stored = self.store.versions([a.id for a in articles])
        changed = [a for a in articles if force or stored.get(a.id) != a.content_hash]
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
        report.updated += sum(1 for a in writable if a.id in stored)
        report.added += sum(1 for a in writable if a.id not in stored)
        report.chunks += len(chunks)
        return EncodingBatch(writable, chunks, pool=self.embedder.passage_from_sentences)

    def _write(self, batch: EncodingBatch, vectors: Future[np.ndarray]) -> None:
        chunk_vectors, sentence_vectors = batch.assemble(vectors.result())
        rows = self.store.write(batch.articles, batch.chunks, chunk_vectors, sentence_vectors)
        self.sync.committed(rows, batch.chunks)


class EncodingBatch:
    """The chunks of one batch and the texts the encoder must read for them.

    Each distinct sentence is encoded once (chunk overlap repeats sentences). With a sum-pooling
    encoder (`pool`) a passage vector is the mean of its sentence vectors weighted by their length,
    so the encoder reads every sentence once in all; otherwise passages are encoded too.
    """

    def __init__(self, articles: list[Article], chunks: list[Chunk], pool: bool) -> None:
        self.articles = articles
        self.chunks = chunks
        self.pool = pool and all(c.sentence_spans for c in chunks)
        self.sentences = [c.text[a:b] for c in chunks for a, b in c.sentence_spans]
        self.unique_sentences = list(dict.fromkeys(self.sentences))
        passages = [] if self.pool else [c.text for c in chunks]
        self.texts = passages + self.unique_sentences

    def assemble(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(passage vectors, one vector per sentence of every chunk in order) from the encoded `texts`."""
        offset = len(self.texts) - len(self.unique_sentences)
        position = {text: offset + i for i, text in enumerate(self.unique_sentences)}
        sentence_vectors = vectors[[position[t] for t in self.sentences]] if self.sentences else vectors[:0]
        if not self.pool:
            return vectors[: len(self.chunks)], sentence_vectors
        return pool_sentences(self.chunks, sentence_vectors), sentence_vectors


def pool_sentences(chunks: Sequence[Chunk], sentence_vectors: np.ndarray) -> np.ndarray:
    """Unit passage vectors: each chunk's sentence vectors (rows in chunk order) weighted by sentence length."""
    pooled = np.zeros((len(chunks), sentence_vectors.shape[1]), dtype=np.float32)
    row = 0
    for i, chunk in enumerate(chunks):
        lengths = np.array([b - a for a, b in chunk.sentence_spans], dtype=np.float32)
        pooled[i] = lengths @ sentence_vectors[row : row + len(lengths)]
        row += len(lengths)
    return normalize_rows(pooled)
