"""Shared by the XQuAD benchmarks: load the parallel dev set and build a throw-away store of it."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.records import Article  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
XQUAD = SHARED / "xquad_dev"


@dataclass
class Question:
    id: str
    text: str
    language: str
    doc_id: str
    answers: list[str]


def load_xquad(language: str) -> tuple[list[Article], list[Question]]:
    """Paragraphs as articles (one per paragraph) and their questions, for one language."""
    path = XQUAD / f"xquad_dev.{language}.json"
    if not path.is_file():
        sys.exit(f"missing {path}: the XQuAD benchmarks need ../shared/data")
    data = json.loads(path.read_text(encoding="utf-8"))
    articles, questions = [], []
    for a, item in enumerate(data["data"]):
        for p, paragraph in enumerate(item["paragraphs"]):
            doc_id = f"xquad-{language}-{a}-{p}"
            articles.append(
                Article(
                    id=doc_id, title=item.get("title", ""), text=paragraph["context"], language=language, source="XQuAD"
                )
            )
            for qa in paragraph["qas"]:
                questions.append(
                    Question(qa["id"], qa["question"], language, doc_id, [ans["text"] for ans in qa["answers"]])
                )
    return articles, questions


def xquad_bot(store_dir: Path):
    """A NewsBot over both languages of XQuAD-dev, ingested once into `store_dir`."""
    from bot import NewsBot

    bot = NewsBot(store=store_dir, collection="xquad")
    if bot.components.store.count_documents() == 0:
        articles = [a for lang in ("en", "es") for a in load_xquad(lang)[0]]
        bot.components.ingestor.ingest_articles(articles)
    return bot
