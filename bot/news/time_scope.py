"""Time words in questions, English and Spanish: 'by 1 December', 'el 30 de noviembre', 'in April 2020',
'latest', 'first reports'.

A date becomes an upper bound on article dates (what was known by then); a month with no day ('in April
2020', 'en abril de 2020') a preference for reports dated in it ('by the end of April' its last day as the
bound); 'latest' and 'first' a preference for newer or older reports. Without any, newer reports lead.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from eval.grounding.numbers import MONTHS
from index.lexical import fold_accents

Preference = Literal["latest", "earliest"]

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?\s+(?:de\s+)?(?P<month>{_MONTH})\.?"
    rf"(?:,?\s+(?:de\s+|del\s+)?(?P<year>\d{{4}}))?",
    re.I,
)
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?"
    rf"(?:,?\s+(?P<year>\d{{4}}))?",
    re.I,
)
_MONTH_YEAR = re.compile(
    rf"(?P<by>\b(?:by|until|as of|end of|hasta|para|al|a finales de|a fines de|fin(?:ales)? de)\s+(?:the\s+)?)?"
    rf"\b(?P<month>{_MONTH})\.?,?\s+(?:de\s+|del\s+|of\s+)?(?P<year>\d{{4}})\b",
    re.I,
)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_LATEST = re.compile(
    r"\b(latest|most recent|newest|now|current(ly)?|so far|final|ultim[oa]s?|mas recientes?|"
    r"actual(mente)?|hasta ahora|definitiv[oa])\b"
)
_EARLIEST = re.compile(
    r"\b(first reports?|initial(ly)?|early reports?|at first|originally|primer[oa]s?|"
    r"inicial(es|mente)?|al principio|en un principio)\b"
)


_SMALL_NUMBERS = {
    "one": 1,
    "a": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "un": 1,
    "uno": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
}
_LATER = re.compile(
    r"\b(?P<n>\d+|one|a|two|three|four|five|un|uno|dos|tres|cuatro|cinco)\s+"
    r"(?:days?|dias?)\s+(?:later|after|afterwards|despues|mas tarde)\b"
)


@dataclass(frozen=True)
class TimeScope:
    """What a question says about time."""

    until: str | None = None
    preference: Preference | None = None
    during: tuple[str, str] | None = None
    """First and last day of a month the question names without a day ('in April 2020')."""
    since: str | None = None
    """A lower bound on article dates: what was reported from a month on (see `from_month_on`)."""

    @property
    def empty(self) -> bool:
        return self.until is None and self.preference is None and self.during is None and self.since is None

    def from_month_on(self) -> TimeScope:
        """'In November' widened to reports from November on, for when none that month answers: monthly
        figures, trials and counts are often reported the month after."""
        since = self.during[0] if self.during else self.since
        return TimeScope(until=self.until, preference=self.preference, since=since)


def parse_time_scope(question: str, default_year: int | None = None) -> TimeScope:
    """Find a date (as an upper bound) and a recency preference in `question`."""
    folded = fold_accents(question).lower()
    until = None
    for pattern in (_ISO, _DAY_MONTH, _MONTH_DAY):
        match = pattern.search(question if pattern is _ISO else folded)
        if not match:
            continue
        month = match["month"]
        month_number = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
        year = int(match["year"]) if match["year"] else default_year
        if month_number and year:
            try:
                until = date(year, month_number, int(match["day"])).isoformat()
            except ValueError:
                until = None
        break
    during = None
    if until is None and (match := _MONTH_YEAR.search(folded)):
        month_number, year = MONTHS.get(match["month"].lower().rstrip(".")), int(match["year"])
        if month_number:
            first = date(year, month_number, 1)
            last = first.replace(day=calendar.monthrange(year, month_number)[1])
            if match["by"]:
                until = last.isoformat()
            else:
                during = (first.isoformat(), last.isoformat())
    later = _LATER.search(folded)
    if until and later:  # "and two days later?" after a question about 1 December
        days = int(later["n"]) if later["n"].isdigit() else _SMALL_NUMBERS[later["n"]]
        until = (date.fromisoformat(until) + timedelta(days=days)).isoformat()
    preference: Preference | None = None
    if _EARLIEST.search(folded):
        preference = "earliest"
    elif _LATEST.search(folded):
        preference = "latest"
    return TimeScope(until=until, preference=preference, during=during)
