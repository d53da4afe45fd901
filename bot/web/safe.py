"""Escaping for everything that reaches the page: article text, titles, outlets and links are untrusted."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

# Characters Markdown, Gradio's LaTeX pass or a `${...}` template could act on, written as numeric
# entities so they can only ever display as themselves.
_INERT = str.maketrans({ch: f"&#{ord(ch)};" for ch in "\\`*_[]{}|~$"})


def esc(text: object) -> str:
    """`text` as inert HTML: `<`, `>`, `&` and quotes escaped, and Markdown/LaTeX/template syntax neutralised."""
    return html.escape(str(text), quote=True).translate(_INERT)


def esc_multiline(text: object) -> str:
    """Like `esc`, with line breaks kept as `<br>` (so the HTML never holds a blank line)."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(esc(line) for line in lines)


def safe_url(url: object) -> str | None:
    """The URL escaped for an `href`, or None unless it is an absolute http(s) link."""
    text = str(url or "").strip()
    if not text or any(ord(ch) < 32 or ch.isspace() for ch in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return html.escape(text, quote=True)


def link(url: object, label: str, css_class: str = "nb-link") -> str | None:
    """An external link opening in a new tab without handing the opener over; None if the URL is unsafe."""
    href = safe_url(url)
    if href is None:
        return None
    return f'<a class="{css_class}" href="{href}" target="_blank" rel="noopener noreferrer">{esc(label)}</a>'
