"""One place that turns a raw record into an Article, so every file format gets the same rules."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from index.loaders.fields import ARTICLE_FIELDS, FieldMap, fold_keys
from index.loaders.normalize import normalize_date, normalize_language
from index.records import MAX_ARTICLE_BYTES, Article, IngestIssue, printable, stable_doc_id

# Caps on the one-line fields. They are shown whole in answers and reports, so a scraper bug that puts a body
# (or a megabyte of junk) into one must not reach them. "Shared corpora" are the datasets under ../shared/data.
MAX_TITLE_CHARS = 500
"""About 3x the longest headline in the shared corpora (173 characters, fakenews_es), with room for a page
<title> that appends section and site name. Longer is truncated with a warning: the article is still good."""

MAX_SOURCE_CHARS = 200
"""About 4x the longest outlet name in the shared corpora (52). Longer is truncated with a warning."""

MAX_URL_CHARS = 2048
"""The sitemaps.org limit on a URL, which crawlers and browsers roughly share; the shared corpora's longest is
910. A longer URL is dropped with a warning, not cut: a cut URL points elsewhere, and it is the id when the
record has none."""

MAX_ID_CHARS = MAX_URL_CHARS
"""An id may be a URL, so it gets the URL's cap (explicit ids in the shared corpora are at most 34 characters).
A longer id rejects the record with an error: cutting it could merge two different articles."""

MAX_DATE_CHARS = 100
"""The wordiest real dates ('Sábado, 30 de noviembre de 2019, 14:05:33 GMT+01:00') are 51 characters, and
dateutil's time grows with the input. Longer is warned about and left empty, as an unparseable date is."""

MAX_LANGUAGE_CHARS = 35
"""The longest language tag RFC 5646 (section 4.4.1) asks implementations to accept. Longer is warned about and
left for detection, as an unrecognized language is."""

_CONTROLS_IN_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
"""C0/C1 controls other than tab and line breaks: NULs and terminal escapes (ESC) are never article content,
and would reach the user's terminal when a passage is quoted. Removed silently, like surrounding whitespace."""

_LINE_BREAKERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
"""Controls, newlines and line separators: a one-line field (title, source, ...) gets a space instead."""

_SURROGATES = re.compile("[\ud800-\udfff]")
"""Only a JSON '\\ud800'-style escape can produce these; they cannot be encoded to UTF-8, so storing fails."""

_WORD_CHAR = re.compile(r"[^\W_]")

_ONE_LINE_FIELDS = ("id", "title", "date", "source", "url", "language")


def shorten(value: str, limit: int = 60) -> str:
    """`value` cut to `limit` characters with an ellipsis, for quoting untrusted values in messages."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def clip(value: str, limit: int = 60) -> str:
    """repr() of `value` shortened to about `limit` characters, for quoting untrusted values in messages."""
    return repr(shorten(value, limit))


def json_kind(value: Any) -> str:
    """Name a parsed JSON value's type the way JSON does, for error messages."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


_LISTED_COLUMNS = 20
"""Column names quoted in a 'no text field' issue; a record with thousands of keys must not make a huge line."""


