"""Retrieval and answering: `from bot import NewsBot`.

The names below are imported on first use, so `import bot.launch` (the `newsbot` command) starts in
milliseconds and can turn a Ctrl+C during the heavy imports into a quiet exit.
"""

from importlib import import_module
from typing import Any

from index import offline as _offline  # noqa: F401  (must run before third-party imports)

__all__ = ["Answer", "ChatSession", "Citation", "NewsBot", "SearchFilters", "Settings"]
_MODULE_OF = {
    "Answer": "bot.answer",
    "Citation": "bot.answer",
    "ChatSession": "bot.newsbot",
    "NewsBot": "bot.newsbot",
    "SearchFilters": "bot.filters",
    "Settings": "bot.settings",
}


def __getattr__(name: str) -> Any:
    if name in _MODULE_OF:
        return getattr(import_module(_MODULE_OF[name]), name)
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
