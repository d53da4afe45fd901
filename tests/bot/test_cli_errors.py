"""Misusing the real `newsbot` command (a separate process): one line on stderr and no traceback; the exit
status says what kind of problem it was: 2 a usage error, 1 a failure, 130 Ctrl-C, 141 a closed stdout."""

from __future__ import annotations

import json
import signal
import socket
import subprocess

import pytest

from tests.conftest import free_port, newsbot_cli
from tests.fixtures.articles import MARKET_EN, STORM_EN, write_jsonl


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    process = newsbot_cli(*args, env=env)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def one_line(err: str) -> str:
    """The single line on stderr (failing on a traceback or on more lines)."""
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err.removesuffix("\n")


@pytest.fixture(scope="module")
def demo_store(demo_bot) -> str:
    return str(demo_bot.settings.store_dir)


def test_a_date_that_does_not_exist_is_a_usage_error(tmp_path):
    code, _, err = run("ask", "what happened?", "--since", "2019-13-01", "--store", str(tmp_path))
    assert code == 2
    assert one_line(err) == (
        "newsbot ask: error: argument --since: no such date '2019-13-01': month must be in 1..12 "
        "(see 'newsbot ask --help')"
    )


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--source",
            "Diario del norte",
            "newsbot ask: error: no article in the store has outlet 'Diario del norte' (did you mean "
            "'Diario del Norte'?); outlets in the store: Diario del Norte, La Voz de Coahuila, ",
        ),
        (
            "--only-language",
            "fr",
            "newsbot ask: error: no article in the store has language 'fr'; languages in the store: en, es",
        ),
    ],
)
def test_a_filter_the_store_cannot_match_names_what_it_holds(demo_store, option, value, message):
    code, out, err = run("ask", "who was killed in Villa Unión?", option, value, "--store", demo_store)
    assert code == 2 and out == ""
    assert one_line(err).startswith(message)


@pytest.mark.parametrize("command", [["ask", "who was killed?"], ["stats"]])
def test_reading_a_directory_without_a_store_says_how_to_make_one(tmp_path, command):
    missing = tmp_path / "no-store-here"
    code, _, err = run(*command, "--store", str(missing))
    assert code == 1
    assert one_line(err) == (
        f"newsbot {command[0]}: error: no newsbot store in {missing}; "
        f"create it with `newsbot ingest FILE_OR_DIR... --store {missing}`"
    )
    assert not missing.exists()  # looking did not create an empty store


def test_serve_on_a_busy_port_suggests_another():
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        code, out, err = run("serve", "--port", str(port))
    assert code == 1 and out == ""
    assert one_line(err) == (
        f"newsbot serve: error: port {port} on 127.0.0.1 is already in use; "
        f"choose another with --port, e.g. --port {port + 1}"
    )


def test_serve_prints_its_url_and_how_to_stop_not_library_logs(demo_store):
    port = free_port()
    process = newsbot_cli("serve", "--port", str(port), "--store", demo_store)
    try:
        assert process.stdout.readline() == f"newsbot web chat: http://127.0.0.1:{port}/  (press Ctrl+C to stop)\n"
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0  # Ctrl+C is how a server is meant to stop
    assert out == "" and err == "newsbot serve: stopped\n"


def test_a_closed_stdout_ends_quietly_like_a_unix_tool(demo_store):
    process = newsbot_cli("stats", "--store", demo_store)
    process.stdout.close()  # `newsbot stats | head -0`: the reader is gone before anything is written
    err = process.stderr.read()
    assert process.wait(timeout=120) == 141 and err == ""


def test_ctrl_c_exits_130_without_a_traceback(demo_store):
    process = newsbot_cli("chat", "--store", demo_store, stdin=subprocess.PIPE)
    try:
        assert process.stdout.readline().startswith("newsbot chat")
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert one_line(err) == "newsbot chat: interrupted"


def test_strict_ingest_with_one_bad_line_leaves_the_store_unchanged(make_bot, tmp_path):
    store = tmp_path / "store"
    bot = make_bot(store=store)
    bot.ingest([write_jsonl(tmp_path / "good.jsonl", [STORM_EN])])
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(MARKET_EN) + "\n{not json\n", encoding="utf-8")
    code, out, err = run("ingest", str(batch), "--strict", "--store", str(store))
    assert code == 1 and out == ""
    assert "Traceback" not in err
    assert err.splitlines() == [
        f"{batch}:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)",
        "newsbot ingest: error: nothing stored: 1 problem above, and --strict stores all records or none",
    ]
    assert bot.stats()["documents"] == 1  # the good line of the batch was not stored either


def test_no_header_without_a_numbered_text_column_is_a_usage_error(tmp_path):
    code, _, err = run("ingest", str(tmp_path / "a.csv"), "--no-header", "--map", "text=Body", "--store", str(tmp_path))
    assert code == 2
    assert one_line(err) == (
        "newsbot ingest: error: --map text=Body: with --no-header, columns are numbered from 1, e.g. text=2 "
        "(see 'newsbot ingest --help')"
    )


def test_an_invalid_setting_in_the_environment_is_a_usage_error(tmp_path):
    code, _, err = run("stats", "--store", str(tmp_path), env={"NEWSBOT_CHUNK_SIZE": "many"})
    assert code == 2
    assert one_line(err) == (
        "newsbot stats: error: invalid setting: chunk_size = 'many' from environment (NEWSBOT_CHUNK_SIZE): "
        "Input should be a valid integer, unable to parse string as an integer"
    )


def test_ctrl_c_while_the_libraries_load_is_quiet(tmp_path):
    """The console script (bot.launch) guards the CLI's imports: no traceback even in the first second."""
    import os
    import sys
    import time

    from tests.conftest import REPO

    script = "import sys; from bot.launch import main; sys.exit(main())"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("NEWSBOT_DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, "-c", script, "stats", "--store", str(tmp_path)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    time.sleep(0.3)  # python is up; bot.cli and its libraries take ~0.6 s more to import
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in err, err
    assert err.strip() in ("newsbot: interrupted", "newsbot stats: interrupted")
