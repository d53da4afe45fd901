"""Shared fixtures: one embedder per test session (it loads in about a second), tmp stores, shared data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index import offline as _offline  # noqa: F401

# A bug in the CLI fails its test with the traceback, not with the one-line summary users get.
os.environ.setdefault("NEWSBOT_DEBUG", "1")

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


@pytest.fixture
def make_passage():
    """Build a retrieved passage of one chunk from text, for tests of what is done with passages."""
    import numpy as np

    from bot.retriever import RetrievedPassage
    from index.records import Chunk
    from index.sentences import sentence_spans

    def build(text: str, language: str = "en", doc_id: str = "d", score: float = 1.0) -> RetrievedPassage:
        spans = sentence_spans(text)
        chunk = Chunk(
            id=f"{doc_id}#v#0",
            doc_id=doc_id,
            index=0,
            text=text,
            start=0,
            end=len(text),
            language=language,
            version="v",
            sentence_spans=spans,
        )
        similarities = np.full(len(spans), 0.3, dtype=np.float32)
        return RetrievedPassage(chunk=chunk, score=score, passage_similarity=0.5, sentence_similarities=similarities)

    return build


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with a clear message when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the shared data folder beside the repository)")
    return path


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ChromaServer:
    """A real `chroma run` on 127.0.0.1 over a data folder; it can be stopped and started again."""

    def __init__(self, data: Path) -> None:
        import shutil
        import sys

        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        self.process = None

    def start(self) -> None:
        import subprocess
        import time
        import urllib.request

        self.process = subprocess.Popen(
            [self.chroma, "run", "--path", str(self.data), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1)
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        pytest.fail("chroma run did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A `chroma run` shared by the server-mode tests (each test uses its own collection name)."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    if not Path(server.chroma).exists():
        pytest.skip("the chroma CLI is not installed")
    server.start()
    yield server
    server.stop()


def newsbot_cli(*args: str, env: dict[str, str] | None = None, **popen):
    """Start the real `newsbot` command (a separate process) with `args`, from this checkout's code.

    `python -m bot.cli` runs what the console script runs (`bot.cli:main`), but imports this checkout
    even when the environment's `newsbot` was installed from another one.
    """
    import subprocess
    import sys

    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, "cwd": REPO, **popen}
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args], env={**os.environ, "PYTHONPATH": path, **(env or {})}, **options
    )
