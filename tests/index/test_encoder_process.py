"""Encoding on real child processes: same vectors as in this process, and a fallback when a child dies."""

from __future__ import annotations

import numpy as np
import pytest

from index.encoder_process import PassageEncoder

TEXTS = ["Four police officers were killed.", "Cuatro policías murieron en el ataque.", "Copper rose 4 percent."]


def test_children_encode_like_this_process(embedder):
    with PassageEncoder(embedder, children=2) as encoder:
        assert encoder.use_children() == 2
        assert encoder.parallel == 2
        futures = [encoder.submit(TEXTS), encoder.submit(TEXTS[::-1])]
        first, second = (f.result(timeout=120) for f in futures)
    expected = embedder.embed_passages(TEXTS)
    assert np.allclose(first, expected, atol=1e-4)
    assert np.allclose(second, expected[::-1], atol=1e-4)


def test_a_dead_child_falls_back_to_this_process(embedder, caplog):
    with PassageEncoder(embedder, children=1) as encoder:
        encoder.use_children()
        encoder._started[0]._child.kill()
        vectors = encoder.submit(TEXTS).result(timeout=120)
    assert np.allclose(vectors, embedder.embed_passages(TEXTS), atol=1e-4)
    assert "encoder child failed" in caplog.text


def test_no_children_encodes_here(embedder):
    with PassageEncoder(embedder, children=0) as encoder:
        assert encoder.use_children() == 0
        assert np.allclose(encoder.submit(TEXTS).result(), embedder.embed_passages(TEXTS))
    with pytest.raises(ValueError):
        PassageEncoder(embedder, children=-1)


def test_every_child_dead_still_encodes_every_batch(embedder):
    with PassageEncoder(embedder, children=2) as encoder:
        encoder.use_children()
        for started in list(encoder._started):
            started._child.kill()
        results = [encoder.submit(TEXTS).result(timeout=120) for _ in range(4)]
        assert encoder.parallel == 1
    assert all(np.allclose(r, embedder.embed_passages(TEXTS), atol=1e-4) for r in results)
