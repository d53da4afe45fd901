"""Entry point: expand paths, pick a loader by extension, and drop duplicate ids across the batch."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from index.loaders.base import Loader
from index.loaders.builder import ArticleBuilder, clip
from index.loaders.csv_loader import CsvLoader
from index.loaders.fields import FieldMap
from index.loaders.html import HtmlLoader
from index.loaders.json_loader import JsonLoader
from index.loaders.jsonl import JsonlLoader
from index.loaders.text import TextLoader
from index.loaders.walk import Walker
from index.records import Article, IngestIssue

_LOADER_TYPES: tuple[type[Loader], ...] = (JsonlLoader, JsonLoader, CsvLoader, TextLoader, HtmlLoader)

SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(sorted(ext for cls in _LOADER_TYPES for ext in cls.extensions))
"""Lower-case suffixes load_paths can read; matching is case-insensitive."""


def load_paths(
    paths: Sequence[str | Path],
    field_map: FieldMap | None = None,
    where: Mapping[str, str] | None = None,
    language: str | None = None,
    csv_header: bool = True,
) -> Iterator[Article | IngestIssue]:
    """Stream Articles and IngestIssues from files and directories (recursively, sorted, no hidden ones).

    Each real file is read once per call; links inside a directory are followed only to files in that tree.

    Bad arguments raise here, at once; bad input never raises, it becomes an IngestIssue and the
    batch goes on. `where` keeps records whose fields equal the values, compared case-insensitively as
    strings; for text, Markdown and HTML it sees the Article fields. `language` overrides every record's.
    `csv_header=False` reads every CSV row as data, its columns named by number from 1 (see `CsvLoader`).
    """
    if isinstance(paths, str | Path):
        raise TypeError("paths must be a sequence of paths, not a single path")
    builder = ArticleBuilder(field_map, where, language)
    built = (CsvLoader(builder, header=csv_header) if cls is CsvLoader else cls(builder) for cls in _LOADER_TYPES)
    loaders = {ext: loader for loader in built for ext in loader.extensions}
    return _dedupe(_load_all(list(paths), loaders))


def _load_all(paths: list[str | Path], loaders: dict[str, Loader]) -> Iterator[Article | IngestIssue]:
    walker = Walker()  # one per call: a file reached twice, by links or by overlapping paths, is read once
    for given in paths:
        for file in walker.expand(Path(given)):
            if isinstance(file, IngestIssue):
                yield file
            else:
                yield from _load_file(file, loaders)


def _load_file(path: Path, loaders: dict[str, Loader]) -> Iterator[Article | IngestIssue]:
    suffix = path.suffix.lower()
    loader = loaders.get(suffix)
    if loader is None:
        kind = f"'{suffix}'" if suffix else "(no extension)"
        reason = f"unsupported file type {kind} (supported: {', '.join(SUPPORTED_EXTENSIONS)})"
        yield IngestIssue(path=str(path), reason=reason)
        return
    try:
        yield from loader.load(path)
    except Exception as exc:  # one unreadable file must not abort the batch
        yield IngestIssue(path=str(path), reason=f"could not read file: {type(exc).__name__}: {exc}")


def _dedupe(items: Iterator[Article | IngestIssue]) -> Iterator[Article | IngestIssue]:
    """First article with an id wins; later ones become issues that point back at it."""
    first_origin: dict[str, str] = {}
    for item in items:
        if isinstance(item, Article):
            if item.id in first_origin:
                path, _, line = item.origin.rpartition(":")
                reason = f"duplicate id {clip(item.id)} (first seen at {first_origin[item.id]})"
                yield IngestIssue(path=path, line=int(line), reason=reason)
                continue
            first_origin[item.id] = item.origin
        yield item
