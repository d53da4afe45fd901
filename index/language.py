"""Deterministic language detection restricted to the languages the corpus is configured for."""

from __future__ import annotations

import re
from collections.abc import Sequence

from langdetect import DetectorFactory
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

DetectorFactory.seed = 0

SPANISH_MARKS = re.compile(r"[¿¡ñÑ]")
"""Characters that only Spanish uses among the supported languages: a strong hint on short inputs."""

SHORT_INPUT_CHARS = 25
"""Below this many letters langdetect is unreliable; hints and the fallback language decide instead."""

_HINT_WORDS = {
    "es": {
        "el",
        "la",
        "los",
        "las",
        "que",
        "qué",
        "de",
        "del",
        "y",
        "en",
        "un",
        "una",
        "es",
        "por",
        "quién",
        "quien",
        "cuántos",
        "cuantos",
        "cuándo",
        "dónde",
        "cómo",
        "murió",
        "fue",
        "son",
        "con",
        "se",
        "al",
    },
    "en": {
        "the",
        "who",
        "what",
        "how",
        "many",
        "was",
        "were",
        "is",
        "are",
        "of",
        "and",
        "in",
        "did",
        "when",
        "where",
        "which",
        "about",
        "killed",
        "died",
        "to",
        "a",
        "an",
        "with",
    },
}


class LanguageDetector:
    """langdetect limited to `languages`: its 55-language default calls 'How many police died?' Polish."""

    def __init__(self, languages: Sequence[str] = ("en", "es"), fallback: str | None = None) -> None:
        if not languages:
            raise ValueError("LanguageDetector needs at least one language")
        self.languages = tuple(languages)
        self.fallback = fallback or self.languages[0]
        if self.fallback not in self.languages:
            raise ValueError(f"fallback {self.fallback!r} is not one of {self.languages}")
        init_factory()
        from langdetect.detector_factory import _factory

        self._factory = _factory

    def detect(self, text: str, fallback: str | None = None) -> str:
        """The most likely configured language of `text`; `fallback` (or the default) when unclear."""
        fallback = fallback if fallback in self.languages else self.fallback
        letters = sum(ch.isalpha() for ch in text)
        if letters == 0:
            return fallback
        if "es" in self.languages and SPANISH_MARKS.search(text):
            return "es"
        if letters < SHORT_INPUT_CHARS:
            return self._by_hint_words(text) or fallback
        try:
            detector = self._factory.create()
            detector.append(text[:5000])
            probabilities = detector.get_probabilities()
        except LangDetectException:
            return fallback
        allowed = [p for p in probabilities if p.lang in self.languages]
        if not allowed:
            return self._by_hint_words(text) or fallback
        return allowed[0].lang

    def _by_hint_words(self, text: str) -> str | None:
        words = re.findall(r"\w+", text.lower())
        votes = {lang: sum(w in _HINT_WORDS.get(lang, ()) for w in words) for lang in self.languages}
        best = max(votes, key=lambda lang: votes[lang])
        ranked = sorted(votes.values(), reverse=True)
        if ranked[0] == 0 or (len(ranked) > 1 and ranked[0] == ranked[1]):
            return None
        return best
