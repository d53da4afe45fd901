"""Extractive answers computed in separate processes, so concurrent askers are not queued on one GIL.

A web answer at 100k chunks costs ~40 ms of Python in retrieval and answering and ~15 ms in Gradio.
In one process, 50 askers at once wait for 50 x 55 ms on Python's lock whatever the cores; with
answering processes the server only serves pages. Each process opens its own `NewsBot` on the same
store (embedded or `chroma run`), reads only, and catches up with ingests by other processes before
each question, as any reader does. LLM answers stay in the server: they stream and wait on the network.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.answer import Answer
from bot.conversation import History
from bot.filters import SearchFilters
from bot.newsbot import NewsBot
from bot.settings import Settings

log = logging.getLogger(__name__)

WARM_QUESTION = "What happened?"
"""Asked once by each process as it starts: its first answer loads what answering needs (~1 s at 100k
chunks), which must not fall on an asker."""

_bot: NewsBot | None = None  # the answering process's own bot


def _start(settings: Settings) -> None:
    from threadpoolctl import threadpool_limits

    global _bot
    threadpool_limits(limits=1, user_api="blas")  # small products; idle BLAS threads only spin (see app.py)
    _bot = NewsBot(settings)
    if _bot.components.translator is not None:
        _bot.components.translator.warm_up()  # the question below loads only the other language's
    _bot.ask(WARM_QUESTION, "en")


def _ask(
    question: str, language: str | None, filters: SearchFilters | None, history: History
) -> tuple[Answer, History]:
    assert _bot is not None, "the answering process did not start"
    answer = _bot.ask(question, language, filters, "extractive", history)
    return answer, history


def _ready() -> bool:
    return _bot is not None


class AnswerProcesses:
    """`processes` answering processes over the store of `settings`, started and warmed at once."""

    def __init__(self, settings: Settings, processes: int) -> None:
        if processes < 1:
            raise ValueError(f"processes must be >= 1, got {processes}")
        self.settings = settings
        self.processes = processes
        self._guard = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            self.processes,
            mp_context=multiprocessing.get_context("spawn"),  # never fork a process holding Chroma's threads
            initializer=_start,
            initargs=(self.settings,),
        )
        for _ in range(self.processes):  # submitted together, so every process is started now
            pool.submit(_ready)
        return pool

    def ask(
        self, question: str, language: str | None, filters: SearchFilters | None, history: History
    ) -> tuple[Answer, History]:
        """The extractive answer and the conversation with it added. A process that died is replaced
        for the next question and this one raises `BrokenProcessPool`: the caller answers it itself."""
        pool = self._pool
        try:
            return pool.submit(_ask, question, language, filters, history).result()
        except BrokenProcessPool:
            with self._guard:
                if self._pool is pool:
                    log.warning("an answering process stopped; starting %d new ones", self.processes)
                    self._pool = self._new_pool()
            raise

    def close(self) -> None:
        """Stop the processes: questions waiting are dropped, one being answered is finished first."""
        self._pool.shutdown(wait=True, cancel_futures=True)
