"""The `newsbot` command: ingest, inspect, ask, chat, serve and evaluate.

Errors are one line on stderr, `newsbot CMD: error: ...`, and the exit status says what kind:
0 done; 1 a failure (no store there, the store or a server failed, an ingest stored nothing);
2 a usage error (a bad argument or setting: fixing the command fixes it); 130 interrupted (Ctrl-C);
141 the reader of stdout went away (`newsbot stats | head -1`), as for any Unix tool.
An unexpected exception, a bug, is one line too, status 1; NEWSBOT_DEBUG=1 lets it through with its traceback.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import re
import sys
import time
import tomllib
import warnings
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from index import offline as _offline  # noqa: F401  (before third-party imports)

# isort: split
from bot.settings import SECRET_FIELDS, Settings, config_file, load_settings, setting_sources
from bot.web import DEFAULT_HOST, DEFAULT_PORT
from index.errors import InvalidRequestError, NewsbotError
from index.loaders import SUPPORTED_EXTENSIONS, parse_field_map
from index.loaders.fields import ARTICLE_FIELDS, FieldMap
from index.loaders.normalize import normalize_language

if TYPE_CHECKING:
    from bot import NewsBot
    from bot.filters import SearchFilters

DEBUG_ENV = "NEWSBOT_DEBUG"
"""Set (to anything) to see an unexpected exception's traceback instead of its one-line summary."""
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT: what a shell reports for a command Ctrl-C ended."""
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for `yes | head -1`'s `yes`."""
DEFAULT_STORE = Settings.model_fields["store_dir"].default


