"""Retrieval on XQuAD-dev in four directions: fused hybrid against dense-only and BM25-only.

    python bench/retrieval.py [--store DIR]

Paragraphs of both languages go into one store; each direction filters to the passage language.
Prints JSON: R@1, R@5 and MRR (by gold paragraph) per direction and method.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from xquad import ROOT, load_xquad, xquad_bot

from bot.filters import SearchFilters
from bot.retriever import FusionWeights

NO_LEXICAL = {"lexical_same_language": 0, "lexical_other_language": 0, "lexical_translated": 0, "clues": 0}
METHODS = {
    "hybrid": FusionWeights(),
    "dense_passage": FusionWeights(best_sentence=0, **NO_LEXICAL),
    "dense_passage_and_sentence": FusionWeights(**NO_LEXICAL),
    "bm25": FusionWeights(
        passage=0, best_sentence=0, lexical_same_language=1, lexical_other_language=1, lexical_translated=1, clues=0
    ),
}


def ranks(bot, questions, passage_language: str, weights: FusionWeights) -> list[int]:
    bot.retriever.weights = weights
    found = []
    for question in questions:
        gold = question.doc_id.replace(f"-{question.language}-", f"-{passage_language}-")
        passages = bot.retriever.retrieve(
            question.text, question.language, k=10, filters=SearchFilters(languages=[passage_language])
        )
        order = list(dict.fromkeys(p.chunk.doc_id for p in passages))
        found.append(order.index(gold) + 1 if gold in order else 0)
    return found


def summary(found: list[int]) -> dict[str, float]:
    n = len(found)
    return {
        "R@1": round(sum(r == 1 for r in found) / n, 3),
        "R@5": round(sum(0 < r <= 5 for r in found) / n, 3),
        "MRR": round(sum(1 / r for r in found if r) / n, 3),
        "questions": n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, default=ROOT / ".bench" / "xquad")
    parser.add_argument("--methods", nargs="+", choices=sorted(METHODS), default=sorted(METHODS))
    parser.add_argument("--directions", nargs="+", default=["en->en", "en->es", "es->en", "es->es"])
    args = parser.parse_args()
    bot = xquad_bot(args.store)
    results: dict[str, dict] = {}
    for question_language in ("en", "es"):
        questions = load_xquad(question_language)[1]
        for passage_language in ("en", "es"):
            direction = f"{question_language}->{passage_language}"
            if direction not in args.directions:
                continue
            results[direction] = {
                name: summary(ranks(bot, questions, passage_language, weights))
                for name, weights in METHODS.items()
                if name in args.methods
            }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
