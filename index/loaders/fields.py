"""Which source column feeds which Article field, so one corpus's 'Headline' or 'TEXT' needs no code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

ARTICLE_FIELDS: tuple[str, ...] = ("id", "title", "text", "date", "source", "url", "language")

DEFAULT_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article"),
    "date": ("date", "published", "published_at", "pubdate"),
    "source": ("source", "outlet", "publisher", "site"),
    "url": ("url", "link"),
    "language": ("language", "lang"),
}
"""Column names recognized without a FieldMap, matched case-insensitively, first present wins."""


class FieldMap(BaseModel):
    """Source column name for each Article field; None keeps the default names for that field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = None
    title: str | None = None
    text: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None

    @field_validator(*ARTICLE_FIELDS)
    @classmethod
    def _not_blank(cls, column: str | None) -> str | None:
        if column is not None and not column.strip():
            raise ValueError("column name must not be empty")
        return column.strip() if column is not None else None

    def columns(self, field: str) -> tuple[str, ...]:
        """Column names to look up for `field`, case-folded: the mapped one only, else the defaults."""
        mapped = getattr(self, field)
        return (mapped.casefold(),) if mapped is not None else DEFAULT_ALIASES[field]


def parse_field_map(spec: str) -> FieldMap:
    """Parse 'text=Text,title=Headline' (Article field = source column) into a FieldMap."""
    columns: dict[str, str] = {}
    for pair in spec.split(","):
        field, sep, column = (part.strip() for part in pair.partition("="))
        if not sep or not field or not column:
            raise ValueError(f"bad field map entry {pair.strip()!r} in {spec!r}: expected field=column")
        field = field.lower()
        if field not in ARTICLE_FIELDS:
            raise ValueError(f"unknown field {field!r} in field map {spec!r} (fields: {', '.join(ARTICLE_FIELDS)})")
        if field in columns:
            raise ValueError(f"field {field!r} is mapped twice in {spec!r}")
        columns[field] = column
    return FieldMap(**columns)


def fold_keys(record: Mapping[str, Any]) -> dict[str, Any]:
    """Index a record by case-folded key, first spelling wins, so 'TEXT' and 'Text' both match 'text'."""
    folded: dict[str, Any] = {}
    for key, value in record.items():
        folded.setdefault(str(key).strip().casefold(), value)
    return folded
