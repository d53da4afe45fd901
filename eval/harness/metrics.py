"""Per-question scores and their aggregation; each metric knows whether higher or lower is better.

Every case gets a score per metric, or None when the metric does not apply to it (no retrieval
score for an unanswerable question, no refusal accuracy for an answerable one), and a group's
value is the mean over the cases it applies to. That keeps the overall figures and the
language × source-language breakdown computed the same way.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, Protocol

import numpy as np
from pydantic import BaseModel

from eval.grounding.text import fold
from eval.grounding.types import CitedSentence, GroundingReport

Direction = Literal["higher", "lower"]


class MetricSpec(BaseModel):
    """A reported metric: the per-case score it aggregates, how, and which way is better."""

    name: str
    score: str
    how: Literal["mean", "p50", "p95"] = "mean"
    better: Direction = "higher"
    description: str


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(name="recall@1", score="recall@1", description="Gold document ranked first by retrieve()."),
    MetricSpec(name="recall@5", score="recall@5", description="A gold document among the first five."),
    MetricSpec(name="mrr", score="mrr", description="Reciprocal rank of the first gold document (top 10)."),
    MetricSpec(name="contains_gold", score="contains_gold", description="Answer contains a gold string."),
    MetricSpec(name="f1", score="f1", description="Best SQuAD-style token F1 against the gold strings."),
    MetricSpec(name="citation_recall", score="citation_recall", description="ALCE: sentences their citations support."),
    MetricSpec(name="citation_precision", score="citation_precision", description="ALCE: citations that are needed."),
    MetricSpec(name="faithfulness", score="faithfulness", description="Checker-supported sentences / all sentences."),
    MetricSpec(
        name="answer_type_present",
        score="answer_type_present",
        description="Answers to typed questions (how many, who, where …) that hold what was asked.",
    ),
    MetricSpec(
        name="history_precision",
        score="history_precision",
        description="Dated figure values shown that belong to the asked quantity of the asked story.",
    ),
    MetricSpec(name="refusal_accuracy", score="refusal_accuracy", description="Unanswerable questions refused."),
    MetricSpec(
        name="refusal_precision",
        score="refusal_precision",
        description="Refusals that were right (the question was unanswerable).",
    ),
    MetricSpec(
        name="false_refusal_rate", score="false_refusal_rate", better="lower", description="Answerable ones refused."
    ),
    MetricSpec(name="answer_language_match", score="answer_language_match", description="Answer.language is right."),
    MetricSpec(
        name="text_language_match",
        score="text_language_match",
        description="Detected language of a non-refused answer's text (quotes may be in the source's language).",
    ),
    MetricSpec(name="latency_p50", score="latency", how="p50", better="lower", description="Median ask() seconds."),
    MetricSpec(name="latency_p95", score="latency", how="p95", better="lower", description="95th pct ask() seconds."),
)
METRIC_BY_NAME: dict[str, MetricSpec] = {m.name: m for m in METRICS}


class Checker(Protocol):
    """The grounding checker's interface, as the harness uses it."""

    def check(self, sentences: list[CitedSentence], passages: dict[int, str]) -> GroundingReport: ...


# -- answers ---------------------------------------------------------------------------------------
_ARTICLES = re.compile(r"\b(a|an|the|el|la|los|las|un|una|unos|unas)\b")
_PUNCTUATION = frozenset(string.punctuation + "¿¡«»“”‘’…–—")


