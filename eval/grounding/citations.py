"""Turns an answer with inline [n] markers into sentences and the citation numbers each one carries."""

from __future__ import annotations

import re

from eval.grounding.sentences import SentenceSplitter
from eval.grounding.types import CitedSentence

_MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
# Markers written after the full stop ("died.[1]", "died. [1][2]") belong to the sentence they follow.
_TRAILING_MARKERS = re.compile(r"([.!?…]+[\"'”’»)]*)((?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+)")
_LIST_BULLET = re.compile(r"(?m)^[ \t]*(?:[-*•·]|\d{1,2}[.)])[ \t]+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?…])")

_SPLITTER = SentenceSplitter()


def split_cited_sentences(answer_text: str) -> list[CitedSentence]:
    """Split an answer into sentences, moving `[1]`, `[1][2]` and `[1, 2]` markers out of the text."""
    text = _LIST_BULLET.sub("", answer_text)
    text = _TRAILING_MARKERS.sub(lambda m: f" {''.join(m.group(2).split())}{m.group(1)}", text)
    out: list[CitedSentence] = []
    for raw in _SPLITTER.split(text):
        numbers = [int(n) for group in _MARKER.findall(raw) for n in re.split(r"\s*[,;]\s*", group)]
        citations = list(dict.fromkeys(numbers))
        clean = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(_MARKER.sub(" ", raw).split()))
        if clean:
            out.append(CitedSentence(text=clean, citations=citations))
        elif out:  # a line holding only markers cites the sentence before it
            merged = list(dict.fromkeys([*out[-1].citations, *citations]))
            out[-1] = CitedSentence(text=out[-1].text, citations=merged)
    return out
