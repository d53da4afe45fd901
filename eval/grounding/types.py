"""Typed inputs and outputs of the grounding checker."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Verdict = Literal["supported", "partial", "unsupported", "uncited"]


class CitedSentence(BaseModel):
    """One answer sentence and the citation numbers it carries (`[1][3]` -> [1, 3])."""

    text: str
    citations: list[int] = Field(default_factory=list)


class Evidence(BaseModel):
    """Why a sentence was judged as it was against one cited passage."""

    citation: int | None = Field(None, description="The [n] of the passage this evidence comes from.")
    span: tuple[int, int] | None = Field(None, description="Best-matching span in the passage text.")
    matched: list[str] = Field(default_factory=list, description="Words, numbers or names found in both.")
    clashed: list[str] = Field(default_factory=list, description="Numbers or names that disagree.")
    similarity: float = 0.0


class SentenceCheck(BaseModel):
    """The verdict on one answer sentence."""

    sentence: str
    citations: list[int] = Field(default_factory=list)
    verdict: Verdict
    score: float = Field(ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)
    reasons: list[str] = Field(
        default_factory=list, description="Human-readable notes, e.g. 'citation [7] out of range'."
    )


class GroundingReport(BaseModel):
    """Sentence verdicts plus the overall faithfulness (supported sentences / all sentences)."""

    sentences: list[SentenceCheck] = Field(default_factory=list)
    faithfulness: float = 1.0
    problems: list[str] = Field(default_factory=list, description="Structural problems: bad citations, missing quotes.")

    @property
    def supported(self) -> int:
        return sum(1 for s in self.sentences if s.verdict == "supported")

    @property
    def badge(self) -> str:
        return f"{self.supported}/{len(self.sentences)}"
