"""Ingestion throughput: the whole pipeline against the raw embedder on the same chunks, and peak RSS.

The raw rate is the embedder as the API offers it (`embed_passages` on the chunk texts, in this
process, `embedding_threads` BLAS threads). The pipeline encodes each distinct sentence once on
`ingest_processes` single-threaded children and pools passage vectors from sentence vectors.

    python bench/ingest.py [--limit N] [--store DIR]

Ingests BBC News (EN) + the worldwide newswire (EN) + Spanish true news from ../shared/data
(about 10k chunks; the same store serves bench/latency.py) and prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import NewsBot  # noqa: E402
from index.loaders import load_paths, parse_field_map  # noqa: E402
from index.records import Article  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
DEFAULT_STORE = ROOT / ".bench" / "scale"


def corpus_articles(limit: int | None) -> list[Article]:
    sources = [
        (sorted((SHARED / "bbc_news_en").glob("*.jsonl")), None, None),
        ([SHARED / "worldwide_newswire_en" / "articles.jsonl"], parse_field_map("source=source_prefix"), None),
        (
            sorted((SHARED / "fakenews_es").glob("*.jsonl")),
            parse_field_map("id=Link,text=Text,title=Headline,source=Source,url=Link"),
            {"Category": "True"},
        ),
    ]
    articles: list[Article] = []
    for paths, field_map, where in sources:
        if not all(p.is_file() for p in paths) or not paths:
            sys.exit(f"missing {paths}: this benchmark needs ../shared/data")
        articles += [a for a in load_paths(paths, field_map=field_map, where=where) if isinstance(a, Article)]
    return articles[:limit] if limit else articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, help="ingest only the first N articles")
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    args = parser.parse_args()
    shutil.rmtree(args.store, ignore_errors=True)
    articles = corpus_articles(args.limit)
    bot = NewsBot(store=args.store)
    ingestor = bot.components.ingestor

    started = time.perf_counter()
    report = ingestor.ingest_articles(articles)
    pipeline_seconds = time.perf_counter() - started

    chunks = [c for a in articles for c in ingestor.chunker.chunk(a)]
    started = time.perf_counter()
    bot.components.embedder.embed_passages([c.text for c in chunks])
    raw_chunk_seconds = time.perf_counter() - started

    print(
        json.dumps(
            {
                "articles": len(articles),
                "chunks": report.chunks,
                "encoder_processes": ingestor.encoder_processes,
                "embedding_threads": bot.settings.embedding_threads,
                "pipeline_seconds": round(pipeline_seconds, 2),
                "pipeline_chunks_per_s": round(report.chunks / pipeline_seconds, 1),
                "raw_embedder_seconds": round(raw_chunk_seconds, 2),
                "raw_embedder_chunks_per_s": round(len(chunks) / raw_chunk_seconds, 1),
                "ratio_pipeline_to_raw": round(raw_chunk_seconds / pipeline_seconds, 3),
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "peak_rss_encoder_child_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
                "store": str(args.store),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
