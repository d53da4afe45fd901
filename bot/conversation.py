"""Follow-up questions: history, and rewriting a follow-up into a question that stands alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.signals import clues, names
from prompts import load_prompt

FOLLOW_UP_START = re.compile(
    r"^\s*[¿¡]?\s*(and|but|also|what about|how about|and what|y|e|pero|también|tambien|qué hay de|que hay de|"
    r"y qué|y que|y cuántos|y cuantos|y quién|y quien|y cuándo|y cuando|y dónde|y donde)\b",
    re.I,
)
PRONOUNS = re.compile(
    r"\b(they|them|their|he|she|him|her|it|its|those|these|that|ellos|ellas|él|ella|eso|"
    r"esos|esas|ese|esa|aquel|aquellos|sus|su|les|lo|la)\b",
    re.I,
)
SHORT_QUESTION_WORDS = 6
_TIME_SHIFT = re.compile(
    r"\b(later|earlier|before|after|next day|days?|weeks?|después|despues|antes|luego|d[ií]as?|semanas?)\b", re.I
)
"""'And two days later?' keeps the whole question: only its time changes."""
FOCUS_SHIFT = re.compile(
    r"^\s*[¿¡]?\s*(?:(?:and|y|e)\s+)?(?:what about|how about|what of|qu[eé] (?:hay|pasa|pas[oó]) (?:de|con)|"
    r"(?:and|y)\s+(?=(?:the|el|la|los|las)\b))\s*(?P<focus>[^?]+?)\s*[?.!]*\s*$",
    re.I,
)
"""'What about the governor?', '¿y el alcalde?': the same story, another focus."""


@dataclass
class Turn:
    question: str
    standalone: str
    answer: str
    language: str


@dataclass
class History:
    """The last `max_turns` turns of a conversation."""

    max_turns: int = 6
    turns: list[Turn] = field(default_factory=list)

    def add(self, turn: Turn) -> None:
        self.turns.append(turn)
        del self.turns[: max(0, len(self.turns) - self.max_turns)]

    @property
    def language(self) -> str | None:
        return self.turns[-1].language if self.turns else None

    def as_text(self) -> str:
        return "\n".join(f"Q: {t.question}\nA: {t.answer}" for t in self.turns)


def looks_like_follow_up(question: str) -> bool:
    """Short, connective-led or pronoun-bearing questions lean on what came before."""
    words = re.findall(r"\w+", question)
    return bool(FOLLOW_UP_START.search(question) or len(words) <= SHORT_QUESTION_WORDS or PRONOUNS.search(question))


def condense(question: str, history: History, language: str, rewrite: Callable[[str], str] | None = None) -> str:
    """A standalone version of `question` in the same language.

    With an LLM (`rewrite` takes a prompt and returns text) it is asked to rewrite; without one,
    or when it fails, the previous standalone question is appended as context, which keeps the
    language and carries the topic's names into retrieval.
    """
    if not history.turns or not looks_like_follow_up(question):
        return question
    if rewrite is None and FOCUS_SHIFT.match(question) and not _TIME_SHIFT.search(question):
        story = names(clues(history.turns[-1].standalone))
        if story:  # keep the story's names, drop what was asked about it ('who was killed')
            return f"{question} ({', '.join(sorted(story))})"
    if rewrite is not None:
        prompt = load_prompt("condense", language).format(history=history.as_text(), question=question)
        try:
            rewritten = rewrite(prompt).strip()
        except Exception:
            rewritten = ""
        if rewritten:
            return rewritten.splitlines()[0]
    return f"{question} ({history.turns[-1].standalone})"
