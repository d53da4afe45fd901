"""How a long ingest shows it is alive: a bar on a terminal, a line every few seconds anywhere else."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Literal, TextIO

ProgressStyle = Literal["bar", "lines"]
"""'bar': a tqdm bar (a terminal, and the web page, which tracks tqdm); 'lines': `ProgressLines`."""

PROGRESS_LINE_SECONDS = 5.0
"""Between two progress lines when stderr is a pipe or a log file: a stalled ingest shows within seconds,
yet a 10-minute one writes about 120 lines rather than one per article."""


class ProgressLines:
    """Writes 'ingest: 1,200 articles, 3,400 chunks, 40.0 articles/s, 30 s' at most every `interval` seconds.

    Nothing is written before the first interval has passed, so a short run stays silent.
    """

    def __init__(
        self,
        label: str,
        stream: TextIO | None = None,
        interval: float = PROGRESS_LINE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.interval = interval
        self.clock = clock
        self.started = self.last = clock()

    def update(self, articles: int, chunks: int | None = None) -> None:
        """Report the running totals; a line is written only when `interval` seconds passed since the last."""
        now = self.clock()
        if now - self.last < self.interval:
            return
        self.last = now
        elapsed = now - self.started
        counts = f"{articles:,} articles" + (f", {chunks:,} chunks" if chunks is not None else "")
        rate = articles / elapsed if elapsed > 0 else 0.0
        print(f"{self.label}: {counts}, {rate:.1f} articles/s, {elapsed:.0f} s", file=self.stream, flush=True)
