"""Tune a fusion weight on a mixed-language store: hit@1 per direction, on two halves of the questions.

    python bench/scale.py --sizes 10000 --keep          # builds the store and questions-all.json
    python bench/fusion.py --store .bench/scale-stores/store-this-10000 \\
        --questions .bench/scale-stores/questions-all.json --weight lexical_other_language --values 0.2,1,2,3

Questions are split by their source article (XQuAD article number even / odd): pick the value on
the tuning half, read its figures on the other. Prints one JSON line per value.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import NewsBot  # noqa: E402
from bot.retriever import FusionWeights  # noqa: E402


def half(question: dict) -> str:
    return "tune" if zlib.crc32(question["doc_id"].split("-")[1].encode()) % 2 == 0 else "held_out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--weight", required=True, help=f"one of {list(FusionWeights.model_fields)}")
    parser.add_argument("--values", required=True, help="comma-separated values to try")
    args = parser.parse_args()
    bot = NewsBot(store=args.store)
    questions = json.loads(args.questions.read_text())
    for value in (float(v) for v in args.values.split(",")):
        bot.retriever.weights = FusionWeights(**{args.weight: value})
        hits: dict[str, dict[str, list[int]]] = {}
        for q in questions:
            passages = bot.retrieve(q["question"], q["language"], k=5)
            top = passages[0].chunk.doc_id if passages else None
            hits.setdefault(half(q), {}).setdefault(q["direction"], []).append(int(top == q["doc_id"]))
        row = {args.weight: value}
        for name, directions in sorted(hits.items()):
            per = {d: round(sum(v) / len(v), 3) for d, v in sorted(directions.items())}
            same = [per[d] for d in ("en->en", "es->es") if d in per]
            cross = [per[d] for d in ("en->es", "es->en") if d in per]
            row[name] = {**per, "same": round(sum(same) / len(same), 3), "cross": round(sum(cross) / len(cross), 3)}
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
