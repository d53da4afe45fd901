"""newsbot's own exceptions: what API and CLI users catch instead of Chroma's or httpx's internals."""

from __future__ import annotations


class NewsbotError(Exception):
    """Base of every error newsbot raises on purpose; its message is meant for the user."""


class StoreError(NewsbotError):
    """The store could not do what was asked (a Chroma failure, an inconsistent store)."""


class StoreUnavailableError(StoreError):
    """The Chroma server did not answer after the bounded retries."""


class StoreBusyError(StoreError):
    """Another process holds the embedded store's write lock and did not let go in time."""
