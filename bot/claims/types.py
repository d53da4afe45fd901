"""The typed result of checking a claim against the archive."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from bot.answer import Citation, ReportedValue, SourceCount
from eval.grounding.types import GroundingReport

ClaimVerdict = Literal["supported", "contradicted", "outdated", "disputed", "not_in_archive"]

WEAKEST_FIRST: tuple[ClaimVerdict, ...] = ("contradicted", "outdated", "disputed", "not_in_archive", "supported")
"""A claim is as good as its weakest part: one false figure makes it false, whatever else is right."""


def weakest(verdicts: list[ClaimVerdict]) -> ClaimVerdict:
    """The overall verdict of parts with these verdicts (no parts: nothing to check in the archive)."""
    return min(verdicts, key=WEAKEST_FIRST.index) if verdicts else "not_in_archive"


class ClaimPart(BaseModel):
    """One checkable part of a claim (a figure, or a statement of who did what where) and its verdict."""

    kind: Literal["figure", "statement"]
    text: str = Field(description="The part as it reads in the claim.")
    quantity: str = Field("", description="For a figure: what it counts ('deaths', 'injured:nationals-mexico').")
    value: int | None = Field(None, description="For a figure: the number claimed.")
    bound: Literal["exact", "at_least", "more_than"] = Field(
        "exact", description="'at least 50' and 'more than 50' are met by any larger report."
    )
    verdict: ClaimVerdict
    reason: str = Field(description="Why, in the claim's language, naming the reports that settle it.")
    supporting: list[int] = Field(default_factory=list, description="Citations that back the part.")
    opposing: list[int] = Field(default_factory=list, description="Citations that contradict or revise it.")
    history: list[ReportedValue] = Field(
        default_factory=list, description="For a figure: how its quantity was reported, oldest first."
    )


class ClaimCheck(BaseModel):
    """A claim held against the archive: a verdict per part, the overall (weakest) verdict, the evidence."""

    claim: str
    language: str
    verdict: ClaimVerdict
    parts: list[ClaimPart] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list, description="Every passage the parts cite, numbered.")
    sources: SourceCount = Field(default_factory=SourceCount, description="Independent outlets behind the evidence.")
    grounding: GroundingReport | None = Field(
        None, description="Each quoted piece of evidence checked against the passage it is cited to."
    )
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per stage.")
