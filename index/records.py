"""Typed records that flow through ingestion: articles in, problems out, chunks to the store."""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from pydantic import BaseModel, Field

MAX_ARTICLE_BYTES = 1_000_000
"""Articles larger than this are rejected: they are almost always a dump, not a news story."""


class Article(BaseModel):
    """One normalized news article, whatever file format it came from."""

    id: str = Field(description="Stable document id: explicit id, else url, else a hash of title and text.")
    title: str = ""
    text: str
    date: str = Field("", description="ISO 8601 date (YYYY-MM-DD or full timestamp), or empty when unknown.")
    source: str = Field("", description="Outlet or publisher name.")
    url: str = ""
    language: str = Field("", description="ISO 639-1 code; empty until detected.")
    origin: str = Field("", description="Where it was read from, as 'file:line', for error messages.")

    @property
    def content_hash(self) -> str:
        """Hash of everything that ends up in the store; a change means the article's chunks are replaced."""
        payload = "\x1f".join((self.title, self.text, self.date, self.source, self.url, self.language))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def stable_doc_id(explicit_id: str, url: str, title: str, text: str) -> str:
    """The id rule: explicit id, else url, else a hash of title and text, so re-ingesting finds the same doc."""
    if explicit_id.strip():
        return explicit_id.strip()
    if url.strip():
        return url.strip()
    return "sha-" + hashlib.sha256(f"{title}\x1f{text}".encode()).hexdigest()[:20]


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
"""What one report line must not contain: C0/C1 controls (newlines, ESC), line and paragraph separators,
bidirectional overrides (they reorder what the terminal shows) and lone surrogates (undecodable name bytes)."""

_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a non-UTF-8 byte of a file name, kept by os.fsdecode's surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(value: str) -> str:
    """`value` with every character that could break or disguise a report line escaped, Python-style.

    Backslashes are left alone, so escaping twice changes nothing and ordinary Windows paths stay readable.
    """
    return _UNPRINTABLE.sub(_escape_char, value)


class IngestIssue(BaseModel):
    """A problem with one input record or file, reported as `file:line: reason`, always on one line.

    `path` is kept as given (tests and callers compare it); only the rendered string is escaped, since file
    names and record values may hold newlines, terminal escapes or undecodable bytes.
    """

    path: str
    line: int | None = None
    reason: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return printable(f"{where}: {prefix}{self.reason}")


class Chunk(BaseModel):
    """A sentence-aligned slice of an article, with its character span so citations can quote it exactly."""

    id: str
    doc_id: str
    index: int
    text: str
    start: int = Field(description="Character offset of the chunk in the article text.")
    end: int
    title: str = ""
    date: str = ""
    source: str = ""
    url: str = ""
    language: str = ""
    version: str = Field("", description="Content hash of the article version this chunk belongs to.")
    sentence_spans: list[tuple[int, int]] = Field(
        default_factory=list, description="Sentence spans relative to the chunk text."
    )
