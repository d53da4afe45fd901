"""The answerer interface: passages in, a cited `Answer` out, optionally streamed."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator

from bot.answer import Answer
from bot.retriever import RetrievedPassage


class Answerer(ABC):
    """Implement `stream`: yield text as it is produced, then the finished `Answer` last."""

    name: str = "answerer"

    @abstractmethod
    def stream(self, question: str, language: str, passages: list[RetrievedPassage]) -> Iterator[str | Answer]:
        """Yield pieces of answer text, then the complete `Answer` as the final item."""

    def answer(self, question: str, language: str, passages: list[RetrievedPassage]) -> Answer:
        """Run `stream` to the end and return its `Answer`."""
        final: Answer | None = None
        for item in self.stream(question, language, passages):
            if isinstance(item, Answer):
                final = item
        if final is None:
            raise RuntimeError(f"{type(self).__name__}.stream ended without an Answer")
        return final
