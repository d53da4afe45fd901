"""The news-stories development suite as a harness suite: real multi-day reports and questions with
dated figure histories (../shared/data/news_stories), asked with NTREX-128 as distractors.

Only the paths and the question fields are converted here; the third-party texts stay in ../shared
and are read at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
STORIES_DIR = SHARED / "news_stories"
NTREX_FILE = SHARED / "ntrex" / "ntrex_docs_en_es.jsonl"


@dataclass(frozen=True)
class StoriesSummary:
    suite: Path
    questions: int
    corpus: list[Path]


def build_stories(out: Path, stories_dir: Path = STORIES_DIR, ntrex: Path = NTREX_FILE) -> StoriesSummary:
    """Write `out`/news-stories.jsonl and its corpus sidecar (the stories' articles and NTREX, one article
    per language version)."""
    for path in (stories_dir / "articles.jsonl", stories_dir / "questions.jsonl", ntrex):
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: the news-stories suite needs ../shared/data")
    out.mkdir(parents=True, exist_ok=True)
    distractors = out / "ntrex-articles.jsonl"
    with distractors.open("w", encoding="utf-8") as sink:
        for line in ntrex.open(encoding="utf-8"):
            record = json.loads(line)
            for suffix, language in (("en", "en"), ("es", "es"), ("es_MX", "es")):
                article = {
                    "id": f"{record['doc_id']}-{suffix}",
                    "title": record[f"title_{suffix}"],
                    "text": record[f"text_{suffix}"],
                    "date": "2019-01-01",
                    "source": record["doc_id"].split(".")[0],
                    "language": language,
                }
                sink.write(json.dumps(article, ensure_ascii=False) + "\n")
    suite = out / "news-stories.jsonl"
    count = 0
    with suite.open("w", encoding="utf-8") as sink:
        for line in (stories_dir / "questions.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            answerable = row["kind"] != "absent"
            question = {
                "id": row["id"],
                "question": row["question"],
                "language": row["language"],
                "answers": row.get("answer_any", []) if answerable else [],
                "gold_doc_ids": row.get("evidence", []) if answerable else [],
                "answerable": answerable,
                "notes": row["kind"],
                "history": row.get("history", []),
            }
            sink.write(json.dumps(question, ensure_ascii=False) + "\n")
            count += 1
    corpus = [(stories_dir / "articles.jsonl").resolve(), distractors.resolve()]
    (out / "news-stories.corpus.json").write_text(json.dumps({"corpus": [str(p) for p in corpus]}), encoding="utf-8")
    return StoriesSummary(suite, count, corpus)
