"""newsbot's own exceptions: what API and CLI users catch instead of Chroma's or httpx's internals.

The CLI prints their message as one line: 2 as the exit status for an `InvalidRequestError` (fixing
the command fixes it), 1 for any other.
"""

from __future__ import annotations


class NewsbotError(Exception):
    """Base of every error newsbot raises on purpose; its message is meant for the user."""


class InvalidRequestError(NewsbotError, ValueError):
    """What was asked for cannot be: an empty question, an outlet the store does not hold, a bad setting.

    A ValueError too, so code that caught ValueError for these before still does.
    """


class StoreError(NewsbotError):
    """The store could not do what was asked (a Chroma failure, an inconsistent store)."""


class StoreMissingError(StoreError):
    """A command that reads the store found none where the settings point (nothing ingested there yet)."""


class StoreUnavailableError(StoreError):
    """The Chroma server did not answer after the bounded retries."""


class StoreBusyError(StoreError):
    """Another process holds the embedded store's write lock and did not let go in time."""


class ServerStartError(NewsbotError):
    """The web chat could not listen where it was asked to (the port is taken, the host is not this machine's)."""
