"""The `newsbot` command: ingest, inspect, ask, chat, serve and evaluate."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from index import offline as _offline  # noqa: F401  (before third-party imports)


def _bot(args: argparse.Namespace, **overrides: object):
    from bot import NewsBot, Settings

    settings = Settings()
    if getattr(args, "store", None):
        overrides["store_dir"] = Path(args.store)
    return NewsBot(settings.model_copy(update=overrides) if overrides else settings)


def cmd_config(args: argparse.Namespace) -> int:
    from bot.settings import Settings

    settings = Settings()
    rows = settings.model_dump(mode="json")
    for secret in ("llm_api_key", "chroma_api_key"):
        if rows.get(secret):
            rows[secret] = "***"
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for name, field in Settings.model_fields.items():
        print(f"{name:22} = {rows[name]!r:40}  # {field.description}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from index.loaders import parse_field_map

    try:
        field_map = parse_field_map(args.map) if args.map else None
        where = dict(_pair(item) for item in args.where)
    except ValueError as error:
        print(f"newsbot ingest: {error}", file=sys.stderr)
        return 2
    bot = _bot(args)
    report = bot.ingest(
        args.paths,
        field_map=field_map,
        where=where or None,
        language=args.language,
        progress=sys.stderr.isatty() and not args.json,
    )
    if args.json:
        print(json.dumps(report.model_dump()))
    else:
        for issue in report.issues:
            print(issue, file=sys.stderr)
        print(
            f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
            f"failed {report.failed}; {report.chunks} chunks in {report.seconds:.1f} s"
        )
    nothing_stored = report.stored == 0 and report.failed > 0
    return 1 if nothing_stored or (args.strict and report.issues) else 0


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ValueError(f"--where expects FIELD=VALUE, got {text!r}")
    return key.strip(), value.strip()


def cmd_stats(args: argparse.Namespace) -> int:
    stats = _bot(args).stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
        return 0
    print(f"{stats['documents']} documents, {stats['chunks']} chunks, dates {stats['date_range']}")
    for title, table in (("language", stats["languages"]), ("source", stats["sources"])):
        print(f"\nby {title}:")
        for key, row in table.items():
            print(f"  {key:30} {row['documents']:6} docs {row['chunks']:7} chunks")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    if not args.id and not args.source:
        print("newsbot delete: give --id and/or --source", file=sys.stderr)
        return 2
    removed = _bot(args).delete(args.id, source=args.source)
    print(f"deleted {removed} documents")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    report = _bot(args).doctor(repair=args.repair)
    if args.json:
        print(json.dumps({**report.model_dump(), "problems": report.problems, "healthy": report.healthy}))
    else:
        print("\n".join(report.summary()))
    return 0 if report.healthy else 1


def cmd_reindex(args: argparse.Namespace) -> int:
    chunks = _bot(args).reindex()
    print(f"lexical index rebuilt from the store: {chunks} chunks")
    return 0


def _filters(args: argparse.Namespace):
    from bot.filters import SearchFilters

    return SearchFilters(
        languages=args.filter_language or [], sources=args.source or [], since=args.since, until=args.until
    )


def _print_answer(answer, as_json: bool) -> None:
    if as_json:
        print(answer.model_dump_json(indent=2))
        return
    print(answer.text)
    for notice in answer.notices:
        print(f"! {notice}")
    for citation in answer.citations or answer.nearest:
        print(
            f"  [{citation.n}] {citation.title} — {citation.source} {citation.date} ({citation.language}) "
            f"{citation.url}"
        )
    if answer.grounding is not None:
        print(f"  grounding: {answer.grounding.badge} sentences supported")


def cmd_ask(args: argparse.Namespace) -> int:
    bot = _bot(args)
    answer = bot.ask(args.question, language=args.lang, filters=_filters(args), answerer=args.answerer)
    _print_answer(answer, args.json)
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    timeline = _bot(args).timeline(args.query, language=args.lang, filters=_filters(args))
    if args.json:
        print(timeline.model_dump_json(indent=2))
        return 0
    if not timeline.entries:
        print("no dated facts found for this story")
    for entry in timeline.entries:
        figures = f"  ({', '.join(entry.figures)})" if entry.figures else ""
        print(f"{entry.date or '?':10}  {entry.source}: {entry.text} [{entry.n}]{figures}")
    for citation in timeline.citations:
        print(f"  [{citation.n}] {citation.title} — {citation.source} {citation.date} {citation.url}")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.answer import Answer

    session = _bot(args).chat(language=args.lang, answerer=args.answerer)
    print("newsbot chat — empty line or Ctrl-D to quit")
    while True:
        try:
            question = input("? ").strip()
        except EOFError:
            break
        if not question:
            break
        streamed = ""
        for item in session.stream(question, filters=_filters(args)):
            if isinstance(item, Answer):
                print()
                if item.text != streamed:  # a fallback or a repaired answer replaces what was streamed
                    print(item.text)
                _print_answer(item.model_copy(update={"text": ""}), as_json=False)
            else:
                streamed += item
                print(item, end="", flush=True)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import app

    app.main(host=args.host, port=args.port, store=args.store, auth=args.auth)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.cli import main as eval_main

    return eval_main(args.eval_args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, handler, help_text: str, store: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        if store:
            sub.add_argument("--store", help="store directory (default: settings.store_dir)")
        return sub

    sub = command("config", cmd_config, "print the effective settings", store=False)
    sub.add_argument("--json", action="store_true")

    sub = command("ingest", cmd_ingest, "add or update articles from files or directories")
    sub.add_argument("paths", nargs="+")
    sub.add_argument("--map", help="column mapping, e.g. text=Text,title=Headline,source=Source,url=Link")
    sub.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="keep only records whose FIELD equals VALUE (repeatable)",
    )
    sub.add_argument("--language", help="force this language for every article")
    sub.add_argument("--json", action="store_true", help="print the report as one JSON object")
    sub.add_argument("--strict", action="store_true", help="exit non-zero on any problem")

    sub = command("stats", cmd_stats, "documents and chunks per language and source")
    sub.add_argument("--json", action="store_true")

    sub = command("doctor", cmd_doctor, "check the store: whole articles, readable vectors, indexes in step")
    sub.add_argument("--repair", action="store_true", help="fix what can be fixed from Chroma and the source files")
    sub.add_argument("--json", action="store_true", help="print the report as one JSON object")

    command("reindex", cmd_reindex, "rebuild the lexical index and catalog from the store alone")

    sub = command("delete", cmd_delete, "remove articles by id or by source")
    sub.add_argument("--id", action="append", default=[])
    sub.add_argument("--source")

    for name, handler, help_text in (
        ("ask", cmd_ask, "answer one question"),
        ("timeline", cmd_timeline, "dated key facts about a story"),
        ("chat", cmd_chat, "a conversation in the terminal"),
    ):
        sub = command(name, handler, help_text)
        if name == "ask":
            sub.add_argument("question")
        if name == "timeline":
            sub.add_argument("query")
        if name != "chat":
            sub.add_argument("--json", action="store_true", help="print the result as JSON")
        sub.add_argument("--lang", choices=["en", "es"], help="answer in this language")
        sub.add_argument("--answerer", choices=["extractive", "llm"])
        sub.add_argument("--source", action="append", help="only this outlet (repeatable)")
        sub.add_argument("--language", dest="filter_language", action="append", help="only passages in it")
        sub.add_argument("--since", help="earliest article date YYYY-MM-DD")
        sub.add_argument("--until", help="latest article date YYYY-MM-DD")

    sub = command("serve", cmd_serve, "start the web chat")
    sub.add_argument("--host", default="127.0.0.1")
    sub.add_argument("--port", type=int, default=7860)
    sub.add_argument("--auth", help="user:pass or a file of user:pass lines (else NEWSBOT_AUTH)")

    sub = command("eval", cmd_eval, "evaluation: run suites, import SQuAD, calibrate grounding", store=False)
    sub.add_argument("eval_args", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from index.errors import NewsbotError

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ValueError, FileNotFoundError) as error:
        print(f"newsbot {args.command}: {error}", file=sys.stderr)
        return 2
    except NewsbotError as error:
        print(f"newsbot {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
