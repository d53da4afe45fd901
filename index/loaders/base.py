"""The loader contract and the shared, streaming way of opening a file as text."""

from __future__ import annotations

import codecs
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import ClassVar, TextIO

from index.loaders.builder import ArticleBuilder
from index.records import Article, IngestIssue

BINARY_SNIFF_BYTES = 8192
"""A NUL byte in this many leading bytes marks a file as binary, as git and grep do."""

_CHUNK_BYTES = 1 << 20


class Loader(ABC):
    """Reads one file format into Articles, reporting bad input as IngestIssues instead of raising."""

    extensions: ClassVar[frozenset[str]]
    """Lower-case file suffixes, with the dot, that this loader handles."""

    def __init__(self, builder: ArticleBuilder) -> None:
        if not isinstance(builder, ArticleBuilder):
            raise TypeError(f"builder must be an ArticleBuilder, got {type(builder).__name__}")
        self.builder = builder

    @abstractmethod
    def load(self, path: Path) -> Iterator[Article | IngestIssue]:
        """Yield every article in `path`, and an IngestIssue for each record or file that is unusable."""


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as raw:
        while chunk := raw.read(_CHUNK_BYTES):
            yield chunk


def _decodes(path: Path, encoding: str) -> bool:
    """Check the whole file decodes, chunk by chunk, so a bad byte deep in a big file is caught up front."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in _chunks(path):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _is_blank(path: Path) -> bool:
    """True for a file with nothing but whitespace (and maybe a BOM); stops at the first content."""
    for index, chunk in enumerate(_chunks(path)):
        if (chunk.removeprefix(codecs.BOM_UTF8) if index == 0 else chunk).strip():
            return False
    return True


def open_text(path: Path) -> Generator[IngestIssue, None, TextIO | None]:
    """Yield the issues of reading `path` as text; return the open stream, or None if it is unreadable.

    UTF-8 (BOM or not) is tried first, then cp1252, the usual encoding of Windows-made CSV exports.
    Use as `stream = yield from open_text(path)`; the caller closes the stream.
    """
    with path.open("rb") as raw:
        head = raw.read(BINARY_SNIFF_BYTES)
    if b"\x00" in head:
        yield IngestIssue(path=str(path), reason="binary file, skipped")
        return None
    if _is_blank(path):
        yield IngestIssue(path=str(path), reason="empty file")
        return None
    encoding = "utf-8-sig"
    if not _decodes(path, encoding):
        if not _decodes(path, "cp1252"):
            yield IngestIssue(path=str(path), reason="neither valid UTF-8 nor cp1252, skipped")
            return None
        encoding = "cp1252"
        yield IngestIssue(path=str(path), reason="not valid UTF-8; decoded as cp1252", severity="warning")
    # newline="" keeps quoted newlines inside CSV fields intact; JSONL and text parsing don't mind.
    return path.open(encoding=encoding, newline="")
