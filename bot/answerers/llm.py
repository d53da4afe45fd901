"""The generative answerer: any OpenAI-compatible endpoint writes the answer, cited and checked here.

The model sees the system prompt and the retrieved passages numbered [1]..[k], fenced as data.
Its reply is streamed; citations are checked and renumbered *while* streaming (see
`citation_markers`), so the streamed text is the final `Answer.text` when the reply is used as
written, each `[n]` matches `Citation.n`, and every citation carries the passage sentences that best
support what it follows.

One deadline (`timeout` seconds) bounds the whole call: connecting, the first token and the whole
stream. httpx's own timeout bounds each read only, so a server trickling a token every few seconds
would never trip it; the reply is therefore read on a worker thread (`Pump`) and the reader stops
waiting at the deadline.

A reply is used only when it finished (the server sent a `finish_reason`), holds words, and cites
the passages. An uncited reply is repaired when every sentence restates a source sentence: newsbot
adds the markers to the final text (not to what was streamed) and says so. Otherwise, and on any
failure, the extractive answer is served with a notice giving the true reason: could not connect,
HTTP status, deadline, interrupted after N characters, server error, empty reply, or uncited. If
text was already streamed, it is superseded: no more deltas are sent, and the final `Answer`
(extractive, with a notice saying so) is what the reader should be shown.
"""

from __future__ import annotations

import contextvars
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.answer import Answer, Citation
from bot.answerers.base import Answerer
from bot.answerers.citation_markers import CitationRewriter, claims
from bot.answerers.extractive import ExtractiveAnswerer, citation_for
from bot.retriever import RetrievedPassage
from bot.signals import clue_overlap, clues
from index.lexical import tokenize
from index.sentences import sentence_spans
from prompts import load_prompt, message

FENCE = re.compile(r"<{3,}|>{3,}")
"""Runs of angle brackets, as in the <<<SOURCES / SOURCES>>> fence: removed from passage text."""

CLUE_TIE_BREAK = 0.1
"""Weight of shared names and numbers when picking the quoted sentence: under one shared word in ten."""
REPAIR_SHARE = 2 / 3
"""Share of an uncited sentence's content words one source sentence must hold for newsbot to cite it
(with all its numbers): half lets "Riverton is a lovely town" pass on "The town of Riverton …"."""

_CLOSING = ".!?…:; \t\n"
"""End-of-sentence punctuation a citation marker goes before ("… homes [1].")."""

T = TypeVar("T")


