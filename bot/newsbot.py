"""`NewsBot`: where a question becomes an answer.

question -> language -> (follow-up condensed) -> hybrid retrieval -> refusal check
         -> answerer (extractive or LLM) -> grounding check -> Answer
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bot.answer import Answer
from bot.answerers.base import Answerer
from bot.answerers.extractive import ExtractiveAnswerer, citation_for
from bot.components import Components
from bot.conversation import History, Turn, condense
from bot.filters import SearchFilters
from bot.retriever import HybridRetriever, RetrievedPassage
from bot.settings import Settings
from index.embedders import NewsEmbedding
from index.loaders import FieldMap
from index.pipeline import IngestReport
from prompts import load_prompt, message

NEAREST_SHOWN = 3


class NewsBot:
    """Ingest news, then ask questions in English or Spanish and get cited, checked answers."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        store: str | Path | None = None,
        embedder: NewsEmbedding | None = None,
        **overrides: Any,
    ) -> None:
        if store is not None:
            overrides["store_dir"] = Path(store)
        self.settings = settings.model_copy(update=overrides) if settings else Settings(**overrides)
        self.components = Components.build(self.settings, embedder=embedder)
        self.retriever = HybridRetriever(self.components.store, self.components.lexical, self.components.embedder)
        self.extractive = ExtractiveAnswerer(max_sentences=self.settings.max_answer_sentences)
        self._llm_answerer: Answerer | None = None

    # -- corpus -----------------------------------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[str | Path],
        field_map: FieldMap | None = None,
        where: dict[str, str] | None = None,
        language: str | None = None,
        progress: bool = False,
    ) -> IngestReport:
        """Add or update the articles under `paths`; unchanged articles are skipped."""
        return self.components.ingestor.ingest(
            paths, field_map=field_map, where=where, language=language, progress=progress
        )

    def delete(self, doc_ids: Sequence[str] = (), source: str | None = None) -> int:
        """Remove articles by id or by outlet; returns how many were removed."""
        return self.components.ingestor.delete(doc_ids, source=source)

    def stats(self) -> dict[str, Any]:
        """Documents and chunks per language and per source, and the date range."""
        rows = self.components.store.documents()
        by_language: dict[str, dict[str, int]] = {}
        by_source: dict[str, dict[str, int]] = {}
        for row in rows:
            for table, key in ((by_language, row.get("language") or "?"), (by_source, row.get("source") or "?")):
                entry = table.setdefault(key, {"documents": 0, "chunks": 0})
                entry["documents"] += 1
                entry["chunks"] += int(row.get("chunks", 0))
        dates = sorted(row["date"][:10] for row in rows if row.get("date"))
        return {
            "documents": len(rows),
            "chunks": sum(int(row.get("chunks", 0)) for row in rows),
            "languages": dict(sorted(by_language.items())),
            "sources": dict(sorted(by_source.items(), key=lambda item: -item[1]["documents"])),
            "date_range": [dates[0], dates[-1]] if dates else None,
        }

    # -- questions --------------------------------------------------------------------------------
    def detect_language(self, text: str, fallback: str | None = None) -> str:
        return self.components.detector.detect(text, fallback=fallback)

    def retrieve(
        self, question: str, language: str | None = None, filters: SearchFilters | None = None, k: int | None = None
    ) -> list[RetrievedPassage]:
        language = language or self.detect_language(question)
        return self.retriever.retrieve(question, language, k or self.settings.top_k, filters)

    def ask(
        self,
        question: str,
        language: str | None = None,
        filters: SearchFilters | None = None,
        answerer: str | None = None,
        history: History | None = None,
    ) -> Answer:
        """Answer one question; see `stream` for the arguments."""
        final = None
        for item in self.stream(question, language, filters, answerer, history):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(
        self,
        question: str,
        language: str | None = None,
        filters: SearchFilters | None = None,
        answerer: str | None = None,
        history: History | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is produced, then the finished `Answer`.

        `language` forces the answer language (else detected, short inputs falling back on the
        conversation's); `answerer` is 'extractive' or 'llm' (default from settings).
        """
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        timings: dict[str, float] = {}
        started = time.perf_counter()
        history = history or History(self.settings.history_turns)
        language = language or self.detect_language(question, fallback=history.language)
        chosen = self._answerer(answerer)
        standalone = condense(question, history, language, rewrite=getattr(chosen, "complete", None))
        timings["condense"] = time.perf_counter() - started

        mark = time.perf_counter()
        passages = self.retriever.retrieve(standalone, language, self.settings.top_k, filters)
        timings["retrieve"] = time.perf_counter() - mark

        mark = time.perf_counter()
        if not passages or self.evidence(standalone, language, passages) < self.settings.refusal_threshold:
            answer = self._refusal(question, language, passages)
            yield answer.text
        else:
            answer = None
            for item in chosen.stream(standalone, language, passages):
                if isinstance(item, Answer):
                    answer = item
                else:
                    yield item
            assert answer is not None
        timings["answer"] = time.perf_counter() - mark
        answer.question = question
        answer.standalone_question = standalone
        timings["total"] = time.perf_counter() - started
        answer.timings = {key: round(value, 4) for key, value in timings.items()}
        history.add(Turn(question, standalone, answer.text, language))
        yield answer

    def evidence(self, question: str, language: str, passages: list[RetrievedPassage]) -> float:
        """How well the best source sentence answers the question (the extractive ranking's `support`)."""
        ranked = self.extractive.rank_sentences(question, language, passages)
        return max((c.support for c in ranked), default=0.0)

    def chat(self, language: str | None = None, answerer: str | None = None) -> ChatSession:
        """A conversation: each `.ask` sees the earlier turns."""
        return ChatSession(self, language=language, answerer=answerer)

    def _answerer(self, name: str | None) -> Answerer:
        name = name or self.settings.answerer
        if name == "extractive":
            return self.extractive
        if name != "llm":
            raise ValueError(f"unknown answerer {name!r}; choose 'extractive' or 'llm'")
        if not self.settings.llm_configured:
            raise ValueError("the llm answerer needs NEWSBOT_LLM_API_BASE (an OpenAI-compatible endpoint)")
        if self._llm_answerer is None:
            from bot.answerers.llm import LLMAnswerer

            self._llm_answerer = LLMAnswerer.from_settings(self.settings, fallback=self.extractive)
        return self._llm_answerer

    def _refusal(self, question: str, language: str, passages: list[RetrievedPassage]) -> Answer:
        nearest = [citation_for(p, i + 1) for i, p in enumerate(passages[:NEAREST_SHOWN])]
        titles = "; ".join(f"{c.title or c.doc_id} ({c.source or '?'}, {c.date or '?'})" for c in nearest)
        text = load_prompt("refusal", language).format(nearest=titles or message("no_sources", language))
        return Answer(
            question=question, text=text, language=language, refused=True, nearest=nearest, answerer="refusal"
        )


class ChatSession:
    """A conversation with a `NewsBot`: follow-ups are read in the light of earlier turns."""

    def __init__(self, bot: NewsBot, language: str | None = None, answerer: str | None = None) -> None:
        self.bot = bot
        self.language = language
        self.answerer = answerer
        self.history = History(bot.settings.history_turns)

    def ask(self, question: str, filters: SearchFilters | None = None) -> Answer:
        return self.bot.ask(question, self.language, filters, self.answerer, self.history)

    def stream(self, question: str, filters: SearchFilters | None = None) -> Iterator[str | Answer]:
        return self.bot.stream(question, self.language, filters, self.answerer, self.history)
