"""Pass/fail gates on a report: fixed thresholds (CI, --fail-under) and regressions against a baseline report.

Both are direction-aware: a threshold on a lower-is-better metric (false refusals, latency) is a
ceiling, and a regression is a move in the worse direction by more than the metric's tolerance.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from eval.harness.metrics import METRIC_BY_NAME, worse_by
from eval.harness.models import Report

DEFAULT_TOLERANCE = 0.02
DEFAULT_TOLERANCES = {"default": DEFAULT_TOLERANCE, "latency_p50": 0.25, "latency_p95": 0.5}
"""Absolute worsening allowed against a baseline; latencies (seconds) swing by tenths on a shared machine."""
THRESHOLDS_FILE = Path(__file__).resolve().parents[1] / "suites" / "thresholds.json"


def _known(names: dict[str, object], allowed_extra: tuple[str, ...] = ()) -> None:
    unknown = sorted(set(names) - set(METRIC_BY_NAME) - set(allowed_extra))
    if unknown:
        raise ValueError(f"unknown metric(s) {', '.join(unknown)}; known: {', '.join(METRIC_BY_NAME)}")


class Thresholds(BaseModel):
    """eval/suites/thresholds.json: per-suite minimums (ceilings for lower-is-better) and regression tolerances."""

    tolerance: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_TOLERANCES),
        description="Absolute worsening allowed against a baseline, over DEFAULT_TOLERANCES; 'default' for the rest.",
    )
    suites: dict[str, dict[str, float]] = Field(default_factory=dict)

    @field_validator("tolerance")
    @classmethod
    def _tolerance_metrics(cls, value: dict[str, float]) -> dict[str, float]:
        _known(value, ("default",))
        return {**DEFAULT_TOLERANCES, **value}

    @field_validator("suites")
    @classmethod
    def _suite_metrics(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for floors in value.values():
            _known(floors)
        return value

    def tolerance_for(self, metric: str) -> float:
        return self.tolerance.get(metric, self.tolerance["default"])


def load_thresholds(path: str | Path = THRESHOLDS_FILE) -> Thresholds:
    return Thresholds.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))


def parse_metric_values(items: list[str], option: str, allowed_extra: tuple[str, ...] = ()) -> dict[str, float]:
    """'metric=value' strings from the command line, metric names checked."""
    out: dict[str, float] = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"{option} expects METRIC=NUMBER, got {item!r}") from None
    _known(out, allowed_extra)
    return out


def threshold_failures(metrics: dict[str, float | None], limits: dict[str, float], scope: str) -> list[str]:
    """Messages for every metric on the wrong side of its limit; an unmeasured metric fails too."""
    problems = []
    for name, limit in limits.items():
        value = metrics.get(name)
        higher = METRIC_BY_NAME[name].better == "higher"
        if value is None:
            problems.append(f"{scope}: {name} was not measured (limit {limit})")
        elif worse_by(name, value, limit) > 0:
            problems.append(f"{scope}: {name} = {value:.4f} is {'below' if higher else 'above'} {limit}")
    return problems


class Delta(BaseModel):
    """One metric in one scope, now and in the baseline."""

    scope: str
    metric: str
    baseline: float
    current: float
    regression: bool

    @property
    def change(self) -> float:
        return self.current - self.baseline


def compare(current: Report, baseline: Report, thresholds: Thresholds) -> list[Delta]:
    """Deltas for every metric measured in both reports, per scope ('all' and each suite present in both)."""
    old = baseline.metrics_by_scope()
    deltas = []
    for scope, metrics in current.metrics_by_scope().items():
        for name, value in metrics.items():
            reference = old.get(scope, {}).get(name)
            if value is None or reference is None or name not in METRIC_BY_NAME:
                continue
            regression = worse_by(name, value, reference) > thresholds.tolerance_for(name) + 1e-9
            deltas.append(Delta(scope=scope, metric=name, baseline=reference, current=value, regression=regression))
    return deltas
