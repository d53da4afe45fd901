"""JSON Lines: one object per line, read line by line so multi-gigabyte dumps stream."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from index.loaders.base import MAX_LINE_CHARS, Loader, bounded_lines, open_text
from index.loaders.builder import json_kind
from index.loaders.jsonparse import JsonProblem, parse_json
from index.records import Article, IngestIssue


class JsonlLoader(Loader):
    """Loads .jsonl/.ndjson; a bad line is reported with its line number and the rest still load."""

    extensions: ClassVar[frozenset[str]] = frozenset({".jsonl", ".ndjson"})

    def load(self, path: Path) -> Iterator[Article | IngestIssue]:
        # Universal newlines: raw CR and LF cannot occur inside JSON strings, and lines then end in '\n' only.
        stream = yield from open_text(path, self.max_file_bytes, newline=None)
        if stream is None:
            return
        with stream:
            for line_no, (line, length) in enumerate(bounded_lines(stream, MAX_LINE_CHARS), start=1):
                if line is None:
                    reason = f"line is {length} characters, over the {MAX_LINE_CHARS}-character limit, skipped"
                    yield IngestIssue(path=str(path), line=line_no, reason=reason)
                    continue
                if not line.strip():
                    continue
                try:
                    record = parse_json(line.rstrip("\n"))
                except JsonProblem as exc:
                    column = f" (column {exc.colno})" if exc.colno is not None else ""
                    yield IngestIssue(path=str(path), line=line_no, reason=f"{exc.reason}{column}")
                    continue
                if not isinstance(record, dict):
                    reason = f"JSON line is {json_kind(record)}, expected an object"
                    yield IngestIssue(path=str(path), line=line_no, reason=reason)
                    continue
                yield from self.builder.from_record(record, str(path), line_no)
