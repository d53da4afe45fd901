"""Saved web pages: trafilatura strips navigation and boilerplate and reads the page's metadata."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from index.loaders.base import Loader, open_text
from index.records import Article, IngestIssue

_DATE_PARAMS = {"original_date": True, "extensive_search": False}
"""Publication date from markup only: guessing from free text or URLs picks up wrong dates."""

MAX_HTML_FILE_BYTES = 32 << 20
"""Saved article pages are well under a few MB even with inline scripts; single-file saves with inline images reach
tens of MB, mostly attribute data. lxml and trafilatura hold the whole tree, and time grows with the markup
(measured: a 4 MiB page of paragraphs takes 0.5 s, a 32 MiB one 9 s), so 32 MiB bounds one file to seconds."""


class HtmlLoader(Loader):
    """Loads .html/.htm from disk only: no URL is ever passed to trafilatura, so nothing is fetched."""

    extensions: ClassVar[frozenset[str]] = frozenset({".html", ".htm"})
    max_file_bytes: ClassVar[int] = MAX_HTML_FILE_BYTES

    def load(self, path: Path) -> Iterator[Article | IngestIssue]:
        # Imported here: trafilatura and lxml take ~65 ms to import, which every process that only
        # answers questions (the first answer of `newsbot serve` or `ask`) would otherwise pay.
        import trafilatura
        from trafilatura.utils import load_html

        stream = yield from open_text(path, self.max_file_bytes)
        if stream is None:
            return
        with stream:
            tree = load_html(stream.read())
        if tree is None:
            yield IngestIssue(path=str(path), line=1, reason="not parseable as HTML")
            return
        language = tree.get("lang", "")  # trafilatura ignores <html lang>; it is the page's own language
        document = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=_DATE_PARAMS,
        )
        if document is None or not (document.text or "").strip():
            yield IngestIssue(path=str(path), line=1, reason="no article text found in HTML")
            return
        fields = {
            "title": document.title or "",
            "text": document.text,
            "date": document.date or "",
            "source": document.sitename or document.author or "",
            "url": document.url or "",
            "language": language,
        }
        yield from self.builder.from_fields(fields, str(path), 1)