class ArticleBuilder:
    """Applies the field map, the `where` filter, the language override and the size limit."""

    def __init__(
        self,
        field_map: FieldMap | None = None,
        where: Mapping[str, str] | None = None,
        language: str | None = None,
    ) -> None:
        if field_map is not None and not isinstance(field_map, FieldMap):
            raise TypeError(f"field_map must be a FieldMap, got {type(field_map).__name__}")
        if where is not None and any(not str(key).strip() for key in where):
            raise ValueError("where keys must be non-empty field names")
        self._field_map = field_map or FieldMap()
        self._where = {str(k).strip().casefold(): str(v).casefold() for k, v in (where or {}).items()}
        self._language = ""
        if language is not None:
            self._language = normalize_language(language)
            if not self._language:
                raise ValueError(f"unrecognized language {language!r}: expected a code such as 'en' or 'es'")

    def text_columns(self) -> tuple[str, ...]:
        """Case-folded column names that may hold the article text."""
        return self._field_map.columns("text")

    def missing_text_reason(self, found: list[str]) -> str:
        """Say which text columns were looked for and which were there, so the fix is obvious."""
        wanted = ", ".join(repr(name) for name in self.text_columns())
        listed = ", ".join(shorten(str(name)) for name in found[:_LISTED_COLUMNS])
        if len(found) > _LISTED_COLUMNS:
            listed += f", and {len(found) - _LISTED_COLUMNS} more"
        return f"no text field (looked for {wanted}; found: {listed or 'none'})"

    def from_record(self, record: Mapping[str, Any], path: str, line: int) -> Iterator[Article | IngestIssue]:
        """Build from a JSON object or CSV row keyed by source column names."""
        folded = fold_keys(record)
        if not self._matches(folded):
            return
        fields: dict[str, str] = {}
        notes: list[IngestIssue] = []
        for field in ARTICLE_FIELDS:
            column = next((c for c in self._field_map.columns(field) if c in folded), None)
            if column is None:
                if field == "text":
                    yield IngestIssue(path=path, line=line, reason=self.missing_text_reason(list(record)))
                    return
                fields[field] = ""
                continue
            value = folded[column]
            if isinstance(value, str):
                fields[field] = value.strip()
            elif value is None and field != "text":
                fields[field] = ""
            elif field == "id" and _is_finite_number(value):
                fields[field] = str(value)  # row numbers exported as JSON numbers are common ids
            elif field == "text" or isinstance(value, dict | list) or field == "id":
                # The text, or a structure anywhere, is not something to guess at: the record is refused.
                expected = "text or a number" if field == "id" else "text"
                reason = f"field {column!r} is {json_kind(value)}, expected {expected}"
                yield IngestIssue(path=path, line=line, reason=reason)
                return
            else:
                reason = f"field {column!r} is {json_kind(value)}, expected text; left empty"
                notes.append(IngestIssue(path=path, line=line, reason=reason, severity="warning"))
                fields[field] = ""
        yield from self._build(fields, path, line, notes)

    def from_fields(self, fields: Mapping[str, str], path: str, line: int) -> Iterator[Article | IngestIssue]:
        """Build from a document whose Article fields are already known (text, Markdown, HTML)."""
        normalized = {field: fields.get(field, "").strip() for field in ARTICLE_FIELDS}
        if self._matches(normalized):
            yield from self._build(normalized, path, line)

    def _matches(self, folded: Mapping[str, Any]) -> bool:
        """True when every `where` field is present and equal as a case-insensitive string."""
        return all(
            key in folded and str(folded[key]).strip().casefold() == wanted for key, wanted in self._where.items()
        )

    def _build(
        self, fields: dict[str, str], path: str, line: int, notes: list[IngestIssue] | None = None
    ) -> Iterator[Article | IngestIssue]:
        """Clean and bound every field; an error refuses the record, warnings (`notes`) go out with the article."""
        notes = list(notes or [])

        def warn(reason: str) -> None:
            notes.append(IngestIssue(path=path, line=line, reason=reason, severity="warning"))

        text = _CONTROLS_IN_TEXT.sub("", _without_surrogates("text", fields["text"], warn)).strip()
        if not text:
            yield IngestIssue(path=path, line=line, reason="empty text")
            return
        size = len(text.encode("utf-8"))
        if size > MAX_ARTICLE_BYTES:
            reason = f"text is {size} bytes, over the {MAX_ARTICLE_BYTES}-byte limit"
            yield IngestIssue(path=path, line=line, reason=reason)
            return
        if not _WORD_CHAR.search(text):
            yield IngestIssue(path=path, line=line, reason="text has no letters or digits")
            return
        one_line = {
            field: _LINE_BREAKERS.sub(" ", _without_surrogates(field, fields[field], warn)).strip()
            for field in _ONE_LINE_FIELDS
        }
        if len(one_line["id"]) > MAX_ID_CHARS:
            reason = f"id is {len(one_line['id'])} characters, over the {MAX_ID_CHARS}-character limit"
            yield IngestIssue(path=path, line=line, reason=reason)
            return
        title = _truncated("title", one_line["title"], MAX_TITLE_CHARS, warn)
        source = _truncated("source", one_line["source"], MAX_SOURCE_CHARS, warn)
        url = one_line["url"]
        if len(url) > MAX_URL_CHARS:
            warn(f"url is {len(url)} characters, over the {MAX_URL_CHARS}-character limit; left empty")
            url = ""
        date = self._date(one_line["date"], warn)
        language = self._language
        raw_language = one_line["language"]
        if not language and len(raw_language) > MAX_LANGUAGE_CHARS:
            limit = MAX_LANGUAGE_CHARS
            warn(f"language is {len(raw_language)} characters, over the {limit}-character limit; left for detection")
        elif not language and raw_language:
            language = normalize_language(raw_language)
            if not language:
                warn(f"unrecognized language {raw_language!r}; left for detection")
        yield from notes
        yield Article(
            id=stable_doc_id(one_line["id"], url, title, text),
            title=title,
            text=text,
            date=date,
            source=source,
            url=url,
            language=language,
            origin=f"{printable(path)}:{line}",
        )

    @staticmethod
    def _date(value: str, warn: Callable[[str], None]) -> str:
        """The ISO date, or '' with a warning when it is too long or not a complete date."""
        if len(value) > MAX_DATE_CHARS:
            warn(f"date is {len(value)} characters, over the {MAX_DATE_CHARS}-character limit; date left empty")
            return ""
        try:
            return normalize_date(value)
        except ValueError as exc:
            warn(f"{exc}; date left empty")
            return ""


def _is_finite_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _without_surrogates(field: str, value: str, warn: Callable[[str], None]) -> str:
    """`value` with unpaired UTF-16 surrogates replaced by U+FFFD, warning once per field."""
    fixed, count = _SURROGATES.subn("\ufffd", value)
    if count:
        warn(f"{field} has {count} unpaired UTF-16 surrogate escape(s); replaced with U+FFFD")
    return fixed


def _truncated(field: str, value: str, limit: int, warn: Callable[[str], None]) -> str:
    """`value` cut to `limit` characters, the last being an ellipsis, with a warning when it was longer."""
    if len(value) <= limit:
        return value
    warn(f"{field} is {len(value)} characters, over the {limit}-character limit; truncated")
    return value[: limit - 1].rstrip() + "…"
