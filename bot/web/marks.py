"""Where, in an answer's text, the sentences the grounding check did not fully support are."""

from __future__ import annotations

import re
from dataclasses import dataclass

from eval.grounding.types import GroundingReport

_WORD = re.compile(r"\w+", re.UNICODE)
# Between two words of a sentence: spaces, punctuation, and any [n] markers the check removed.
_GAP = r"(?:\W|\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+?"
# After the last word: markers written before the full stop ("attack [1].") and the closing punctuation.
_TRAILING = re.compile(r"(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])*[.!?…:;,\"'”’»)]*")


@dataclass(frozen=True)
class Flag:
    """A sentence of the answer with a verdict other than 'supported'."""

    start: int
    end: int
    verdict: str
    reasons: tuple[str, ...] = ()


def locate(text: str, sentence: str, start: int = 0) -> tuple[int, int] | None:
    """The span of `sentence` in `text` at or after `start`, tolerant of spacing and citation markers."""
    words = _WORD.findall(sentence)
    if not words:
        return None
    pattern = re.compile(r"\b" + _GAP.join(re.escape(word) for word in words) + r"\b", re.IGNORECASE)
    match = pattern.search(text, start)
    if match is None:
        return None
    end = match.end()
    trailing = _TRAILING.match(text, end)
    if trailing and trailing.group(0).rstrip().endswith(tuple(".!?…:;,\"'”’»)")):
        end = trailing.end()
    return match.start(), end


def flagged_sentences(text: str, grounding: GroundingReport | None) -> tuple[list[Flag], list[Flag]]:
    """(flags located in `text`, flags that could not be located) for every non-supported sentence."""
    located: list[Flag] = []
    missing: list[Flag] = []
    if grounding is None:
        return located, missing
    cursor = 0
    for check in grounding.sentences:
        span = locate(text, check.sentence, cursor)
        if span is not None:
            cursor = span[1]
        if check.verdict == "supported":
            continue
        flag_span = span or (0, 0)
        flag = Flag(flag_span[0], flag_span[1], check.verdict, tuple(check.reasons))
        (located if span is not None else missing).append(flag)
    return located, missing
