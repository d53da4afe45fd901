"""Parsing untrusted JSON with bounded nesting, so one hostile record is an issue, not a lost file."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

MAX_JSON_DEPTH = 64
"""News records are flat (an object of strings: depth 1, 2 inside a JSON array); API exports nest metadata a
few levels more. 64 is far beyond real data and far below the ~1,000 frames where json raises RecursionError."""

_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+"?|[\[\]{}]', re.DOTALL)
"""A string literal (skipped whole, so brackets inside text don't count; an unterminated one runs to the end)
or a bracket. Possessive quantifiers keep the scan linear whatever the input."""


class JsonProblem(ValueError):
    """Why a JSON text was refused, with the 1-based line and column when known."""

    def __init__(self, reason: str, text: str = "", pos: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.lineno = text.count("\n", 0, pos) + 1 if pos is not None else None
        self.colno = pos - text.rfind("\n", 0, pos) if pos is not None else None


def too_deep_at(text: str) -> int | None:
    """Offset of the first bracket nested deeper than MAX_JSON_DEPTH, or None; cheap for ordinary records."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:  # brackets inside strings only over-count
        return None
    depth = 0
    for match in _TOKEN.finditer(text):
        opener = match.group()[0]
        if opener in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return match.start()
        elif opener in "]}":
            depth -= 1
    return None


def parse_json(text: str) -> Any:
    """json.loads with nesting bounded; every failure is a JsonProblem, never a RecursionError or bare ValueError.

    NaN and Infinity are not JSON (RFC 8259) but Python's json.dumps writes them by default, so they parse
    here as floats; the record builder refuses them wherever a string is needed.
    """
    deep = too_deep_at(text)
    if deep is not None:
        raise JsonProblem(f"JSON nested deeper than {MAX_JSON_DEPTH} levels", text, deep)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"malformed JSON: {exc.msg}", text, exc.pos) from None
    except RecursionError:  # only if called with most of the stack already used
        raise JsonProblem("JSON nested too deeply to parse") from None
    except ValueError:  # int() refuses huge digit strings (CVE-2020-10735)
        raise JsonProblem(f"malformed JSON: a number has over {sys.get_int_max_str_digits()} digits") from None
