"""The chat turn as plain Python: a question in, a stream of (messages, sources panel) out."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from bot.answer import Answer
from bot.filters import SearchFilters
from bot.newsbot import NewsBot
from bot.web.answer_html import render_answer, render_error, render_partial, render_question
from bot.web.i18n import t
from bot.web.session import ReadWriteLock, WebSession
from bot.web.sources_html import render_sources
from bot.web.workers import AnswerProcesses

log = logging.getLogger(__name__)


class InputError(ValueError):
    """A problem with what the reader typed, shown in the chat in the interface language."""


def build_filters(
    languages: Sequence[str] | None,
    sources: Sequence[str] | None,
    since: str | None,
    until: str | None,
    lang: str,
) -> SearchFilters | None:
    """The search filters from the controls, or None when nothing is set."""
    values: dict[str, Any] = {"languages": list(languages or []), "sources": list(sources or [])}
    for key, raw in (("since", since), ("until", until)):
        raw = (raw or "").strip()
        if raw:
            try:
                values[key] = SearchFilters(**{key: raw}).model_dump()[key]
            except ValueError as exc:
                raise InputError(t("bad_date", lang, value=raw)) from exc
    filters = SearchFilters(**values)
    return None if filters.empty else filters


UPDATE_INTERVAL = 0.1
"""Seconds between streamed updates of one answer, the first counted from the question. Each update
re-sends the whole conversation, which costs the server more than answering does (measured: 85 ms of
CPU per request with an update per sentence, of which the answer took 25 ms); pieces that arrive
faster are shown together, and an answer done within the interval is sent once, finished."""


def stream_turn(
    bot: NewsBot,
    session: WebSession,
    question: str,
    *,
    language: str | None,
    filters: SearchFilters | None,
    answerer: str | None,
    lang: str,
    lock: ReadWriteLock,
    workers: AnswerProcesses | None = None,
) -> Iterator[tuple[list[dict[str, Any]], str]]:
    """Append the question and the answer as it streams to `session.messages`; yield (messages, panel HTML).

    `language` forces the answer language (None = detect), `lang` is the interface language; `workers`,
    when given, make extractive answers (this process makes them if one stopped).
    """
    turn = len(session.turns) + 1
    notices: list[str] = []
    if answerer == "llm" and not bot.settings.llm_configured:
        answerer = "extractive"
        notices.append(t("llm_not_configured", lang))
    session.messages.append({"role": "user", "content": render_question(question)})
    reply: dict[str, Any] = {"role": "assistant", "content": render_partial("", turn, lang)}
    session.messages.append(reply)
    panel = render_sources(session.turns, lang)
    yield session.messages, panel

    session.chat.language = language
    session.chat.answerer = answerer
    text = ""
    answer: Answer | None = None
    shown_at = time.monotonic()  # the question is on screen; pieces wait until the answer takes a while
    try:
        with lock.read():
            if workers is not None and (answerer or bot.settings.answerer) == "extractive":
                try:
                    answer, session.chat.history = workers.ask(question, language, filters, session.chat.history)
                except BrokenProcessPool:
                    log.warning("answering %r in the server: its answering process stopped", question)
            for item in () if answer else session.chat.stream(question, filters):
                if isinstance(item, Answer):
                    answer = item
                    continue
                text += item
                if time.monotonic() - shown_at >= UPDATE_INTERVAL:  # coalesced: a quick answer arrives whole
                    reply["content"] = render_partial(text, turn, lang)
                    shown_at = time.monotonic()
                    yield session.messages, panel
    except Exception as exc:  # the reader sees the problem; the server keeps serving
        log.exception("answering %r failed", question)
        reply["content"] = render_error(t("error", lang, error=str(exc) or type(exc).__name__))
        yield session.messages, panel
        return
    assert answer is not None
    answer.notices = [*notices, *answer.notices]
    session.turns.append(answer)
    reply["content"] = render_answer(answer, turn, lang)
    yield session.messages, render_sources(session.turns, lang)
