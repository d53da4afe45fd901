"""The web chat's HTML helpers: escaping, linked citations, highlights, refusals, grounding badges."""

from __future__ import annotations

import html
import re

import pytest

from bot.answer import Answer, Citation, SourceCount
from bot.web.answer_html import linkify, render_answer, render_partial, render_question
from bot.web.auth import parse_auth
from bot.web.chat import InputError, build_filters
from bot.web.corpus_html import render_ingest, render_stats, source_choices
from bot.web.i18n import from_accept_language, interface_language, t
from bot.web.marks import locate
from bot.web.safe import esc, safe_url
from bot.web.sources_html import highlight, merge_spans, render_sources
from eval.grounding.types import GroundingReport, SentenceCheck
from index.pipeline import IngestReport

SCRIPT = "<script>alert('x')</script>"
IMG = "<img src=x onerror=alert(1)>"
PASSAGE = "The mayor spoke on Monday. Four officers died in the attack. The town mourned."


def citation(n: int = 1, **fields) -> Citation:
    values = {
        "n": n,
        "doc_id": f"doc-{n}",
        "chunk_id": f"doc-{n}#0",
        "title": "Attack in Puerto Almendro",
        "source": "Border Chronicle",
        "date": "2021-03-06",
        "url": "https://example.org/a",
        "language": "en",
        "passage": PASSAGE,
        "quote_spans": [(27, 60)],
    }
    values.update(fields)
    return Citation(**values)


def answer(**fields) -> Answer:
    values = {
        "question": "who died?",
        "text": "Four officers died in the attack. [1] The town mourned. [1]",
        "language": "en",
        "citations": [citation()],
    }
    values.update(fields)
    return Answer(**values)


def no_live_markup(fragment: str) -> None:
    """No tag or event handler from article text survives as markup."""
    assert "<script" not in fragment.lower()
    assert "<img" not in fragment.lower()
    assert not re.search(r"\son\w+\s*=", fragment.replace("onerror=alert", "")), fragment
    assert 'href="javascript' not in fragment.lower()


# -- escaping ------------------------------------------------------------------------------------
def test_esc_neutralises_markup_and_markdown():
    out = esc(f"{SCRIPT} {IMG} **bold** [x](javascript:alert(1)) $x$")
    no_live_markup(out)
    assert "&lt;script&gt;" in out and "&lt;img" in out
    assert "*" not in out and "[" not in out and "$" not in out
    assert html.unescape(out) == f"{SCRIPT} {IMG} **bold** [x](javascript:alert(1)) $x$"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=1&c=2", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//example.org/x", False),
        ("/relative", False),
        ('https://e.org/"onmouseover="alert(1)', True),
        ("https://e.org/a b", False),
        ("", False),
    ],
)
def test_safe_url_allows_only_http(url, ok):
    out = safe_url(url)
    assert (out is not None) == ok
    if out:
        assert '"' not in out and "<" not in out


# -- chat messages -------------------------------------------------------------------------------
def test_citations_become_links_to_their_source():
    out = render_answer(answer(), turn=3, lang="en")
    assert out.count('href="#src-t3-1"') == 2
    assert "Answered in English" in out
    assert "\n\n" not in out  # one HTML block: Markdown leaves it alone


def test_unknown_citation_numbers_are_not_linked():
    out = linkify("Claim [1][7] and [1, 2].", 1, {1: citation()})
    assert out.count('href="#src-t1-1"') == 2
    assert 'href="#src-t1-7"' not in out and 'href="#src-t1-2"' not in out
    assert "nb-cite-missing" in out


def test_streaming_text_links_every_marker():
    out = render_partial("Four died. [1] More [2", 2, "en")
    assert 'href="#src-t2-1"' in out and "nb-cursor" in out
    assert "Searching" in render_partial("", 1, "en") and "Buscando" in render_partial("", 1, "es")


def test_answer_text_is_escaped():
    out = render_answer(answer(text=f"The code {SCRIPT} and {IMG} was planted. [1]"), 1, "en")
    no_live_markup(out)
    assert "&lt;script&gt;" in out
    no_live_markup(render_question(f"what about {SCRIPT}?"))


