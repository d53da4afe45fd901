"""The command's help and names: every argument explained, real defaults, a version, old spellings still read."""

from __future__ import annotations

import argparse
import tomllib
from collections.abc import Iterator

import pytest

from bot.cli import build_parser, main
from tests.conftest import REPO


def parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """`parser` and every subcommand's parser under it."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from parsers(sub)


def test_every_argument_of_every_command_is_explained():
    from eval.cli import build_parser as build_eval_parser

    for parser in [*parsers(build_parser()), *parsers(build_eval_parser())]:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help, f"{parser.prog} {'/'.join(action.option_strings) or action.dest} has no help"
            assert "settings." not in action.help, f"{parser.prog}: {action.help}"


def help_of(*command: str, capsys) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # joined across argparse's line wrapping


def test_help_shows_real_defaults(capsys):
    serve = help_of("serve", capsys=capsys)
    assert "(default: 127.0.0.1," in serve and "(default: 7860)" in serve
    assert "(default: .newsbot," in serve
    assert "(default: extractive," in help_of("ask", capsys=capsys)


def test_answer_language_and_search_language_have_distinct_names_and_old_spellings_still_work(capsys):
    ask = help_of("ask", capsys=capsys)
    assert "--answer-language {en,es} reply in this language" in ask
    assert "--only-language LANG only articles in this language" in ask
    assert "--lang " not in ask and "--language " not in ask  # the old, confusable spellings are hidden
    args = build_parser().parse_args(["ask", "q", "--lang", "es", "--language", "English", "--only-language", "es"])
    assert (args.answer_language, args.only_language) == ("es", ["en", "es"])


def test_version_comes_from_the_package(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert capsys.readouterr().out == f"newsbot {version}\n"


def test_an_unexpected_exception_is_one_line_with_a_hint_unless_debugging(monkeypatch, capsys):
    import bot.cli

    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(bot.cli, "cmd_stats", broken)
    monkeypatch.delenv("NEWSBOT_DEBUG", raising=False)
    assert main(["stats"]) == 1
    assert capsys.readouterr().err == (
        "newsbot stats: error: unexpected ZeroDivisionError: division by zero "
        "(a bug? NEWSBOT_DEBUG=1 shows the traceback)\n"
    )
    monkeypatch.setenv("NEWSBOT_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["stats"])
