"""CSV and TSV exports, row by row, with the delimiter inferred so ';'-separated Spanish exports work."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import ClassVar

from index.loaders.base import Loader, open_text
from index.loaders.builder import ArticleBuilder
from index.records import MAX_ARTICLE_BYTES, Article, IngestIssue

FIELD_SIZE_LIMIT = 16 * MAX_ARTICLE_BYTES
"""Far above any real article (those over the limit are still reported), yet a runaway quote stops."""

_CANDIDATE_DELIMITERS = ",;\t|"


class CsvLoader(Loader):
    """Loads .csv/.tsv with a header row; each row's line is where it starts, the header being line 1."""

    extensions: ClassVar[frozenset[str]] = frozenset({".csv", ".tsv"})

    def __init__(self, builder: ArticleBuilder, delimiter: str | None = None) -> None:
        super().__init__(builder)
        if delimiter is not None and len(delimiter) != 1:
            raise ValueError(f"delimiter must be one character, got {delimiter!r}")
        self.delimiter = delimiter

    def _delimiter_for(self, path: Path, header: str) -> str:
        """Tab for .tsv; otherwise the candidate the header line uses most, ',' when it uses none."""
        if self.delimiter is not None:
            return self.delimiter
        if path.suffix.lower() == ".tsv":
            return "\t"
        best = max(_CANDIDATE_DELIMITERS, key=header.count)
        return best if header.count(best) else ","

    def load(self, path: Path) -> Iterator[Article | IngestIssue]:
        stream = yield from open_text(path)
        if stream is None:
            return
        csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
        with stream:
            first = stream.readline()
            yield from self._rows(chain([first], stream), self._delimiter_for(path, first), str(path))

    def _rows(self, lines: Iterator[str], delimiter: str, path: str) -> Iterator[Article | IngestIssue]:
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            header = [name.strip() for name in next(reader)]
        except csv.Error as exc:
            yield IngestIssue(path=path, line=1, reason=f"CSV error in header: {exc}")
            return
        names = {name.casefold() for name in header}
        if not names.intersection(self.builder.text_columns()):
            yield IngestIssue(path=path, line=1, reason=self.builder.missing_text_reason(header))
            return
        end = 1
        data_rows = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield IngestIssue(path=path, line=end + 1, reason=f"CSV error: {exc}; rest of file skipped")
                return
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            data_rows += 1
            if len(row) != len(header):
                reason = f"row has {len(row)} fields, header has {len(header)}"
                yield IngestIssue(path=path, line=start, reason=reason)
                continue
            yield from self.builder.from_record(dict(zip(header, row, strict=True)), path, start)
        if not data_rows:
            yield IngestIssue(path=path, line=1, reason="no data rows after the header")