def test_grounding_badge_and_flagged_sentences():
    report = GroundingReport(
        sentences=[
            SentenceCheck(sentence="Four officers died in the attack.", citations=[1], verdict="supported", score=1),
            SentenceCheck(
                sentence="The town mourned.", citations=[1], verdict="unsupported", score=0.1, reasons=["no overlap"]
            ),
        ],
        faithfulness=0.5,
    )
    out = render_answer(answer(grounding=report), 1, "en")
    assert "1/2 sentences supported" in out and "nb-warn" in out
    flagged = re.search(r'<span class="nb-flag nb-unsupported"[^>]*>(.*?)<sup', out)
    assert flagged and "The town mourned." in flagged.group(1)
    assert "not supported" in out and "no overlap" in out
    assert "Four officers died" not in flagged.group(1)

    full = GroundingReport(sentences=[report.sentences[0]], faithfulness=1.0)
    ok = render_answer(answer(text="Four officers died in the attack. [1]", grounding=full), 1, "es")
    assert "1/1 frases respaldadas" in ok and "nb-ok" in ok and "nb-flag" not in ok


def test_answers_badge_is_apart_from_the_quotes_badge():
    full = GroundingReport(
        sentences=[SentenceCheck(sentence="Four officers died.", citations=[1], verdict="supported", score=1)],
        faithfulness=1.0,
    )
    missed = render_answer(answer(grounding=full, asked_for="person", answers_question=False), 1, "en")
    assert "quotes verified: 1/1" in missed and "may not answer: no person named found" in missed
    answered = render_answer(answer(grounding=full, asked_for="count", answers_question=True), 1, "es")
    assert "responde a la pregunta" in answered and "nb-answers nb-ok" in answered
    assert "nb-answers" not in render_answer(answer(grounding=full), 1, "en")


def test_outlets_badge_counts_independent_sources_of_a_cited_answer():
    out = render_answer(answer(sources=SourceCount(outlets=3, articles=4)), 1, "en")
    assert '<span class="nb-badge nb-outlets" title="Independent outlets:' in out and ">3 outlets · 4 articles<" in out
    assert ">1 medio · 1 artículo<" in render_answer(answer(sources=SourceCount(outlets=1, articles=1)), 1, "es")
    assert "nb-outlets" not in render_answer(answer(citations=[], text="Nothing cited."), 1, "en")
    refused = answer(refused=True, answerer="refusal", citations=[], nearest=[citation()])
    assert "nb-outlets" not in render_answer(refused, 1, "en")


def test_no_badge_without_grounding():
    out = render_answer(answer(grounding=None), 1, "en")
    assert "sentences supported" not in out and "nb-flag" not in out


def test_flag_that_cannot_be_placed_is_listed():
    report = GroundingReport(
        sentences=[SentenceCheck(sentence="Something never said.", verdict="uncited", score=0.0)], faithfulness=0
    )
    out = render_answer(answer(grounding=report), 1, "en")
    assert "nb-unplaced" in out and "no citation" in out


def test_locate_ignores_markers_and_spacing():
    text = "Four officers  died in the attack [1]. The town mourned. [1][2]"
    span = locate(text, "Four officers died in the attack.")
    assert span and text[span[0] : span[1]].startswith("Four") and text[span[0] : span[1]].endswith(".")


def test_locate_reads_past_inner_markers_and_only_from_the_cursor():
    text = "Two died [2] in Laredo. Two died in Laredo [3]. Lo dijo el alcalde."
    assert locate(text, "Two died in Laredo.") == (0, text.index(" Two died in Laredo [3]"))
    second = locate(text, "two died in laredo", start=5)
    assert second and text[second[0] : second[1]] == "Two died in Laredo [3]."
    assert locate(text, "Three died in Laredo.") is None
    assert locate(text, "Lo dijo el alcalde.", start=len(text)) is None


def test_refusal_is_styled_and_lists_nearest_sources():
    refused = Answer(
        question="who won the cup?",
        text="The news here does not cover that. Nearest: Attack in Puerto Almendro.",
        language="en",
        refused=True,
        answerer="refusal",
        nearest=[citation(1), citation(2, title=f"Title {SCRIPT}")],
        notices=["a notice <b>here</b>"],
    )
    out = render_answer(refused, 4, "en")
    assert "nb-refusal" in out and "Not answered" in out
    assert 'href="#src-t4-1"' in out and 'href="#src-t4-2"' in out
    assert "Note:" in out and "&lt;b&gt;here" in out
    no_live_markup(out)
    panel = render_sources([refused], "en")
    assert "Nearest sources" in panel and 'id="src-t1-2"' in panel
    no_live_markup(panel)


