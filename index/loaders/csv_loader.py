"""CSV and TSV exports, row by row, with the delimiter inferred so ';'-separated Spanish exports work."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import ClassVar, TextIO

from index.loaders.base import MAX_LINE_CHARS, Loader, open_text
from index.loaders.builder import ArticleBuilder, clip
from index.records import MAX_ARTICLE_BYTES, Article, IngestIssue

FIELD_SIZE_LIMIT = 16 * MAX_ARTICLE_BYTES
"""Far above any real article (those over the limit are still reported), yet a runaway quote stops."""

MAX_ROW_CHARS = MAX_LINE_CHARS
"""A row, quoted newlines included, is bounded like a JSON line: one field may fill it, and no row of a million
tiny fields or endless quoted lines can pile up in memory."""

_CANDIDATE_DELIMITERS = ",;\t|"

_END = "\x00\ufdd0end of file\ufdd0\x00"
"""Fed to csv.reader after the last line. It lands inside a field only when a quote was never closed, which
csv's lenient mode otherwise accepts silently, swallowing the rest of the file into one article. A NUL and a
Unicode noncharacter cannot be in a decoded file's first 8 KB, let alone this whole string."""


class _RowTooLong(Exception):
    """The current CSV row passed MAX_ROW_CHARS."""


class _Lines:
    """The stream's lines for csv.reader, at most MAX_ROW_CHARS per row, then the end-of-file marker."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._done = False
        self.row_chars = 0
        """Characters handed out since the caller last reset it, at the start of a row."""

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._done:
            raise StopIteration
        line = self._stream.readline(MAX_ROW_CHARS - self.row_chars + 1)
        if not line:
            self._done = True
            return _END
        self.row_chars += len(line)
        if self.row_chars > MAX_ROW_CHARS:
            raise _RowTooLong
        return line


class CsvLoader(Loader):
    """Loads .csv/.tsv; each row's line is where it starts in the file, counted from 1.

    With a header row (the default) columns are known by name. Without one (`header=False`) every row is
    data and its columns are named by their number, counted from 1: a field map says text=3, title=2.
    """

    extensions: ClassVar[frozenset[str]] = frozenset({".csv", ".tsv"})

    def __init__(self, builder: ArticleBuilder, delimiter: str | None = None, header: bool = True) -> None:
        super().__init__(builder)
        if delimiter is not None and len(delimiter) != 1:
            raise ValueError(f"delimiter must be one character, got {delimiter!r}")
        self.delimiter = delimiter
        self.header = header

    def _delimiter_for(self, path: Path, header: str) -> str:
        """Tab for .tsv; otherwise the candidate the header line uses most, ',' when it uses none."""
        if self.delimiter is not None:
            return self.delimiter
        if path.suffix.lower() == ".tsv":
            return "\t"
        best = max(_CANDIDATE_DELIMITERS, key=header.count)
        return best if header.count(best) else ","

    def load(self, path: Path) -> Iterator[Article | IngestIssue]:
        stream = yield from open_text(path, self.max_file_bytes)
        if stream is None:
            return
        csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
        with stream:
            lines = _Lines(stream)
            try:
                first = next(lines)
            except _RowTooLong:
                reason = f"header line is over the {MAX_ROW_CHARS}-character limit, file skipped"
                yield IngestIssue(path=str(path), line=1, reason=reason)
                return
            yield from self._rows(lines, first, self._delimiter_for(path, first), str(path))

    def _rows(self, lines: _Lines, first: str, delimiter: str, path: str) -> Iterator[Article | IngestIssue]:
        reader = csv.reader(chain([first], lines), delimiter=delimiter)
        header: list[str] | None = None
        end = 0
        if self.header:
            try:
                header = [name.strip() for name in next(reader)]
            except (csv.Error, _RowTooLong) as exc:
                yield IngestIssue(path=path, line=1, reason=f"CSV error in header: {_describe(exc)}")
                return
            if any(_END in name for name in header):
                yield IngestIssue(path=path, line=1, reason="unterminated quote in the header, file skipped")
                return
            yield from self._duplicate_columns(header, path)
            names = {name.casefold() for name in header}
            if not names.intersection(self.builder.text_columns()):
                yield IngestIssue(path=path, line=1, reason=self.builder.missing_text_reason(header))
                return
            end = 1
        data_rows = 0
        while True:
            lines.row_chars = 0
            try:
                row = next(reader)
            except StopIteration:
                break
            except (csv.Error, _RowTooLong) as exc:
                reason = f"CSV error: {_describe(exc)}; rest of file skipped"
                yield IngestIssue(path=path, line=end + 1, reason=reason)
                return
            start, end = end + 1, reader.line_num
            if row == [_END]:
                break
            if not any(cell.strip() for cell in row):
                continue
            data_rows += 1
            if any(_END in cell for cell in row):
                reason = "unterminated quote: a quoted field opened in this row runs to the end of the file, skipped"
                yield IngestIssue(path=path, line=start, reason=reason)
                break
            if header is None:  # no header row: the first row fixes how many numbered columns there are
                header = [str(number) for number in range(1, len(row) + 1)]
                if not set(header).intersection(self.builder.text_columns()):
                    wanted = " or ".join(self.builder.text_columns())
                    reason = f"no column {wanted} for the text: the first row has {len(row)} columns, numbered from 1"
                    yield IngestIssue(path=path, line=start, reason=reason)
                    return
            if len(row) != len(header):
                counted = "header" if self.header else "first row"
                reason = f"row has {len(row)} fields, {counted} has {len(header)}"
                yield IngestIssue(path=path, line=start, reason=reason)
                continue
            record: dict[str, str] = {}
            for name, cell in zip(header, row, strict=True):
                record.setdefault(name, cell)  # the first of duplicate columns wins, as reported
            yield from self.builder.from_record(record, path, start)
        if not data_rows:
            reason = "no data rows after the header" if self.header else "no data rows"
            yield IngestIssue(path=path, line=1, reason=reason)

    @staticmethod
    def _duplicate_columns(header: list[str], path: str) -> Iterator[IngestIssue]:
        """Warn once per repeated column name (compared case-insensitively, as fields are matched)."""
        first_at: dict[str, int] = {}
        reported: set[str] = set()
        for number, name in enumerate(header, start=1):
            folded = name.casefold()
            if folded not in first_at:
                first_at[folded] = number
            elif folded not in reported:
                reported.add(folded)
                reason = f"duplicate column {clip(name)} (columns {first_at[folded]} and {number}); the first is used"
                yield IngestIssue(path=path, line=1, reason=reason, severity="warning")


def _describe(exc: Exception) -> str:
    if isinstance(exc, _RowTooLong):
        return f"row is over the {MAX_ROW_CHARS}-character limit (an unclosed quote?)"
    return str(exc)
