"""The Corpus tab: what is stored (from `NewsBot.stats()`) and what an upload did (`IngestReport`)."""

from __future__ import annotations

from typing import Any

from bot.web.i18n import language_name, t
from bot.web.safe import esc
from index.pipeline import IngestReport


def _row_name(key: str, lang: str, *, languages: bool) -> str:
    """A language's name, or an outlet's; the store counts articles without one under "?"."""
    if key in ("", "?"):
        return t("unknown" if languages else "no_outlet", lang)
    return language_name(key, lang) if languages else key


def _table(title: str, rows: dict[str, dict[str, int]], lang: str, *, languages: bool = False) -> str:
    body = "".join(
        f"<tr><td>{esc(_row_name(key, lang, languages=languages))}</td>"
        f'<td class="nb-num">{int(v.get("documents", 0))}</td><td class="nb-num">{int(v.get("chunks", 0))}</td></tr>'
        for key, v in rows.items()
    )
    return (
        f'<table class="nb-table"><caption>{esc(title)}</caption><thead><tr><th></th>'
        f"<th>{esc(t('corpus_documents', lang))}</th><th>{esc(t('corpus_chunks', lang))}</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def render_stats(stats: dict[str, Any], lang: str) -> str:
    if not stats.get("documents"):
        return f'<div class="nb-corpus"><p>{esc(t("corpus_empty", lang))}</p></div>'
    summary = t("corpus_summary", lang, documents=stats["documents"], chunks=stats.get("chunks", 0))
    dates = stats.get("date_range")
    dates_html = (
        f'<p class="nb-dim">{esc(t("corpus_dates", lang, since=dates[0], until=dates[1]))}</p>' if dates else ""
    )
    return (
        f'<div class="nb-corpus"><p class="nb-corpus-summary"><strong>{esc(summary)}</strong></p>{dates_html}'
        '<div class="nb-tables">'
        f"{_table(t('corpus_by_language', lang), stats.get('languages', {}), lang, languages=True)}"
        f"{_table(t('corpus_by_source', lang), stats.get('sources', {}), lang)}</div></div>"
    )


def source_choices(stats: dict[str, Any]) -> list[str]:
    """Outlet names for the filter dropdown (articles without an outlet cannot be filtered on)."""
    return sorted(name for name in stats.get("sources", {}) if name and name != "?")


def language_choices(stats: dict[str, Any], configured: list[str], lang: str) -> list[tuple[str, str]]:
    codes = list(dict.fromkeys([*configured, *(c for c in stats.get("languages", {}) if c and c != "?")]))
    return [(language_name(code, lang), code) for code in codes]


def render_ingest(results: list[tuple[str, IngestReport | str]], lang: str, seconds: float | None = None) -> str:
    """One line per uploaded file, with its problems listed; a string result is an error for that file."""
    items: list[str] = []
    for name, report in results:
        if isinstance(report, str):
            items.append(f'<li class="nb-ingest-error"><strong>{esc(name)}</strong>: {esc(report)}</li>')
            continue
        line = t(
            "ingest_file",
            lang,
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            failed=report.failed,
            chunks=report.chunks,
        )
        issues = "".join(f"<li>{esc(issue)}</li>" for issue in report.issues)
        issues_html = (
            f'<details class="nb-issues" open><summary>{esc(t("ingest_issues", lang))} ({len(report.issues)})</summary>'
            f"<ul>{issues}</ul></details>"
            if issues
            else ""
        )
        tone = "nb-ingest-warn" if report.issues or report.failed else "nb-ingest-ok"
        items.append(f'<li class="{tone}"><strong>{esc(name)}</strong>: {esc(line)}{issues_html}</li>')
    done = (
        f'<p class="nb-dim">{esc(t("ingest_done", lang, files=len(results), seconds=f"{seconds:.1f}"))}</p>'
        if seconds is not None
        else ""
    )
    return f'<div class="nb-ingest"><ul>{"".join(items)}</ul>{done}</div>'
