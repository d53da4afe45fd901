"""Plain JSON: an array of article objects, or a single object, as many scrapers and APIs export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from index.loaders.base import Loader, open_text
from index.loaders.builder import json_kind
from index.loaders.jsonparse import JsonProblem, parse_json
from index.records import Article, IngestIssue

MAX_JSON_FILE_BYTES = 256 << 20
"""The whole document is parsed at once, so the text and every parsed object are in memory together (a few
times the file size); 256 MiB keeps that near a gigabyte. Bigger exports should be JSON Lines, which stream."""


class JsonLoader(Loader):
    """Loads .json; the whole document is parsed at once, so use JSON Lines for very large corpora.

    Records get line 1, like other whole-file formats; issues name the array item instead.
    """

    extensions: ClassVar[frozenset[str]] = frozenset({".json"})
    max_file_bytes: ClassVar[int] = MAX_JSON_FILE_BYTES

    def load(self, path: Path) -> Iterator[Article | IngestIssue]:
        stream = yield from open_text(path, self.max_file_bytes)
        if stream is None:
            return
        with stream:
            text = stream.read()
        try:
            document = parse_json(text)
        except JsonProblem as exc:
            column = f" (column {exc.colno})" if exc.colno is not None else ""
            yield IngestIssue(path=str(path), line=exc.lineno, reason=f"{exc.reason}{column}")
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
