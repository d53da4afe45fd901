"""Writes a run's report as JSON (machine-readable, a future baseline), Markdown (for PRs) and HTML.

The HTML page is self-contained: inline CSS, charts as data URIs, no scripts or remote assets,
and every piece of text from questions, answers and passages escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from eval.harness import plots
from eval.harness.gates import Delta
from eval.harness.metrics import METRICS
from eval.harness.models import CaseResult, Report, SuiteResult

MAX_FAILURES_MD = 40
"""Failing cases listed per suite in report.md; the HTML page lists them all."""


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def summary_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the metric × scope table shared by the terminal, Markdown and HTML."""
    scopes = report.metrics_by_scope()
    sizes = report.sizes_by_scope()
    header = ["metric", *(f"{scope} (n={sizes[scope]})" for scope in scopes)]
    rows = [[m.name, *(fmt(values.get(m.name)) for values in scopes.values())] for m in METRICS]
    return header, rows


def breakdown_rows(suite: SuiteResult) -> tuple[list[str], list[list[str]]]:
    groups = suite.breakdown
    header = ["metric", *(f"{key} (n={g.n})" for key, g in groups.items())]
    rows = [[m.name, *(fmt(g.metrics.get(m.name)) for g in groups.values())] for m in METRICS]
    return header, rows


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain aligned table for the terminal."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join
    return "\n".join(
        [
            line(h.ljust(w) for h, w in zip(header, widths, strict=True)),
            line("-" * w for w in widths),
            *(line(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows),
        ]
    )


def delta_rows(deltas: Sequence[Delta]) -> tuple[list[str], list[list[str]]]:
    header = ["scope", "metric", "baseline", "current", "change", ""]
    rows = [
        [d.scope, d.metric, fmt(d.baseline), fmt(d.current), f"{d.change:+.3f}", "REGRESSION" if d.regression else ""]
        for d in deltas
    ]
    return header, rows


def failing(suite: SuiteResult) -> list[CaseResult]:
    return [c for c in suite.cases if c.failures]


def write_reports(report: Report, directory: Path, deltas: Sequence[Delta] = ()) -> list[Path]:
    """report.json, report.md and report.html in `directory` (created); returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "report.json", directory / "report.md", directory / "report.html"]
    paths[0].write_text(report.model_dump_json(indent=1), encoding="utf-8")
    paths[1].write_text(markdown(report, deltas), encoding="utf-8")
    paths[2].write_text(html_page(report, deltas), encoding="utf-8")
    return paths


# -- Markdown --------------------------------------------------------------------------------------
def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(cell, header)) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(map(cell, r)) + " |" for r in rows])


def markdown(report: Report, deltas: Sequence[Delta] = ()) -> str:
    parts = [
        "# newsbot evaluation",
        f"{report.created} · answerer `{report.answerer}` · "
        + ", ".join(f"{k}={v}" for k, v in report.settings.items()),
        "## Summary",
        _md_table(*summary_rows(report)),
    ]
    if deltas:
        parts += ["## Against the baseline", _md_table(*delta_rows(deltas))]
    for suite in report.suites:
        parts += [f"## {suite.name}: by question → source language", _md_table(*breakdown_rows(suite))]
        cases = failing(suite)
        parts.append(f"### Failing cases ({len(cases)} of {len(suite.cases)})")
        for case in cases[:MAX_FAILURES_MD]:
            answer = " ".join(case.answer.split())
            parts.append(
                f"- **{case.id}** ({case.group}) {case.question} — _{'; '.join(case.failures)}_  \n"
                f"  gold: {' / '.join(case.gold_answers) or '(unanswerable)'} · answer: {answer[:300]}"
            )
        if len(cases) > MAX_FAILURES_MD:
            parts.append(f"- … {len(cases) - MAX_FAILURES_MD} more in report.html")
    return "\n\n".join(parts) + "\n"


# -- HTML ------------------------------------------------------------------------------------------
_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.regression{color:#b00;font-weight:bold}
details{border:1px solid #ddd;border-radius:4px;margin:.5em 0;padding:.4em .8em}
summary{cursor:pointer}.why{color:#b00}.passage{background:#f6f6f6;padding:.4em;white-space:pre-wrap}
img{max-width:100%}
"""


def _html_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td{' class=regression' if c == 'REGRESSION' else ''}>{escape(c)}</td>" for c in r) + "</tr>"
        for r in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _html_case(case: CaseResult) -> str:
    verdicts = "".join(
        f"<li>[{escape(s.verdict)}] {escape(s.text)} {escape(str(s.citations))}</li>" for s in case.sentences
    )
    passages = "".join(
        f"<p><b>[{c.n}] {escape(c.title or c.doc_id)}</b> ({escape(c.doc_id)}, {escape(c.language)})</p>"
        f"<div class=passage>{escape(c.passage)}</div>"
        for c in case.citations
    )
    return (
        f"<details><summary><b>{escape(case.id)}</b> ({escape(case.group)}) {escape(case.question)} "
        f"<span class=why>— {escape('; '.join(case.failures))}</span></summary>"
        f"<p>gold: {escape(' / '.join(case.gold_answers) or '(unanswerable)')} · gold docs: "
        f"{escape(', '.join(case.gold_doc_ids) or '–')} · gold rank: {case.gold_rank or '–'}</p>"
        f"<p>standalone question: {escape(case.standalone_question)}</p>"
        f"<p>answer ({escape(case.answer_language)}{', refused' if case.refused else ''}):</p>"
        f"<div class=passage>{escape(case.answer)}</div><ul>{verdicts}</ul>{passages}</details>"
    )


def html_page(report: Report, deltas: Sequence[Delta] = ()) -> str:
    settings = ", ".join(f"{k}={v}" for k, v in report.settings.items())
    body = [
        "<h1>newsbot evaluation</h1>",
        f"<p>{escape(report.created)} · answerer {escape(report.answerer)} · {escape(settings)}</p>",
        "<h2>Summary</h2>",
        _html_table(*summary_rows(report)),
        f'<img alt="scores" src="{plots.scores_chart(report)}">',
    ]
    if deltas:
        body += ["<h2>Against the baseline</h2>", _html_table(*delta_rows(deltas))]
    body.append(f'<h2>Latency</h2><img alt="latency" src="{plots.latency_chart(report)}">')
    for suite in report.suites:
        cases = failing(suite)
        body += [
            f"<h2>{escape(suite.name)}</h2>",
            f"<p>{escape(suite.path)} · corpus: {escape(', '.join(suite.corpus) or '(the given store)')}</p>",
            _html_table(*breakdown_rows(suite)),
            f'<img alt="breakdown" src="{plots.breakdown_chart(suite)}">',
            f"<h3>Failing cases ({len(cases)} of {len(suite.cases)})</h3>",
            *(_html_case(case) for case in cases),
        ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>newsbot evaluation</title>'
        f"<style>{_STYLE}</style></head><body>{''.join(body)}</body></html>\n"
    )
