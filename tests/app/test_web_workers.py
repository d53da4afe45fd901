"""Answers made in separate processes (`answer_processes`): the same answers, and a killed process is
replaced while its question is still answered (real processes, real SIGKILL, a real Gradio server)."""

from __future__ import annotations

import html
import multiprocessing
import os
import signal
import time

import pytest

from tests.app.corpus import QUESTION_EN, QUESTION_ES, write_corpus
from tests.app.test_web_client import ask, client, message_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory, embedder):
    """(bot, url, answers the server made itself) for an app with one answering process."""
    import app
    from bot import NewsBot
    from tests.app.conftest import free_port

    folder = tmp_path_factory.mktemp("workers")
    bot = NewsBot(store=folder / "store", embedder=embedder, answer_processes=1)
    bot.ingest([write_corpus(folder / "data")])
    in_server: list[str] = []
    stream = bot.stream

    def counted(question, *args, **kwargs):
        in_server.append(question)
        return stream(question, *args, **kwargs)

    bot.stream = counted
    demo = app.build_app(bot)
    port = free_port()
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True, ssr_mode=False)
    yield bot, f"http://127.0.0.1:{port}/", in_server
    running = _answering_processes()
    demo.close()
    assert running and not any(p.is_alive() for p in running), "closing the app stops its answering processes"


def _answering_processes() -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if p.is_alive()]


def test_an_answering_process_answers_as_the_server_would(served):
    bot, url, in_server = served
    _, (_, chat, sources) = ask(client(url), QUESTION_EN)
    assert in_server == [], "the server's own bot did not answer"
    assert "Four police officers were killed" in html.unescape(message_text(chat[-1]))
    direct = bot.ask(QUESTION_EN)
    assert direct.citations[0].doc_id in html.unescape(sources)
    _, (_, chat, _) = ask(client(url), QUESTION_ES)
    assert "Answered in Spanish" in message_text(chat[-1])


def test_a_follow_up_is_read_with_the_conversation_across_processes(served):
    bot, url, _ = served
    c = client(url)
    ask(c, QUESTION_EN)
    _, (_, chat, _) = ask(c, "and the mayor?")
    here = bot.chat()
    here.ask(QUESTION_EN)
    direct = here.ask("and the mayor?")
    assert direct.standalone_question != "and the mayor?", "the follow-up leans on the first question"
    first_sentence = direct.text.split(" [")[0]
    assert first_sentence and first_sentence in html.unescape(message_text(chat[-1]))


def test_a_killed_answering_process_is_replaced_and_its_question_still_answered(served):
    _, url, in_server = served
    ask(client(url), QUESTION_EN)  # the process is up
    victims = _answering_processes()
    assert victims, "an answering process runs beside the server"
    for process in victims:
        os.kill(process.pid, signal.SIGKILL)
    time.sleep(0.5)
    before = len(in_server)
    _, (_, chat, _) = ask(client(url), QUESTION_EN)
    assert "Four police officers were killed" in html.unescape(message_text(chat[-1]))
    assert len(in_server) == before + 1, "the server answered the question whose process died"
    _, (_, chat, _) = ask(client(url), QUESTION_ES)  # waits for the new process to start
    assert len(in_server) == before + 1, "the next question went to a new answering process"
    assert "Answered in Spanish" in message_text(chat[-1])
    survivors = {p.pid for p in _answering_processes()}
    assert survivors and not survivors & {v.pid for v in victims}
