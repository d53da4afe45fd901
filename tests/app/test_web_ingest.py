"""Uploading files in the Corpus tab (through the API the page uses): progress, counts, per-file problems."""

from __future__ import annotations

import html
import json

import pytest
from gradio_client import Client, handle_file

from tests.app.conftest import start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory, embedder):
    from bot import NewsBot

    bot = NewsBot(store=tmp_path_factory.mktemp("upload") / "store", embedder=embedder)
    demo, url = start_server(bot)
    yield url
    demo.close()


def test_upload_ingests_and_reports_problems(fresh_server, tmp_path):
    good = tmp_path / "lighthouse.jsonl"
    good.write_text(
        json.dumps(
            {
                "id": "lighthouse-1",
                "title": "Old lighthouse of Cabo Verdeluz reopens as a museum",
                "date": "2022-06-01",
                "source": "Island Post",
                "url": "https://example.org/island/lighthouse",
                "language": "en",
                "text": "The old lighthouse of Cabo Verdeluz reopened on Wednesday as a maritime museum. "
                "Its keeper, Marta Oyola, restored the brass lamp by hand over three winters.",
            }
        )
        + "\n{not json\n",
        encoding="utf-8",
    )
    notes = tmp_path / "notas.txt"
    notes.write_text(
        "El mercado de Cabo Verdeluz cierra por obras\n\n"
        "El mercado municipal de Cabo Verdeluz cerrará dos meses por obras de renovación, anunció el ayuntamiento.",
        encoding="utf-8",
    )
    c = Client(fresh_server, verbose=False)
    report, stats, _, _, files = c.predict([handle_file(str(good)), handle_file(str(notes))], api_name="/ingest")
    text = html.unescape(report)
    assert "lighthouse.jsonl" in text and "notas.txt" in text
    assert "1 added" in text and "lighthouse.jsonl:2" in text, text  # the broken line is reported by name
    assert "2 documents" in stats and files is None

    job = c.submit("who restored the lighthouse lamp?", "auto", [], [], "", "", "extractive", api_name="/ask")
    _, _, sources = job.result(timeout=60)
    assert 'data-doc-id="lighthouse-1"' in html.unescape(sources)


def test_ingest_without_files(fresh_server):
    report, *_ = Client(fresh_server, verbose=False).predict([], api_name="/ingest")
    assert "Choose one or more files" in report