def normalize_answer(text: str) -> str:
    """SQuAD's normalization (lowercase, no punctuation or articles), plus accents and Spanish articles."""
    text = "".join(ch for ch in fold(text) if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def contains_gold(answer: str, golds: Sequence[str]) -> bool:
    """Case- and accent-insensitive containment of any gold string, on word boundaries."""
    folded = f" {' '.join(fold(answer).split())} "
    return any(re.search(rf"(?<!\w){re.escape(' '.join(fold(g).split()))}(?!\w)", folded) for g in golds if g.strip())


def numbers_in(texts: Sequence[str]) -> list[float]:
    """Numbers written in gold answers ('1,300', '1.300', 'at least 21')."""
    found = []
    for text in texts:
        for raw in re.findall(r"\d[\d.,]*", text):
            grouped = re.fullmatch(r"\d{1,3}([.,]\d{3})+", raw)
            try:
                found.append(float(raw.replace(",", "").replace(".", "") if grouped else raw.rstrip(".,")))
            except ValueError:
                continue
    return found


def token_f1(answer: str, golds: Sequence[str]) -> float:
    """The best token F1 against any gold string (SQuAD v1.1 evaluation script)."""
    predicted = normalize_answer(answer).split()
    best = 0.0
    for gold in golds:
        reference = normalize_answer(gold).split()
        common = sum((Counter(predicted) & Counter(reference)).values())
        if common:
            precision, recall = common / len(predicted), common / len(reference)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


# -- retrieval -------------------------------------------------------------------------------------
def doc_ranking(doc_ids: Iterable[str]) -> list[str]:
    """Passage doc ids to a document ranking: each document at its first passage's place."""
    return list(dict.fromkeys(doc_ids))


def gold_rank(ranking: Sequence[str], gold: Iterable[str]) -> int | None:
    """1-based rank of the first gold document, or None when none was retrieved."""
    wanted = set(gold)
    return next((i for i, doc in enumerate(ranking, 1) if doc in wanted), None)


def retrieval_scores(rank: int | None) -> dict[str, float]:
    return {
        "recall@1": float(rank == 1),
        "recall@5": float(rank is not None and rank <= 5),
        "mrr": 1.0 / rank if rank else 0.0,
    }


# -- citations (ALCE) ------------------------------------------------------------------------------
class SentenceCitations(BaseModel):
    """One answer sentence: its checker verdict and how many of its citations were needed."""

    text: str
    citations: list[int]
    verdict: str
    precise: int = 0

    @property
    def recalled(self) -> bool:
        """ALCE recall: the cited passages together support the sentence (uncited never does)."""
        return self.verdict == "supported" and bool(self.citations)


def citation_quality(checker: Checker, report: GroundingReport, passages: Mapping[int, str]) -> list[SentenceCitations]:
    """ALCE citation recall and precision from checker verdicts, one checker call per needed subset.

    A citation is imprecise when the sentence is not supported at all, or when it alone does not
    support the sentence yet the other citations still do (it was padding).
    """
    out = []
    for check in report.sentences:
        item = SentenceCitations(text=check.sentence, citations=check.citations, verdict=check.verdict)
        if item.recalled:
            cited = [n for n in check.citations if n in passages]
            item.precise = sum(
                1
                for n in cited
                if len(cited) == 1
                or _supports(checker, check.sentence, [n], passages)
                or not _supports(checker, check.sentence, [m for m in cited if m != n], passages)
            )
        out.append(item)
    return out


def _supports(checker: Checker, sentence: str, numbers: list[int], passages: Mapping[int, str]) -> bool:
    subset = {n: passages[n] for n in numbers if n in passages}
    if not subset:
        return False
    verdicts = checker.check([CitedSentence(text=sentence, citations=list(subset))], subset).sentences
    return bool(verdicts) and verdicts[0].verdict == "supported"


def citation_scores(sentences: Sequence[SentenceCitations]) -> dict[str, float | None]:
    """Per-answer ALCE recall and precision and checker faithfulness; None for an answer with no sentences."""
    if not sentences:
        return {"citation_recall": None, "citation_precision": None, "faithfulness": None}
    total_citations = sum(len(s.citations) for s in sentences)
    return {
        "citation_recall": sum(s.recalled for s in sentences) / len(sentences),
        "citation_precision": sum(s.precise for s in sentences) / total_citations if total_citations else 0.0,
        "faithfulness": sum(s.verdict == "supported" for s in sentences) / len(sentences),
    }


# -- aggregation -----------------------------------------------------------------------------------
def aggregate(scores: Sequence[Mapping[str, float | None]]) -> dict[str, float | None]:
    """Every metric over the cases it applies to; None when it applies to none."""
    out: dict[str, float | None] = {}
    for spec in METRICS:
        values = [s[spec.score] for s in scores if s.get(spec.score) is not None]
        if not values:
            out[spec.name] = None
        elif spec.how == "mean":
            out[spec.name] = round(float(np.mean(values)), 4)
        else:
            out[spec.name] = round(float(np.percentile(values, 50 if spec.how == "p50" else 95)), 4)
    return out


def worse_by(name: str, value: float, reference: float) -> float:
    """How much worse `value` is than `reference` for this metric (negative when better)."""
    return reference - value if METRIC_BY_NAME[name].better == "higher" else value - reference