def test_refusal_names_each_nearest_source_once_and_an_outlet_left_blank_as_such():
    refused = Answer(
        question="who won the cup?",
        text="The corpus does not say. I found no passage that answers this question. "
        "The nearest sources are: Attack in Puerto Almendro (Border Chronicle, 2021-03-06).",
        language="en",
        refused=True,
        answerer="refusal",
        nearest=[citation(1), citation(2, title="Budget approved", source="", date="")],
    )
    out = render_answer(refused, 1, "en")
    assert re.sub(r"<[^>]+>", "", out).count("Attack in Puerto Almendro") == 1, out
    assert "The nearest sources are" not in out
    assert "(outlet not given, undated)" in out and "?" not in out
    assert "(medio no indicado, sin fecha)" in render_answer(refused, 1, "es")


def test_each_cited_point_is_its_own_paragraph():
    text = "Four officers died in the attack. [1] The town mourned. [1] The mayor spoke on Monday. [2]"
    out = render_answer(answer(text=text, citations=[citation(1), citation(2)]), 1, "en")
    paragraphs = re.findall(r'<p class="nb-para">(.*?)</p>', out)
    assert len(paragraphs) == 3, out
    assert paragraphs[0].startswith("Four officers") and paragraphs[2].startswith("The mayor")
    history = "Latest figure: 23 dead (3 Dec 2019, Wire) [1]. Earlier reports: 14 (30 Nov 2019) [2], 21 [3]."
    assert len(re.findall("nb-para", render_partial(history, 1, "en"))) == 2
    assert "\n" not in out, "a blank line would hand the message to Gradio's Markdown pass"


def test_notices_are_shown():
    out = render_answer(answer(notices=["The sources are in another language."]), 1, "en")
    assert "nb-notice" in out and "another language" in out


# -- sources panel -------------------------------------------------------------------------------
def test_highlight_marks_quote_spans():
    out = highlight(PASSAGE, [(27, 60)])
    assert out.count("<mark>") == 1
    assert "<mark>Four officers died in the attack.</mark>" in out
    assert highlight(PASSAGE, []) == PASSAGE.replace(".", ".")  # nothing marked
    assert merge_spans([(5, 10), (0, 6), (50, 9999), (3, 3)], 60) == [(0, 10), (50, 60)]


def test_highlight_escapes_inside_and_outside_marks():
    passage = f"Before {SCRIPT}. Quoted {IMG} here. After."
    start = passage.index("Quoted")
    out = highlight(passage, [(start, start + len(f"Quoted {IMG} here."))])
    no_live_markup(out)
    assert "<mark>Quoted &lt;img" in out


def test_sources_panel_shows_every_field():
    panel = render_sources([answer(citations=[citation(1), citation(2, language="es", url="javascript:x")])], "en")
    assert 'id="src-t1-1"' in panel and 'id="src-t1-2"' in panel
    for text in ("Attack in Puerto Almendro", "Border Chronicle", "2021-03-06", "English", "Spanish", "<mark>"):
        assert text in panel
    assert 'href="https://example.org/a" target="_blank" rel="noopener noreferrer"' in panel
    assert "javascript" not in panel and "no link" in panel


def test_sources_panel_hostile_metadata():
    hostile = citation(title=SCRIPT, source=IMG, url='https://x.org/"><script>alert(1)</script>', doc_id=IMG)
    panel = render_sources([answer(citations=[hostile])], "en")
    no_live_markup(panel)


def test_sources_panel_keeps_earlier_answers_folded():
    first, second = answer(question="first?"), answer(question="second?")
    panel = render_sources([first, second], "es")
    assert panel.index("second?") < panel.index("Respuestas anteriores") < panel.index("first?")
    assert 'id="src-t2-1"' in panel and 'id="src-t1-1"' in panel
    assert "Pulsa un" in render_sources([], "es")


