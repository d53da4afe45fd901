"""Server mode against a real `chroma run` on 127.0.0.1, started and stopped by the test."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.fixtures.articles import STORM_EN, STORM_ES, write_jsonl


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    if not Path(chroma).exists():
        pytest.skip("the chroma CLI is not installed")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("chroma run did not answer within 60 s")
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_ingest_ask_and_delete_through_server(chroma_server, tmp_path, embedder):
    from bot import NewsBot

    bot = NewsBot(store=tmp_path / "local", chroma_url=chroma_server, embedder=embedder)
    corpus = write_jsonl(tmp_path / "a.jsonl", [STORM_EN, STORM_ES])
    assert bot.ingest([corpus]).added == 2
    assert bot.ingest([corpus]).unchanged == 2
    assert not (tmp_path / "local" / "chroma").exists(), "server mode must not create an embedded store"
    answer = bot.ask("¿Cuántos puentes cerró el ayuntamiento?")
    assert answer.language == "es" and not answer.refused
    assert {c.doc_id for c in answer.citations} & {"storm-en", "storm-es"}
    # A second client (a fresh process would do the same) sees the same corpus, BM25 rebuilt locally.
    other = NewsBot(store=tmp_path / "other", chroma_url=chroma_server, embedder=embedder)
    assert other.stats()["documents"] == 2 and len(other.components.lexical) > 0
    assert bot.delete(["storm-en"]) == 1
    assert other.stats()["documents"] == 1
