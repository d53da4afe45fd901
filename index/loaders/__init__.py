"""File loaders: turn JSONL, JSON, CSV/TSV, text/Markdown and HTML files into Articles and IngestIssues."""

from index.loaders.dispatch import SUPPORTED_EXTENSIONS, load_paths
from index.loaders.fields import FieldMap, parse_field_map

__all__ = ["SUPPORTED_EXTENSIONS", "FieldMap", "load_paths", "parse_field_map"]
