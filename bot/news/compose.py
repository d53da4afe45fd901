"""Lead an answer with how a disputed figure was reported over time, each value cited to its report.

"Latest figure: 23 dead (3 Dec 2019, Border Wire) [1]. Earlier reports: 14 (30 Nov 2019, ...) [2],
21 (1 Dec 2019, ...) [3]." Values are never merged: each is quoted from the article that states it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer import Answer, Citation, ReportedValue
from bot.answerers.extractive import citation_for
from bot.news.dates import human_date
from bot.news.figures import EVENT_WORDS
from bot.news.history import ReportedFigure
from bot.news.time_scope import TimeScope
from bot.retriever import RetrievedPassage
from prompts import message

_MARKER = re.compile(r"\[(\d+)\]")


def grouped(value: int, language: str) -> str:
    """186400 -> '186,400' in English, '186.400' in Spanish (as the reports write them)."""
    text = f"{value:,}"
    return text.replace(",", ".") if language == "es" else text


def quantity_label(key: str, language: str) -> str:
    """'deaths:police' -> 'police officers dead' / 'policías muertos'; 'deaths:in-hospital' -> 'dead in hospital'."""
    parts = key.split(":")
    event = parts[0] if parts[0] in EVENT_WORDS else None
    group = parts[-1] if parts[-1] != event else None
    event_label = message(f"quantity_{event}", language) if event else ""
    if group and group.startswith("nationals-"):
        group_label = message("group_nationals", language, nation=message(f"nation_{group[10:]}", language))
    else:
        group_label = message(f"group_{group}", language) if group else ""
    pieces = (event_label, group_label) if group == "in-hospital" else (group_label, event_label)
    return " ".join(piece for piece in pieces if piece)


@dataclass(frozen=True)
class FigureSentences:
    """Composed sentences and the passage each [k] placeholder (k = position in `reports`) stands for."""

    text: str
    reports: list[ReportedFigure]


def figure_sentences(history: list[ReportedFigure], concept: str, scope: TimeScope, language: str) -> FigureSentences:
    """The lead sentence (latest, or first reports when asked) and the rest of the history in date order."""
    label = quantity_label(concept, language)
    earliest_first = scope.preference == "earliest"
    lead = history[0] if earliest_first else history[-1]
    others = [r for r in history if r is not lead]
    order = [lead, *others]

    def cite(report: ReportedFigure) -> str:
        return f"[{order.index(report) + 1}]"

    fields = {
        "value": grouped(lead.value, language),
        "label": label,
        "date": human_date(lead.date, language),
        "source": lead.source or "?",
        "cite": cite(lead),
    }
    if len(history) == 1:
        return FigureSentences(message("figures_one", language, **fields), order)
    if earliest_first:
        first = message("figures_first", language, **fields)
        rest_key = "figures_later"
    elif scope.until:
        first = message("figures_latest_until", language, until=human_date(scope.until, language), **fields)
        rest_key = "figures_earlier"
    else:
        first = message("figures_latest", language, **fields)
        rest_key = "figures_earlier"
    items = ", ".join(
        message(
            "figure_item",
            language,
            value=grouped(r.value, language),
            date=human_date(r.date, language),
            source=r.source or "?",
            cite=cite(r),
        )
        for r in others
    )
    text = first if not others else f"{first} {message(rest_key, language, items=items)}"
    return FigureSentences(text, order)


def lead_with(answer: Answer, composed: FigureSentences, passages: list[RetrievedPassage]) -> Answer:
    """Put `composed` before the answer; citations renumbered so the figures' reports come first."""
    citations: list[Citation] = []
    by_chunk: dict[str, Citation] = {}

    def number_for(chunk_id: str, make: callable) -> Citation:
        if chunk_id not in by_chunk:
            citation = make()
            citation.n = len(citations) + 1
            citations.append(citation)
            by_chunk[chunk_id] = citation
        return by_chunk[chunk_id]

    placeholder_to_n = {}
    for k, report in enumerate(composed.reports, start=1):
        passage = passages[report.passage_index]
        citation = number_for(passage.chunk.id, lambda p=passage: citation_for(p, 0))
        if report.sentence_span not in citation.quote_spans:
            citation.quote_spans.append(report.sentence_span)
        placeholder_to_n[k] = citation.n
    old_to_n = {}
    for old in answer.citations:
        citation = number_for(old.chunk_id, lambda o=old: o.model_copy(update={"quote_spans": []}))
        for span in old.quote_spans:
            if span not in citation.quote_spans:
                citation.quote_spans.append(span)
        old_to_n[old.n] = citation.n
    lead_text = _MARKER.sub(lambda m: f"[{placeholder_to_n[int(m[1])]}]", composed.text)
    body = _MARKER.sub(lambda m: f"[{old_to_n.get(int(m[1]), int(m[1]))}]", answer.text)
    figures = sorted(
        (
            ReportedValue(concept=r.figure.concept, value=r.value, date=r.date, source=r.source, n=placeholder_to_n[k])
            for k, r in enumerate(composed.reports, start=1)
        ),
        key=lambda v: (v.date or "9999", v.n),
    )
    return answer.model_copy(
        update={"text": f"{lead_text} {body}".strip(), "citations": citations, "figures": figures, "lead": lead_text}
    )
