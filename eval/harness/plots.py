"""Report charts as PNG data URIs, so report.html is one file that opens offline.

Built on `matplotlib.figure.Figure` rather than pyplot: no global state and no GUI backend, which
matters when the harness runs inside pytest or a headless CI job.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from matplotlib.figure import Figure

from eval.harness.metrics import METRICS
from eval.harness.models import Report, SuiteResult

SCORE_METRICS = [m.name for m in METRICS if not m.name.startswith("latency")]
BREAKDOWN_METRICS = ["recall@5", "mrr", "contains_gold", "f1", "citation_recall", "faithfulness", "refusal_accuracy"]


def _data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def scores_chart(report: Report) -> str:
    """Every 0–1 metric per suite, as grouped horizontal bars."""
    scopes = report.metrics_by_scope()
    figure = Figure(figsize=(8, 0.45 * len(SCORE_METRICS) * max(1, len(scopes) / 2) + 1))
    axes = figure.subplots()
    height = 0.8 / len(scopes)
    positions = np.arange(len(SCORE_METRICS))
    for i, (scope, values) in enumerate(scopes.items()):
        bars = [values.get(name) or 0.0 for name in SCORE_METRICS]
        axes.barh(positions + i * height, bars, height=height, label=scope)
    axes.set_yticks(positions + height * (len(scopes) - 1) / 2, SCORE_METRICS)
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.legend(loc="lower right", fontsize="small")
    axes.set_title("Scores (missing = not measured)")
    return _data_uri(figure)


def breakdown_chart(suite: SuiteResult) -> str:
    """Question language → source language cells against the main metrics, as a heat map."""
    groups = list(suite.breakdown)
    grid = np.array([[suite.breakdown[g].metrics.get(m) for m in BREAKDOWN_METRICS] for g in groups], dtype=float)
    figure = Figure(figsize=(1.1 * len(BREAKDOWN_METRICS) + 2, 0.5 * len(groups) + 1.5))
    axes = figure.subplots()
    axes.imshow(np.ma.masked_invalid(grid), vmin=0, vmax=1, cmap="RdYlGn", aspect="auto")
    axes.set_xticks(range(len(BREAKDOWN_METRICS)), BREAKDOWN_METRICS, rotation=35, ha="right")
    axes.set_yticks(range(len(groups)), [f"{g} (n={suite.breakdown[g].n})" for g in groups])
    for (row, col), value in np.ndenumerate(grid):
        axes.text(col, row, "–" if np.isnan(value) else f"{value:.2f}", ha="center", va="center", fontsize=8)
    axes.set_title(f"{suite.name}: question → source language")
    return _data_uri(figure)


def latency_chart(report: Report) -> str:
    """Distribution of ask() times per suite."""
    figure = Figure(figsize=(7, 3))
    axes = figure.subplots()
    for suite in report.suites:
        times = [c.scores["latency"] for c in suite.cases if c.scores.get("latency") is not None]
        axes.hist(times, bins=30, alpha=0.6, label=suite.name)
    axes.set_xlabel("seconds per ask()")
    axes.set_ylabel("questions")
    axes.legend(fontsize="small")
    return _data_uri(figure)
