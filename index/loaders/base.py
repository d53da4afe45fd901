"""The loader contract and the shared, streaming, bounded way of opening a file as text."""

from __future__ import annotations

import codecs
import io
import os
import stat
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO, ClassVar, TextIO

from index.loaders.builder import ArticleBuilder
from index.records import MAX_ARTICLE_BYTES, Article, IngestIssue

BINARY_SNIFF_BYTES = 8192
"""A NUL byte in this many leading bytes marks a file as binary, as git and grep do."""

MAX_STREAMED_FILE_BYTES = 8 << 30
"""8 GiB for formats read record by record (JSONL, CSV): room for multi-gigabyte dumps (2,000 times the largest
shared corpus file, worldwide_newswire_en/articles.jsonl at 3.9 MB), yet a runaway or sparse file is refused
before the up-front decoding pass reads it all."""

MAX_LINE_CHARS = 16 * MAX_ARTICLE_BYTES
"""Longest JSON line or CSV row read: an article at the size limit even fully \\u-escaped (6 characters a
byte), plus the raw-HTML and other bulky side fields scrapers keep."""

_CHUNK_BYTES = 1 << 20

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
"""Byte-order marks of the wide encodings Windows tools (Notepad, PowerShell, Excel 'Unicode text') write.
The 'utf-16'/'utf-32' codecs read the mark to pick the byte order and drop it from the text."""


class Loader(ABC):
    """Reads one file format into Articles, reporting bad input as IngestIssues instead of raising."""

    extensions: ClassVar[frozenset[str]]
    """Lower-case file suffixes, with the dot, that this loader handles."""

    max_file_bytes: ClassVar[int] = MAX_STREAMED_FILE_BYTES
    """Larger files are skipped with an issue; whole-file formats set a lower bound, since they hold it all."""

    def __init__(self, builder: ArticleBuilder) -> None:
        if not isinstance(builder, ArticleBuilder):
            raise TypeError(f"builder must be an ArticleBuilder, got {type(builder).__name__}")
        self.builder = builder

    @abstractmethod
    def load(self, path: Path) -> Iterator[Article | IngestIssue]:
        """Yield every article in `path`, and an IngestIssue for each record or file that is unusable."""


def _bom_encoding(head: bytes) -> tuple[str, str] | None:
    """The (codec, display name) a UTF-16/32 byte-order mark at the start of `head` announces, if any."""
    return next(((codec, name) for bom, codec, name in _BOMS if head.startswith(bom)), None)


class _TooLarge(Exception):
    """The file yielded more bytes than allowed, whatever its size claimed (it may be growing)."""


def _scan(raw: BinaryIO, encoding: str, max_bytes: int) -> tuple[bool, str] | None:
    """Decode the whole file chunk by chunk: (has non-whitespace, decoded head), or None if it does not decode.

    Reading it all up front catches a bad byte deep in a big file before any record is handed on.
    """
    raw.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    has_content = False
    head = ""
    total = 0
    try:
        while chunk := raw.read(_CHUNK_BYTES):
            total += len(chunk)
            if total > max_bytes:
                raise _TooLarge
            text = decoder.decode(chunk)
            head = head or text[:BINARY_SNIFF_BYTES]
            has_content = has_content or bool(text.strip())
        text = decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return has_content or bool(text.strip()), head or text[:BINARY_SNIFF_BYTES]


def _open_regular(path: Path) -> BinaryIO:
    """Open for reading without blocking on a FIFO, then insist on a regular file.

    The walk already skips FIFOs and devices, but a path can be swapped between the walk and the open, and an
    explicit path is not walked: O_NONBLOCK makes opening a FIFO return at once, and fstat checks what was opened.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def open_text(
    path: Path, max_bytes: int = MAX_STREAMED_FILE_BYTES, newline: str | None = ""
) -> Generator[IngestIssue, None, TextIO | None]:
    """Yield the issues of reading `path` as text; return the open stream, or None if it is unusable.

    A UTF-16/32 byte-order mark picks that encoding; otherwise UTF-8 (BOM or not) is tried first, then
    cp1252, the usual encoding of Windows-made CSV exports. Files over `max_bytes` are skipped.
    `newline` is passed to the text stream: '' keeps line ends as they are (CSV needs that for quoted newlines).
    Use as `stream = yield from open_text(path, ...)`; the caller closes the stream.
    """
    try:
        raw = _open_regular(path)
    except OSError as exc:
        yield IngestIssue(path=str(path), reason=f"cannot open file: {exc.strerror or exc}")
        return None
    try:
        stream = yield from _decode(raw, path, max_bytes, newline)
    except BaseException:
        raw.close()
        raise
    if stream is None:
        raw.close()
    return stream


def _decode(
    raw: BinaryIO, path: Path, max_bytes: int, newline: str | None
) -> Generator[IngestIssue, None, TextIO | None]:
    size = os.fstat(raw.fileno()).st_size
    if size > max_bytes:
        yield IngestIssue(path=str(path), reason=f"file is {size} bytes, over the {max_bytes}-byte limit, skipped")
        return None
    head = raw.read(BINARY_SNIFF_BYTES)
    bom = _bom_encoding(head)
    if bom is None and b"\x00" in head:
        yield IngestIssue(path=str(path), reason="binary file, skipped")
        return None
    scan = None
    try:
        for encoding in [bom[0]] if bom else ["utf-8-sig", "cp1252"]:
            if (scan := _scan(raw, encoding, max_bytes)) is not None:
                break
    except _TooLarge:
        yield IngestIssue(path=str(path), reason=f"file grew over the {max_bytes}-byte limit while read, skipped")
        return None
    if scan is None:
        reason = f"not valid {bom[1]} despite its byte-order mark" if bom else "neither valid UTF-8 nor cp1252"
        yield IngestIssue(path=str(path), reason=f"{reason}, skipped")
        return None
    has_content, decoded_head = scan
    if bom is not None and "\x00" in decoded_head:
        yield IngestIssue(path=str(path), reason="binary file, skipped")
        return None
    if not has_content:
        yield IngestIssue(path=str(path), reason="empty file")
        return None
    if encoding == "cp1252":
        yield IngestIssue(path=str(path), reason="not valid UTF-8; decoded as cp1252", severity="warning")
    raw.seek(0)
    return io.TextIOWrapper(raw, encoding=encoding, newline=newline)


def bounded_lines(stream: TextIO, limit: int) -> Iterator[tuple[str | None, int]]:
    """Yield (line, length) per line, or (None, length) for a line over `limit` characters, which is skipped.

    Lengths leave out the line end. Memory stays within `limit` whatever the file holds: a long line is read
    and dropped piece by piece.
    Lines end at '\\n' only, so open the stream with newline=None (universal newlines) for exact line counts.
    """
    while line := stream.readline(limit + 1):
        if len(line) <= limit or line.endswith("\n"):
            yield line, len(line.rstrip("\n"))
            continue
        length = len(line)
        while (rest := stream.readline(limit)) and not rest.endswith("\n"):
            length += len(rest)
        yield None, length + len(rest.rstrip("\n"))
