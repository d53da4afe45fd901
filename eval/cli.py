"""`newsbot eval ...`: run suites into reports and gates, import SQuAD/XQuAD, calibrate the grounding checker.

Exit codes: 0 passed, 1 a gate failed (regression, --fail-under, --thresholds), 2 bad input.
Errors are one line: `newsbot eval CMD: error: ...`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from index import offline as _offline  # noqa: F401  (before third-party imports)

# isort: split
from bot.cli import CommandParser


def cmd_run(args: argparse.Namespace) -> int:
    from eval.harness.claims import (
        claims_failures,
        confusion_table,
        is_claims_suite,
        load_claims,
        write_claims_report,
    )
    from eval.harness.gates import Thresholds, compare, load_thresholds, parse_metric_values, threshold_failures
    from eval.harness.models import Report
    from eval.harness.report import delta_rows, summary_rows, text_table, write_reports
    from eval.harness.runner import Harness
    from eval.harness.suite import load_suite

    claim_paths = [path for path in args.suites if is_claims_suite(Path(path))]
    suites = [load_suite(path) for path in args.suites if path not in claim_paths]
    claim_suites = [load_claims(Path(path)) for path in claim_paths]
    fail_under = parse_metric_values(args.fail_under, "--fail-under")
    thresholds = load_thresholds(args.thresholds) if args.thresholds else Thresholds()
    thresholds.tolerance.update(parse_metric_values(args.tolerance, "--tolerance", ("default",)))
    baseline = Report.model_validate_json(Path(args.baseline).read_text(encoding="utf-8")) if args.baseline else None

    problems: list[str] = []
    with Harness(answerer=args.answerer, store=args.store, progress=sys.stderr.isatty()) as harness:
        for claims in claim_suites:
            result = harness.run_claims(claims)
            print(f"{claims.name}: {result.n} claims, verdict accuracy {result.accuracy:.3f}\n")
            print(confusion_table(result) + "\n")
            problems += claims_failures(result, fail_under)
            if args.report:
                print("wrote " + ", ".join(map(str, write_claims_report(result, Path(args.report)))))
        if not suites:
            for problem in problems:
                print(f"FAIL {problem}", file=sys.stderr)
            return 1 if problems else 0
        report = harness.run(suites, limit=args.limit)

    print(text_table(*summary_rows(report)))
    problems += threshold_failures(report.overall.metrics, fail_under, "all suites")
    for suite in report.suites:
        problems += threshold_failures(suite.overall.metrics, thresholds.suites.get(suite.name, {}), suite.name)
    deltas = compare(report, baseline, thresholds) if baseline else []
    if baseline:
        print(f"\nagainst {args.baseline}:")
        print(text_table(*delta_rows(deltas)))
        problems += [
            f"{d.scope}: {d.metric} regressed {d.baseline:.4f} -> {d.current:.4f} "
            f"(tolerance {thresholds.tolerance_for(d.metric)})"
            for d in deltas
            if d.regression
        ]
    if args.report:
        paths = write_reports(report, Path(args.report), deltas)
        print("\nwrote " + ", ".join(map(str, paths)))
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


def cmd_import_squad(args: argparse.Namespace) -> int:
    from eval.harness.squad_import import import_squad

    summary = import_squad(
        Path(args.file),
        corpus_out=Path(args.corpus_out),
        suite_out=Path(args.suite_out),
        cross_lingual_with=Path(args.cross_lingual_with) if args.cross_lingual_with else None,
        language=args.language,
        corpus_language=args.corpus_language,
        source=args.source,
        limit=args.limit,
    )
    print(f"{summary.articles} articles -> {summary.corpus}; {summary.questions} questions -> {summary.suite}")
    return 0


def cmd_build_xquad(args: argparse.Namespace) -> int:
    from eval.harness.squad_import import XQUAD_DIR, build_xquad

    for summary in build_xquad(Path(args.out), limit=args.limit, xquad_dir=Path(args.xquad_dir or XQUAD_DIR)):
        print(f"{summary.suite}: {summary.questions} questions over {summary.articles} articles ({summary.corpus})")
    return 0


def cmd_build_stories(args: argparse.Namespace) -> int:
    from eval.harness.stories_import import build_stories

    summary = build_stories(Path(args.out))
    print(f"{summary.suite}: {summary.questions} questions over {', '.join(map(str, summary.corpus))}")
    return 0


def cmd_calibrate_grounding(args: argparse.Namespace) -> int:
    from bot import Settings
    from bot.components import make_embedder
    from eval.calibration import calibrate_grounding
    from eval.grounding import GroundingChecker

    # The same embedder as the bot's checker, so the figures describe the checker answers are judged by.
    checker = GroundingChecker(embed=make_embedder(Settings()).embed_passages)
    print(json.dumps(calibrate_grounding(Path(args.file), checker), indent=2, ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="newsbot eval", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(title="commands", dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run suites through the bot and write reports")
    run.set_defaults(handler=cmd_run)
    run.add_argument("suites", nargs="+", metavar="SUITE", help="suite JSONL files")
    run.add_argument(
        "--answerer",
        choices=["extractive", "llm"],
        default="extractive",
        help="extractive quotes the articles; llm writes with NEWSBOT_LLM_API_BASE's model (default: extractive)",
    )
    run.add_argument("--report", metavar="DIR", help="write report.json, report.md and report.html here")
    run.add_argument("--baseline", metavar="OLD.json", help="an earlier report.json: print deltas, fail on regressions")
    run.add_argument(
        "--tolerance",
        nargs="+",
        action="extend",
        default=[],
        metavar="METRIC=DELTA",
        help="allowed worsening against the baseline: 0.02 absolute unless set "
        "(METRIC or 'default'); 0.25 and 0.5 s for latency_p50 and latency_p95",
    )
    run.add_argument(
        "--fail-under",
        nargs="+",
        action="extend",
        default=[],
        metavar="METRIC=VALUE",
        help="fail when an overall metric is worse than VALUE (above it for rates and latencies)",
    )
    run.add_argument(
        "--thresholds",
        metavar="FILE",
        help="enforce a thresholds file's per-suite limits and use its tolerances, e.g. eval/suites/thresholds.json",
    )
    run.add_argument("--store", type=Path, help="use (and ingest the suites' corpora into) this store")
    run.add_argument(
        "--limit", type=int, help="only the first N questions of each suite in run order (a follow-up keeps its parent)"
    )

    squad = commands.add_parser("import-squad", help="SQuAD/XQuAD JSON -> corpus JSONL + suite JSONL")
    squad.set_defaults(handler=cmd_import_squad)
    squad.add_argument("file", help="SQuAD-format JSON whose questions become the suite")
    squad.add_argument("--corpus-out", required=True, metavar="C.jsonl", help="write the articles here (JSONL)")
    squad.add_argument("--suite-out", required=True, metavar="S.jsonl", help="write the questions here (suite JSONL)")
    squad.add_argument(
        "--cross-lingual-with",
        metavar="OTHER_LANG_FILE",
        help="take the corpus from this parallel file (questions stay in FILE's language)",
    )
    squad.add_argument("--language", help="FILE's language when its name does not say (.en. / .es.)")
    squad.add_argument("--corpus-language", help="the other file's language when its name does not say")
    squad.add_argument("--source", default="XQuAD", help="the articles' source field (default: XQuAD)")
    squad.add_argument("--limit", type=int, help="at most N questions, spread over the file")

    xquad = commands.add_parser("build-xquad", help="the four XQuAD-dev suites (en-en, es-es, es-en, en-es)")
    xquad.set_defaults(handler=cmd_build_xquad)
    xquad.add_argument("--out", required=True, metavar="DIR", help="write the suites and their corpora here")
    xquad.add_argument("--limit", type=int, help="at most N questions per suite, spread over the articles")
    xquad.add_argument("--xquad-dir", metavar="DIR", help="where XQuAD-dev is (default: ../shared/data/xquad_dev)")

    stories = commands.add_parser(
        "build-stories", help="the news-stories suite (real multi-day reports, figure histories, unanswerables)"
    )
    stories.set_defaults(handler=cmd_build_stories)
    stories.add_argument("--out", required=True, metavar="DIR", help="write the suite and its corpus here")

    calibrate = commands.add_parser("calibrate-grounding", help="fit the grounding checker on labelled claims")
    calibrate.set_defaults(handler=cmd_calibrate_grounding)
    calibrate.add_argument("file", help="human-judged summary sentences, QAGS mturk_cnndm.jsonl format")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ValueError, FileNotFoundError) as error:
        print(f"newsbot eval {args.command}: error: {' '.join(str(error).split())}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
