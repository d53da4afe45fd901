"""Warm latency of `ask` (retrieve + extractive answer + grounding) on the ~10k-chunk store of bench/ingest.py.

python bench/ingest.py && python bench/latency.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import NewsBot  # noqa: E402

QUESTIONS = [
    "Who won the election?",
    "How many jobs will be cut?",
    "What did the minister say about taxes?",
    "¿Quién ganó las elecciones?",
    "¿Cuántas personas murieron?",
    "¿Qué dijo el presidente sobre la economía?",
    "When will the film be released?",
    "Which club signed the striker?",
    "¿Dónde ocurrió el accidente?",
    "What is the price of oil?",
]


def main() -> None:
    store = ROOT / ".bench" / "scale"
    if not store.is_dir():
        sys.exit("run bench/ingest.py first: it builds the ~10k-chunk store")
    bot = NewsBot(store=store)
    for question in QUESTIONS:  # warm-up
        bot.ask(question)
    times, stages = [], []
    for _ in range(3):
        for question in QUESTIONS:
            started = time.perf_counter()
            answer = bot.ask(question)
            times.append(time.perf_counter() - started)
            stages.append(answer.timings)
    times.sort()
    print(
        json.dumps(
            {
                "chunks": bot.components.store.count_chunks(),
                "asks": len(times),
                "p50_ms": round(statistics.median(times) * 1000, 1),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 1),
                "mean_stage_ms": {k: round(statistics.mean(s.get(k, 0) for s in stages) * 1000, 1) for k in stages[0]},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
