"""Progress lines for a piped ingest: none before the interval, then counts and rate at most once per interval."""

from __future__ import annotations

import io

from index.progress import ProgressLines


def test_progress_lines_wait_for_the_interval_then_report_counts_and_rate():
    now = [100.0]
    stream = io.StringIO()
    progress = ProgressLines("ingest", stream, interval=5.0, clock=lambda: now[0])
    progress.update(10, 20)
    now[0] = 104.9
    progress.update(90, 180)
    assert stream.getvalue() == ""  # a short run stays silent
    now[0] = 105.0
    progress.update(100, 250)
    now[0] = 109.0
    progress.update(120, 300)  # within the interval of the last line
    now[0] = 110.0
    progress.update(2000)
    assert stream.getvalue().splitlines() == [
        "ingest: 100 articles, 250 chunks, 20.0 articles/s, 5 s",
        "ingest: 2,000 articles, 200.0 articles/s, 10 s",
    ]
