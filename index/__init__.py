"""Ingestion and storage: load articles, detect language, chunk, embed and store them in ChromaDB."""

from index import offline as _offline  # noqa: F401  (must run before third-party imports)
