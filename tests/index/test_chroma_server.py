"""Server mode against a real `chroma run` on 127.0.0.1, started and stopped by the test."""

from __future__ import annotations

import time

import pytest

from index.errors import StoreError
from tests.fixtures.articles import STORM_EN, STORM_ES, write_jsonl


def test_ingest_ask_and_delete_through_server(chroma_server, tmp_path, embedder):
    from bot import NewsBot

    bot = NewsBot(store=tmp_path / "local", chroma_url=chroma_server.url, collection="basic", embedder=embedder)
    corpus = write_jsonl(tmp_path / "a.jsonl", [STORM_EN, STORM_ES])
    assert bot.ingest([corpus]).added == 2
    assert bot.ingest([corpus]).unchanged == 2
    assert not (tmp_path / "local" / "chroma").exists(), "server mode must not create an embedded store"
    answer = bot.ask("¿Cuántos puentes cerró el ayuntamiento?")
    assert answer.language == "es" and not answer.refused
    assert {c.doc_id for c in answer.citations} & {"storm-en", "storm-es"}
    # A second client (a fresh process would do the same) sees the same corpus, BM25 rebuilt locally.
    other = NewsBot(store=tmp_path / "other", chroma_url=chroma_server.url, collection="basic", embedder=embedder)
    assert other.stats()["documents"] == 2 and len(other.components.lexical) > 0
    assert bot.delete(["storm-en"]) == 1
    assert other.stats()["documents"] == 1


def test_tenant_and_database_keep_two_corpora_apart_on_one_server(chroma_server, tmp_path, embedder):
    """Chroma's hosted and distributed service addresses a store by tenant and database, as here."""
    import chromadb

    from bot import NewsBot

    admin = chromadb.AdminClient(
        chromadb.config.Settings(
            chroma_api_impl="chromadb.api.fastapi.FastAPI",
            chroma_server_host="127.0.0.1",
            chroma_server_http_port=chroma_server.port,
        )
    )
    admin.create_tenant("newsroom")
    admin.create_database("archive", tenant="newsroom")
    shared = {"chroma_url": chroma_server.url, "collection": "tenancy", "embedder": embedder}
    archive = NewsBot(store=tmp_path / "local", chroma_tenant="newsroom", chroma_database="archive", **shared)
    default = NewsBot(store=tmp_path / "local", **shared)  # the same local folder: derived indexes kept apart
    archive.ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN, STORM_ES])])
    default.ingest([write_jsonl(tmp_path / "b.jsonl", [STORM_EN])])
    assert archive.stats()["documents"] == 2
    assert default.stats()["documents"] == 1
    assert archive.components.store.server_url == default.components.store.server_url
    assert archive.components.lexical.directory != default.components.lexical.directory
    with pytest.raises(StoreError, match=r"Database \[missing\] not found"):
        NewsBot(store=tmp_path / "x", chroma_tenant="newsroom", chroma_database="missing", **shared)


def test_two_concurrent_cli_ingests_through_one_server_equal_one_clean_ingest(chroma_server, tmp_path, embedder):
    from bot import NewsBot
    from tests.conftest import DEMO_CORPUS, newsbot_cli
    from tests.fixtures.synthetic import write_synthetic

    corpus = [str(DEMO_CORPUS), str(write_synthetic(tmp_path / "syn.jsonl", 150))]
    clean = NewsBot(store=tmp_path / "clean", embedder=embedder)
    clean.ingest(corpus)
    env = {"NEWSBOT_CHROMA_URL": chroma_server.url, "NEWSBOT_COLLECTION": "concurrent"}
    worker = NewsBot(
        store=tmp_path / "worker", chroma_url=chroma_server.url, collection="concurrent", embedder=embedder
    )
    processes = [newsbot_cli("ingest", *corpus, "--store", str(tmp_path / f"cli{i}"), env=env) for i in range(2)]
    results = [p.communicate(timeout=240) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], results
    server_ids = set(worker.components.store.chunks.get(include=[])["ids"])
    assert server_ids == set(clean.components.store.chunks.get(include=[])["ids"])
    report = worker.doctor()
    assert report.healthy, report.summary()
    # the app worker, built before the ingests, answers from them at its next question
    answer = worker.ask("¿Cuántos puentes aprobó el ayuntamiento de Valle Hondo en el informe número 1?")
    assert not answer.refused and any(c.doc_id.startswith("syn-") for c in answer.citations)


def test_a_server_that_stops_is_reported_plainly_and_used_again_when_it_returns(tmp_path, embedder):
    from bot import NewsBot
    from index.errors import StoreUnavailableError
    from tests.conftest import ChromaServer, newsbot_cli

    server = ChromaServer(tmp_path / "data")
    server.start()
    try:
        bot = NewsBot(store=tmp_path / "local", chroma_url=server.url, embedder=embedder)
        bot.ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN, STORM_ES])])
        server.stop()
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError, match="did not answer") as error:
            bot.ask("How many bridges were closed?")
        assert server.url in str(error.value) and time.monotonic() - started < 15
        cli = newsbot_cli("stats", "--store", str(tmp_path / "cli"), env={"NEWSBOT_CHROMA_URL": server.url})
        _, err = cli.communicate(timeout=60)
        assert cli.returncode == 1 and "Traceback" not in err and err.count("\n") == 1 and server.url in err
        server.start()  # same port, same data
        answer = bot.ask("How many bridges were closed?")
        assert not answer.refused and answer.citations
    finally:
        server.stop()
