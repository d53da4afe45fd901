"""Numbers and dates in English and Spanish, reduced to comparable keys ("cuatro" == "four" == "4")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from eval.grounding.text import fold, vocabulary

_MONTHS_EN = vocabulary("january february march april may june july august september october november december")
_MONTHS_ES = vocabulary("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre")
MONTHS: dict[str, int] = {
    **{m: i for i, m in enumerate(_MONTHS_EN, 1)},
    **{m: i for i, m in enumerate(_MONTHS_ES, 1)},
    "setiembre": 9,
    **{
        a: i
        for a, i in zip(
            vocabulary("jan feb mar apr jun jul aug sep sept oct nov dec"),
            [1, 2, 3, 4, 6, 7, 8, 9, 9, 10, 11, 12],
            strict=True,
        )
    },
    **{a: i for a, i in zip(vocabulary("ene abr ago dic"), [1, 4, 8, 12], strict=True)},
}
_FULL_MONTHS = frozenset([*_MONTHS_EN, *_MONTHS_ES, "setiembre"])
# Month names that are also common words count alone only when capitalized ("in May" but not "it may").
_AMBIGUOUS_ALONE = frozenset({"may", "march"})

_UNITS_EN = vocabulary("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen")
_UNITS_ES = vocabulary("cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince")
_ADDITIVE: dict[str, int] = {
    **{w: i for i, w in enumerate(_UNITS_EN)},
    **{w: i for i, w in enumerate(_UNITS_ES)},
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "un": 1,
    "una": 1,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
    "veintiuno": 21,
    "veintiun": 21,
    "veintiuna": 21,
    "veintidos": 22,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
    "cien": 100,
    "ciento": 100,
    "doscientos": 200,
    "doscientas": 200,
    "trescientos": 300,
    "trescientas": 300,
    "cuatrocientos": 400,
    "cuatrocientas": 400,
    "quinientos": 500,
    "quinientas": 500,
    "seiscientos": 600,
    "seiscientas": 600,
    "setecientos": 700,
    "setecientas": 700,
    "ochocientos": 800,
    "ochocientas": 800,
    "novecientos": 900,
    "novecientas": 900,
}
_HUNDRED = "hundred"
_SCALES: dict[str, int] = {
    "thousand": 10**3,
    "mil": 10**3,
    "million": 10**6,
    "millon": 10**6,
    "millones": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "billon": 10**12,
    "billones": 10**12,
}
# Alone, these are articles or vague plurals ("un coche", "millones de personas"), not quantities.
_NOT_ALONE = frozenset({"one", "un", "una", "uno", "millones", "billones"})
_ORDINALS: dict[str, int] = {
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "tercero": 3,
    "tercera": 3,
    "tercer": 3,
    "cuarta": 4,
    "quinto": 5,
    "quinta": 5,
    "sexto": 6,
    "sexta": 6,
    "septimo": 7,
    "septima": 7,
    "octavo": 8,
    "octava": 8,
    "noveno": 9,
    "novena": 9,
    "decimo": 10,
    "decima": 10,
}
# Words the number check owns, so lexical overlap does not count them twice.
# Month abbreviations that are also words ("mar" is "sea", "ago" is English) stay ordinary words.
NUMBER_WORDS = frozenset([*_ADDITIVE, *_SCALES, _HUNDRED, *_ORDINALS, *(set(MONTHS) - {"mar", "ago"})])
_CONNECTORS = frozenset({"and", "y"})
_TENS_ES = frozenset({"treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"})

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_SUFFIX = r"(?:st|nd|rd|th|º|ª)?"
_DATES = [
    re.compile(
        rf"\b(?P<month>{_MONTH_RE})\b\.?\s+(?P<day>\d{{1,2}}){_DAY_SUFFIX}\b"
        rf"(?:,?\s+(?P<year>\d{{4}})\b)?",
        re.I,
    ),
    re.compile(
        rf"\b(?P<day>\d{{1,2}}){_DAY_SUFFIX}\s+(?:de\s+|of\s+)?(?P<month>{_MONTH_RE})\b\.?"
        rf"(?:,?\s+(?:de\s+|del\s+)?(?P<year>\d{{4}})\b)?",
        re.I,
    ),
]
_NUMERIC_DATE = re.compile(r"\b(?P<a>\d{1,2})([/.-])(?P<b>\d{1,2})\2(?P<year>\d{4})\b")
_ISO_DATE = re.compile(r"\b(?P<year>\d{4})-(?P<b>\d{1,2})-(?P<a>\d{1,2})\b")
_DIGITS = re.compile(
    r"(?<![^\W\d_]-)(?<![\w.,])(?P<num>\d{1,3}(?:([.,])\d{3})(?:\2\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?P<ord>st|nd|rd|th|\.?º|\.?ª)?(?![^\W_])"
)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class NumberMention:
    """A quantity or date found in text; it is supported when any of its `keys` occurs in the passage."""

    label: str
    span: tuple[int, int]
    keys: frozenset[str]


def _canonical(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _parse_digits(raw: str) -> Decimal:
    """'1,000' and '1.000' -> 1000; '3.5' and '3,5' -> 3.5; '1.234,5' -> 1234.5."""
    seps = [c for c in raw if c in ".,"]
    if not seps:
        return Decimal(raw)
    groups = re.split(r"[.,]", raw)
    if len(set(seps)) == 2:
        decimal_sep = seps[-1]
        whole, frac = raw.rsplit(decimal_sep, 1)
        return Decimal(re.sub(r"[.,]", "", whole) + "." + frac)
    if all(len(g) == 3 for g in groups[1:]):
        return Decimal("".join(groups))
    return Decimal(raw.replace(",", "."))


class NumberExtractor:
    """Finds numbers, ordinals, months and dates so a claim's figures can be checked against a passage's."""

    def mentions(self, text: str) -> list[NumberMention]:
        """Every quantity and date in `text`, each once; dates are matched before bare numbers."""
        found: list[NumberMention] = []
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= s or a >= e for s, e in taken)

        def add(*mentions: NumberMention) -> None:
            found.extend(mentions)
            taken.extend(m.span for m in mentions)

        for pattern in _DATES:
            for m in pattern.finditer(text):
                day, month = int(m["day"]), MONTHS[fold(m["month"])]
                if 1 <= day <= 31 and free(*m.span()):
                    add(*self._dates(m, [(month, day)]))
        for pattern in (_NUMERIC_DATE, _ISO_DATE):
            for m in pattern.finditer(text):
                a, b = int(m["a"]), int(m["b"])
                readings = [(b, a), (a, b)] if pattern is _NUMERIC_DATE else [(b, a)]
                valid = [(mo, d) for mo, d in readings if 1 <= mo <= 12 and 1 <= d <= 31]
                if valid and free(*m.span()):
                    add(*self._dates(m, valid))
        for m in _DIGITS.finditer(text):
            if free(*m.span()):
                add(self._digits(text, m))
        for mention in self._words(text):
            if free(*mention.span):
                add(mention)
        return sorted(found, key=lambda x: x.span)

    def keys(self, text: str) -> set[str]:
        """All keys a passage offers; a full date also vouches for its month and its day."""
        out: set[str] = set()
        for mention in self.mentions(text):
            for key in mention.keys:
                out.add(key)
                if key.startswith("date:"):
                    month, day = key[5:].split("-")
                    out |= {f"month:{month}", str(int(day)), f"ord:{int(day)}"}
        return out

    @staticmethod
    def _dates(m: re.Match[str], readings: list[tuple[int, int]]) -> list[NumberMention]:
        keys = frozenset(f"date:{mo:02d}-{d:02d}" for mo, d in readings)
        out = [NumberMention(label=min(keys)[5:], span=m.span(), keys=keys)]
        if m["year"]:
            out.append(NumberMention(label=m["year"], span=m.span("year"), keys=frozenset({m["year"]})))
        return out

    @staticmethod
    def _digits(text: str, m: re.Match[str]) -> NumberMention:
        value = _parse_digits(m["num"])
        end = m.end()
        if m["ord"]:
            return NumberMention(label=m.group(), span=m.span(), keys=frozenset({f"ord:{_canonical(value)}"}))
        for w in _WORD.finditer(text, end):
            if text[end : w.start()].strip() or fold(w.group()) not in _SCALES:
                break
            value *= _SCALES[fold(w.group())]
            end = w.end()
        label = _canonical(value)
        return NumberMention(label=label, span=(m.start(), end), keys=frozenset({label}))

    def _words(self, text: str) -> list[NumberMention]:
        out: list[NumberMention] = []
        run: list[re.Match[str]] = []
        for w in [*_WORD.finditer(text), None]:
            word = fold(w.group()) if w else ""
            if run and word in _CONNECTORS:
                continue  # "one hundred and five", "treinta y dos": judged with the next word
            if w and self._continues(text, run, w, word):
                run.append(w)
                continue
            if run:
                out.extend(self._close(text, run))
            run = [w] if w and self._starts(text, w, word) else []
        return out

    @staticmethod
    def _is_number_word(word: str) -> bool:
        return word in _ADDITIVE or word in _SCALES or word == _HUNDRED

    def _starts(self, text: str, w: re.Match[str], word: str) -> bool:
        if word in _ORDINALS or word in MONTHS:
            return True
        if word == "ciento" and fold(text[: w.start()]).rstrip().endswith("por"):
            return False  # "por ciento" is "per cent"
        return self._is_number_word(word)

    def _continues(self, text: str, run: list[re.Match[str]], w: re.Match[str], word: str) -> bool:
        if not run or not self._is_number_word(fold(run[-1].group())) or not self._is_number_word(word):
            return False
        gap = fold(text[run[-1].end() : w.start()]).strip(" -")
        if not gap:
            return True
        prev = fold(run[-1].group())
        if gap == "y":
            return prev in _TENS_ES and _ADDITIVE.get(word, 100) < 10
        if gap == "and":
            return (prev == _HUNDRED or prev in _SCALES) and word in _ADDITIVE
        return False

    @staticmethod
    def _close(text: str, run: list[re.Match[str]]) -> list[NumberMention]:
        span = (run[0].start(), run[-1].end())
        first = run[0].group()
        word = fold(first)
        if word in _ORDINALS:
            return [NumberMention(label=first, span=span, keys=frozenset({f"ord:{_ORDINALS[word]}"}))]
        if word in MONTHS:
            if word not in _FULL_MONTHS or (word in _AMBIGUOUS_ALONE and not first[0].isupper()):
                return []
            return [NumberMention(label=first, span=span, keys=frozenset({f"month:{MONTHS[word]:02d}"}))]
        words = [fold(w.group()) for w in run]
        if len(words) == 1 and words[0] in _NOT_ALONE:
            return []
        total, current = 0, 0
        for word in words:
            if word in _ADDITIVE:
                current += _ADDITIVE[word]
            elif word == _HUNDRED:
                current = (current or 1) * 100
            else:
                scale = _SCALES[word]
                if total + current == 0:
                    total = scale
                elif total + current < scale:
                    total = (total + current) * scale
                else:
                    total += (current or 1) * scale
                current = 0
        label = str(total + current)
        return [NumberMention(label=label, span=span, keys=frozenset({label}))]
