"""Several real processes on one embedded store: one writer at a time, readers that catch up, SIGKILL.

Each defect here was measured before on this code base: two concurrent `newsbot ingest` runs left
unreadable vectors (or a store that hangs on open); a long-running process never retrieved what a
CLI ingest added later; a SIGKILL while the lexical index was rebuilt left chunks out of it forever.
"""

from __future__ import annotations

import signal
import time

from tests.conftest import DEMO_CORPUS, newsbot_cli
from tests.fixtures.articles import MARKET_EN, STORM_EN, write_jsonl
from tests.fixtures.synthetic import write_synthetic


def chunk_ids(store_dir, embedder) -> set[str]:
    from bot import NewsBot

    bot = NewsBot(store=store_dir, embedder=embedder)
    return set(bot.components.store.chunks.get(include=[])["ids"])


def finish(process, timeout: float = 240) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def test_a_second_writer_waits_with_a_message_then_writes(make_bot, tmp_path):
    from index.locking import WriteLock

    store = tmp_path / "store"
    make_bot(store=store)  # creates the store
    corpus = write_jsonl(tmp_path / "a.jsonl", [STORM_EN])
    with WriteLock(store).hold("test"):
        process = newsbot_cli("ingest", str(corpus), "--store", str(store))
        time.sleep(8)  # long enough to load the model and reach the lock
        assert process.poll() is None, "the second writer must wait, not write"
    code, out, err = finish(process)
    assert code == 0 and "added 1" in out
    assert "waiting for newsbot test" in err and "pid" in err


def test_a_writer_told_not_to_wait_fails_at_once_pointing_at_server_mode(make_bot, tmp_path):
    from index.locking import WriteLock

    store = tmp_path / "store"
    bot = make_bot(store=store)
    corpus = write_jsonl(tmp_path / "a.jsonl", [STORM_EN])
    with WriteLock(store).hold("ingest"):
        code, _, err = finish(
            newsbot_cli("ingest", str(corpus), "--store", str(store), env={"NEWSBOT_WRITE_WAIT": "0"})
        )
    assert code == 1
    assert err.count("\n") == 1 and "chroma_url" in err and "Traceback" not in err
    assert bot.stats()["documents"] == 0


def test_a_process_opening_a_new_store_waits_for_another_that_is_creating_it(tmp_path):
    """Chroma creates a new store's tables on first open; two processes at once made one fail."""
    import subprocess
    import sys

    from index.locking import setup_lock
    from tests.conftest import REPO

    store = tmp_path / "store"
    opener = f"import sys; sys.path.insert(0, {str(REPO)!r}); import index.store as s; s.ChunkStore({str(store)!r})"
    with setup_lock(store):
        process = subprocess.Popen([sys.executable, "-c", opener], stderr=subprocess.PIPE, text=True)
        time.sleep(6)  # long enough to import chromadb and reach the lock
        assert process.poll() is None, "the second process must wait for the store to be set up"
        assert not (store / "chroma" / "chroma.sqlite3").exists()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert (store / "chroma" / "chroma.sqlite3").is_file()


def test_two_concurrent_ingests_leave_the_store_a_single_clean_ingest_leaves(make_bot, tmp_path, embedder):
    corpus = [str(DEMO_CORPUS), str(write_synthetic(tmp_path / "syn.jsonl", 200))]
    clean = tmp_path / "clean"
    assert finish(newsbot_cli("ingest", *corpus, "--store", str(clean)))[0] == 0
    shared = tmp_path / "shared"
    first = newsbot_cli("ingest", *corpus, "--store", str(shared))
    second = newsbot_cli("ingest", *corpus, "--store", str(shared))
    results = [finish(first), finish(second)]
    assert [code for code, _, _ in results] == [0, 0], results
    assert chunk_ids(shared, embedder) == chunk_ids(clean, embedder)
    report = make_bot(store=shared).doctor()
    assert report.healthy, report.summary()
    assert report.documents == 222 and not report.unreadable_vectors


def test_a_serving_process_answers_from_what_another_process_ingested(make_bot, tmp_path):
    serving = make_bot()
    serving.ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN])])
    question = "Why did copper prices climb?"
    assert serving.ask(question).refused
    code, _, err = finish(
        newsbot_cli("ingest", str(write_jsonl(tmp_path / "b.jsonl", [MARKET_EN])), "--store", str(tmp_path / "store"))
    )
    assert code == 0, err
    answer = serving.ask(question)  # the very next question, no restart
    assert not answer.refused and {c.doc_id for c in answer.citations} == {"market-en"}
    assert serving.stats()["documents"] == 2
    code, _, err = finish(newsbot_cli("delete", "--id", "market-en", "--store", str(tmp_path / "store")))
    assert code == 0, err
    assert serving.ask(question).refused
    assert serving.doctor().healthy


def test_sigkill_mid_ingest_keeps_what_was_committed_and_a_rerun_completes(make_bot, tmp_path):
    kill_after_documents = 256
    from bot import NewsBot

    store = tmp_path / "store"
    watcher = make_bot(store=store)
    watcher.ingest([write_jsonl(tmp_path / "first.jsonl", [STORM_EN])])  # a store that already had data
    corpus = write_synthetic(tmp_path / "syn.jsonl", 900)
    process = newsbot_cli("ingest", str(corpus), "--store", str(store))
    deadline = time.time() + 180
    while watcher.components.store.count_documents() < kill_after_documents + 1:
        assert process.poll() is None and time.time() < deadline, "ingest ended before it could be killed"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    reader = NewsBot(store=store, embedder=watcher.components.embedder)
    committed = reader.components.store.count_documents()
    assert committed > kill_after_documents
    assert len(reader.components.lexical.documents()) == committed  # every committed article is searchable
    rerun = finish(newsbot_cli("ingest", str(corpus), "--store", str(store)))
    assert rerun[0] == 0 and f"added {901 - committed}," in rerun[1], rerun
    after = NewsBot(store=store, embedder=watcher.components.embedder)
    assert after.doctor().healthy
    assert len(after.components.lexical) == after.components.store.count_chunks()


def test_sigkill_while_the_lexical_index_is_rebuilt_is_caught_up_at_the_next_start(make_bot, tmp_path):
    from bot import NewsBot

    store = tmp_path / "store"
    bot = make_bot(store=store)
    bot.ingest([DEMO_CORPUS, write_synthetic(tmp_path / "syn.jsonl", 1500)])
    expected = bot.components.store.count_chunks()
    for delay in (2.0, 3.0, 4.0):
        process = newsbot_cli("reindex", "--store", str(store))
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        reader = NewsBot(store=store, embedder=bot.components.embedder)
        assert len(reader.components.lexical) == expected
        assert reader.doctor().lexical_out_of_step == 0
