"""Sentence splitting with character offsets, for answers and passages in English and Spanish."""

from __future__ import annotations

import re

from eval.grounding.text import fold, vocabulary

# Words that end in "." without ending a sentence ("Gov. Riquelme", "Nov. 30", "Sr. Pérez"), folded, no dot.
DEFAULT_ABBREVIATIONS = frozenset(
    vocabulary(
        "mr mrs ms dr dra prof sr sra srta gov gen sen rep lt col capt sgt st jr vs no inc corp ltd co dept univ"
        " jan feb mar apr jun jul aug sep sept oct nov dec ene abr ago dic"
        " ud uds av avda pag pags num art fig ed eds aprox"
    )
)
# Sentence-final punctuation, then any closing quotes or brackets, then whitespace or the end.
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)")
# "J." (an initial) or a dotted acronym such as "EE.UU." or "U.S." or "p.m.".
_INITIAL_OR_ACRONYM = re.compile(r"(?:^|\s)(?:[^\W\d_]|(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3})\.$")
_LAST_WORD = re.compile(r"([^\W\d_]+)\.$")


class SentenceSplitter:
    """Rule-based splitter: cheap, deterministic, and aware of abbreviations, decimals, "¿" and "¡"."""

    def __init__(self, abbreviations: frozenset[str] = DEFAULT_ABBREVIATIONS) -> None:
        if any(a != fold(a) or a.endswith(".") for a in abbreviations):
            raise ValueError("abbreviations must be lowercase, accent-free and without the final dot")
        self.abbreviations = abbreviations

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every sentence; newlines always end a sentence (bullets, headings)."""
        out: list[tuple[int, int]] = []
        line_start = 0
        for line in text.split("\n"):
            start = line_start
            for m in _END.finditer(line):
                if self._is_boundary(line, m.start(), m.end()):
                    out.append((start, line_start + m.end()))
                    start = line_start + m.end()
            out.append((start, line_start + len(line)))
            line_start += len(line) + 1
        return [s for s in (self._strip(text, a, b) for a, b in out) if s is not None]

    def split(self, text: str) -> list[str]:
        return [text[a:b] for a, b in self.spans(text)]

    def _is_boundary(self, line: str, punct_start: int, end: int) -> bool:
        following = line[end:].lstrip()
        if following and following[0].islower():
            return False
        if line[punct_start:end].startswith(".") and not line[punct_start:end].startswith(".."):
            before = line[: punct_start + 1]
            if _INITIAL_OR_ACRONYM.search(before):
                return False
            last = _LAST_WORD.search(before)
            if last and fold(last.group(1)) in self.abbreviations:
                return False
        return True

    @staticmethod
    def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
        chunk = text[start:end]
        if not chunk.strip():
            return None
        start += len(chunk) - len(chunk.lstrip())
        end -= len(chunk) - len(chunk.rstrip())
        return start, end
