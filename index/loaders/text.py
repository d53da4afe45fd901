"""Plain text and Markdown: one article per file, the first non-empty line being its title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from index.loaders.base import Loader, open_text
from index.records import MAX_ARTICLE_BYTES, Article, IngestIssue

MAX_TEXT_FILE_BYTES = 16 * MAX_ARTICLE_BYTES
"""One article per file, read whole: anything near this is over the article limit anyway, and the headroom lets
such a file get the builder's exact 'text is N bytes' reason rather than this cruder one."""


class TextLoader(Loader):
    """Loads .txt/.md/.markdown; a leading Markdown '#' is dropped from the title line."""

    extensions: ClassVar[frozenset[str]] = frozenset({".txt", ".md", ".markdown"})
    max_file_bytes: ClassVar[int] = MAX_TEXT_FILE_BYTES

    def load(self, path: Path) -> Iterator[Article | IngestIssue]:
        stream = yield from open_text(path, self.max_file_bytes)
        if stream is None:
            return
        with stream:
            content = stream.read()
        # open_text guarantees non-blank content, so there is a first line; splitlines also drops '\r'.
        first, *rest = content.strip().splitlines()
        fields = {"title": first.lstrip("#").strip(), "text": "\n".join(rest).strip()}
        yield from self.builder.from_fields(fields, str(path), 1)
