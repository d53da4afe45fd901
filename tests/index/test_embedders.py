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
