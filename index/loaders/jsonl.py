"""JSON Lines: one object per line, read line by line so multi-gigabyte dumps stream."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from index.loaders.base import Loader, open_text
from index.loaders.builder import json_kind
from index.records import Article, IngestIssue


class JsonlLoader(Loader):
    """Loads .jsonl/.ndjson; a bad line is reported with its line number and the rest still load."""

    extensions: ClassVar[frozenset[str]] = frozenset({".jsonl", ".ndjson"})

    def load(self, path: Path) -> Iterator[Article | IngestIssue]:
        stream = yield from open_text(path)
        if stream is None:
            return
        with stream:
            for line_no, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line.rstrip("\r\n"))
                except json.JSONDecodeError as exc:
                    reason = f"malformed JSON: {exc.msg} (column {exc.colno})"
                    yield IngestIssue(path=str(path), line=line_no, reason=reason)
                    continue
                if not isinstance(record, dict):
                    reason = f"JSON line is {json_kind(record)}, expected an object"
                    yield IngestIssue(path=str(path), line=line_no, reason=reason)
                    continue
                yield from self.builder.from_record(record, str(path), line_no)
