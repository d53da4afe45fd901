"""Sentence-aware chunking with overlap, keeping every chunk's character span in its article."""

from __future__ import annotations

from typing import Any

from index.records import Article, Chunk
from index.sentences import sentence_spans


def _sentences_with_trailing_space(text: str) -> list[str]:
    """Sentences that keep the whitespace after them, so joined chunks read exactly as the article."""
    spans = sentence_spans(text)
    if not spans:
        return [text] if text else []
    pieces = [text[: spans[1][0]] if len(spans) > 1 else text]
    for i in range(1, len(spans)):
        end = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        pieces.append(text[spans[i][0] : end])
    return pieces


class SentenceChunker:
    """Packs whole sentences into chunks of about `chunk_size` tokens, repeating up to `chunk_overlap` tokens.

    llama_index's SentenceSplitter does the packing; our sentence rules (Spanish and English
    abbreviations) decide the boundaries; we recover each chunk's span so citations can quote it.
    """

    def __init__(self, chunk_size: int = 200, chunk_overlap: int = 40) -> None:
        if chunk_size < 32:
            raise ValueError(f"chunk_size must be at least 32 tokens, got {chunk_size}")
        if not 0 <= chunk_overlap < chunk_size:
            raise ValueError(f"chunk_overlap must be in [0, chunk_size), got {chunk_overlap}")
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self._splitter: Any = None

    @property
    def splitter(self) -> Any:
        """llama-index's SentenceSplitter, built on first use (importing llama-index takes 1.4 s; answering
        questions never needs it)."""
        if self._splitter is None:
            from llama_index.core.node_parser import SentenceSplitter

            self._splitter = SentenceSplitter(
                chunk_size=self.chunk_size,
                chunk_overlap=self.chunk_overlap,
                chunking_tokenizer_fn=_sentences_with_trailing_space,
                paragraph_separator="\n\n\n",
            )
        return self._splitter

    def chunk(self, article: Article) -> list[Chunk]:
        """Split one article; chunk ids embed the article version so old and new never collide."""
        version = article.content_hash
        chunks: list[Chunk] = []
        cursor = 0
        for index, piece in enumerate(self.splitter.split_text(article.text)):
            start = article.text.find(piece, cursor)
            if start < 0:  # the splitter normalised something; fall back to a search from the top
                start = article.text.find(piece)
            if start < 0:
                raise ValueError(f"{article.origin}: chunk {index} does not stand in the article text")
            end = start + len(piece)
            cursor = start + 1
            chunks.append(
                Chunk(
                    id=f"{article.id}#{version}#{index}",
                    doc_id=article.id,
                    index=index,
                    text=piece,
                    start=start,
                    end=end,
                    title=article.title,
                    date=article.date,
                    source=article.source,
                    url=article.url,
                    language=article.language,
                    version=version,
                    sentence_spans=sentence_spans(piece),
                )
            )
        return chunks
