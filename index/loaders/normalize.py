"""Date and language normalization, so every loader hands downstream the same ISO formats."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from dateutil import parser as date_parser

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")

# Spanish month and weekday words, accent-stripped, rewritten into what dateutil understands.
_SPANISH_MONTHS = {
    "enero": "jan", "ene": "jan",
    "febrero": "feb",
    "marzo": "mar",
    "abril": "apr", "abr": "apr",
    "mayo": "may",
    "junio": "jun",
    "julio": "jul",
    "agosto": "aug", "ago": "aug",
    "septiembre": "sep", "setiembre": "sep", "sept": "sep", "set": "sep",
    "octubre": "oct",
    "noviembre": "nov",
    "diciembre": "dec", "dic": "dec",
}  # fmt: skip
_SPANISH_NOISE = {"de", "del", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"}
_WORD = re.compile(r"[^\W\d_]+")
_ABBREVIATION_DOT = re.compile(r"(?<=[^\W\d_])\.")

# Two defaults that differ in every field: a field that comes out different was not in the input.
_DEFAULT_A = datetime(2000, 1, 1, 0, 0)
_DEFAULT_B = datetime(2001, 2, 2, 1, 1)

_ENGLISH = {"en", "eng", "english", "ingles"}
_SPANISH = {"es", "spa", "spanish", "espanol", "castellano"}


def _fold(value: str) -> str:
    """Lower-case and strip accents, so 'Español' and 'espanol' compare equal."""
    decomposed = unicodedata.normalize("NFKD", value.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _translate_spanish(value: str) -> str:
    """Rewrite '30 de noviembre de 2019' as '30 nov 2019'; other words (GMT, Nov) are kept as they are."""

    def swap(match: re.Match[str]) -> str:
        word = _fold(match.group())
        if word in _SPANISH_NOISE:
            return " "
        return _SPANISH_MONTHS.get(word, match.group())

    return _WORD.sub(swap, _ABBREVIATION_DOT.sub(" ", value))


def normalize_date(value: str) -> str:
    """Return `value` as ISO 8601 (YYYY-MM-DD, or a full timestamp when it has a time); '' stays ''.

    Raises ValueError when the value is not a complete date, so the caller can warn instead of guessing.
    """
    value = value.strip()
    if not value:
        return ""
    if _ISO.fullmatch(value):
        try:  # the time too: '2019-11-30T25:99:99' has the shape but is no time
            date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"invalid date {value!r}: {exc}") from exc
        return value
    text = _translate_spanish(value)
    try:
        # Day first: '30/11/2019' is the European and Latin American reading; dateutil still
        # reads '11/30/2019' correctly because 30 cannot be a month.
        first = date_parser.parse(text, dayfirst=True, default=_DEFAULT_A)
        second = date_parser.parse(text, dayfirst=True, default=_DEFAULT_B)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"unparseable date {value!r}") from exc
    if first.date() != second.date():
        raise ValueError(f"incomplete date {value!r} (needs day, month and year)")
    if first.hour != second.hour:
        return first.date().isoformat()
    return first.isoformat()


def normalize_language(value: str) -> str:
    """Map 'EN', 'English', 'es-MX', 'Español' to 'en'/'es'; other 2-letter codes pass; unknown gives ''."""
    folded = _fold(value)
    if folded in _ENGLISH:
        return "en"
    if folded in _SPANISH:
        return "es"
    code = re.split(r"[-_]", folded, maxsplit=1)[0]
    if len(code) == 2 and code.isascii() and code.isalpha():
        return code
    return ""