class CommandParser(argparse.ArgumentParser):
    """argparse whose errors are one line, `newsbot ask: error: ... (see 'newsbot ask --help')`, status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def package_version() -> str:
    """The installed package's version, else pyproject.toml's (a checkout run without installing it)."""
    try:
        return importlib.metadata.version("newsbot")
    except importlib.metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


# -- argument types: a bad value is a usage error naming the option, before anything loads ---------------
def iso_date(text: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}")
    try:
        date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"no such date {text!r}: {error}") from None
    return text


def language_code(text: str) -> str:
    code = normalize_language(text)
    if not code:
        raise argparse.ArgumentTypeError(f"unrecognized language {text!r}: expected a code such as en or es")
    return code


def port_number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {text!r}")
    return int(text)


def field_map(text: str) -> FieldMap:
    try:
        return parse_field_map(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def where_pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected FIELD=VALUE, got {text!r}")
    return key.strip(), value.strip()


# -- commands -------------------------------------------------------------------------------------------
def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(**({"store_dir": Path(args.store)} if getattr(args, "store", None) else {}))


def _bot(args: argparse.Namespace, create_store: bool = False) -> NewsBot:
    """The bot over the store the settings and `--store` name; commands that only read it do not create it."""
    from bot import NewsBot

    return NewsBot(_settings(args), create_store=create_store)


def cmd_config(args: argparse.Namespace) -> int:
    settings = _settings(args)
    values = settings.model_dump(mode="json")
    sources = setting_sources({"store_dir": args.store} if args.store else {})
    for secret in SECRET_FIELDS:
        if values.get(secret):
            values[secret] = "***"
    if args.json:
        print(json.dumps({name: {"value": values[name], "source": sources[name]} for name in values}, indent=2))
        return 0
    file = config_file()
    found = "found" if file.is_file() else "not found"
    print(f"# settings file: {file} ({found}; NEWSBOT_CONFIG names another); environment: NEWSBOT_<NAME>")
    for name, field in Settings.model_fields.items():
        print(f"{name:24} = {values[name]!r:30}  # {sources[name]}: {field.description}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    if args.no_header:
        _check_numbered_columns(args)
    report = _bot(args, create_store=True).ingest(
        args.paths,
        field_map=args.map,
        where=dict(args.where) or None,
        language=args.language,
        progress="bar" if sys.stderr.isatty() and not args.json else "lines",
        csv_header=not args.no_header,
        all_or_nothing=args.strict,
    )
    if args.json:
        print(json.dumps(report.model_dump()))
    else:
        for issue in report.issues:
            print(issue, file=sys.stderr)
        if not report.rejected:
            print(
                f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
                f"failed {report.failed}; {report.chunks} chunks in {report.seconds:.1f} s"
            )
    if report.rejected:
        if not args.json:
            problems = len(report.issues)
            print(
                f"newsbot ingest: error: nothing stored: {problems} problem{'s' * (problems != 1)} above, "
                "and --strict stores all records or none",
                file=sys.stderr,
            )
        return EXIT_FAILURE
    nothing_stored = report.stored == 0 and report.failed > 0
    return EXIT_FAILURE if nothing_stored or (args.strict and report.issues) else 0


def _check_numbered_columns(args: argparse.Namespace) -> None:
    """With --no-header, --map must name the text column, and every column, by number."""
    mapped = {name: getattr(args.map, name) for name in ARTICLE_FIELDS} if args.map else {}
    if not mapped.get("text"):
        args.parser.error("--no-header needs --map text=N: with no header, columns are numbered from 1")
    for name, column in mapped.items():
        if column is not None and not (column.isdigit() and int(column) >= 1):
            args.parser.error(f"--map {name}={column}: with --no-header, columns are numbered from 1, e.g. {name}=2")


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
        args.parser.error("give --id and/or --source")
    removed = _bot(args).delete(args.id, source=args.source)
    print(f"deleted {removed} documents")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    report = _bot(args).doctor(repair=args.repair)
    if args.json:
        print(json.dumps({**report.model_dump(), "problems": report.problems, "healthy": report.healthy}))
    else:
        print("\n".join(report.summary()))
    return 0 if report.healthy else EXIT_FAILURE


def cmd_reindex(args: argparse.Namespace) -> int:
    chunks = _bot(args).reindex()
    print(f"lexical index rebuilt from the store: {chunks} chunks")
    return 0


def _filters(args: argparse.Namespace, bot: NewsBot) -> SearchFilters:
    """The search filters of the command line, checked against what the store holds."""
    from bot.filters import SearchFilters

    if args.since and args.until and args.since > args.until:
        args.parser.error(f"--since {args.since} is after --until {args.until}")
    filters = SearchFilters(
        languages=args.only_language or [], sources=args.source or [], since=args.since, until=args.until
    )
    bot.check_filters(filters)
    return filters


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
    if answer.citations:
        print(f"  sources: {answer.sources.outlets} independent outlet(s), {answer.sources.articles} article(s)")


def cmd_ask(args: argparse.Namespace) -> int:
    bot = _bot(args)
    filters = _filters(args, bot)
    answer = bot.ask(args.question, language=args.answer_language, filters=filters, answerer=args.answerer)
    if args.format:
        from bot.export import export

        print(export(answer, args.format), end="")
    else:
        _print_answer(answer, args.json)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Exit status 0 whatever the verdict: a contradicted claim is a finding, not a failure."""
    from bot.export import export

    bot = _bot(args)
    check = bot.check(args.claim, language=args.answer_language, filters=_filters(args, bot))
    if args.format or args.json:
        print(export(check, args.format or "json"), end="")
        return 0
    print(f"{check.verdict.replace('_', ' ')}: {check.claim}")
    for part in check.parts:
        print(f"  - {part.verdict.replace('_', ' ')}: {part.reason}")
    for citation in check.citations:
        quote = f'  "{citation.quote}"' if citation.quote else ""
        print(f"  [{citation.n}] {citation.title} — {citation.source} {citation.date[:10]} {citation.url}{quote}")
    print(f"  sources: {check.sources.outlets} independent outlet(s), {check.sources.articles} article(s)")
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    bot = _bot(args)
    timeline = bot.timeline(args.query, language=args.answer_language, filters=_filters(args, bot))
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

    bot = _bot(args)
    filters = _filters(args, bot)
    session = bot.chat(language=args.answer_language, answerer=args.answerer)
    print("newsbot chat — empty line or Ctrl-D to quit", flush=True)
    while True:
        try:
            question = input("? ").strip()
        except EOFError:
            break
        if not question:
            break
        streamed = ""
        for item in session.stream(question, filters=filters):
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
    """Serve until Ctrl-C, which is how it is meant to stop: status 0, not 130."""
    import app

    # Gradio's dependencies warn about their own deprecations on the first request: nothing a user can act on.
    warnings.filterwarnings("ignore", module="gradio")
    demo, url = app.start(
        host=args.host,
        port=args.port,
        store=args.store,
        auth=args.auth,
        quiet=True,
        answer_processes=args.answer_processes,
    )
    try:  # entered before the URL is shown: a Ctrl+C right after it still stops cleanly
        print(f"newsbot web chat: {url}  (press Ctrl+C to stop)", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        demo.close(verbose=False)
        print("newsbot serve: stopped", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from eval.cli import main as eval_main

    return eval_main(args.eval_args)


# -- the parser -----------------------------------------------------------------------------------------
def build_parser() -> CommandParser:
    parser = CommandParser(
        prog="newsbot",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("-V", "--version", action="version", version=f"newsbot {package_version()}")
    commands = parser.add_subparsers(title="commands", dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str, store: bool = True, **options: Any
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, allow_abbrev=False, **options)
        sub.set_defaults(handler=handler, parser=sub)
        if store:
            sub.add_argument(
                "--store",
                metavar="DIR",
                help=f"the store directory (default: {DEFAULT_STORE}, or the store_dir setting: see `newsbot config`)",
            )
        return sub

    sub = command("config", cmd_config, "print the effective settings and where each comes from")
    sub.add_argument("--json", action="store_true", help="print {name: {value, source}} as JSON")

    sub = command("ingest", cmd_ingest, "add or update articles from files or directories")
    sub.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=f"files, or directories read recursively ({' '.join(SUPPORTED_EXTENSIONS)})",
    )
    sub.add_argument(
        "--map",
        type=field_map,
        metavar="FIELD=COLUMN,...",
        help="which column feeds which article field, e.g. text=Body,title=Headline,url=Link "
        f"(fields: {', '.join(ARTICLE_FIELDS)}); with --no-header, columns by number from 1: text=3,title=2",
    )
    sub.add_argument(
        "--no-header",
        action="store_true",
        help="CSV/TSV files have no header row: the first row is data, and --map numbers columns from 1",
    )
    sub.add_argument(
        "--where",
        type=where_pair,
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="keep only records whose FIELD equals VALUE, ignoring case (repeatable)",
    )
    sub.add_argument(
        "--language",
        type=language_code,
        metavar="LANG",
        help="the articles' language, e.g. es, instead of each record's field or detection",
    )
    sub.add_argument(
        "--strict",
        action="store_true",
        help="all or nothing: check every record first and store none if any has a problem (exit status 1)",
    )
    sub.add_argument("--json", action="store_true", help="print the report as one JSON object")

    sub = command("stats", cmd_stats, "documents and chunks per language and source")
    sub.add_argument("--json", action="store_true", help="print the statistics as one JSON object")

    sub = command("doctor", cmd_doctor, "check the store: whole articles, readable vectors, indexes in step")
    sub.add_argument("--repair", action="store_true", help="fix what can be fixed from Chroma and the source files")
    sub.add_argument("--json", action="store_true", help="print the report as one JSON object")

    command("reindex", cmd_reindex, "rebuild the lexical index and catalog from the store alone")

    sub = command("delete", cmd_delete, "remove articles by id or by outlet")
    sub.add_argument("--id", action="append", default=[], metavar="ID", help="delete this article (repeatable)")
    sub.add_argument("--source", metavar="OUTLET", help="delete every article from this outlet")

    for name, handler, help_text in (
        ("ask", cmd_ask, "answer one question, citing the articles"),
        ("check", cmd_check, "hold a claim against the archive: a verdict per part, with dated evidence"),
        ("timeline", cmd_timeline, "dated key facts about a story"),
        ("chat", cmd_chat, "a conversation in the terminal: follow-up questions see the earlier ones"),
    ):
        sub = command(name, handler, help_text)
        if name == "ask":
            sub.add_argument("question", help="the question, in English or Spanish (quote it)")
        if name == "check":
            sub.add_argument("claim", help="the claim, in English or Spanish, e.g. 'the blast killed 66 people'")
        if name == "timeline":
            sub.add_argument("query", help="the story, e.g. 'attack on Villa Unión'")
        if name != "chat":
            sub.add_argument("--json", action="store_true", help="print the result as JSON")
        if name in ("ask", "check"):
            sub.add_argument(
                "--format",
                choices=["md", "json", "html"],
                help="print the result to paste elsewhere: Markdown, JSON or one self-contained HTML page, "
                "each with numbered citations (title, outlet, date, link, quoted span)",
            )
        _add_question_options(sub, answerer=name != "check")

    sub = command("serve", cmd_serve, "start the web chat")
    sub.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"interface to listen on (default: {DEFAULT_HOST}, this machine only; 0.0.0.0 for all)",
    )
    sub.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT})"
    )
    sub.add_argument(
        "--answer-processes",
        type=int,
        metavar="N",
        help="make extractive answers in N separate processes (each holds its own copy of the bot), so many "
        "askers at once do not queue on one Python lock (default: settings' answer_processes, 0 = in the server)",
    )
    sub.add_argument(
        "--auth",
        metavar="USER:PASS|FILE",
        help="require a login: user:pass, or a file of user:pass lines (default: NEWSBOT_AUTH; unset = no login)",
    )

    sub = command(
        "eval",
        cmd_eval,
        "evaluation: run suites, import SQuAD, calibrate grounding (see `newsbot eval --help`)",
        store=False,
        add_help=False,  # every argument, --help included, goes to eval's own parser (see `main`)
    )
    return parser


