"""Shared fixtures: one embedder per test session (it loads in about a second), tmp stores, shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import offline as _offline  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
DEMO_CORPUS = REPO / "data" / "demo"


@pytest.fixture(scope="session")
def embedder():
    from index.embedders import USEMultilingualEmbedding

    return USEMultilingualEmbedding()


@pytest.fixture
def make_bot(tmp_path, embedder):
    """Build a NewsBot on a fresh tmp store sharing the session embedder."""
    from bot import NewsBot

    def build(**overrides):
        overrides.setdefault("store", tmp_path / "store")
        return NewsBot(embedder=embedder, **overrides)

    return build


@pytest.fixture(scope="session")
def demo_bot(tmp_path_factory, embedder):
    """The demo corpus ingested once for all read-only tests."""
    from bot import NewsBot

    bot = NewsBot(store=tmp_path_factory.mktemp("demo") / "store", embedder=embedder)
    bot.ingest([DEMO_CORPUS])
    return bot


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with a clear message when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the shared data folder beside the repository)")
    return path
