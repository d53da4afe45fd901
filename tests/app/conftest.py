"""A real newsbot web server on 127.0.0.1 over the small test corpus, shared by the app tests."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.app.corpus import write_corpus

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def web_bot(tmp_path_factory, embedder):
    from bot import NewsBot

    folder = tmp_path_factory.mktemp("webcorpus")
    bot = NewsBot(store=folder / "store", embedder=embedder)
    report = bot.ingest([write_corpus(folder / "data")])
    assert report.added == 5, report
    return bot


def start_server(bot):
    import app

    demo = app.build_app(bot)
    port = free_port()
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True, ssr_mode=False)
    return demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="session")
def server(web_bot):
    """(demo, url) of the app serving the test corpus."""
    demo, url = start_server(web_bot)
    yield demo, url
    demo.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("NEWSBOT_ARTIFACTS") or REPO / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
