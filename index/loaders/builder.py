"""One place that turns a raw record into an Article, so every file format gets the same rules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from index.loaders.fields import ARTICLE_FIELDS, FieldMap, fold_keys
from index.loaders.normalize import normalize_date, normalize_language
from index.records import MAX_ARTICLE_BYTES, Article, IngestIssue, stable_doc_id


def json_kind(value: Any) -> str:
    """Name a parsed JSON value's type the way JSON does, for error messages."""
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
        return f"no text field (looked for {wanted}; found: {', '.join(found) or 'none'})"

    def from_record(self, record: Mapping[str, Any], path: str, line: int) -> Iterator[Article | IngestIssue]:
        """Build from a JSON object or CSV row keyed by source column names."""
        folded = fold_keys(record)
        if not self._matches(folded):
            return
        fields: dict[str, str] = {}
        for field in ARTICLE_FIELDS:
            column = next((c for c in self._field_map.columns(field) if c in folded), None)
            if column is None:
                if field == "text":
                    yield IngestIssue(path=path, line=line, reason=self.missing_text_reason(list(record)))
                    return
                fields[field] = ""
                continue
            value = folded[column]
            if isinstance(value, dict | list):
                reason = f"field {column!r} is {json_kind(value)}, expected text"
                yield IngestIssue(path=path, line=line, reason=reason)
                return
            fields[field] = "" if value is None else str(value).strip()
        yield from self._build(fields, path, line)

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

    def _build(self, fields: dict[str, str], path: str, line: int) -> Iterator[Article | IngestIssue]:
        text = fields["text"]
        if not text:
            yield IngestIssue(path=path, line=line, reason="empty text")
            return
        size = len(text.encode("utf-8"))
        if size > MAX_ARTICLE_BYTES:
            reason = f"text is {size} bytes, over the {MAX_ARTICLE_BYTES}-byte limit"
            yield IngestIssue(path=path, line=line, reason=reason)
            return
        try:
            date = normalize_date(fields["date"])
        except ValueError as exc:
            yield IngestIssue(path=path, line=line, reason=f"{exc}; date left empty", severity="warning")
            date = ""
        language = self._language
        if not language and fields["language"]:
            language = normalize_language(fields["language"])
            if not language:
                reason = f"unrecognized language {fields['language']!r}; left for detection"
                yield IngestIssue(path=path, line=line, reason=reason, severity="warning")
        yield Article(
            id=stable_doc_id(fields["id"], fields["url"], fields["title"], text),
            title=fields["title"],
            text=text,
            date=date,
            source=fields["source"],
            url=fields["url"],
            language=language,
            origin=f"{path}:{line}",
        )
