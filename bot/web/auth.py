"""Optional login: `NEWSBOT_AUTH=user:pass`, several pairs separated by commas, or a file of user:pass lines."""

from __future__ import annotations

import os
from pathlib import Path

from index.errors import InvalidRequestError

AUTH_ENV = "NEWSBOT_AUTH"


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """Credentials from `value` (or the NEWSBOT_AUTH environment variable when it is None).

    A value naming an existing file is read as one `user:pass` per line (blank lines and `#` comments
    skipped). Returns None when no login is wanted; raises InvalidRequestError on a malformed entry.
    """
    if value is None:
        value = os.environ.get(AUTH_ENV)
    if not value or not value.strip():
        return None
    value = value.strip()
    path = Path(value).expanduser()
    if path.is_file():
        entries = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        entries = [line for line in entries if line and not line.startswith("#")]
        where = str(path)
    else:
        entries = [part.strip() for part in value.split(",") if part.strip()]
        where = AUTH_ENV
    pairs: list[tuple[str, str]] = []
    for entry in entries:
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise InvalidRequestError(f"{where}: expected user:pass, got an entry without both parts")
        pairs.append((user.strip(), password))
    if not pairs:
        raise InvalidRequestError(f"{where}: no user:pass entries")
    return pairs