def _add_question_options(sub: argparse.ArgumentParser, answerer: bool = True) -> None:
    """Options of ask, check, timeline and chat: the reply's language and answerer, then what to search."""
    sub.add_argument(
        "--answer-language",
        choices=["en", "es"],
        help="reply in this language (default: the question's); it does not limit the search",
    )
    sub.add_argument("--lang", dest="answer_language", choices=["en", "es"], help=argparse.SUPPRESS)
    if answerer:
        sub.add_argument(
            "--answerer",
            choices=["extractive", "llm"],
            help="extractive quotes the articles; llm writes with the model at NEWSBOT_LLM_API_BASE "
            f"(default: {Settings.model_fields['answerer'].default}, or the answerer setting)",
        )
    search = sub.add_argument_group("search filters", "which articles are searched; they combine with AND")
    search.add_argument(
        "--only-language",
        type=language_code,
        action="append",
        metavar="LANG",
        help="only articles in this language, e.g. es (repeatable); the reply's language is --answer-language",
    )
    search.add_argument("--language", dest="only_language", type=language_code, action="append", help=argparse.SUPPRESS)
    search.add_argument(
        "--source",
        action="append",
        metavar="OUTLET",
        help="only articles from this outlet, as `newsbot stats` names it (repeatable)",
    )
    search.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="only articles from this date on")
    search.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="only articles up to this date")


# -- running --------------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; see the module docstring for what reaches the user when it fails."""
    parser = build_parser()
    args, eval_args = parser.parse_known_args(argv)
    if eval_args and args.command != "eval":
        args.parser.error(f"unrecognized arguments: {' '.join(eval_args)}")
    args.eval_args = eval_args
    name = f"newsbot {args.command}"
    try:
        status = args.handler(args)
        sys.stdout.flush()  # inside the guard: a closed pipe surfaces here, not at interpreter exit
        return status
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print(f"{os.linesep if sys.stderr.isatty() else ''}{name}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except InvalidRequestError as error:
        _error(name, str(error))
        return EXIT_USAGE
    except (NewsbotError, OSError) as error:
        _error(name, str(error))
        return EXIT_FAILURE
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            raise
        _error(name, f"unexpected {type(error).__name__}: {error} (a bug? {DEBUG_ENV}=1 shows the traceback)")
        return EXIT_FAILURE


def _error(name: str, message: str) -> None:
    print(f"{name}: error: {' '.join(message.split())}", file=sys.stderr)


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not hit the closed pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
