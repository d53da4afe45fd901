"""Per-browser conversation state and the lock that keeps uploads from racing questions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.answer import Answer
from bot.newsbot import ChatSession, NewsBot


@dataclass
class WebSession:
    """One browser tab's conversation: the bot's chat history, the answers so far, the chat messages."""

    chat: ChatSession
    turns: list[Answer] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def start(cls, bot: NewsBot) -> WebSession:
        return cls(chat=bot.chat())

    def __deepcopy__(self, memo: dict[int, Any]) -> WebSession:
        # Gradio copies state values; the bot behind the session must be shared, never copied.
        return self


class ReadWriteLock:
    """Many readers (questions) at once, or one writer (an ingest)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._writing = True  # new readers now wait
            while self._readers:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()
