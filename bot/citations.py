"""One article, one source: quotes from several passages of one article become one citation.

Answerers cite passages (chunks); a reader counts articles. When two cited passages come from the
same article, their citation numbers merge into the first one, its passage becomes the article text
spanning both (the overlap of neighbouring chunks read once, a gap shown as ' … '), and every quoted
span moves with its passage, so highlights and grounding still find each quote verbatim.
"""

from __future__ import annotations

import re

from bot.answer import Answer, Citation

GAP = " … "
_MARKER = re.compile(r"\[(\d+)\]")


def one_source_per_article(answer: Answer) -> Answer:
    """`answer` with citations of one article merged into one, numbered in order of first use."""
    by_doc: dict[str, list[Citation]] = {}
    for citation in answer.citations:
        by_doc.setdefault(citation.doc_id, []).append(citation)
    if all(len(group) == 1 for group in by_doc.values()):
        return answer
    renumber: dict[int, int] = {}
    merged: list[Citation] = []
    for group in sorted(by_doc.values(), key=lambda g: min(c.n for c in g)):
        citation = _merge(group) if len(group) > 1 else group[0].model_copy()
        citation.n = len(merged) + 1
        for old in group:
            renumber[old.n] = citation.n
        merged.append(citation)

    def marker(match: re.Match[str]) -> str:
        return f"[{renumber.get(int(match[1]), int(match[1]))}]"

    text = _dedupe_markers(_MARKER.sub(marker, answer.text))
    lead = _dedupe_markers(_MARKER.sub(marker, answer.lead)) if answer.lead else answer.lead
    figures = [f.model_copy(update={"n": renumber.get(f.n, f.n)}) for f in answer.figures]
    return answer.model_copy(update={"text": text, "lead": lead, "citations": merged, "figures": figures})


def _merge(group: list[Citation]) -> Citation:
    """One citation whose passage covers the group's passages in article order."""
    ordered = sorted(group, key=lambda c: c.passage_start)
    text = ""
    end = ordered[0].passage_start  # article offset where `text` ends
    start = ordered[0].passage_start
    spans: list[tuple[int, int]] = []
    segments: list[tuple[int, int]] = []
    for citation in ordered:
        if citation.passage_start <= end and text:  # overlapping or adjacent chunks of the article
            skip = end - citation.passage_start
            offset = len(text) - skip
            text += citation.passage[skip:]
        elif text:
            text += GAP
            offset = len(text)
            text += citation.passage
            segments.append((offset, citation.passage_start))
        else:
            offset = 0
            text = citation.passage
            segments.append((0, citation.passage_start))
        end = max(end, citation.passage_start + len(citation.passage))
        spans += [(a + offset, b + offset) for a, b in citation.quote_spans]
    first = min(group, key=lambda c: c.n)
    return first.model_copy(
        update={"passage": text, "passage_start": start, "segments": segments, "quote_spans": sorted(set(spans))}
    )


def _dedupe_markers(text: str) -> str:
    """'[1] [1]' after a merge reads '[1]'; '[1, 1]' reads '[1]'."""
    text = re.sub(r"\[(\d+)\](\s*\[\1\])+", r"[\1]", text)
    return re.sub(r"\[(\d+)(?:,\s*\1)+\]", r"[\1]", text)
