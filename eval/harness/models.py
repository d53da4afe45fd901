"""The harness's results: one CaseResult per question, grouped per suite, gathered in a Report.

report.json is `Report.model_dump_json()`, so a later run can load an old report as its baseline.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from eval.harness.metrics import SentenceCitations


class CitedPassage(BaseModel):
    """A citation as shown with a failing case: which document, in which language, and its passage."""

    n: int
    doc_id: str
    title: str = ""
    language: str = ""
    passage: str = ""


class CaseResult(BaseModel):
    """One question asked, what came back, and its scores (None where a metric does not apply)."""

    id: str
    question: str
    language: str
    answerable: bool
    follow_up_of: str | None = None
    notes: str = ""
    gold_answers: list[str] = Field(default_factory=list)
    gold_doc_ids: list[str] = Field(default_factory=list)
    source_language: str = Field(description="Language(s) of the gold documents, else of the cited ones; '+'-joined.")
    answer: str
    answer_language: str
    text_language: str | None = Field(None, description="Detected language of a non-refused answer's text.")
    refused: bool
    standalone_question: str = ""
    citations: list[CitedPassage] = Field(default_factory=list)
    retrieved_doc_ids: list[str] = Field(default_factory=list, description="Document ranking from retrieve(k=10).")
    gold_rank: int | None = None
    sentences: list[SentenceCitations] = Field(default_factory=list)
    scores: dict[str, float | None] = Field(default_factory=dict)
    failures: list[str] = Field(default_factory=list, description="Why this case counts as failing, if it does.")

    @property
    def group(self) -> str:
        """The breakdown cell: question language → source language."""
        return f"{self.language}→{self.source_language}"


class GroupResult(BaseModel):
    """Aggregated metrics over some cases."""

    n: int
    metrics: dict[str, float | None]


class SuiteResult(BaseModel):
    name: str
    path: str
    corpus: list[str] = Field(default_factory=list)
    overall: GroupResult
    breakdown: dict[str, GroupResult] = Field(default_factory=dict, description="By question → source language.")
    cases: list[CaseResult] = Field(default_factory=list)


class Report(BaseModel):
    """A whole run: settings that shape the figures, each suite, and all cases together."""

    created: str
    answerer: str
    settings: dict[str, object] = Field(default_factory=dict)
    suites: list[SuiteResult]
    overall: GroupResult

    def metrics_by_scope(self) -> dict[str, dict[str, float | None]]:
        """One entry per suite, plus 'all' when there are several: what tables and baselines compare."""
        by_suite = {s.name: s.overall.metrics for s in self.suites}
        return {"all": self.overall.metrics, **by_suite} if len(by_suite) > 1 else by_suite

    def sizes_by_scope(self) -> dict[str, int]:
        return {"all": self.overall.n, **{s.name: s.overall.n for s in self.suites}}
