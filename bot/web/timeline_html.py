"""The Timeline tab: a story's dated key facts grouped by day, each quoted and cited, then its sources.

Renders a `bot.news.timeline.Timeline`. The sources reuse the chat panel's `render_citation` under
their own element ids (`src-tl-<n>`), so a [n] here opens the right passage even with the chat's
sources panel on the same page.
"""

from __future__ import annotations

from datetime import date
from itertools import groupby

from bot.news.compose import quantity_label
from bot.news.timeline import Timeline, TimelineEntry
from bot.web.answer_html import cite_link_to
from bot.web.i18n import language_name, t
from bot.web.safe import esc, esc_multiline
from bot.web.sources_html import render_citation

UNDATED = "\uffff"
"""Sort key of entries without a date: after every dated one."""


def timeline_anchor(n: int) -> str:
    """The element id of the timeline's source `n`."""
    return f"src-tl-{n}"


def day_key(raw: str) -> str:
    """The day an entry belongs to: its date's first ten characters ('2021-03-06'), or `UNDATED`."""
    return (raw or "").strip()[:10] or UNDATED


def human_date(raw: str, lang: str) -> str:
    """'Saturday, March 6, 2021' / 'sábado 6 de marzo de 2021'; a partial or odd date is shown as it is."""
    key = day_key(raw)
    if key == UNDATED:
        return t("timeline_undated", lang)
    try:
        day = date.fromisoformat(key)
    except ValueError:
        return key
    months = t("months", lang).split(",")
    weekdays = t("weekdays", lang).split(",")
    return t(
        "timeline_date",
        lang,
        weekday=weekdays[day.weekday()],
        day=day.day,
        month=months[day.month - 1],
        year=day.year,
    )


def figure_label(figure: str, lang: str) -> str:
    """'deaths: 21' with the quantity named in the interface language ('muertos: 21')."""
    key, sep, value = figure.rpartition(":")
    if not sep or not key.strip():
        return figure
    try:
        name = quantity_label(key.strip(), lang)
    except KeyError:
        name = key.strip()
    return f"{name}: {value.strip()}"


def render_entry(entry: TimelineEntry, lang: str) -> str:
    chips = "".join(
        f'<span class="nb-chip" data-figure="{esc(f)}">{esc(figure_label(f, lang))}</span>' for f in entry.figures
    )
    chips_html = (
        f'<div class="nb-tl-figures" aria-label="{esc(t("timeline_figures", lang))}">{chips}</div>' if chips else ""
    )
    meta = f'<span class="nb-outlet">{esc(entry.source or t("unknown", lang))}</span>'
    if entry.language:
        meta += f' <span class="nb-dim">· {esc(language_name(entry.language, lang))}</span>'
    return (
        f'<li class="nb-tl-entry" data-n="{entry.n}"><div class="nb-tl-meta">{meta}</div>'
        f'<div class="nb-tl-quote"><q>{esc_multiline(entry.text)}</q> '
        f"{cite_link_to(timeline_anchor(entry.n), entry.n, entry.title)}</div>{chips_html}</li>"
    )


def render_day(key: str, entries: list[TimelineEntry], lang: str) -> str:
    when = esc(human_date(key, lang))
    heading = when if key == UNDATED else f'<time datetime="{esc(key)}">{when}</time>'
    items = "".join(render_entry(e, lang) for e in entries)
    return f'<li class="nb-tl-day"><h3 class="nb-tl-date">{heading}</h3><ul class="nb-tl-entries">{items}</ul></li>'


def _box(inner: str, extra_class: str = "") -> str:
    return f'<div class="nb-timeline{extra_class}" id="nb-timeline">{inner}</div>'


def render_timeline_message(text: str, *, error: bool = False) -> str:
    """The panel holding only a message (the intro, or what went wrong)."""
    tone = "nb-error" if error else "nb-dim"
    return _box(f'<p class="{tone} nb-tl-message">{esc_multiline(text)}</p>', " nb-tl-empty")


def render_timeline(timeline: Timeline | None, lang: str) -> str:
    """The whole panel: the facts grouped by day, oldest first, then the sources they cite.

    None (nothing asked yet) shows how to use the tab; a timeline without entries says so.
    """
    if timeline is None:
        return render_timeline_message(t("timeline_intro", lang))
    if not timeline.entries:
        return render_timeline_message(t("timeline_empty", lang, query=timeline.query))
    ordered = sorted(timeline.entries, key=lambda e: day_key(e.date))  # stable: a day keeps its order
    days = "".join(render_day(key, list(group), lang) for key, group in groupby(ordered, key=lambda e: day_key(e.date)))
    citations = sorted(timeline.citations, key=lambda c: c.n)
    sources = "".join(render_citation(c, 0, lang, anchor=timeline_anchor(c.n)) for c in citations)
    count = t("timeline_count", lang, entries=len(timeline.entries), sources=len(citations))
    return _box(
        f'<div class="nb-tl-head"><span class="nb-dim">{esc(t("timeline_for", lang))}:</span> '
        f'<q class="nb-tl-query">{esc(timeline.query)}</q> <span class="nb-dim nb-tl-count">({esc(count)})</span></div>'
        f'<ol class="nb-tl">{days}</ol>'
        f'<div class="nb-sources nb-tl-sources" id="nb-tl-sources">'
        f'<div class="nb-sources-head">{esc(t("sources", lang))}</div>{sources}</div>'
    )
