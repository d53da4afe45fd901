"""Article dates written for readers, in English or Spanish."""

from __future__ import annotations

from datetime import date

MONTH_ABBREVIATIONS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
}


def human_date(iso: str, language: str) -> str:
    """'2019-12-01' -> '1 Dec 2019' / '1 dic 2019'; unparseable input comes back as given ('' -> '?')."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso or "?"
    months = MONTH_ABBREVIATIONS.get(language, MONTH_ABBREVIATIONS["en"])
    return f"{day.day} {months[day.month - 1]} {day.year}"
