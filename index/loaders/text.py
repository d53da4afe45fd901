"""Plain text and Markdown: one article per file, the first non-empty line being its title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from index.loaders.base import Loader, open_text
from index.records import Article, IngestIssue


class TextLoader(Loader):
    """Loads .txt/.md/.markdown; a leading Markdown '#' is dropped from the title line."""

    extensions: ClassVar[frozenset[str]] = frozenset({".txt", ".md", ".markdown"})

    def load(self, path: Path) -> Iterator[Article | IngestIssue]:
        stream = yield from open_text(path)
        if stream is None:
            return
        with stream:
            content = stream.read()
        # open_text guarantees non-blank content, so there is a first line; splitlines also drops '\r'.
        first, *rest = content.strip().splitlines()
        fields = {"title": first.lstrip("#").strip(), "text": "\n".join(rest).strip()}
        yield from self.builder.from_fields(fields, str(path), 1)
