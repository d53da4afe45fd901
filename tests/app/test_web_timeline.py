"""The Timeline tab: facts grouped by day in date order, escaped, cited, marked; and the /timeline endpoint."""

from __future__ import annotations

import html
import re

import pytest

from bot.news.timeline import Timeline, TimelineEntry
from bot.web.timeline_html import figure_label, human_date, render_timeline, timeline_anchor
from tests.app.corpus import ALMENDRO_EN, ALMENDRO_ES, XSS_EN, XSS_TITLE
from tests.fixtures.citations import cite

SCRIPT = "<script>alert('x')</script>"
IMG = "<img src=x onerror=alert(1)>"
PASSAGE_1 = "Gunmen attacked the town hall on Saturday. Four officers died. The town mourned."
PASSAGE_2 = "The toll rose to six on Sunday. Two of the wounded died in hospital."


def entry(date: str, n: int, text: str, **fields) -> TimelineEntry:
    values = {"date": date, "source": f"Outlet {n}", "title": f"Title {n}", "text": text, "n": n, "language": "en"}
    values.update(fields)
    return TimelineEntry(**values)


def story() -> Timeline:
    """Two days, given out of order, so the renderer has to order them."""
    return Timeline(
        query="town hall attack",
        language="en",
        entries=[
            entry("2021-03-07", 2, "The toll rose to six on Sunday.", figures=["deaths: 6"]),
            entry("2021-03-06T09:30:00", 1, "Gunmen attacked the town hall on Saturday."),
            entry("2021-03-06", 1, "Four officers died.", figures=["police: 4", "odd figure"]),
        ],
        citations=[
            cite(2, PASSAGE_2, [(0, 31)], date="2021-03-07"),
            cite(1, PASSAGE_1, [(0, 42), (43, 62)]),
        ],
    )


def no_live_markup(fragment: str) -> None:
    assert "<script" not in fragment.lower() and "<img" not in fragment.lower()
    assert not re.search(r"\son\w+\s*=", fragment.replace("onerror=alert", "")), fragment
    assert 'href="javascript' not in fragment.lower()


def test_entries_are_grouped_by_day_oldest_first():
    panel = render_timeline(story(), "en")
    saturday, sunday = panel.index("Saturday, March 6, 2021"), panel.index("Sunday, March 7, 2021")
    assert panel.count('class="nb-tl-day"') == 2, "the timestamped entry belongs to its day"
    assert saturday < panel.index("Gunmen attacked") < panel.index("Four officers died") < sunday
    assert sunday < panel.index("The toll rose") < panel.index('id="nb-tl-sources"')
    assert '<time datetime="2021-03-06">' in panel
    # [n] links to the timeline's own sources, listed below in citation order
    assert '<a class="nb-cite" href="#src-tl-1" data-source="src-tl-1" title="Title 1">&#91;1&#93;</a>' in panel
    assert panel.index(f'id="{timeline_anchor(1)}"') < panel.index(f'id="{timeline_anchor(2)}"')
    assert "src-t1-" not in panel, "no clash with the chat's sources panel"
    assert "Facts: 3 · sources: 2" in panel


def test_sources_show_metadata_link_and_marked_quotes():
    panel = render_timeline(story(), "en")
    sources = panel[panel.index('id="nb-tl-sources"') :]
    assert "<mark>Gunmen attacked the town hall on Saturday.</mark> <mark>Four officers died.</mark>" in sources
    assert "<mark>The toll rose to six on Sunday.</mark> Two of the wounded" in sources
    for text in ("Title 1", "Outlet 2", "2021-03-07", "English", "Sources"):
        assert text in sources
    assert 'href="https://example.org/1" target="_blank" rel="noopener noreferrer"' in sources


def test_figure_chips_in_the_interface_language():
    panel = render_timeline(story(), "en")
    assert '<span class="nb-chip" data-figure="deaths: 6">dead: 6</span>' in panel
    assert ">police officers: 4</span>" in panel and ">odd figure</span>" in panel
    assert figure_label("police: 4", "es") == "policías: 4" and figure_label("boats: 3", "es") == "boats: 3"


def test_spanish_dates_and_labels():
    panel = render_timeline(story(), "es")
    assert "sábado 6 de marzo de 2021" in panel and "domingo 7 de marzo de 2021" in panel
    assert "Cronología de" in panel and "Fuentes" in panel and "muertos: 6" in panel
    assert human_date("", "es") == "Sin fecha" and human_date("2021-03", "en") == "2021-03"


def test_undated_entries_come_last():
    timeline = story()
    timeline.entries.insert(0, entry("", 3, "Undated fact."))
    panel = render_timeline(timeline, "en")
    assert panel.index("Sunday, March 7, 2021") < panel.index("Undated") < panel.index("Undated fact.")


def test_hostile_fields_stay_text():
    timeline = Timeline(
        query=f"attack {SCRIPT}",
        language="en",
        entries=[entry("2021-05-03", 1, f"Code {SCRIPT} planted.", title=IMG, source=SCRIPT, figures=[IMG])],
        citations=[cite(1, f"Code {SCRIPT} planted. {IMG}", [(0, 40)], title=SCRIPT, source=IMG, url="javascript:x")],
    )
    panel = render_timeline(timeline, "en")
    no_live_markup(panel)
    assert "&lt;script&gt;" in panel and "no link" in panel
    no_live_markup(render_timeline(Timeline(query=SCRIPT, language="en"), "en"))


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "No dated facts about “chess on Jupiter” in the corpus"), ("es", "No hay hechos fechados sobre «chess")],
)
def test_empty_timeline_says_so(lang, text):
    panel = render_timeline(Timeline(query="chess on Jupiter", language="en"), lang)
    assert text in panel and "nb-tl-day" not in panel and "nb-tl-sources" not in panel


def test_before_any_query_the_tab_explains_itself():
    assert "key facts in date order" in render_timeline(None, "en")
    assert "hechos clave por fecha" in render_timeline(None, "es")


@pytest.mark.slow
def test_timeline_endpoint(server):
    from gradio_client import Client

    c = Client(server[1], verbose=False)
    panel = html.unescape(c.predict("Puerto Almendro attack", [], [], "", "", api_name="/timeline"))
    assert panel.index("Saturday, March 6, 2021") < panel.index("Sunday, March 7, 2021")
    assert panel.index(ALMENDRO_EN["source"]) < panel.index(ALMENDRO_ES["source"])
    assert "<mark>Four police officers were killed on Saturday" in panel
    assert 'id="src-tl-1"' in panel and f'data-doc-id="{ALMENDRO_ES["id"]}"' in panel
    assert ALMENDRO_EN["url"] in panel and "police officers dead: 4" in panel

    only_es = html.unescape(c.predict("Puerto Almendro attack", ["es"], [], "", "", api_name="/timeline"))
    assert ALMENDRO_ES["id"] in only_es and ALMENDRO_EN["id"] not in only_es

    hostile = c.predict("Northfield city website defaced", [], [], "", "", api_name="/timeline")
    no_live_markup(hostile)
    assert XSS_TITLE in html.unescape(hostile) and XSS_EN["id"] in hostile

    empty = c.predict("Who won the chess world championship on Jupiter in 1850?", [], [], "", "", api_name="/timeline")
    assert "No dated facts" in empty and "nb-tl-day" not in empty
    bad_date = c.predict("Puerto Almendro attack", [], [], "2021-13-01", "", api_name="/timeline")
    assert "YYYY-MM-DD" in html.unescape(bad_date)
