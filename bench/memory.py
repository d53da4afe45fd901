"""What an answering process holds in memory, step by step, on an existing store.

    python bench/memory.py --store .bench/scale-stores/store-this-100000

Prints one JSON object: RSS in MB after Python starts, after `import bot`, with the embedder
loaded, with `NewsBot` open on the store, after the first answer, after 16 more, and the peak.
(docs/deploy.md reports it for the 100k-chunk store of bench/scale.py.)
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUESTIONS = [
    "How many people died in the explosion?",
    "¿Quién ganó las elecciones?",
    "What did the president say about the economy?",
    "¿Cuántos muertos dejó el huracán?",
]


def rss_mb() -> float:
    """Resident set size of this process now."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="an existing newsbot store directory")
    args = parser.parse_args()
    steps = {"python": rss_mb()}
    from bot import NewsBot
    from bot.components import make_embedder
    from bot.settings import Settings

    steps["import bot"] = rss_mb()
    settings = Settings(store_dir=args.store)
    embedder = make_embedder(settings)
    embedder.embed_queries(["warm up"])
    steps["embedder loaded"] = rss_mb()
    bot = NewsBot(settings, embedder=embedder)
    steps["NewsBot open"] = rss_mb()
    bot.ask(QUESTIONS[0])
    steps["first answer"] = rss_mb()
    for question in QUESTIONS * 4:
        bot.ask(question)
    steps["after 16 more"] = rss_mb()
    steps["peak"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps({"store": args.store, "rss_mb": steps}))


if __name__ == "__main__":
    main()
