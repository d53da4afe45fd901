"""Where, in an answer's text, the sentences the grounding check did not fully support are."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from eval.grounding.types import GroundingReport

_WORD = re.compile(r"\w+", re.UNICODE)
# A citation marker the grounding check removed from the sentences it reports: [1], [2, 3].
_MARKER = re.compile(r"\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]")
# After the last word: markers written before the full stop ("attack [1].") and the closing punctuation.
_TRAILING = re.compile(r"(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])*[.!?…:;,\"'”’»)]*")


@dataclass(frozen=True)
class _TextWords:
    """An answer's words outside citation markers, lower-cased, with their spans: read once per answer.

    Matching a sentence word by word against them replaced one regular expression compiled per
    sentence, which cost ~5 ms of each web answer (py-spy, 100k-chunk store)."""

    words: list[str]
    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, text: str) -> _TextWords:
        unmarked = _MARKER.sub(lambda m: " " * len(m.group(0)), text)  # same length: spans stay true
        found = list(_WORD.finditer(unmarked))
        return cls([m.group(0).lower() for m in found], [m.start() for m in found], [m.end() for m in found])


@dataclass(frozen=True)
class Flag:
    """A sentence of the answer with a verdict other than 'supported'."""

    start: int
    end: int
    verdict: str
    reasons: tuple[str, ...] = ()


def locate(text: str, sentence: str, start: int = 0, words: _TextWords | None = None) -> tuple[int, int] | None:
    """The span of `sentence` in `text` at or after `start`, tolerant of spacing and citation markers
    (`words`: `text`'s, when the caller locates several sentences in it)."""
    wanted = [word.lower() for word in _WORD.findall(sentence)]
    if not wanted:
        return None
    words = words or _TextWords.of(text)
    size = len(wanted)
    i = bisect_left(words.starts, start)
    while True:
        try:
            i = words.words.index(wanted[0], i, len(words.words) - size + 1)
        except ValueError:
            return None
        if words.words[i : i + size] == wanted:
            break
        i += 1
    end = words.ends[i + size - 1]
    trailing = _TRAILING.match(text, end)
    if trailing and trailing.group(0).rstrip().endswith(tuple(".!?…:;,\"'”’»)")):
        end = trailing.end()
    return words.starts[i], end


def flagged_sentences(text: str, grounding: GroundingReport | None) -> tuple[list[Flag], list[Flag]]:
    """(flags located in `text`, flags that could not be located) for every non-supported sentence."""
    located: list[Flag] = []
    missing: list[Flag] = []
    if grounding is None:
        return located, missing
    cursor = 0
    words = _TextWords.of(text)
    for check in grounding.sentences:
        span = locate(text, check.sentence, cursor, words)
        if span is not None:
            cursor = span[1]
        if check.verdict == "supported":
            continue
        flag_span = span or (0, 0)
        flag = Flag(flag_span[0], flag_span[1], check.verdict, tuple(check.reasons))
        (located if span is not None else missing).append(flag)
    return located, missing
