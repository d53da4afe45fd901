"""ChunkStore on a real embedded Chroma: sentence vectors beside their chunk, paged reads, a change feed."""

from __future__ import annotations

import base64
import time

import numpy as np

from index.sentence_vectors import LEGACY_METADATA_KEY, METADATA_KEY, pack, unpack
from tests.fixtures.articles import MARKET_EN, STORM_EN, STORM_ES, write_jsonl


def test_packed_vectors_keep_cosines():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(5, 512)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = rng.normal(size=(50, 512)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    restored = unpack(pack(vectors), rows=5)
    assert restored is not None and restored.shape == (5, 512)
    assert np.max(np.abs(restored @ queries.T - vectors @ queries.T)) < 2e-3
    assert len(pack(vectors)) == 2 + 5 * (512 + 4)  # a quarter of float32
    assert unpack(pack(vectors), rows=3) is None  # a payload that does not split evenly


def test_chunks_come_back_with_their_sentence_vectors_kept_out_of_chroma(make_bot, tmp_path, embedder):
    bot = make_bot()
    bot.ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN, STORM_ES])])
    store = bot.components.store
    ids = store.chunks.get(include=[])["ids"]
    stored = store.get_chunks(ids, with_vectors=True)
    assert [s.chunk.id for s in stored] == ids
    for item in stored:
        sentences = [item.chunk.text[a:b] for a, b in item.chunk.sentence_spans]
        assert item.sentence_vectors is not None and item.sentence_vectors.shape == (len(sentences), 512)
        fresh = embedder.embed_passages(sentences)
        assert np.min(np.sum(fresh * item.sentence_vectors, axis=1)) > 0.998
    metadata = store.chunks.get(ids=ids, include=["metadatas"])["metadatas"]
    assert all(METADATA_KEY not in m and "_node_content" not in m for m in metadata)  # nothing indexed twice
    assert (tmp_path / "store" / "sentences").is_dir()


def test_unknown_and_stale_chunk_ids_are_skipped_and_stale_vectors_swept(make_bot, tmp_path):
    bot = make_bot()
    bot.ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN])])
    store = bot.components.store
    old_ids = store.chunks.get(include=[])["ids"]
    bot.ingest([write_jsonl(tmp_path / "b.jsonl", [{**STORM_EN, "text": STORM_EN["text"] + " Schools reopen."}])])
    assert store.get_chunks([*old_ids, "no-such-chunk"]) == []
    assert store.sentence_vectors.chunk_ids() == set(store.chunks.get(include=[])["ids"])


def test_vectors_and_text_as_an_older_store_kept_them_are_still_read(make_bot, tmp_path):
    bot = make_bot()
    bot.ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN])])
    store = bot.components.store
    (item,) = store.get_chunks(store.chunks.get(include=[])["ids"][:1], with_vectors=True)
    legacy = base64.b64encode(item.sentence_vectors.astype("<f2").tobytes()).decode()
    store.sentence_vectors.delete_chunks([item.chunk.id])
    store.chunks.update(ids=[item.chunk.id], metadatas=[{LEGACY_METADATA_KEY: legacy}])
    (again,) = store.get_chunks([item.chunk.id], with_vectors=True)
    assert np.allclose(again.sentence_vectors, item.sentence_vectors, atol=1e-2)
    # and their text as Chroma's document rather than metadata
    store.chunks.update(
        ids=[item.chunk.id], embeddings=[item.vector], documents=[item.chunk.text], metadatas=[{"text": ""}]
    )
    (again,) = store.get_chunks([item.chunk.id])
    assert again.chunk.text == item.chunk.text


def test_change_feed_names_commits_and_deletions_with_their_writer(make_bot, tmp_path):
    from index.store import PROCESS_TOKEN

    bot = make_bot()
    store = bot.components.store
    bot.ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN, STORM_ES])])
    rows = store.registry_rows(["storm-en"])
    assert rows["storm-en"]["writer"] == PROCESS_TOKEN and rows["storm-en"]["origin"].endswith("a.jsonl:1")
    first = store.changes_since(0)
    assert {c.doc_id for c in first} == {"storm-en", "storm-es"}
    assert all(c.writer == PROCESS_TOKEN and not c.deleted for c in first)
    newest = max(c.ts for c in first)
    bot.ingest([write_jsonl(tmp_path / "b.jsonl", [MARKET_EN])])
    bot.delete(["storm-es"])
    assert store.changes_since(time.time_ns() + 3 * 10**9) == []  # past the window: nothing
    recent = {(c.doc_id, c.deleted) for c in store.changes_since(newest)}
    assert {("market-en", False), ("storm-es", True)} <= recent


def test_reads_are_paged_past_sqlites_variable_limit(tmp_path):
    """An unpaged get() of more than 32,766 rows fails in Chroma's SQLite; documents() must not."""
    from index.store import PAGE, ChunkStore

    store = ChunkStore(tmp_path, None, "paging")
    registry = store.registry
    n = 2 * PAGE + 17
    for i in range(0, n, 5000):
        ids = [f"doc-{j}" for j in range(i, min(n, i + 5000))]
        registry.add(ids=ids, embeddings=[[1.0]] * len(ids), metadatas=[{"version": "x", "ts": 1}] * len(ids))
    assert len({row["id"] for row in store.documents()}) == n
    assert len(store.changes_since(0)) == n


def test_a_store_from_an_older_newsbot_is_reported(tmp_path, caplog):
    from index.store import ChunkStore, connect

    connect(tmp_path, None).client.get_or_create_collection("news_usem3__sentences", embedding_function=None)
    ChunkStore(tmp_path, None, "news_usem3")
    assert "older newsbot" in caplog.text
