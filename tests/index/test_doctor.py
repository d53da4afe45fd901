"""`newsbot doctor [--repair]` on real damage: lost vector index files, missing, orphan and stale
chunk rows, lost sentence vectors, a lexical index out of step, a changed source file."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from tests.conftest import newsbot_cli
from tests.fixtures.articles import MARKET_EN, STORM_EN, STORM_ES, write_jsonl
from tests.fixtures.fake_embedder import FakeEmbedding
from tests.fixtures.synthetic import write_synthetic


@pytest.fixture
def damaged(tmp_path, embedder):
    from bot import NewsBot

    bot = NewsBot(store=tmp_path / "store", embedder=embedder)
    source = write_jsonl(tmp_path / "news.jsonl", [STORM_EN, STORM_ES, MARKET_EN])
    bot.ingest([source])
    assert bot.doctor().healthy
    return bot, source


def test_missing_chunk_rows_are_ingested_again_from_their_source_line(damaged):
    bot, _ = damaged
    store = bot.components.store
    store.chunks.delete(where={"doc_id": "storm-es"})
    report = bot.doctor()
    assert report.incomplete_articles == ["storm-es"] and not report.healthy
    fixed = bot.doctor(repair=True)
    assert fixed.healthy and fixed.repaired["articles_ingested_again"] == 1
    assert any(c.doc_id == "storm-es" for c in bot.ask("¿Cuántos puentes cerró el ayuntamiento?").citations)


def test_an_article_whose_source_changed_is_listed_as_unrepairable(damaged, tmp_path):
    bot, source = damaged
    bot.components.store.chunks.delete(where={"doc_id": "market-en"})
    write_jsonl(source, [STORM_EN, STORM_ES, {**MARKET_EN, "text": "Copper fell after the strike ended."}])
    fixed = bot.doctor(repair=True)
    assert fixed.incomplete_articles == ["market-en"]
    assert any("market-en" in reason and "ingest it again" in reason for reason in fixed.unrepairable)


def test_orphan_and_stale_rows_are_removed(damaged):
    bot, _ = damaged
    store = bot.components.store
    (stored,) = store.get_chunks(store.chunks.get(where={"doc_id": "storm-en"}, include=[])["ids"][:1], True)
    stale = stored.chunk.model_copy(update={"id": "storm-en#oldversion#0", "version": "oldversion"})
    orphan = stored.chunk.model_copy(update={"id": "ghost#v#0", "doc_id": "ghost", "version": "v"})
    for chunk in (stale, orphan):
        store._write_chunks([chunk], stored.vector[None, :], stored.sentence_vectors)
    report = bot.doctor()
    assert report.stale_chunks == ["storm-en#oldversion#0"] and report.orphan_chunks == ["ghost#v#0"]
    fixed = bot.doctor(repair=True)
    assert fixed.healthy and fixed.repaired["chunks_removed"] == 2
    assert store.sentence_vectors.chunk_ids() == set(store.chunks.get(include=[])["ids"])


def test_lost_sentence_vectors_are_computed_again(damaged):
    bot, _ = damaged
    store = bot.components.store
    lost = store.chunks.get(where={"doc_id": "market-en"}, include=[])["ids"]
    store.sentence_vectors.delete_chunks(lost)
    assert sorted(bot.doctor().missing_sentence_vectors) == sorted(lost)
    fixed = bot.doctor(repair=True)
    assert fixed.healthy and fixed.repaired["vectors_recomputed"] == len(lost)


def test_a_lexical_index_out_of_step_is_rebuilt(damaged):
    bot, _ = damaged
    bot.components.lexical.apply([], ["storm-en"])  # as if a change had been missed
    assert bot.doctor().lexical_out_of_step > 0
    assert bot.doctor(repair=True).healthy
    assert len(bot.components.lexical) == bot.components.store.count_chunks()


def test_lost_vector_index_files_are_found_and_vectors_computed_again(tmp_path):
    """Past Chroma's sync threshold (1,000 rows) vectors live only in its index files; losing them
    makes every get of those vectors fail ("Error finding id"), as concurrent writers did."""
    from bot import NewsBot
    from index.store import connect

    store_dir = tmp_path / "store"
    bot = NewsBot(store=store_dir, embedder=FakeEmbedding(), ingest_processes=0)
    bot.ingest([write_synthetic(tmp_path / "syn.jsonl", 1500)])
    connect(store_dir, None).reopen()  # release the files as a process exit would
    database = sqlite3.connect(store_dir / "chroma" / "chroma.sqlite3")
    (segment,) = database.execute(
        "SELECT s.id FROM segments s JOIN collections c ON s.collection = c.id "
        "WHERE c.name = 'news_usem3' AND s.scope = 'VECTOR'"
    ).fetchone()
    database.close()
    shutil.rmtree(store_dir / "chroma" / segment)
    connect(store_dir, None).reopen()
    report = bot.doctor()
    assert len(report.unreadable_vectors) > 400, report.summary()
    cli = newsbot_cli("doctor", "--store", str(store_dir))
    out, _ = cli.communicate(timeout=120)
    assert cli.returncode == 1 and "unreadable vectors" in out
    fixed = bot.doctor(repair=True)
    assert fixed.healthy and fixed.repaired["vectors_recomputed"] == len(report.unreadable_vectors)
    assert bot.ask("What did the council of Valle Hondo approve in report number 1001?").citations
