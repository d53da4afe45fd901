"""How a figure was reported over time: one value per article, in date order, each with its source.

Per article the figure taken is the first one stated in reading order: news ledes give the current
figure ("the toll has risen to 23") and recaps or corrections follow, so a later article that
recounts the earlier 14 is still read as reporting 23.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.news.figures import Figure, figures_in
from bot.retriever import RetrievedPassage


@dataclass(frozen=True)
class ReportedFigure:
    """A value of a concept as one article reported it."""

    figure: Figure
    passage_index: int
    sentence_span: tuple[int, int]
    doc_id: str
    date: str
    source: str

    @property
    def value(self) -> int:
        return self.figure.value


def figure_history(passages: list[RetrievedPassage], quantity: str) -> list[ReportedFigure]:
    """The figure of `quantity` (a key such as 'deaths' or 'injured:nationals-mexico') in each article
    about the story, oldest first (undated articles last).

    Only that very quantity counts: the dead of one nation, or the injured still in hospital, are
    other figures than the toll. The caller passes the passages about one story (`on_the_story`).
    """
    by_article: dict[str, ReportedFigure] = {}
    ordered = sorted(enumerate(passages), key=lambda item: (item[1].chunk.doc_id, item[1].chunk.index))
    for index, passage in ordered:
        chunk = passage.chunk
        if chunk.doc_id in by_article:
            continue
        for start, end in chunk.sentence_spans:
            match = next((f for f in figures_in(chunk.text[start:end]) if f.concept == quantity), None)
            if match:
                by_article[chunk.doc_id] = ReportedFigure(
                    match, index, (start, end), chunk.doc_id, chunk.date, chunk.source
                )
                break
    return sorted(by_article.values(), key=lambda r: (r.date or "9999", r.source, r.value))


def condensed(history: list[ReportedFigure]) -> list[ReportedFigure]:
    """Keep the first report of each step: a report repeating the previous value adds nothing new."""
    kept: list[ReportedFigure] = []
    for report in history:
        if kept and kept[-1].value == report.value:
            continue
        kept.append(report)
    return kept
