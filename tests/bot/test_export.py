"""Answers and claim checks exported as Markdown, JSON and self-contained HTML, and `newsbot check`."""

from __future__ import annotations

import json
import re

import pytest

from bot.answer import Answer, Citation
from bot.export import export
from tests.conftest import newsbot_cli

HOSTILE = "<script>alert('x')</script>"


def _answer() -> Answer:
    citation = Citation(
        n=1,
        doc_id="d1",
        chunk_id="d1#0",
        title=f"Storm toll rises {HOSTILE}",
        source="Valley Times",
        date="2021-03-06",
        url="https://example.org/storm",
        language="en",
        passage="The storm killed four people. Roads reopened.",
        quote_spans=[(0, 29)],
    )
    return Answer(
        question="How many died?", text="The storm killed four people. [1]", language="en", citations=[citation]
    )


def test_markdown_keeps_the_numbered_citation_with_outlet_date_link_and_quote():
    md = export(_answer(), "md")
    assert "The storm killed four people. [1]" in md
    assert "1. **Storm toll rises \\<script\\>" in md and "Valley Times, 2021-03-06" in md
    assert "<https://example.org/storm>" in md and "   > The storm killed four people." in md
    assert "<script>" not in md


def test_html_is_one_escaped_page_that_fetches_nothing():
    page = export(_answer(), "html")
    assert page.startswith("<!doctype html>") and "<script" not in page.lower()
    assert "&lt;script&gt;" in page and "<mark>The storm killed four people.</mark>" in page
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == ["https://example.org/storm"]


def test_json_round_trips_the_typed_result():
    data = json.loads(export(_answer(), "json"))
    assert data["kind"] == "answer" and data["citations"][0]["quote"] == "The storm killed four people."
    assert Answer.model_validate({k: v for k, v in data.items() if k != "kind"}).citations[0].n == 1


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="md, json, html"):
        export(_answer(), "pdf")


@pytest.fixture(scope="module")
def demo_store(demo_bot) -> str:
    return str(demo_bot.settings.store_dir)


def test_newsbot_check_prints_verdicts_and_exports(demo_store):
    process = newsbot_cli("check", "El ataque en Villa Unión dejó 21 muertos.", "--store", demo_store)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert out.startswith("outdated: El ataque en Villa Unión dejó 21 muertos.")
    assert "se reportó el" in out and "independent outlet(s)" in out
    process = newsbot_cli(
        "check", "The attack on Villa Unión killed 50 people.", "--format", "json", "--store", demo_store
    )
    out, _ = process.communicate(timeout=120)
    data = json.loads(out)
    assert data["kind"] == "claim_check" and data["verdict"] == "contradicted"
    assert all(c["date"] and c["url"] for c in data["citations"])
    process = newsbot_cli("ask", "How many died in Villa Unión?", "--format", "md", "--store", demo_store)
    out, _ = process.communicate(timeout=120)
    assert out.startswith("## How many died in Villa Unión?") and "**Sources**" in out
