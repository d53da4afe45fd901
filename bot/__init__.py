"""Retrieval and answering: `from bot import NewsBot`."""

from bot.answer import Answer, Citation
from bot.filters import SearchFilters
from bot.newsbot import ChatSession, NewsBot
from bot.settings import Settings
from index import offline as _offline  # noqa: F401  (must run before third-party imports)

__all__ = ["Answer", "ChatSession", "Citation", "NewsBot", "SearchFilters", "Settings"]
