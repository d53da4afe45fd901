"""Claims suites: claims with gold verdicts, checked by `NewsBot.check`, scored by verdict accuracy.

A claims suite is JSONL, one claim a line: `{"id", "claim", "language", "verdict"}` and optionally
`"evidence"` (ids of articles that settle it) and any notes; its corpus is named like a question
suite's (a `<suite>.corpus.json` sidecar, paths relative to the suite). The report gives accuracy
overall and per gold verdict, a confusion table (gold rows, predicted columns), evidence recall where
evidence ids are given, the check's latency, and whether every quoted piece of evidence passed the
grounding checker.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot import NewsBot
from bot.claims import ClaimCheck, ClaimVerdict
from eval.harness.suite import LANGUAGES, CorpusSpec, SuiteError

VERDICTS: tuple[str, ...] = get_args(ClaimVerdict)


class SuiteClaim(BaseModel):
    """One claim of a claims suite."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    claim: str = Field(min_length=1)
    language: str
    verdict: ClaimVerdict
    evidence: list[str] = Field(default_factory=list, description="Ids of articles that settle the claim.")


class ClaimsSuite(BaseModel):
    name: str
    path: Path
    claims: list[SuiteClaim]
    corpus: list[Path] = Field(default_factory=list)
    field_map: str | None = None


class ClaimResult(BaseModel):
    id: str
    claim: str
    language: str
    gold: ClaimVerdict
    predicted: ClaimVerdict
    parts: list[str] = Field(default_factory=list, description="Each part's verdict and reason.")
    cited: list[str] = Field(default_factory=list, description="Ids of the articles the check cites.")
    evidence_recall: float | None = None
    grounded: bool = Field(description="Every quote the check cites passed the grounding checker.")
    seconds: float


class ClaimsReport(BaseModel):
    name: str
    path: str
    n: int
    accuracy: float
    per_verdict: dict[str, float | None] = Field(description="Accuracy on the claims of each gold verdict.")
    confusion: dict[str, dict[str, int]] = Field(description="gold verdict -> predicted verdict -> count.")
    evidence_recall: float | None = None
    grounded: float = Field(description="Share of checks whose every quoted piece of evidence is supported.")
    latency_p50: float
    cases: list[ClaimResult]

    @property
    def metrics(self) -> dict[str, float | None]:
        return {
            "verdict_accuracy": self.accuracy,
            **{f"accuracy_{verdict}": value for verdict, value in self.per_verdict.items()},
            "evidence_recall": self.evidence_recall,
            "evidence_grounded": self.grounded,
            "latency_p50": self.latency_p50,
        }


