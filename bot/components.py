"""Builds the storage, embedding and retrieval parts from `Settings`: the one place that wires them."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from bot.settings import Settings
from bot.translation import QuestionTranslator
from index.chunker import SentenceChunker
from index.embedders import (
    E5SmallEmbedding,
    NewsEmbedding,
    OpenAICompatibleEmbedding,
    USEMultilingualEmbedding,
)
from index.language import LanguageDetector
from index.lexical import LexicalIndex
from index.pipeline import Ingestor
from index.store import ChunkStore, ServerAccess
from index.sync import IndexSync


def make_embedder(settings: Settings) -> NewsEmbedding:
    """The embedder named by `settings.embedder`."""
    if settings.embedder == "e5":
        return E5SmallEmbedding()
    if settings.embedder == "openai":
        return OpenAICompatibleEmbedding(
            model=settings.embedding_model,
            api_base=settings.embedding_api_base or settings.llm_api_base or "",
            api_key=settings.llm_api_key or "none",
            timeout=settings.llm_timeout,
        )
    return USEMultilingualEmbedding(threads=settings.embedding_threads)


@dataclass
class Components:
    """Everything that touches the corpus, built once and shared by ingestion and answering."""

    settings: Settings
    embedder: NewsEmbedding
    store: ChunkStore
    lexical: LexicalIndex
    sync: IndexSync
    detector: LanguageDetector
    ingestor: Ingestor
    translator: QuestionTranslator | None
    """Translates questions for keyword search in other languages; None when off or the embedder cannot."""

    @classmethod
    def build(cls, settings: Settings, embedder: NewsEmbedding | None = None, create_store: bool = True) -> Components:
        """Wire the parts; `create_store=False` raises `StoreMissingError` where no store exists yet."""
        embedder = embedder or make_embedder(settings)
        threading.Thread(target=embedder.warm_up, name="newsbot-warm-up", daemon=True).start()
        collection = f"{settings.collection}_{settings.embedder}"
        access = ServerAccess(settings.chroma_tenant, settings.chroma_database, settings.chroma_api_key)
        store = ChunkStore(settings.store_dir, settings.chroma_url, collection, access, create=create_store)
        lexical = LexicalIndex(settings.store_dir / "lexical" / _lexical_folder(settings, collection))
        sync = IndexSync(store, lexical, write_timeout=settings.write_wait)
        detector = LanguageDetector(settings.languages)
        chunker = SentenceChunker(settings.chunk_size, settings.chunk_overlap)
        ingestor = Ingestor(store, embedder, chunker, detector, sync, settings.ingest_processes)
        sync.refresh()  # a cache from an earlier run catches up; none at all is built from the store
        translator = (
            QuestionTranslator(embedder, settings.languages)
            if settings.question_translation and embedder.vocabulary_tag() is not None
            else None
        )
        return cls(settings, embedder, store, lexical, sync, detector, ingestor, translator)

    def refresh(self) -> int:
        """Catch up with changes other processes made to the store (before each question)."""
        return self.sync.refresh()


def _lexical_folder(settings: Settings, collection: str) -> str:
    """The lexical index's folder under `store_dir`: one per collection, and per server and database in
    server mode, so two servers (or two databases of one) never share a derived index."""
    if not settings.chroma_url:
        return collection
    where = "|".join((settings.chroma_url.rstrip("/"), settings.chroma_tenant or "", settings.chroma_database or ""))
    return f"{collection}@{hashlib.sha256(where.encode()).hexdigest()[:12]}"
