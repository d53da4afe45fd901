"""Interface strings in English and Spanish, kept as `ui_*` keys in prompts/<lang>/messages.toml."""

from __future__ import annotations

from prompts import message

UI_LANGUAGES = ("en", "es")
DEFAULT_UI_LANGUAGE = "en"


def t(key: str, lang: str, **fields: object) -> str:
    """The interface string `key` (without the `ui_` prefix) in `lang`, English when missing."""
    return message(f"ui_{key}", ui_language(lang), **fields)


def ui_language(lang: str | None) -> str:
    lang = (lang or "").lower()[:2]
    return lang if lang in UI_LANGUAGES else DEFAULT_UI_LANGUAGE


def language_name(code: str, lang: str) -> str:
    """`code` ('en', 'es', ...) named in the interface language; unknown codes are shown as they are."""
    code = (code or "").lower()
    if code in UI_LANGUAGES:
        return t(f"lang_{code}", lang)
    return code or t("unknown", lang)


def from_accept_language(header: str | None) -> str:
    """The first supported language of an HTTP Accept-Language header (`es-MX,es;q=0.9,en;q=0.8` -> 'es')."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()[:2]))
    for _, _, code in sorted(ranked):
        if code in UI_LANGUAGES:
            return code
    return DEFAULT_UI_LANGUAGE


def interface_language(choice: str | None, browser: str | None) -> str:
    """The interface follows the answer-language control, or the browser's language when it is 'auto'."""
    return choice if choice in UI_LANGUAGES else ui_language(browser)


def answer_language_choices(lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs for the answer-language control; language names in their own language."""
    return [(t("auto", lang), "auto"), ("English", "en"), ("Español", "es")]


def answerer_choices(lang: str) -> list[tuple[str, str]]:
    return [(t("answerer_extractive", lang), "extractive"), (t("answerer_llm", lang), "llm")]
