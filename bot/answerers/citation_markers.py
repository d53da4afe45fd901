"""Inline citation markers in generated text: checked, renumbered and cleaned while the text streams.

A model cites passages as `[n]`, `[n][m]` or `[n, m]`. `CitationRewriter` rewrites such text as it
arrives: numbers outside 1..k and malformed markers (`[1-3]`, `[#2]`, `[]`) are removed and
remembered, and valid ones are renumbered in order of first appearance and written `[a][b]`, so
the streamed text and the final text are the same and each `[n]` matches `Citation.n`.

Brackets that are not citations (`[sic]`, `[the minister]`) are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_MARKER = 24
"""Longest bracket content treated as a possible marker; longer brackets are ordinary text."""

_GROUP = re.compile(rf"(\s*)((?:\[[^\[\]\n]{{0,{MAX_MARKER}}}\])+)")
_BRACKET = re.compile(rf"\[([^\[\]\n]{{0,{MAX_MARKER}}})\]")
_HELD_TAIL = re.compile(rf"\s*(?:\[[^\[\]\n]{{0,{MAX_MARKER}}}\]?)*\Z")
_VALID = re.compile(r"\s*\d+(?:\s*,\s*\d+)*\s*")
_CITATION_LIKE = re.compile(r"[\s\d,;:\-–—^#]*")
"""Bracket contents made only of digits and list/range punctuation: meant as a citation."""


@dataclass
class CitationRewriter:
    """Feed text deltas, get rewritten deltas; `order` holds the cited passage indexes (0-based) by new number."""

    passage_count: int
    order: list[int] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, list[int]]] = field(default_factory=list)
    """(start, end, new numbers) of each citation group in the rewritten text."""
    _pending: str = ""
    _emitted: list[str] = field(default_factory=list)
    _length: int = 0

    @property
    def text(self) -> str:
        """Everything emitted so far."""
        return "".join(self._emitted)

    def feed(self, delta: str) -> str:
        """The rewritten text that is now certain; a possible marker (and the space before it) is held back."""
        self._pending += delta
        held = _HELD_TAIL.search(self._pending)
        cut = held.start() if held else len(self._pending)
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        return self._emit(*self._rewrite(ready))

    def finish(self) -> str:
        """Flush the held-back text; trailing whitespace is dropped."""
        ready, self._pending = self._pending, ""
        out, spans = self._rewrite(ready)
        return self._emit(out.rstrip(), spans)

    def _emit(self, out: str, spans: list[tuple[int, int, list[int]]]) -> str:
        shift = self._length
        if not self._length:
            stripped = out.lstrip()
            shift -= len(out) - len(stripped)
            out = stripped
        self.spans.extend((start + shift, end + shift, numbers) for start, end, numbers in spans)
        if out:
            self._emitted.append(out)
            self._length += len(out)
        return out

    def _rewrite(self, text: str) -> tuple[str, list[tuple[int, int, list[int]]]]:
        """`text` with its citation groups rewritten, and the groups' spans within the result."""
        pieces: list[str] = []
        spans: list[tuple[int, int, list[int]]] = []
        written = 0
        position = 0
        for match in _GROUP.finditer(text):
            before = text[position : match.start()]
            pieces.append(before)
            written += len(before)
            position = match.end()
            space, group = match.group(1), match.group(2)
            kept: list[str] = []
            numbers: list[int] = []
            for bracket in _BRACKET.finditer(group):
                content = bracket.group(1)
                if _VALID.fullmatch(content):
                    for part in content.split(","):
                        number = int(part)
                        if 1 <= number <= self.passage_count:
                            new = self._renumber(number - 1)
                            if new not in numbers:
                                numbers.append(new)
                                kept.append(f"[{new}]")
                        else:
                            self.removed.append(f"[{number}]")
                elif not content.strip() or (any(c.isdigit() for c in content) and _CITATION_LIKE.fullmatch(content)):
                    self.removed.append(bracket.group(0))
                else:
                    kept.append(bracket.group(0))
            if kept:
                rendered = space + "".join(kept)
                pieces.append(rendered)
                if numbers:
                    spans.append((written + len(space), written + len(rendered), numbers))
                written += len(rendered)
        pieces.append(text[position:])
        return "".join(pieces), spans

    def _renumber(self, passage_index: int) -> int:
        if passage_index not in self.order:
            self.order.append(passage_index)
        return self.order.index(passage_index) + 1


def claims(text: str, spans: list[tuple[int, int, list[int]]]) -> list[tuple[str, list[int]]]:
    """Each citation group with the text it supports: what was written since the previous group."""
    result = []
    previous = 0
    for start, end, numbers in spans:
        result.append((text[previous:start], numbers))
        previous = end
    return result