# -- corpus tab, filters, auth, i18n ---------------------------------------------------------------
def test_stats_and_ingest_reports_are_escaped():
    stats = {
        "documents": 2,
        "chunks": 3,
        "languages": {"en": {"documents": 1, "chunks": 2}, "es": {"documents": 1, "chunks": 1}},
        "sources": {IMG: {"documents": 1, "chunks": 2}, "?": {"documents": 1, "chunks": 1}},
        "date_range": ["2021-01-01", "2021-02-01"],
    }
    out = render_stats(stats, "es")
    no_live_markup(out)
    assert "2 documentos" in out and "español" in out and "2021-01-01" in out
    assert "<td>medio no indicado</td>" in out and "<td>?</td>" not in out
    assert source_choices(stats) == [IMG]
    assert "vacío" in render_stats({"documents": 0}, "es")
    report = IngestReport(added=1, failed=1, issues=[f"bad.csv:3: missing text {SCRIPT}"])
    out = render_ingest([("bad.csv", report), ("x.pdf", "unsupported file type")], "en", 1.5)
    no_live_markup(out)
    assert "1 added" in out and "bad.csv:3" in out and "unsupported file type" in out and "2 file(s)" in out


def test_filters_from_controls():
    assert build_filters([], [], "", "", "en") is None
    filters = build_filters(["es"], ["El Heraldo"], "2021-03-01", " 2021-03-31 ", "en")
    assert filters.languages == ["es"] and filters.sources == ["El Heraldo"]
    assert (filters.since, filters.until) == ("2021-03-01", "2021-03-31")
    with pytest.raises(InputError, match="AAAA-MM-DD"):
        build_filters([], [], "March 1", "", "es")


def test_parse_auth(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSBOT_AUTH", raising=False)
    assert parse_auth(None) is None and parse_auth("") is None
    assert parse_auth("ana:s3cr:et") == [("ana", "s3cr:et")]
    monkeypatch.setenv("NEWSBOT_AUTH", "bo:pw")
    assert parse_auth(None) == [("bo", "pw")]
    path = tmp_path / "users.txt"
    path.write_text("# team\nana:one\n\nbo:two\n")
    assert parse_auth(str(path)) == [("ana", "one"), ("bo", "two")]
    with pytest.raises(ValueError):
        parse_auth("nopassword")


def test_interface_language():
    assert from_accept_language("es-MX,es;q=0.9,en;q=0.8") == "es"
    assert from_accept_language("fr-FR,fr;q=0.9,en;q=0.5,es;q=0.4") == "en"
    assert from_accept_language(None) == "en"
    assert interface_language("es", "en") == "es" and interface_language("auto", "es") == "es"
    assert t("ask", "es") == "Preguntar" and t("ask", "fr") == "Ask"


def test_every_ui_key_exists_in_both_languages():
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "prompts"
    en = {k for k in tomllib.loads((root / "en/messages.toml").read_text()) if k.startswith("ui_")}
    es = {k for k in tomllib.loads((root / "es/messages.toml").read_text()) if k.startswith("ui_")}
    assert en == es


def test_a_quick_answer_arrives_whole_and_a_slow_one_in_pieces():
    """Each streamed update re-sends the conversation: pieces are coalesced for `UPDATE_INTERVAL`."""
    import time
    from types import SimpleNamespace

    from bot.web.chat import UPDATE_INTERVAL, stream_turn
    from bot.web.session import ReadWriteLock, WebSession

    def updates(delay: float) -> list[str]:
        def stream(question, filters):
            for piece in ("Four officers died. [1] ", "The town mourned. [1]"):
                time.sleep(delay)
                yield piece
            yield answer()

        session = WebSession(chat=SimpleNamespace(stream=stream, language=None, answerer=None))
        bot = SimpleNamespace(settings=SimpleNamespace(llm_configured=False))
        turn = stream_turn(
            bot, session, "who died?", language=None, filters=None, answerer=None, lang="en", lock=ReadWriteLock()
        )
        return [messages[-1]["content"] for messages, _ in turn]

    quick = updates(0.0)
    assert len(quick) == 2 and "nb-streaming" in quick[0] and "nb-streaming" not in quick[1]
    slow = updates(UPDATE_INTERVAL * 1.5)
    assert len(slow) >= 3 and any("Four officers died" in u and "nb-streaming" in u for u in slow[1:-1])
