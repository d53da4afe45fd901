"""ChunkStore on a real embedded Chroma: sentence vectors travel with their chunk, packed losslessly enough."""

from __future__ import annotations

import numpy as np

from index.store import pack_vectors, unpack_vectors
from tests.fixtures.articles import STORM_EN, STORM_ES, write_jsonl


def test_packed_vectors_keep_cosines():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(5, 512)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    restored = unpack_vectors(pack_vectors(vectors), rows=5)
    assert restored is not None and restored.shape == (5, 512)
    assert np.max(np.abs(restored @ vectors.T - vectors @ vectors.T)) < 1e-3
    assert unpack_vectors(pack_vectors(vectors), rows=3) is None  # a payload that does not split evenly


def test_chunks_come_back_with_their_sentence_vectors(make_bot, tmp_path, embedder):
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
        assert np.min(np.sum(fresh * item.sentence_vectors, axis=1)) > 0.999
    sentence_copy = store.chunks.get(ids=ids[:1], include=["metadatas"])["metadatas"][0]["_node_content"]
    assert "sentence_vectors" not in sentence_copy  # stored once, not again in llama-index's node copy


def test_unknown_and_stale_chunk_ids_are_skipped(make_bot, tmp_path):
    bot = make_bot()
    bot.ingest([write_jsonl(tmp_path / "a.jsonl", [STORM_EN])])
    store = bot.components.store
    old_ids = store.chunks.get(include=[])["ids"]
    bot.ingest([write_jsonl(tmp_path / "b.jsonl", [{**STORM_EN, "text": STORM_EN["text"] + " Schools reopen."}])])
    assert store.get_chunks([*old_ids, "no-such-chunk"]) == []


def test_a_store_from_an_older_newsbot_is_reported(tmp_path, caplog):
    from index.store import ChunkStore, make_client

    client = make_client(tmp_path, None)
    client.get_or_create_collection("news_usem3__sentences", embedding_function=None)
    ChunkStore(client, "news_usem3")
    assert "older newsbot" in caplog.text