def is_claims_suite(path: Path) -> bool:
    """Whether the first record of a JSONL file is a claim (has "claim"), not a question."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                try:
                    return "claim" in json.loads(line)
                except json.JSONDecodeError:
                    return False
    return False


def load_claims(path: Path) -> ClaimsSuite:
    """Read and validate a claims suite; every bad line is reported as 'file:line: problem'."""
    problems: list[str] = []
    claims: list[SuiteClaim] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            claim = SuiteClaim.model_validate_json(line)
        except ValidationError as error:
            for e in error.errors():
                problems.append(f"{path}:{number}: {e['loc'][0] if e['loc'] else ''} {e['msg']}".replace("  ", " "))
            continue
        if claim.language not in LANGUAGES:
            problems.append(f"{path}:{number}: language {claim.language!r} is not one of {', '.join(LANGUAGES)}")
        if claim.id in seen:
            problems.append(f"{path}:{number}: duplicate id {claim.id!r}")
        seen.add(claim.id)
        claims.append(claim)
    sidecar = path.with_name(path.stem + ".corpus.json")
    spec = CorpusSpec.model_validate_json(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else None
    if problems:
        raise SuiteError(problems)
    return ClaimsSuite(
        name=path.stem,
        path=path,
        claims=claims,
        corpus=[(path.parent / p).resolve() for p in spec.corpus] if spec else [],
        field_map=spec.field_map if spec else None,
    )


def run_claims(bot: NewsBot, suite: ClaimsSuite) -> ClaimsReport:
    """Check every claim of `suite` with `bot` (whose store holds the suite's corpus) and score the verdicts."""
    bot.check(suite.claims[0].claim, suite.claims[0].language)  # warm: the first check loads the indexes
    cases = []
    for claim in suite.claims:
        started = time.perf_counter()
        check = bot.check(claim.claim, claim.language)
        cases.append(_result(claim, check, time.perf_counter() - started))
    confusion = {gold: dict.fromkeys(VERDICTS, 0) for gold in VERDICTS}
    for case in cases:
        confusion[case.gold][case.predicted] += 1
    per_verdict = {
        gold: (row[gold] / sum(row.values()) if sum(row.values()) else None) for gold, row in confusion.items()
    }
    recalls = [c.evidence_recall for c in cases if c.evidence_recall is not None]
    return ClaimsReport(
        name=suite.name,
        path=str(suite.path),
        n=len(cases),
        accuracy=sum(c.gold == c.predicted for c in cases) / len(cases) if cases else 0.0,
        per_verdict=per_verdict,
        confusion=confusion,
        evidence_recall=statistics.fmean(recalls) if recalls else None,
        grounded=sum(c.grounded for c in cases) / len(cases) if cases else 1.0,
        latency_p50=statistics.median(c.seconds for c in cases) if cases else 0.0,
        cases=cases,
    )


def _result(claim: SuiteClaim, check: ClaimCheck, seconds: float) -> ClaimResult:
    cited = {c.doc_id for c in check.citations}
    return ClaimResult(
        id=claim.id,
        claim=claim.claim,
        language=claim.language,
        gold=claim.verdict,
        predicted=check.verdict,
        parts=[f"{p.kind} {p.verdict}: {p.reason}" for p in check.parts],
        cited=sorted(cited),
        evidence_recall=len(cited & set(claim.evidence)) / len(claim.evidence) if claim.evidence else None,
        grounded=check.grounding is None or all(s.verdict == "supported" for s in check.grounding.sentences),
        seconds=round(seconds, 4),
    )


def confusion_table(report: ClaimsReport) -> str:
    """The confusion table as Markdown: a row per gold verdict, a column per predicted verdict."""
    head = "| gold \\ predicted | " + " | ".join(VERDICTS) + " | accuracy |"
    rule = "|---" * (len(VERDICTS) + 2) + "|"
    rows = []
    for gold, row in report.confusion.items():
        share = report.per_verdict[gold]
        shown = "-" if share is None else f"{share:.2f}"
        rows.append(f"| {gold} | " + " | ".join(str(row[p]) for p in VERDICTS) + f" | {shown} |")
    return "\n".join([head, rule, *rows])


def write_claims_report(report: ClaimsReport, out: Path) -> list[Path]:
    """report.json and report.md (summary, confusion table, the claims judged wrongly) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / f"{report.name}.claims.json", out / f"{report.name}.claims.md"
    json_path.write_text(report.model_dump_json(indent=1), encoding="utf-8")
    wrong = [c for c in report.cases if c.gold != c.predicted]
    lines = [
        f"# {report.name}: {report.n} claims",
        "",
        f"Verdict accuracy **{report.accuracy:.3f}**; evidence grounded {report.grounded:.3f}; "
        f"check p50 {report.latency_p50 * 1000:.0f} ms"
        + (f"; evidence recall {report.evidence_recall:.3f}" if report.evidence_recall is not None else ""),
        "",
        confusion_table(report),
        "",
        "## Judged wrongly" if wrong else "All claims judged as the suite says.",
        *[f"- `{c.id}` ({c.gold} → {c.predicted}): {c.claim}\n  - " + "\n  - ".join(c.parts) for c in wrong],
    ]
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [json_path, md_path]


def claims_failures(report: ClaimsReport, limits: dict[str, float]) -> list[str]:
    """`--fail-under` limits that name a claims metric and are not met (latency_p50 is an upper limit)."""
    problems = []
    for name, limit in limits.items():
        if name not in report.metrics:
            continue
        value = report.metrics[name]
        upper = name == "latency_p50"
        if value is None or (value > limit if upper else value < limit):
            shown = "not measured" if value is None else f"{value:.4f}"
            problems.append(f"{report.name}: {name} = {shown} is {'above' if upper else 'below'} {limit}")
    return problems
