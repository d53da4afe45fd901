"""Prompt templates and reader-facing messages, one folder per language, loaded by name.

Templates use `str.format` fields; each file's sentinels are documented in `PROMPTS`. A language
without a file falls back to English, so adding a language means adding a folder.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

PROMPT_DIR = Path(__file__).parent
FALLBACK_LANGUAGE = "en"

PROMPTS: dict[str, str] = {
    "system": "System message for the answering LLM. No fields.",
    "answer": "User message: {sources} = numbered, fenced passages; {question} = the question; "
    "{language_name} = the language to answer in.",
    "condense": "Rewrites a follow-up as a standalone question: {history} = earlier turns; {question}.",
    "refusal": "Said when the corpus does not cover the question (the nearest sources follow it).",
}
"""Every template name with the fields it must contain."""


@cache
def load_prompt(name: str, language: str) -> str:
    """The template `name` in `language` (English when that language has none)."""
    if name not in PROMPTS:
        raise KeyError(f"unknown prompt {name!r}; known: {sorted(PROMPTS)}")
    for lang in (language, FALLBACK_LANGUAGE):
        path = PROMPT_DIR / lang / f"{name}.txt"
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    raise FileNotFoundError(f"no prompt file for {name!r}")


@cache
def _messages(language: str) -> dict[str, str]:
    path = PROMPT_DIR / language / "messages.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def message(key: str, language: str, **fields: object) -> str:
    """A short reader-facing string (notice, label) in `language`, formatted with `fields`."""
    text = _messages(language).get(key) or _messages(FALLBACK_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"no message {key!r}")
    return text.format(**fields) if fields else text
