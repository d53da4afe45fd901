"""Checking claims against the demo archive: a verdict per part, dated evidence, the weakest overall."""

from __future__ import annotations

import re

import pytest

from bot.claims import weakest
from bot.claims.judge import claimed_figures, statement_text


@pytest.mark.parametrize(
    ("claim", "verdict", "quantity"),
    [
        ("The attack on Villa Unión killed 23 people.", "supported", "deaths"),
        ("The attack on Villa Unión killed 21 people.", "outdated", "deaths"),
        ("El ataque en Villa Unión dejó 50 muertos.", "contradicted", "deaths"),
        ("Four state police officers died in the Villa Unión attack.", "supported", "deaths:police"),
    ],
)
def test_a_figure_is_judged_against_the_newest_report_of_that_quantity(demo_bot, claim, verdict, quantity):
    check = demo_bot.check(claim)
    figure = next(p for p in check.parts if p.kind == "figure")
    assert (figure.quantity, figure.verdict) == (quantity, verdict), figure.reason
    assert check.verdict == verdict
    newest = max(figure.history, key=lambda r: r.date)
    assert f"[{newest.n}]" in figure.reason and newest.source in figure.reason
    if verdict == "outdated":  # both reports, dated: the one that said it, and the one that revised it
        assert figure.supporting and figure.opposing and "reported on" in figure.reason
    if verdict == "contradicted":
        assert not figure.supporting and figure.opposing


def test_a_spanish_claim_is_answered_in_spanish_with_dated_cited_evidence(demo_bot):
    check = demo_bot.check("El ataque en Villa Unión dejó 21 muertos.")
    assert check.language == "es" and check.verdict == "outdated"
    part = check.parts[0]
    assert "se reportó el" in part.reason and "el reporte más reciente da 23" in part.reason
    cited = {c.n: c for c in check.citations}
    for n in part.supporting + part.opposing:
        assert cited[n].date and cited[n].quote and cited[n].url  # outlet, date, quote span, url
    assert check.grounding is not None and check.grounding.faithfulness == 1.0
    behind = {cited[n].doc_id for p in check.parts for n in p.supporting + p.opposing}
    assert check.sources.articles == len(behind) and 1 <= check.sources.outlets <= len(behind)


def test_a_name_the_reports_never_use_is_a_contradiction_not_a_miss(demo_bot):
    right = demo_bot.check("Governor Miguel Ángel Riquelme defended the state's response to the Villa Unión attack.")
    wrong = demo_bot.check("Governor Jaime Rodríguez defended the state's response to the Villa Unión attack.")
    assert right.verdict == "supported"
    assert wrong.verdict == "contradicted" and "Jaime Rodríguez" in wrong.parts[0].reason


def test_what_the_archive_does_not_say_is_not_in_the_archive(demo_bot):
    check = demo_bot.check("The Villa Unión attackers were sentenced to 40 years in prison.")
    assert check.verdict == "not_in_archive"
    assert all(not p.supporting for p in check.parts if p.kind == "figure")


def test_a_claim_is_as_good_as_its_weakest_part():
    assert weakest(["supported", "outdated", "not_in_archive"]) == "outdated"
    assert weakest(["supported", "contradicted", "outdated"]) == "contradicted"
    assert weakest(["supported", "not_in_archive"]) == "not_in_archive"
    assert weakest([]) == "not_in_archive"


def test_claimed_figures_read_bounds_and_what_is_counted():
    (at_least,) = claimed_figures("At least 50 people died in the storm.")
    assert (at_least.figure.value, at_least.bound) == (50, "at_least")
    (more,) = claimed_figures("Más de 200 personas murieron.")
    assert more.bound == "more_than"
    (hospital,) = claimed_figures("33 people injured in the blast remained in hospital.")
    assert hospital.figure.quantity.key == "hospitalised"  # not the injured: read whole, like a question
    (police,) = claimed_figures("Gunmen killed seven police officers in Puerto Almendro.")
    assert police.figure.quantity.key == "deaths:police"  # who was counted is the number's own group
    assert not re.search(
        r"\d", statement_text("The blast killed 66 people.", claimed_figures("The blast killed 66 people."))
    )


def test_check_is_fast_when_warm(demo_bot):
    import time

    demo_bot.check("The attack on Villa Unión killed 23 people.")
    timings = []
    for claim in ["The attack on Villa Unión killed 21 people.", "Villa Unión is in the state of Coahuila."] * 3:
        started = time.perf_counter()
        demo_bot.check(claim)
        timings.append(time.perf_counter() - started)
    assert sorted(timings)[len(timings) // 2] < 0.5  # 2 cores, shared: the bench figure is ~40-80 ms
