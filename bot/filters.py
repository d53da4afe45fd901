"""Search filters (language, outlet, date range), applied in Chroma and to BM25 hits alike."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field, field_validator

from index.records import Chunk
from index.store import date_number


class SearchFilters(BaseModel):
    """Restrict retrieval; every field is optional and they combine with AND."""

    languages: list[str] = Field(default_factory=list, description="Only passages in these languages.")
    sources: list[str] = Field(default_factory=list, description="Only these outlets.")
    since: str | None = Field(None, description="Earliest article date, YYYY-MM-DD, inclusive.")
    until: str | None = Field(None, description="Latest article date, YYYY-MM-DD, inclusive.")

    @field_validator("since", "until")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value:
            date.fromisoformat(value[:10])
            return value[:10]
        return None

    @property
    def empty(self) -> bool:
        return not (self.languages or self.sources or self.since or self.until)

    def to_where(self) -> dict[str, Any] | None:
        """The Chroma `where` clause for these filters (None when there is nothing to filter)."""
        clauses: list[dict[str, Any]] = []
        if self.languages:
            clauses.append({"language": {"$in": self.languages}})
        if self.sources:
            clauses.append({"source": {"$in": self.sources}})
        if self.since:
            clauses.append({"date_num": {"$gte": date_number(self.since)}})
        if self.until:
            clauses.append({"date_num": {"$lte": date_number(self.until)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def matches(self, chunk: Chunk) -> bool:
        """The same test in Python, for candidates that did not come through Chroma (BM25 hits)."""
        return self.admits(chunk.language, chunk.source, chunk.date)

    def admits(self, language: str, source: str, date: str) -> bool:
        """`matches` for a passage known by its language and its article's outlet and date."""
        if self.languages and language not in self.languages:
            return False
        if self.sources and source not in self.sources:
            return False
        day = date_number(date)
        if self.since and day < date_number(self.since):
            return False
        return not (self.until and day > date_number(self.until))
