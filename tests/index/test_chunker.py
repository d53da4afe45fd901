"""Sentence splitting and chunking keep exact spans, so citations can quote the article verbatim."""

from __future__ import annotations

import pytest

from index.chunker import SentenceChunker
from index.records import Article
from index.sentences import split_sentences


def test_sentence_rules_for_english_and_spanish_abbreviations():
    text = (
        "Gov. Miguel A. Riquelme said on Nov. 30 that 4 officers died. The toll rose to 21! "
        "¿Quién lo dijo? El Sr. Pérez habló con EE.UU. el martes."
    )
    assert split_sentences(text) == [
        "Gov. Miguel A. Riquelme said on Nov. 30 that 4 officers died.",
        "The toll rose to 21!",
        "¿Quién lo dijo?",
        "El Sr. Pérez habló con EE.UU. el martes.",
    ]


def test_chunks_are_exact_article_spans_with_sentence_overlap():
    sentences = [f"Sentence number {i} tells a small fact about the town of Arroyo Seco." for i in range(60)]
    article = Article(id="a", title="t", text=" ".join(sentences), language="en")
    chunks = SentenceChunker(chunk_size=64, chunk_overlap=20).chunk(article)
    assert len(chunks) > 3
    for chunk in chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
        assert chunk.text.startswith("Sentence") and chunk.text.endswith(".")
        assert all(chunk.text[a:b] in sentences for a, b in chunk.sentence_spans)
    assert chunks[1].start < chunks[0].end  # overlap of whole sentences


def test_chunk_ids_change_with_the_content():
    first = SentenceChunker().chunk(Article(id="a", text="One fact. Two facts."))
    second = SentenceChunker().chunk(Article(id="a", text="One fact. Three facts."))
    assert first[0].id != second[0].id and first[0].doc_id == second[0].doc_id == "a"


def test_rejects_bad_sizes():
    with pytest.raises(ValueError):
        SentenceChunker(chunk_size=10)
    with pytest.raises(ValueError):
        SentenceChunker(chunk_size=100, chunk_overlap=100)
