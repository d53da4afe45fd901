"""A story's dated key facts, oldest first, each a quoted sentence with its citation.

Key facts are the sentences that carry figures (tolls, counts) plus each article's sentence closest
to the query, so the reader sees how the story developed from report to report.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.answer import Citation
from bot.answerers.extractive import citation_for
from bot.news.figures import figures_in
from bot.retriever import RetrievedPassage, on_the_story

FACTS_PER_ARTICLE = 2


class TimelineEntry(BaseModel):
    """One dated fact."""

    date: str
    source: str
    title: str
    text: str = Field(description="The quoted sentence.")
    n: int = Field(description="Its citation number.")
    language: str = ""
    figures: list[str] = Field(default_factory=list, description="Figures it states, e.g. 'deaths: 21'.")


class Timeline(BaseModel):
    """The dated key facts about a story."""

    query: str
    language: str
    entries: list[TimelineEntry] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


def build_timeline(query: str, language: str, passages: list[RetrievedPassage]) -> Timeline:
    """Pick up to `FACTS_PER_ARTICLE` key sentences per article and order them by article date."""
    picked: dict[str, list[tuple[RetrievedPassage, tuple[int, int], list[str]]]] = {}
    seen_texts: set[str] = set()
    for passage in on_the_story(passages):
        chunk = passage.chunk
        ranked = sorted(
            range(len(chunk.sentence_spans)),
            key=lambda k: -float(passage.sentence_similarities[k]) if k < passage.sentence_similarities.size else 0.0,
        )
        with_figures = [
            k for k in range(len(chunk.sentence_spans)) if figures_in(chunk.text[slice(*chunk.sentence_spans[k])])
        ]
        for k in dict.fromkeys([*with_figures, *ranked[:1]]):
            span = chunk.sentence_spans[k]
            text = chunk.text[span[0] : span[1]]
            slots = picked.setdefault(chunk.doc_id, [])
            if len(slots) >= FACTS_PER_ARTICLE or text in seen_texts:
                continue
            seen_texts.add(text)
            slots.append((passage, span, [f"{f.concept}: {f.value}" for f in figures_in(text)]))
    rows = sorted(
        (item for items in picked.values() for item in items),
        key=lambda item: (item[0].chunk.date or "9999", item[0].chunk.source, item[1][0]),
    )
    citations: dict[str, Citation] = {}
    entries = []
    for passage, span, figures in rows:
        chunk = passage.chunk
        citation = citations.get(chunk.id)
        if citation is None:
            citation = citations[chunk.id] = citation_for(passage, len(citations) + 1)
        citation.quote_spans.append(span)
        entries.append(
            TimelineEntry(
                date=chunk.date,
                source=chunk.source,
                title=chunk.title,
                text=chunk.text[span[0] : span[1]],
                n=citation.n,
                language=chunk.language,
                figures=figures,
            )
        )
    return Timeline(query=query, language=language, entries=entries, citations=list(citations.values()))
