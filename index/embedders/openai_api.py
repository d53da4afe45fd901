"""Embeddings from an OpenAI-compatible /v1/embeddings endpoint, when one is configured."""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import PrivateAttr

from index.embedders.base import NewsEmbedding, normalize_rows
from index.errors import InvalidRequestError


class OpenAICompatibleEmbedding(NewsEmbedding):
    """Any server speaking the OpenAI embeddings API; the dimension is learned from the first call."""

    _client: Any = PrivateAttr()

    def __init__(
        self,
        model: str,
        api_base: str,
        api_key: str = "none",
        dimension: int = 0,
        timeout: float = 60.0,
        embed_batch_size: int = 64,
        **kwargs: Any,
    ) -> None:
        if not model or not api_base:
            raise InvalidRequestError(
                "OpenAI-compatible embeddings need both a model name and an api_base URL "
                "(the embedding_model and embedding_api_base settings)"
            )
        super().__init__(model_name=model, dimension=dimension, embed_batch_size=embed_batch_size, **kwargs)
        from openai import OpenAI

        self._client = OpenAI(base_url=api_base, api_key=api_key or "none", timeout=timeout)

    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        response = self._client.embeddings.create(model=self.model_name, input=list(texts))
        vectors = normalize_rows(np.array([item.embedding for item in response.data], dtype=np.float32))
        self.dimension = vectors.shape[1]
        return vectors
