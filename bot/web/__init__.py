"""Helpers for the Gradio web chat (`app.py`): safe HTML for answers, sources and the corpus, UI strings.

Everything an article supplies (text, title, outlet, url) is escaped here before it reaches the page.
"""

from bot.web.answer_html import render_answer, render_partial, render_refusal, source_anchor
from bot.web.auth import parse_auth
from bot.web.corpus_html import render_ingest, render_stats
from bot.web.i18n import t
from bot.web.safe import esc, safe_url
from bot.web.sources_html import highlight, render_sources

DEFAULT_HOST = "127.0.0.1"
"""Only this machine reaches the chat unless asked otherwise (`--host 0.0.0.0`)."""
DEFAULT_PORT = 7860
"""Gradio's customary port."""

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "esc",
    "highlight",
    "parse_auth",
    "render_answer",
    "render_ingest",
    "render_partial",
    "render_refusal",
    "render_sources",
    "render_stats",
    "safe_url",
    "source_anchor",
    "t",
]
