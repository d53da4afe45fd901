"""Keeps what this process derived from the store (the lexical index and catalog, and an embedded
Chroma client's in-memory vector index) in step with the store, whoever changed it.

Before each question `refresh` asks the store's change feed what was committed or deleted since
the index's stamp and applies just those articles. On an embedded store a file-size-and-mtime
check comes first, so an unchanged store costs a `stat`, not a query; and when another process
wrote, the Chroma client is reopened, because it keeps the vector index it loaded in memory
(a stale client cannot read the new vectors: "Error finding id").
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from index.lexical import LexicalIndex
from index.locking import WriteLock
from index.records import Chunk
from index.store import CHANGE_WINDOW_NS, PROCESS_TOKEN, ChunkStore

REBUILD_SEGMENT_CHUNKS = 20_000
"""Chunks per segment while rebuilding: bounds the memory of a rebuild whatever the store's size."""
REBUILD_DOC_BATCH = 500
"""Articles whose chunks are read per query while rebuilding."""


class IndexSync:
    """Brings `lexical` up to date with `store`; the one place derived state learns of changes."""

    def __init__(
        self, store: ChunkStore, lexical: LexicalIndex, write_timeout: float = 600.0, on_wait: Callable | None = None
    ) -> None:
        self.store = store
        self.lexical = lexical
        self.write_lock = WriteLock(store.store_dir, timeout=write_timeout, on_wait=on_wait) if store.embedded else None
        self._guard = threading.RLock()
        self._file_stamp: tuple[int, ...] | None = None
        self._seen: dict[tuple[str, int], None] = {}

    # -- reading side -----------------------------------------------------------------------------
    def refresh(self) -> int:
        """Apply what changed in the store since the last call; returns how many articles changed."""
        file_stamp = self.store.connection.file_stamp()
        if file_stamp is not None and file_stamp == self._file_stamp:
            return 0
        with self._guard:
            if not self.lexical.stamp and not len(self.lexical) and self.store.count_documents():
                self.rebuild()
                self._file_stamp = file_stamp
                return len(self.lexical.documents())
            changes = [c for c in self.store.changes_since(self.lexical.stamp) if (c.doc_id, c.ts) not in self._seen]
            foreign = any(c.writer != PROCESS_TOKEN for c in changes)
            if foreign and self.store.embedded and not self.store.connection.reopen():
                return 0  # this process is writing; its next question catches up
            changed = self._apply({c.doc_id for c in changes}, max((c.ts for c in changes), default=0))
            self._remember((c.doc_id, c.ts) for c in changes)
            self._file_stamp = file_stamp
            return changed

    def _remember(self, changes: Iterable[tuple[str, int]]) -> None:
        """Changes already applied that the next feed read may return again (it looks back a window)."""
        self._seen.update(dict.fromkeys(changes))
        horizon = self.lexical.stamp - CHANGE_WINDOW_NS
        if len(self._seen) > 1000:
            self._seen = dict.fromkeys(key for key in self._seen if key[1] > horizon)

    def _apply(self, doc_ids: set[str], stamp: int) -> int:
        if not doc_ids:
            return 0
        rows = self.store.registry_rows(sorted(doc_ids))
        upserts = {doc_id: row for doc_id, row in rows.items() if self.lexical.version_of(doc_id) != row["version"]}
        deletions = [doc_id for doc_id in doc_ids if doc_id not in rows and self.lexical.version_of(doc_id) is not None]
        chunks = self.store.current_chunks(upserts) if upserts else {}
        self.lexical.apply([({"id": i, **row}, chunks[i]) for i, row in upserts.items()], deletions, stamp)
        return len(upserts) + len(deletions)

    def rebuild(self) -> None:
        """Derive the lexical index and catalog from Chroma alone (`newsbot reindex`), and save them."""
        with self._guard:
            started = time.time_ns()
            self.lexical.reset()
            rows = {row.pop("id"): row for row in self.store.documents()}
            pending: list[tuple[Mapping[str, Any], Sequence[Chunk]]] = []
            pending_chunks = 0
            doc_ids = list(rows)
            for i in range(0, len(doc_ids), REBUILD_DOC_BATCH):
                batch = {doc_id: rows[doc_id] for doc_id in doc_ids[i : i + REBUILD_DOC_BATCH]}
                for doc_id, chunks in self.store.current_chunks(batch).items():
                    pending.append(({"id": doc_id, **batch[doc_id]}, chunks))
                    pending_chunks += len(chunks)
                if pending_chunks >= REBUILD_SEGMENT_CHUNKS:
                    self.lexical.apply(pending)
                    pending, pending_chunks = [], 0
            if pending:
                self.lexical.apply(pending)
            self.lexical.set_stamp(started)
            self.lexical.save()

    # -- writing side -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self, what: str) -> Iterator[None]:
        """Hold the store for writing: the embedded write lock, then a view that includes every other
        process's changes (so this one's Chroma client writes on top of them, never over them)."""
        lock = self.write_lock.hold(what) if self.write_lock else contextlib.nullcontext()
        with lock, self.store.connection.lock, self._guard:
            self.refresh()
            yield
            self.lexical.save()

    def committed(
        self, rows: Sequence[Mapping[str, Any]], chunks: Sequence[Chunk], deletions: Sequence[str] = ()
    ) -> None:
        """Apply this process's own commit (registry rows with 'id' and 'ts') without reading it back.

        On an embedded store the write lock rules out other writers, so the stamp moves on; on a
        server another writer may have committed meanwhile, so the change feed still gets asked.
        """
        by_doc: dict[str, list[Chunk]] = {row["id"]: [] for row in rows}
        for chunk in chunks:
            by_doc[chunk.doc_id].append(chunk)
        stamp = max((int(row.get("ts", 0)) for row in rows), default=0) if self.store.embedded else None
        self.lexical.apply([(row, by_doc[row["id"]]) for row in rows], deletions, stamp)
        self._remember((row["id"], int(row.get("ts", 0))) for row in rows)
