"""The retriever reads vectors first and text only for passages that can still rank."""

import json
from pathlib import Path

import pytest

from bot.filters import SearchFilters

DEMO_SUITE = Path(__file__).resolve().parents[2] / "eval" / "suites" / "demo.jsonl"


@pytest.mark.parametrize(
    "k, filters",
    [(30, None), (6, None), (6, SearchFilters(languages=["es"])), (4, SearchFilters(since="2019-12-02"))],
)
def test_reading_vectors_first_ranks_exactly_as_reading_every_candidate_whole(demo_bot, monkeypatch, k, filters):
    """A server store gives no vectors alone, so every candidate is read whole there: both paths must agree."""
    questions = [json.loads(line) for line in DEMO_SUITE.read_text(encoding="utf-8").splitlines()]
    retriever = demo_bot.retriever

    def ranking(question: dict) -> list[tuple[str, float]]:
        passages = retriever.retrieve(question["question"], question["language"], k, filters)
        return [(p.chunk.id, round(p.score, 6)) for p in passages]

    vectors_first = [ranking(q) for q in questions]
    monkeypatch.setattr(retriever.store, "get_vectors", lambda *args, **kwargs: None)
    whole = [ranking(q) for q in questions]

    assert any(vectors_first)
    assert vectors_first == whole


def test_no_two_passages_kept_are_near_duplicates(demo_bot):
    passages = demo_bot.retrieve("¿Cuántos policías murieron en Villa Unión?", "es", k=30)
    cosines = [float(a.vector @ b.vector) for i, a in enumerate(passages) for b in passages[i + 1 :]]

    assert passages
    assert max(cosines) < demo_bot.retriever.weights.near_duplicate
