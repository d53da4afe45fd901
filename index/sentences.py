"""Sentence segmentation with character spans, for English and Spanish news text.

Spans (not just strings) are what let a citation point at, quote and highlight the exact sentence.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr sra srta dra lic ing gov gen col lt sgt capt rep sen st jr vs etc inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec ene abr ago dic no nos núm num art fig approx aprox
    u.s e.u ee.uu p.m a.m us uu""".split()
)
"""Lower-cased words that end with a period without ending a sentence."""

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|\n\s*")
"""Sentence ends, and every line break: headlines, datelines and list items stand alone."""
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?…]*[\"'”’»)\]]*\s*$")


def _is_false_boundary(text: str, start: int, end: int) -> bool:
    """A period after an abbreviation or an initial ("Miguel A. Riquelme") does not end a sentence."""
    segment = text[start:end]
    if "\n" in segment[-2:] or not segment.rstrip().endswith("."):
        return False
    match = _WORD_BEFORE.search(segment)
    if not match:
        return False
    word = match.group(1).rstrip(".").lower()
    if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return True
    following = text[end : end + 1]
    return bool(following) and following.islower()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of `text`, whitespace trimmed; empty text gives no spans."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_false_boundary(text, start, match.end()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if begin < end:
            trimmed.append((begin, end))
    return trimmed


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as strings."""
    return [text[a:b] for a, b in sentence_spans(text)]
