"""The readers' questions of bench/archive_questions.py are well formed and their evidence is in the archive."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.conftest import shared_data

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "eval" / "suites" / "archive-questions.jsonl"
PARTS = ("tuning", "held_out", "held_out_2", "held_out_3", "held_out_4")  # as bench/archive_questions.py names them


def _questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_question_is_well_formed():
    questions = _questions()
    assert len({q["id"] for q in questions}) == len(questions)
    for q in questions:
        assert q["part"] in PARTS and q["language"] in ("en", "es"), q["id"]
        assert q["kind"] in ("fact", "cross_lingual", "absent"), q["id"]
        assert bool(q["answer_any"]) == (q["kind"] != "absent"), q["id"]
        assert q["evidence"], q["id"]
        assert not any(answer.lower() in q["question"].lower() for answer in q["answer_any"]), q["id"]


def test_every_answer_stands_in_its_evidence_and_no_question_copies_it():
    shared_data("bbc_news_en")  # skips with a message without ../shared/data
    sys.path.insert(0, str(ROOT / "bench"))
    from archive_questions import archive_rows

    articles = {row["id"]: row for row in archive_rows()}
    for q in _questions():
        texts = [f"{articles[e]['title']} {articles[e]['text']}".lower() for e in q["evidence"]]
        assert not q["answer_any"] or any(a.lower() in " ".join(texts) for a in q["answer_any"]), q["id"]
        words = q["question"].lower().split()
        runs = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
        assert not any(run in text for run in runs for text in texts), q["id"]  # our own words
