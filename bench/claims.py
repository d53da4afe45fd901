"""Warm `check` latency on the demo store, beside `ask` on the same store.

    python bench/claims.py

Builds the demo store in a temporary folder, warms up on other claims, then times each claim below
five times (English and Spanish; figures, names, and claims the corpus does not settle). Prints JSON:
p50/p95 of `check` the first time each claim is seen and over all rounds, of `ask` on the same
sentences, and the verdicts (the verdict accuracy is measured by the claims suites:
`newsbot eval run eval/suites/news-stories-claims.jsonl`).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import NewsBot  # noqa: E402

CLAIMS = [
    "The attack on Villa Unión killed 23 people.",
    "The attack on Villa Unión killed 21 people.",
    "El ataque en Villa Unión dejó 50 muertos.",
    "Four state police officers died in the Villa Unión attack.",
    "Governor Miguel Ángel Riquelme defended the state's response to the Villa Unión attack.",
    "Governor Jaime Rodríguez defended the state's response to the Villa Unión attack.",
    "The Villa Unión attackers were sentenced to 40 years in prison.",
    "Villa Unión está en el estado de Coahuila.",
]
WARM_UP = ["The storm closed two bridges.", "¿Cuántas personas murieron en el ataque?", "Redbrook trains stopped."]
"""Other claims first, so the store and the models are warm but the timed claims are new to the caches."""
ROUNDS = 5


def timed(call, items: list[str]) -> list[float]:
    out = []
    for _ in range(ROUNDS):
        for item in items:
            started = time.perf_counter()
            call(item)
            out.append(time.perf_counter() - started)
    return out


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "n": len(ordered),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        bot = NewsBot(store=Path(folder) / "store")
        bot.ingest([ROOT / "data" / "demo"])
        for claim in WARM_UP:
            bot.check(claim)
            bot.ask(claim)
        checks = timed(bot.check, CLAIMS)
        asks = timed(bot.ask, CLAIMS)
        verdicts = {claim: bot.check(claim).verdict for claim in CLAIMS}
    result = {
        "check_first_time": summary(checks[: len(CLAIMS)]),
        "check": summary(checks),
        "ask": summary(asks),
        "verdicts": verdicts,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
