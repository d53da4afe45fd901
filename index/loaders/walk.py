"""Expanding the paths given into files: each real file once, and no walk that leaves its tree or loops."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Literal

from index.records import IngestIssue

FileKey = tuple[int, int]
"""(device, inode): what makes two paths the same file, whether reached by links, hard links or twice."""


def _key(status: os.stat_result) -> FileKey:
    return status.st_dev, status.st_ino


def _inside(path: str, root: str) -> bool:
    """True when resolved `path` is `root` or below it (both resolved, so '..' and links are already gone)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class Walker:
    """Yields the files under the paths of one load call, in sorted order, skipping hidden entries below them.

    A path given explicitly is followed even if it is a link: the user named it. Below it, links are followed
    only to regular files inside the resolved tree; a link to a directory is never followed (its target is
    either outside the tree, or inside it and walked in its real place, or an ancestor: a loop), and each such
    link gets one warning. Every real file is yielded at most once per Walker, however it is reached.
    """

    def __init__(self) -> None:
        self._seen: dict[FileKey, str] = {}

    def expand(self, given: Path) -> Iterator[Path | IngestIssue]:
        status = yield from self._stat(given, explicit=True)
        if status is None:
            return
        if stat.S_ISDIR(status.st_mode):
            yield from self._walk(given, status)
        elif stat.S_ISREG(status.st_mode):
            yield from self._file(given, status)
        else:
            yield IngestIssue(path=str(given), reason="not a regular file or directory")

    @staticmethod
    def _stat(path: Path, explicit: bool) -> Generator[IngestIssue, None, os.stat_result | None]:
        """Return the stat of what `path` points to, or None after yielding why it cannot be used.

        A dangling or looping link met in a walk is a warning (nothing readable was lost); named explicitly,
        like a missing path, it is an error.
        """
        severity: Literal["error", "warning"] = "error" if explicit else "warning"
        try:
            return os.stat(path)
        except FileNotFoundError:
            if os.path.lexists(path):
                yield IngestIssue(path=str(path), reason="broken symbolic link, skipped", severity=severity)
            else:
                yield IngestIssue(path=str(path), reason="no such file or directory")
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                yield IngestIssue(path=str(path), reason="symbolic link loop, skipped", severity=severity)
            else:
                yield IngestIssue(path=str(path), reason=f"cannot access: {exc.strerror or exc}")
        except ValueError as exc:  # a NUL in a path passed through the Python API
            yield IngestIssue(path=str(path), reason=f"invalid path: {exc}")
        return None

    def _file(self, path: Path, status: os.stat_result) -> Iterator[Path | IngestIssue]:
        first = self._seen.get(_key(status))
        if first is None:
            self._seen[_key(status)] = str(path)
            yield path
            return
        reason = (
            "already read in this call; skipped"
            if first == str(path)
            else f"same file as {first}, already read; skipped"
        )
        yield IngestIssue(path=str(path), reason=reason, severity="warning")

    def _walk(self, top: Path, top_status: os.stat_result) -> Iterator[Path | IngestIssue]:
        """Depth-first with an explicit stack, so a deep tree cannot exhaust Python's recursion limit."""
        root = os.path.realpath(top)
        walked: set[FileKey] = {_key(top_status)}
        stack: list[tuple[str, Iterator[os.DirEntry[str]]]] = []
        listing = yield from self._list(top)
        if listing is None:
            return
        stack.append((root, listing))
        while stack:
            real_dir, entries = stack[-1]
            entry = next(entries, None)
            if entry is None:
                stack.pop()
                continue
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                yield from self._link(path, root, [real for real, _ in stack])
                continue
            try:
                status = entry.stat(follow_symlinks=False)
            except OSError as exc:
                yield IngestIssue(path=str(path), reason=f"cannot access: {exc.strerror or exc}")
                continue
            if stat.S_ISREG(status.st_mode):
                yield from self._file(path, status)
            elif not stat.S_ISDIR(status.st_mode):
                yield IngestIssue(path=str(path), reason="not a regular file or directory")
            elif _key(status) in walked:  # a bind mount or hard-linked directory looping back
                reason = "directory already walked (a bind mount or hard link loop?), skipped"
                yield IngestIssue(path=str(path), reason=reason, severity="warning")
            else:
                walked.add(_key(status))
                listing = yield from self._list(path)
                if listing is not None:
                    stack.append((os.path.join(real_dir, entry.name), listing))

    @staticmethod
    def _list(directory: Path) -> Generator[IngestIssue, None, Iterator[os.DirEntry[str]] | None]:
        """Generator returning the sorted entries of `directory`, or None after yielding why it cannot be listed."""
        try:
            with os.scandir(directory) as scan:
                return iter(sorted(scan, key=lambda entry: entry.name))
        except OSError as exc:
            yield IngestIssue(path=str(directory), reason=f"cannot list directory: {exc.strerror or exc}")
        return None

    def _link(self, path: Path, root: str, open_dirs: list[str]) -> Iterator[Path | IngestIssue]:
        """A symbolic link met inside a walk: a file inside the tree is read (once); anything else is skipped."""
        status = yield from self._stat(path, explicit=False)
        if status is None:
            return
        target = os.path.realpath(path)
        if stat.S_ISDIR(status.st_mode):
            if target in open_dirs:
                reason = f"symbolic link loop (to {target}, which is being walked), skipped"
            elif _inside(target, root):
                reason = f"symbolic link to a directory inside the tree ({target}), skipped: it is walked in place"
            else:
                reason = f"symbolic link to a directory outside {root} ({target}), skipped"
            yield IngestIssue(path=str(path), reason=reason, severity="warning")
        elif not _inside(target, root):
            reason = f"symbolic link to a file outside {root} ({target}), skipped"
            yield IngestIssue(path=str(path), reason=reason, severity="warning")
        elif stat.S_ISREG(status.st_mode):
            yield from self._file(path, status)
        else:
            yield IngestIssue(path=str(path), reason="not a regular file or directory")
