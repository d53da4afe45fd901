"""The harness measures whether answers answer, not only whether their quotes are true."""

from __future__ import annotations

import json

import pytest

from eval.harness import load_suite
from eval.harness.runner import Harness
from tests.bot.test_news import AGREE_EN, AGREE_ES, CORRECTION, FIRST, SECOND
from tests.conftest import shared_data
from tests.fixtures.articles import write_jsonl


def test_history_precision_refusal_precision_and_answer_types_are_reported(tmp_path):
    write_jsonl(tmp_path / "news.jsonl", [FIRST, SECOND, CORRECTION, AGREE_EN, AGREE_ES])
    questions = [
        {
            "id": "toll",
            "question": "How many people died in the San Jerónimo flood?",
            "language": "en",
            "answers": ["11"],
            "gold_doc_ids": ["flood-3"],
            "history": [["2021-05-10", 9], ["2021-05-11", 12], ["2021-05-12", 11]],
        },
        {
            "id": "arrests",
            "question": "How many people were arrested after the San Jerónimo flood?",
            "language": "en",
            "answerable": False,
        },
        {
            "id": "fire",
            "question": "¿Cuántos trabajadores murieron en el incendio de Puerto Lindo?",
            "language": "es",
            "answers": ["3"],
            "gold_doc_ids": ["fire-es"],
        },
    ]
    suite = tmp_path / "flood.jsonl"
    suite.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in questions) + "\n", encoding="utf-8")
    (tmp_path / "flood.corpus.json").write_text(json.dumps({"corpus": ["news.jsonl"]}), encoding="utf-8")
    with Harness(answerer="extractive", store=tmp_path / "store") as harness:
        result = harness.run([load_suite(suite)]).suites[0]
    metrics = result.overall.metrics
    assert metrics["history_precision"] == 1.0
    assert metrics["refusal_accuracy"] == 1.0 and metrics["refusal_precision"] == 1.0
    assert metrics["answer_type_present"] == 1.0 and metrics["contains_gold"] == 1.0


@pytest.mark.slow
def test_the_news_stories_suite_answers(tmp_path):
    """Real multi-day reports (../shared/data/news_stories): the figures this session reached, kept."""
    shared_data("news_stories", "questions.jsonl")
    shared_data("ntrex", "ntrex_docs_en_es.jsonl")
    from eval.harness.stories_import import build_stories

    summary = build_stories(tmp_path / "suite")
    with Harness(answerer="extractive", store=tmp_path / "store") as harness:
        result = harness.run([load_suite(summary.suite)]).suites[0]
    metrics = result.overall.metrics
    assert metrics["history_precision"] == 1.0  # no value from another story or quantity
    assert metrics["contains_gold"] >= 0.85 and metrics["refusal_accuracy"] >= 0.8
    assert metrics["false_refusal_rate"] == 0.0 and metrics["faithfulness"] == 1.0
