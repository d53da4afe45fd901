"""The typed result every answerer returns, whatever produced it."""

from __future__ import annotations

from pydantic import BaseModel, Field, computed_field

from eval.grounding.types import GroundingReport


class Citation(BaseModel):
    """A numbered source of an answer: which passage, and the exact quote the answer relies on."""

    n: int = Field(description="The number used inline as [n].")
    doc_id: str
    chunk_id: str
    title: str = ""
    source: str = ""
    date: str = ""
    url: str = ""
    language: str = ""
    passage: str = Field("", description="The full cited chunk text.")
    quote_spans: list[tuple[int, int]] = Field(
        default_factory=list, description="Spans of the sentences the answer relies on, within `passage`."
    )
    passage_start: int = Field(0, description="Offset of `passage` in the article, to map spans to the article.")
    segments: list[tuple[int, int]] = Field(
        default_factory=list,
        description="For a passage joined from parts of the article: (offset in `passage`, offset in the article) "
        "where each part starts.",
    )
    score: float = 0.0

    @computed_field
    @property
    def quotes(self) -> list[str]:
        return [self.passage[a:b] for a, b in self.quote_spans]

    @computed_field
    @property
    def quote(self) -> str:
        return " … ".join(self.quotes)

    @computed_field
    @property
    def char_spans(self) -> list[tuple[int, int]]:
        """The quoted sentences' spans in the whole article."""
        segments = self.segments or [(0, self.passage_start)]
        spans = []
        for a, b in self.quote_spans:
            here, there = max((s for s in segments if s[0] <= a), default=segments[0])
            spans.append((a - here + there, b - here + there))
        return spans


class ReportedValue(BaseModel):
    """One value of a disputed figure as one report gave it, cited as [n]."""

    concept: str = Field(description="What is counted: deaths, police, gunmen, civilians, vehicles, injured.")
    value: int
    date: str = ""
    source: str = ""
    n: int = Field(description="The citation that states this value.")


class SourceCount(BaseModel):
    """How many independent outlets stand behind a result: copies of one wire story count once."""

    outlets: int = Field(0, description="Independent sources: outlets, with syndicated or translated copies merged.")
    articles: int = Field(0, description="Articles cited.")


class Answer(BaseModel):
    """An answer with its citations, language, timings and grounding verdicts."""

    question: str
    text: str
    language: str
    citations: list[Citation] = Field(default_factory=list)
    refused: bool = False
    refusal_reason: str = Field(
        "",
        description="Why the corpus does not answer: nothing found, names absent, asked-for thing absent, "
        "weak evidence.",
    )
    asked_for: str = Field("", description="What the question asks for: count, amount, person, place, … or other.")
    answers_question: bool | None = Field(
        None,
        description="Whether the answer holds what was asked (a count of the asked quantity, a name …); "
        "None when the question asks for nothing typed. Faithfulness says the quotes are true; this says "
        "they answer.",
    )
    answerer: str = "extractive"
    notices: list[str] = Field(default_factory=list, description="Messages for the reader, e.g. an LLM fallback.")
    nearest: list[Citation] = Field(default_factory=list, description="Closest sources, shown with a refusal.")
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per stage.")
    grounding: GroundingReport | None = None
    standalone_question: str = Field("", description="The question after condensing a follow-up.")
    figures: list[ReportedValue] = Field(
        default_factory=list, description="How the asked-for figure was reported over time, oldest first."
    )
    lead: str = Field(
        "", description="Sentences newsbot composed from `figures` to open the answer (checked by attribution)."
    )
    sources: SourceCount = Field(default_factory=SourceCount, description="Independent outlets behind the citations.")