class LLMFailure(Exception):
    """The model gave nothing usable; `reason` is reader-facing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DeadlineExceeded(TimeoutError):
    """The whole LLM call (connect, first token, stream) outlasted its deadline."""


def failure_reason(error: BaseException, language: str, deadline: float, received: int = 0) -> str:
    """A short, reader-facing reason for `error`, true to what happened.

    `deadline` is the call's limit in seconds and `received` the characters of reply read before
    the failure. The openai client wraps httpx errors raised while *sending* (connect, write) in
    `APIConnectionError`, but lets errors while *reading the stream* through unwrapped; both are
    judged by the underlying httpx error.
    """
    import httpx
    import openai

    if isinstance(error, LLMFailure):
        return error.reason
    if isinstance(error, openai.APIStatusError):
        return message("llm_reason_http", language, status=error.status_code)
    cause = error.__cause__ if isinstance(error, openai.APIConnectionError) and error.__cause__ else error
    if isinstance(error, openai.APITimeoutError) or isinstance(cause, httpx.TimeoutException | TimeoutError):
        return message("llm_reason_deadline", language, seconds=f"{deadline:g}")
    if isinstance(cause, httpx.ConnectError | httpx.UnsupportedProtocol | httpx.ProxyError | ConnectionRefusedError):
        return message("llm_reason_connection", language)  # refused, unreachable, DNS, bad URL
    if isinstance(cause, httpx.TransportError | ConnectionError | openai.APIConnectionError):
        return interrupted(language, received)
    if isinstance(error, openai.APIError):  # an `error` event in the stream
        return message("llm_reason_server_error", language, chars=received)
    return message("llm_reason_error", language, kind=type(error).__name__)


def interrupted(language: str, received: int) -> str:
    """The reason for a connection that dropped after `received` characters of reply."""
    if not received:
        return message("llm_reason_closed", language)
    return message("llm_reason_interrupted", language, chars=received)


_ITEM, _END, _ERROR = "item", "end", "error"


class Pump(Generic[T]):
    """Iterates a blocking iterable on a daemon thread, so the reader can give up at a deadline.

    Every item is stamped when it arrives: an item that arrived in time is used even if the reader
    (e.g. a slow web client) picks it up late, and nothing that arrives after the deadline is. When
    the reader stops (deadline, error or `close`), the thread stops at its next item, or at the
    client's own read timeout, and closes the iterator, which closes the HTTP response.
    """

    def __init__(self, produce: Callable[[], Iterable[T]], deadline_at: float) -> None:
        """`produce` is called on the thread (the request is sent there); `deadline_at` is a `time.monotonic()`."""
        self.deadline_at = deadline_at
        self._items: queue.SimpleQueue[tuple[str, Any, float]] = queue.SimpleQueue()
        self._stop = threading.Event()
        context = contextvars.copy_context()  # llama-index instrumentation spans live in contextvars
        self._thread = threading.Thread(target=context.run, args=(self._run, produce), name="newsbot-llm", daemon=True)
        self._thread.start()

    def _run(self, produce: Callable[[], Iterable[T]]) -> None:
        try:
            iterator = iter(produce())
            try:
                for item in iterator:
                    if self._stop.is_set():
                        break
                    self._items.put((_ITEM, item, time.monotonic()))
            finally:
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()
        except BaseException as error:  # handed to the reader, who decides
            self._items.put((_ERROR, error, time.monotonic()))
        else:
            self._items.put((_END, None, time.monotonic()))

    def __iter__(self) -> Iterator[T]:
        try:
            while True:
                try:
                    kind, value, arrived = self._items.get(timeout=max(0.0, self.deadline_at - time.monotonic()))
                except queue.Empty:
                    raise DeadlineExceeded() from None
                if arrived > self.deadline_at:
                    raise DeadlineExceeded()
                if kind == _END:
                    return
                if kind == _ERROR:
                    raise value
                yield value
        finally:
            self.close()

    def close(self) -> None:
        """Tell the thread to stop and close the stream; it does so at its next item or read timeout."""
        self._stop.set()


@dataclass
class ReplyState:
    """What the stream said about itself: characters received, and whether (and why) it finished."""

    received: int = 0
    finish_reason: str | None = None
    reports_finish: bool = False
    """Whether the chunks are OpenAI chunks, which carry `finish_reason` on the last one."""

    def note(self, response: Any) -> None:
        self.received += len(response.delta or "")
        choices = getattr(getattr(response, "raw", None), "choices", None)
        if choices is not None:
            self.reports_finish = True
            for choice in choices:
                self.finish_reason = getattr(choice, "finish_reason", None) or self.finish_reason

    @property
    def cut_off(self) -> bool:
        """The stream ended without the server saying it finished: the connection dropped."""
        return self.reports_finish and self.finish_reason is None


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
        # names and numbers are words already counted; shared ones only break ties
        score = shared + CLUE_TIE_BREAK * (clue_overlap(claim_clues, sentence) if claim_clues else 0.0)
        if score > best_score:
            best, best_score = (start, end), score
    if best is None:
        # Nothing shared (e.g. the answer is in another language): the sentence closest to the question.
        similarities = passage.sentence_similarities
        k = int(similarities.argmax()) if similarities.size else 0
        best = chunk.sentence_spans[min(k, len(chunk.sentence_spans) - 1)]
    return best


def restating_passage(sentence: str, language: str, passages: list[RetrievedPassage]) -> int | None:
    """The passage (0-based) with a sentence that restates `sentence`: most of its content words
    (`REPAIR_SHARE`) and every number it gives; None when no passage sentence does."""
    words = set(tokenize(sentence, language))
    if not words:
        return None
    numbers = {clue for clue in clues(sentence) if clue.isdigit()}
    best, best_share = None, 0.0
    for index, passage in enumerate(passages):
        chunk = passage.chunk
        for start, end in chunk.sentence_spans or [(0, len(chunk.text))]:
            source = chunk.text[start:end]
            share = len(words & set(tokenize(source, chunk.language))) / len(words)
            if share > best_share and (not numbers or clue_overlap(numbers, source) == 1.0):
                best, best_share = index, share
    return best if best_share >= REPAIR_SHARE else None


def cite_uncited(text: str, language: str, passages: list[RetrievedPassage]) -> str | None:
    """`text` with `[n]` (1-based passage numbers) after each sentence, or None when a sentence that
    says something restates no source sentence: then the reply cannot be vouched for."""
    pieces: list[str] = []
    last = 0
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if not tokenize(sentence, language):
            continue  # no content words ("Yes."): nothing to cite
        index = restating_passage(sentence, language, passages)
        if index is None:
            return None
        cut = start + len(sentence.rstrip(_CLOSING))
        pieces.append(f"{text[last:cut]} [{index + 1}]")
        last = cut
    if not pieces:
        return None
    return "".join(pieces) + text[last:]


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
        """`timeout` is the deadline of one whole call in seconds (connect, first token, whole stream).

        It is also the client's per-read timeout, which only bounds how long an abandoned worker
        thread may linger after the deadline.
        """
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
        self.deadline = timeout
        self.max_tokens = max_tokens
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
        """One non-streaming chat turn (used to condense follow-ups), within the deadline; raises on any failure."""
        from llama_index.core.llms import ChatMessage, MessageRole

        def reply() -> Iterator[str]:
            response = self.llm.chat([ChatMessage(role=MessageRole.USER, content=prompt)])
            yield (response.message.content or "").strip()

        for text in Pump(reply, time.monotonic() + self.deadline):
            return text
        raise LLMFailure("no reply")  # unreachable: `reply` yields once or raises

    # -- answering --------------------------------------------------------------------------------
    def stream(self, question: str, language: str, passages: list[RetrievedPassage]) -> Iterator[str | Answer]:
        deadline_at = time.monotonic() + self.deadline
        rewriter = CitationRewriter(len(passages))
        state = ReplyState()
        streamed = False
        pump: Pump[Any] | None = None
        try:
            chat = self.messages(question, language, passages)
            pump = Pump(lambda: self.llm.stream_chat(chat), deadline_at)
            for response in pump:
                state.note(response)
                piece = rewriter.feed(response.delta or "")
                if piece:
                    streamed = True
                    yield piece
            piece = rewriter.finish()
            if piece:
                streamed = True
                yield piece
            answer = self._checked(question, language, passages, rewriter, state)
        except Exception as error:
            reason = failure_reason(error, language, self.deadline, state.received)
            yield from self._fall_back(question, language, passages, reason, streamed)
            return
        finally:
            if pump is not None:
                pump.close()  # also when the reader abandons this generator
        yield answer

    def _checked(
        self,
        question: str,
        language: str,
        passages: list[RetrievedPassage],
        rewriter: CitationRewriter,
        state: ReplyState,
    ) -> Answer:
        """The finished reply as an `Answer`, or `LLMFailure` when it was cut off, empty, or uncited beyond repair."""
        if state.cut_off:
            raise LLMFailure(interrupted(language, state.received))
        text = rewriter.text
        uncited_text = "".join(text[a:b] for a, b in _gaps(rewriter.spans, len(text)))
        if not re.search(r"\w", uncited_text):
            raise LLMFailure(message("llm_reason_empty", language))
        notices = []
        if rewriter.removed:
            notices.append(message("citations_removed", language, numbers=", ".join(dict.fromkeys(rewriter.removed))))
        if not rewriter.order:
            repaired = cite_uncited(text, language, passages)
            if repaired is None:
                raise LLMFailure(message("llm_reason_uncited", language))
            rewriter = CitationRewriter(len(passages))
            rewriter.feed(repaired)
            rewriter.finish()
            notices.append(message("llm_citations_added", language))
        if state.finish_reason == "length":
            notices.append(message("llm_truncated", language, max_tokens=self.max_tokens))
        return self._answer(question, language, passages, rewriter, notices)

    def _answer(
        self,
        question: str,
        language: str,
        passages: list[RetrievedPassage],
        rewriter: CitationRewriter,
        notices: list[str],
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


def _gaps(spans: list[tuple[int, int, list[int]]], length: int) -> Iterator[tuple[int, int]]:
    """The stretches of a text of `length` between its citation groups."""
    previous = 0
    for start, end, _ in spans:
        yield previous, start
        previous = end
    yield previous, length
