"""Extractive answers on XQuAD-dev, and calibration of the refusal threshold.

    python bench/answers.py [--store DIR]

1. Contains-gold: the extractive answer (at most 3 sentences) contains a gold answer string,
   against a naive baseline (the 3 sentences of the top passage most similar to the question); and the
   same for the answer `NewsBot.ask` gives (the story's passages, refusals counted as misses, news leads).
2. Refusal: the evidence score of answerable XQuAD questions (on the XQuAD store) against
   questions about topics absent from the corpus (XQuAD questions asked of the demo corpus, plus the
   demo suite's unanswerable questions); prints false-refusal and refusal accuracy per threshold.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import unicodedata
from pathlib import Path

from xquad import ROOT, load_xquad, xquad_bot

from bot import NewsBot
from bot.filters import SearchFilters


def normalize(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def contains_gold(text: str, answers: list[str]) -> bool:
    return any(normalize(a) in normalize(text) for a in answers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, default=ROOT / ".bench" / "xquad")
    args = parser.parse_args()
    bot = xquad_bot(args.store)
    demo = NewsBot(store=Path(tempfile.mkdtemp()) / "demo", embedder=bot.components.embedder)
    demo.ingest([ROOT / "data" / "demo"])
    result: dict[str, dict] = {}
    answerable, absent = [], []
    for language in ("en", "es"):
        questions = load_xquad(language)[1]
        hits = naive_hits = asked_hits = 0
        for question in questions:
            asked = bot.ask(question.text, language, filters=SearchFilters(languages=[language]))
            asked_hits += not asked.refused and contains_gold(asked.text, question.answers)
            passages = bot.retrieve(question.text, language, filters=SearchFilters(languages=[language]))
            chosen = bot.extractive.select(question.text, language, passages)
            hits += contains_gold(" ".join(c.text for c in chosen), question.answers)
            top = passages[0]
            best = top.sentence_similarities.argsort()[::-1][:3]
            naive_hits += contains_gold(
                " ".join(top.chunk.text[slice(*top.chunk.sentence_spans[i])] for i in best), question.answers
            )
            answerable.append(bot.evidence(question.text, language, passages))
            absent.append(demo.evidence(question.text, language, demo.retrieve(question.text, language)))
        result[language] = {
            "questions": len(questions),
            "extractive_contains_gold": round(hits / len(questions), 3),
            "naive_top3_contains_gold": round(naive_hits / len(questions), 3),
            "ask_contains_gold": round(asked_hits / len(questions), 3),
        }
    for line in (ROOT / "eval" / "suites" / "demo.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if not row["answerable"]:
            absent.append(demo.evidence(row["question"], row["language"], demo.retrieve(row["question"])))
    threshold = demo.settings.refusal_threshold
    result["refusal"] = {
        "threshold": threshold,
        "answerable_questions": len(answerable),
        "absent_topic_questions": len(absent),
        "false_refusal_rate": round(sum(e < threshold for e in answerable) / len(answerable), 3),
        "refusal_accuracy": round(sum(e < threshold for e in absent) / len(absent), 3),
        "by_threshold": {
            f"{t:.2f}": [
                round(sum(e < t for e in answerable) / len(answerable), 3),
                round(sum(e < t for e in absent) / len(absent), 3),
            ]
            for t in (0.3, 0.35, 0.4, 0.45, 0.5)
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
