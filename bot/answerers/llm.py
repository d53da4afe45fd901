"""The generative answerer: any OpenAI-compatible endpoint writes the answer, cited and checked here.

The model sees the system prompt and the retrieved passages numbered [1]..[k], fenced as data.
Its reply is streamed; citations are checked and renumbered *while* streaming (see
`citation_markers`), so the streamed text is exactly the final `Answer.text`, each `[n]` matches
`Citation.n`, and every citation carries the passage sentences that best support what it follows.

Any failure (timeout, connection error, API error, empty reply) falls back to the extractive
answerer with a notice. If the failure comes after some text was streamed, the streamed text is
superseded: no more deltas are sent, and the final `Answer` (extractive, with a notice saying so)
is what the reader should be shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bot.answer import Answer, Citation
from bot.answerers.base import Answerer
from bot.answerers.citation_markers import CitationRewriter, claims
from bot.answerers.extractive import ExtractiveAnswerer, citation_for
from bot.retriever import RetrievedPassage
from bot.signals import clue_overlap, clues
from index.lexical import tokenize
from prompts import load_prompt, message

FENCE = re.compile(r"<{3,}|>{3,}")
"""Runs of angle brackets, as in the <<<SOURCES / SOURCES>>> fence: removed from passage text."""


class LLMFailure(Exception):
    """The model gave nothing usable; `reason` is reader-facing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def failure_reason(error: BaseException, language: str) -> str:
    """A short, reader-facing reason for an exception raised by the client."""
    import httpx
    import openai

    if isinstance(error, LLMFailure):
        return error.reason
    if isinstance(error, openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
        return message("llm_reason_timeout", language)
    if isinstance(error, openai.APIConnectionError | httpx.TransportError | ConnectionError):
        return message("llm_reason_connection", language)
    if isinstance(error, openai.APIStatusError):
        return message("llm_reason_http", language, status=error.status_code)
    return message("llm_reason_error", language, kind=type(error).__name__)


def format_sources(passages: list[RetrievedPassage]) -> str:
    """The passages numbered [1]..[k], a header line each (title — source, date, language), fence-proof."""
    blocks = []
    for n, passage in enumerate(passages, start=1):
        chunk = passage.chunk
        header = (
            f"[{n}] {chunk.title or chunk.doc_id} — {chunk.source or '?'}, {chunk.date or '?'}, {chunk.language or '?'}"
        )
        blocks.append(FENCE.sub("", header) + "\n" + FENCE.sub("", chunk.text).strip())
    return "\n\n".join(blocks)


def best_sentence(claim: str, passage: RetrievedPassage) -> tuple[int, int] | None:
    """The span of the passage sentence sharing most words (and names/numbers) with `claim`."""
    chunk = passage.chunk
    if not chunk.sentence_spans:
        return None
    claim_words = set(tokenize(claim, chunk.language))
    claim_clues = clues(claim)
    best, best_score = None, 0.0
    for start, end in chunk.sentence_spans:
        sentence = chunk.text[start:end]
        shared = len(claim_words & set(tokenize(sentence, chunk.language))) / len(claim_words) if claim_words else 0.0
        score = shared + (clue_overlap(claim_clues, sentence) if claim_clues else 0.0)
        if score > best_score:
            best, best_score = (start, end), score
    if best is None:
        # Nothing shared (e.g. the answer is in another language): the sentence closest to the question.
        similarities = passage.sentence_similarities
        k = int(similarities.argmax()) if similarities.size else 0
        best = chunk.sentence_spans[min(k, len(chunk.sentence_spans) - 1)]
    return best


class LLMAnswerer(Answerer):
    """Streams an answer from an OpenAI-compatible chat endpoint; falls back to `fallback` on failure."""

    name = "llm"

    def __init__(
        self,
        api_base: str,
        model: str = "gpt-4o-mini",
        api_key: str | None = None,
        timeout: float = 60.0,
        temperature: float = 0.1,
        max_tokens: int = 512,
        fallback: Answerer | None = None,
        max_retries: int = 0,
        llm: Any = None,
    ) -> None:
        """`timeout` bounds each network wait (connecting, and every pause between streamed pieces)."""
        if llm is None:
            from llama_index.llms.openai_like import OpenAILike

            llm = OpenAILike(
                api_base=api_base,
                api_key=api_key or "none",
                model=model,
                timeout=timeout,
                temperature=temperature,
                max_tokens=max_tokens,
                max_retries=max_retries,
                is_chat_model=True,
                is_function_calling_model=False,
            )
        self.llm = llm
        self.fallback = fallback or ExtractiveAnswerer()

    @classmethod
    def from_settings(cls, settings: Any, fallback: Answerer | None = None) -> LLMAnswerer:
        if not settings.llm_api_base:
            raise ValueError("the llm answerer needs llm_api_base (an OpenAI-compatible endpoint)")
        return cls(
            api_base=settings.llm_api_base,
            model=settings.llm_model,
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout,
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
            fallback=fallback,
        )

    # -- prompting --------------------------------------------------------------------------------
    def messages(self, question: str, language: str, passages: list[RetrievedPassage]) -> list[Any]:
        """The system prompt in `language` and the user message with the fenced, numbered sources."""
        from llama_index.core.llms import ChatMessage, MessageRole

        user = load_prompt("answer", language).format(
            sources=format_sources(passages),
            question=question.strip(),
            language_name=message("language_name", language),
        )
        return [
            ChatMessage(role=MessageRole.SYSTEM, content=load_prompt("system", language)),
            ChatMessage(role=MessageRole.USER, content=user),
        ]

    def complete(self, prompt: str) -> str:
        """One non-streaming chat turn (used to condense follow-ups); raises on any failure."""
        from llama_index.core.llms import ChatMessage, MessageRole

        response = self.llm.chat([ChatMessage(role=MessageRole.USER, content=prompt)])
        return (response.message.content or "").strip()

    # -- answering --------------------------------------------------------------------------------
    def stream(self, question: str, language: str, passages: list[RetrievedPassage]) -> Iterator[str | Answer]:
        rewriter = CitationRewriter(len(passages))
        streamed = False
        try:
            for response in self.llm.stream_chat(self.messages(question, language, passages)):
                piece = rewriter.feed(response.delta or "")
                if piece:
                    streamed = True
                    yield piece
            piece = rewriter.finish()
            if piece:
                streamed = True
                yield piece
            if not rewriter.text.strip():
                raise LLMFailure(message("llm_reason_empty", language))
        except Exception as error:
            yield from self._fall_back(question, language, passages, failure_reason(error, language), streamed)
            return
        yield self._answer(question, language, passages, rewriter)

    def _answer(
        self, question: str, language: str, passages: list[RetrievedPassage], rewriter: CitationRewriter
    ) -> Answer:
        text = rewriter.text
        citations: list[Citation] = [citation_for(passages[index], n) for n, index in enumerate(rewriter.order, 1)]
        for claim, numbers in claims(text, rewriter.spans):
            for n in numbers:
                span = best_sentence(claim, passages[rewriter.order[n - 1]])
                if span is not None and span not in citations[n - 1].quote_spans:
                    citations[n - 1].quote_spans.append(span)
        for citation in citations:
            citation.quote_spans.sort()
        notices = []
        if rewriter.removed:
            notices.append(message("citations_removed", language, numbers=", ".join(dict.fromkeys(rewriter.removed))))
        return Answer(
            question=question, text=text, language=language, citations=citations, answerer=self.name, notices=notices
        )

    def _fall_back(
        self, question: str, language: str, passages: list[RetrievedPassage], reason: str, streamed: bool
    ) -> Iterator[str | Answer]:
        """The fallback's answer with a notice; its text is streamed only if nothing was streamed before."""
        answer: Answer | None = None
        for item in self.fallback.stream(question, language, passages):
            if isinstance(item, Answer):
                answer = item
            elif not streamed:
                yield item
        assert answer is not None
        notices = [message("llm_fallback", language, reason=reason)]
        if streamed:
            notices.append(message("llm_superseded", language))
        answer.notices = notices + answer.notices
        yield answer
