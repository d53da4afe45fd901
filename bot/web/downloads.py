"""Answers and claim checks as files to download (`bot.export`), written where Gradio may serve them."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from bot.answer import Answer
from bot.claims.types import ClaimCheck
from bot.export import Format, export

EXPORT_DIR = Path(tempfile.gettempdir()) / "newsbot-exports"
"""Under the system temp folder, which Gradio serves files from without extra `allowed_paths`."""
EXPORT_LIFETIME = 24 * 3600
"""Seconds an export stays on disk: long enough for any reader to click, short enough that a server
running for months does not fill its temp folder."""
DOWNLOAD_FORMATS: dict[Format, str] = {"html": "HTML", "md": "Markdown"}
"""The formats the web app offers, with their names on the buttons: a page to read, text to paste."""


def export_file(result: Answer | ClaimCheck, fmt: Format) -> Path:
    """`result` exported as `fmt` to `<temp>/newsbot-exports/<content hash>/newsbot-<kind>.<fmt>`.

    The folder is named by the content, so the downloaded file keeps a plain name
    (`newsbot-check.html`) while readers checking different claims at once never overwrite each
    other's file, and the same export is written once.
    """
    text = export(result, fmt)
    _forget_old_exports()
    kind = "check" if isinstance(result, ClaimCheck) else "answer"
    folder = EXPORT_DIR / hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    path = folder / f"newsbot-{kind}.{fmt}"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".part") as part:
        part.write(text)
    os.replace(part.name, path)  # whole or absent: a reader never downloads half a file
    return path


def _forget_old_exports() -> None:
    """Remove export folders older than `EXPORT_LIFETIME` (another reader may still be downloading a new one)."""
    if not EXPORT_DIR.is_dir():
        return
    oldest = time.time() - EXPORT_LIFETIME
    for folder in EXPORT_DIR.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < oldest:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # gone already: another worker cleaned it
