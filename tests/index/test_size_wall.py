"""Past Chroma's SQLite variable limit (32,766 per statement): a store of 40,000+ articles and chunks
still ingests, answers, deletes and is checked. Before paging, every ingest failed at its last step
past 32,766 chunks and ask/stats/timeline failed past 32,766 articles. A fast stand-in embedder
keeps this under a minute; retrieval quality is measured elsewhere (bench/scale.py)."""

from __future__ import annotations

import time

from index.records import Article
from tests.fixtures.fake_embedder import FakeEmbedding
from tests.fixtures.synthetic import synthetic_articles, write_synthetic

SIZE = 40_500


def test_a_store_past_the_sqlite_variable_limit_answers_ingests_and_deletes(tmp_path):
    from bot import NewsBot

    store = tmp_path / "store"
    bot = NewsBot(store=store, embedder=FakeEmbedding(), ingest_processes=0)
    articles = [Article(**{**row, "text": row["text"].split(". ")[0] + "."}) for row in synthetic_articles(SIZE)]
    report = bot.components.ingestor.ingest_articles(articles)
    assert report.added == SIZE and report.chunks == SIZE
    assert bot.stats()["documents"] == SIZE and bot.stats()["chunks"] == SIZE
    assert bot.components.store.count_chunks() == SIZE == len(bot.components.lexical)

    started = time.perf_counter()
    extra = write_synthetic(tmp_path / "more.jsonl", 100, start=SIZE)
    assert bot.ingest([extra]).added == 100
    assert time.perf_counter() - started < 10  # the index grows by the batch, it is not rebuilt

    fresh = NewsBot(store=store, embedder=FakeEmbedding())  # a new process: loads the saved index
    assert len(fresh.components.lexical) == SIZE + 100
    target = synthetic_articles(1, start=SIZE + 50)[0]  # English: "The council of … approved report number …"
    town = target["title"].split(" approves")[0]
    question = f"What did the council of {town} approve in report number {SIZE + 50}?"
    answer = fresh.ask(question)
    assert not answer.refused and answer.citations[0].doc_id == target["id"]
    assert fresh.timeline(f"{town} report {SIZE + 50}").entries

    assert fresh.delete([f"syn-{i}" for i in range(SIZE, SIZE + 100)]) == 100
    assert fresh.stats()["documents"] == SIZE
    assert all(c.doc_id != target["id"] for c in fresh.ask(question).citations)
    assert bot.stats()["documents"] == SIZE  # the other instance catches up too
    report = fresh.doctor()
    assert report.healthy and report.current_chunks == SIZE, report.summary()
