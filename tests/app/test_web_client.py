"""End to end through gradio_client against a real server: streaming, citations, languages, 20 clients."""

from __future__ import annotations

import html
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client

from tests.app.corpus import ALMENDRO_EN, ALMENDRO_ES, QUESTION_EN, QUESTION_ES

pytestmark = pytest.mark.slow
NO_FILTERS = ([], [], "", "", "extractive")


def client(url: str) -> Client:
    return Client(url, verbose=False)


def message_text(message: dict) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def ask(c: Client, question: str, language: str = "auto", filters=NO_FILTERS):
    """Submit through the streaming endpoint; returns (all updates, final (textbox, chat, sources))."""
    job = c.submit(question, language, *filters, api_name="/ask")
    final = job.result(timeout=120)
    return job.outputs(), final


def test_english_question_streams_a_cited_answer(server):
    updates, (box, chat, sources) = ask(client(server[1]), QUESTION_EN)
    assert len(updates) >= 2, "the question shows at once, then the answer"
    assert "Four police officers" not in html.unescape(message_text(updates[0][1][-1]))
    assert box == ""
    assert [m["role"] for m in chat] == ["user", "assistant"]
    reply = message_text(chat[-1])
    assert "Four police officers were killed" in html.unescape(reply)
    assert 'href="#src-t1-1"' in reply and "Answered in English" in reply
    panel = html.unescape(sources)
    assert ALMENDRO_EN["title"] in panel and f'data-doc-id="{ALMENDRO_EN["id"]}"' in panel
    assert 'id="src-t1-1"' in panel and "<mark>" in panel and ALMENDRO_EN["url"] in panel


def test_spanish_question_cites_the_spanish_article(server):
    _, (_, chat, sources) = ask(client(server[1]), QUESTION_ES)
    reply = html.unescape(message_text(chat[-1]))
    assert "Cuatro policías estatales murieron" in reply
    panel = html.unescape(sources)
    assert f'data-doc-id="{ALMENDRO_ES["id"]}"' in panel and ALMENDRO_ES["source"] in panel


def test_forced_language_and_follow_up_keep_the_conversation(server):
    c = client(server[1])
    ask(c, QUESTION_EN)
    _, (_, chat, sources) = ask(c, "¿y quién era la alcaldesa?", language="es")
    assert len(chat) == 4, "the second turn is appended to the same conversation"
    reply = html.unescape(message_text(chat[-1]))
    assert "Lucía Ferrán" in reply and 'href="#src-t2-' in reply
    assert 'id="src-t2-1"' in sources and 'id="src-t1-1"' in sources  # both turns keep their sources
    new_chat, panel = c.predict(api_name="/new_conversation")
    assert new_chat == [] and "src-t" not in panel
    _, (_, chat, _) = ask(c, QUESTION_EN)
    assert len(chat) == 2


def test_filters_restrict_the_sources(server):
    _, (_, _, sources) = ask(client(server[1]), QUESTION_EN, filters=(["es"], [], "", "", "extractive"))
    assert f'data-doc-id="{ALMENDRO_ES["id"]}"' in html.unescape(sources)
    assert ALMENDRO_EN["id"] not in html.unescape(sources)
    _, (_, chat, _) = ask(client(server[1]), QUESTION_EN, filters=([], [], "2021-13-01", "", "extractive"))
    assert "YYYY-MM-DD" in html.unescape(message_text(chat[-1]))


def test_out_of_corpus_question_is_refused(server):
    _, (_, chat, sources) = ask(client(server[1]), "Who won the chess world championship on Jupiter in 1850?")
    reply = message_text(chat[-1])
    assert "nb-refusal" in reply and "Nearest sources" in reply
    assert "Nearest sources" in sources


def test_llm_choice_without_endpoint_falls_back(server):
    _, (_, chat, _) = ask(client(server[1]), QUESTION_EN, filters=([], [], "", "", "llm"))
    reply = html.unescape(message_text(chat[-1]))
    assert "not configured" in reply and "Four police officers" in reply


def test_stats_endpoint(server):
    stats_html, _, _ = client(server[1]).predict(api_name="/stats")
    assert "5 documents" in stats_html and "Border Chronicle" in stats_html


def test_twenty_clients_at_once(server):
    questions = [(QUESTION_EN, ALMENDRO_EN["id"]), (QUESTION_ES, ALMENDRO_ES["id"])] * 10
    clients = [client(server[1]) for _ in questions]

    def run(i: int) -> tuple[str, str, float]:
        started = time.perf_counter()
        _, (_, chat, sources) = ask(clients[i], questions[i][0])
        return message_text(chat[-1]), html.unescape(sources), time.perf_counter() - started

    with ThreadPoolExecutor(len(questions)) as pool:
        results = list(pool.map(run, range(len(questions))))
    for (question, doc_id), (reply, sources, _) in zip(questions, results, strict=True):
        assert 'href="#src-t1-1"' in reply, question
        assert f'data-doc-id="{doc_id}"' in sources, question
    assert max(seconds for *_, seconds in results) < 90


def test_the_queue_keeps_no_event_history_to_summarise(server):
    """Gradio's queue would summarise its last 10,000 events with pandas after every event (see
    app.QUEUE_ANALYTICS_ENV), a cost that grows with the server's age."""
    demo, url = server
    c = client(url)
    for question in (QUESTION_EN, QUESTION_ES):
        ask(c, question)
    assert len(demo._queue.event_analytics) <= 1
    assert demo._queue.cached_event_analytics_summary == {"functions": {}}
