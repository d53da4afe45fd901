"""Plain JSON: an array of article objects, or a single object, as many scrapers and APIs export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from index.loaders.base import Loader, open_text
from index.loaders.builder import json_kind
from index.records import Article, IngestIssue


class JsonLoader(Loader):
    """Loads .json; the whole document is parsed at once, so use JSON Lines for very large corpora.

    Records get line 1, like other whole-file formats; issues name the array item instead.
    """

    extensions: ClassVar[frozenset[str]] = frozenset({".json"})

    def load(self, path: Path) -> Iterator[Article | IngestIssue]:
        stream = yield from open_text(path)
        if stream is None:
            return
        with stream:
            try:
                document = json.load(stream)
            except json.JSONDecodeError as exc:
                reason = f"malformed JSON: {exc.msg} (column {exc.colno})"
                yield IngestIssue(path=str(path), line=exc.lineno, reason=reason)
                return
        if isinstance(document, dict):
            yield from self.builder.from_record(document, str(path), 1)
            return
        if not isinstance(document, list):
            reason = f"top-level JSON is {json_kind(document)}, expected an array of objects or one object"
            yield IngestIssue(path=str(path), line=1, reason=reason)
            return
        if not document:
            yield IngestIssue(path=str(path), line=1, reason="empty JSON array")
        for number, record in enumerate(document, start=1):
            yield from self._load_item(record, number, str(path))

    def _load_item(self, record: object, number: int, path: str) -> Iterator[Article | IngestIssue]:
        """Load one array item, naming it in issues since every item shares line 1."""
        if not isinstance(record, dict):
            reason = f"array item {number} is {json_kind(record)}, expected an object"
            yield IngestIssue(path=path, line=1, reason=reason)
            return
        for item in self.builder.from_record(record, path, 1):
            if isinstance(item, IngestIssue):
                item = item.model_copy(update={"reason": f"array item {number}: {item.reason}"})
            yield item
