"""One writer at a time on an embedded store.

Chroma's embedded client keeps its vector index in the writing process's memory and flushes it to
files of its own; two processes writing one store leave vectors unreadable, or a store that hangs
on open (measured: two `newsbot ingest` of the same files). Readers in other processes are safe:
they reopen their client when the store changed (see `index.sync`). So every write (ingest,
delete, repair) takes an exclusive `flock` on `<store>/write.lock`; a second writer waits, saying
who holds the lock, and gives up after `timeout` seconds with a message pointing at server mode.

Within a process the lock is re-entrant and also serialises threads (the web app ingests uploads
on worker threads), so one `flock` is held per store directory, whatever the number of `NewsBot`s.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from index.errors import StoreBusyError

LOCK_FILE = "write.lock"
SETUP_LOCK_FILE = "setup.lock"
SETUP_TIMEOUT = 120.0
"""Seconds to wait for another process to open the store: opening takes well under a second."""
POLL_SECONDS = 0.2
"""How often a waiting writer retries the lock: short next to any ingest, cheap to poll."""


class _ProcessLock:
    """The flock of one store directory in this process, shared by its threads (re-entrant per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.threads = threading.RLock()
        self.depth = 0
        self.handle: int | None = None


_LOCKS: dict[Path, _ProcessLock] = {}
_LOCKS_GUARD = threading.Lock()


def _process_lock(store_dir: Path) -> _ProcessLock:
    path = (Path(store_dir) / LOCK_FILE).resolve()
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path, _ProcessLock(path))


class WriteLock:
    """The write lock of the embedded store in `store_dir`."""

    def __init__(self, store_dir: Path, timeout: float = 600.0, on_wait: Callable[[str], None] | None = None) -> None:
        if timeout < 0:
            raise ValueError(f"timeout must be >= 0, got {timeout}")
        self.store_dir = Path(store_dir)
        self.timeout = timeout
        self.on_wait = on_wait or _print_waiting

    @contextlib.contextmanager
    def hold(self, what: str) -> Iterator[None]:
        """Hold the lock for `what` ('ingest', 'delete' …); waits for another writer up to `timeout`."""
        lock = _process_lock(self.store_dir)
        if not lock.threads.acquire(timeout=self.timeout):
            raise StoreBusyError(f"another thread of this process is writing to {self.store_dir}")
        try:
            if lock.depth == 0:
                self._acquire_file(lock, what)
            lock.depth += 1
            try:
                yield
            finally:
                lock.depth -= 1
                if lock.depth == 0 and lock.handle is not None:
                    fcntl.flock(lock.handle, fcntl.LOCK_UN)
                    os.close(lock.handle)
                    lock.handle = None
        finally:
            lock.threads.release()

    def held_by_other(self) -> str | None:
        """Who holds the lock in another process, or None when it is free (a read-only probe)."""
        lock = _process_lock(self.store_dir)
        if lock.handle is not None or not lock.path.exists():
            return None
        handle = os.open(lock.path, os.O_RDONLY)
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(lock.path)
        finally:
            os.close(handle)  # closing drops the probe's shared lock
        return None

    def _acquire_file(self, lock: _ProcessLock, what: str) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock.path, os.O_RDWR | os.O_CREAT, 0o644)

        def tell() -> None:
            self.on_wait(f"waiting for {_holder(lock.path)} to finish writing to {self.store_dir} …")

        if not _flock(handle, self.timeout, POLL_SECONDS, tell):
            os.close(handle)
            raise StoreBusyError(
                f"{self.store_dir} is being written by {_holder(lock.path)}; gave up after "
                f"{self.timeout:.0f} s. An embedded store takes one writer at a time: wait for it, "
                "or run a Chroma server (`chroma run`) and set chroma_url so several processes can write."
            )
        os.ftruncate(handle, 0)
        holder = {"pid": os.getpid(), "what": what, "since": time.strftime("%Y-%m-%d %H:%M:%S")}
        os.pwrite(handle, json.dumps(holder).encode(), 0)
        lock.handle = handle


@contextlib.contextmanager
def setup_lock(store_dir: Path, timeout: float = SETUP_TIMEOUT) -> Iterator[None]:
    """Hold while opening an embedded store's Chroma client and creating its collections.

    Chroma creates its SQLite tables when a client first opens a new store; two processes doing it
    at once make one fail ("table collections already exists": measured, 2 of 32 openings of 16 new
    stores by 2 processes each). This short lock, apart from the write lock, serialises only that
    step, so a reader never waits for a long ingest to open the store.
    """
    store_dir = Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    handle = os.open(store_dir / SETUP_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _flock(handle, timeout, POLL_SECONDS / 4):
            raise StoreBusyError(f"another process has been opening {store_dir} for {timeout:.0f} s; is it stuck?")
        yield
    finally:
        os.close(handle)  # closing drops the lock


def _flock(handle: int, timeout: float, poll: float, on_first_wait: Callable[[], None] | None = None) -> bool:
    """Take an exclusive `flock` on `handle`, retrying every `poll` seconds; False after `timeout` seconds."""
    started = time.monotonic()
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() - started >= timeout:
                return False
            if on_first_wait is not None:
                on_first_wait()
                on_first_wait = None
            time.sleep(poll)


def _holder(path: Path) -> str:
    """'newsbot ingest (pid 123, since …)' from the lock file, or a plain phrase when unreadable."""
    try:
        holder = json.loads(path.read_text(encoding="utf-8") or "{}")
        return f"newsbot {holder['what']} (pid {holder['pid']}, since {holder['since']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


def _print_waiting(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
