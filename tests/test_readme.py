"""The README cannot drift from the code: every command in its shell blocks is checked against the
real CLI, Makefile and files, and the safe ones (reading the demo store) are run.

- `newsbot …`: every option it names must be in that command's `--help`; concrete commands that only
  read (ask, check, timeline, stats, config, doctor, --version) are run on the demo store and must
  succeed with output.
- `make TARGET`: the target exists. `python SCRIPT …`: the script exists and knows the options named.
- Other programs (chroma, vllm, llama-server, source, export) are outside this project and skipped.
docs/deploy.md's commands get the option checks only: they name stores of a deployment.
"""

from __future__ import annotations

import re
import shlex
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import newsbot_cli

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO / "README.md", REPO / "docs" / "deploy.md"]
READING = {"ask", "check", "timeline", "stats", "config", "doctor", "--version"}
"""Subcommands that only read the store: safe to run from the README as written."""
PLACEHOLDER = re.compile(r"\[|…|\.\.\.|\||^[A-Z_]{2,}$")
"""Marks a synopsis rather than a command: optional parts, ellipses, alternatives, PATH-like words."""
EXTERNAL = {"chroma", "vllm", "llama-server", "source", "export", "pip", "du"}


def shell_commands() -> list[tuple[str, int, str]]:
    """(document, line number, command) for each line of each ```bash block."""
    found = []
    for document in DOCUMENTS:
        inside = False
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith("```"):
                inside = line.strip() == "```bash"
                continue
            if inside and line.strip() and not line.lstrip().startswith("#"):
                found.append((document.name, number, line.strip()))
    return found


COMMANDS = shell_commands()


def words(command: str) -> list[str]:
    return shlex.split(command, comments=True)


@cache
def help_text(*subcommand: str) -> str:
    process = newsbot_cli(*subcommand, "--help")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


def subcommand_of(tokens: list[str]) -> tuple[str, ...]:
    if tokens[1] == "eval" and len(tokens) > 2:
        return ("eval", tokens[2])
    return (tokens[1],) if not tokens[1].startswith("-") else ()


def options_in(tokens: list[str]) -> set[str]:
    return {option for token in tokens for option in re.findall(r"--[a-z][a-z-]*", token)}


def test_the_readme_has_commands_to_check():
    programs = {words(c)[0] for _, _, c in COMMANDS if words(c)}
    assert {"make", "newsbot", "python"} <= programs


@pytest.mark.parametrize(("document", "line", "command"), COMMANDS, ids=[f"{d}:{n}" for d, n, _ in COMMANDS])
def test_command_matches_the_code(document, line, command, demo_bot):
    tokens = words(command)
    if not tokens or tokens[0] in EXTERNAL or "=" in tokens[0]:
        pytest.skip(f"{tokens[0] if tokens else 'empty'}: not this project's command")
    where = f"{document}:{line}: {command}"
    if tokens[0] == "make":
        targets = re.findall(r"^([a-z-]+):", (REPO / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
        assert all(t in targets for t in tokens[1:] if "=" not in t), where
        return
    if tokens[0] == "python":
        script = REPO / tokens[1]
        if tokens[1].startswith("../shared"):
            pytest.skip("a tool of the shared data folder")
        assert script.is_file(), where
        source = script.read_text(encoding="utf-8")
        assert all(f'"{option}"' in source for option in options_in(tokens)), where
        return
    assert tokens[0] == "newsbot", where
    subcommand = subcommand_of(tokens)
    if subcommand:
        shown = help_text(*subcommand)
        missing = sorted(o for o in options_in(tokens) if not re.search(rf"(?<![\w-]){o}(?![\w-])", shown))
        assert not missing, f"{where}: {missing} not in `newsbot {' '.join(subcommand)} --help`"
    concrete = not any(PLACEHOLDER.search(t) for t in tokens)
    verb = subcommand[0] if subcommand else tokens[1]
    runs_here = document == "README.md" and not {"--store", "--repair"} & set(tokens)  # the demo store, read only
    if concrete and verb in READING and runs_here:
        store = str(demo_bot.settings.store_dir)
        process = newsbot_cli(*tokens[1:], env={"NEWSBOT_STORE_DIR": store})
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0 and out.strip(), f"{where}\n{err}"
