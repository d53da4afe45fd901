"""The `newsbot` console script: imports the CLI inside a guard, so Ctrl+C while the libraries load
(about a second) ends quietly with status 130 instead of a traceback."""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130


def main() -> int:
    try:
        from bot.cli import main as run
    except KeyboardInterrupt:
        print("newsbot: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return run()
