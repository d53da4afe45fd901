"""The Check tab: verdict badges, linked reasons, dated reports for and against, escaping, exports; /check."""

from __future__ import annotations

import html
import re

import pytest

from bot.answer import Answer, ReportedValue, SourceCount
from bot.claims.types import ClaimCheck, ClaimPart
from bot.web.claims_html import check_anchor, figure_text, part_quotes, render_check, render_check_message
from bot.web.downloads import export_file
from bot.web.safe import esc
from tests.app.corpus import ALMENDRO_EN, ALMENDRO_ES, XSS_EN, XSS_TITLE
from tests.fixtures.citations import cite

SCRIPT = "<script>alert('x')</script>"
IMG = "<img src=x onerror=alert(1)>"
PASSAGE_1 = "Gunmen attacked the town hall on Saturday. Four officers died. Soldiers later killed six attackers."
PASSAGE_2 = "The toll rose on Sunday. Five officers have now died, the governor said."
VERDICTS = ["supported", "contradicted", "outdated", "disputed", "not_in_archive"]


def span_of(passage: str, sentence: str) -> tuple[int, int]:
    start = passage.index(sentence)
    return start, start + len(sentence)


def outdated_check() -> ClaimCheck:
    """'Four officers died': true on Saturday, revised to five on Sunday; one article quoted for two parts."""
    first = cite(
        1,
        PASSAGE_1,
        [
            span_of(PASSAGE_1, "Gunmen attacked the town hall on Saturday."),
            span_of(PASSAGE_1, "Four officers died."),
        ],
    )
    second = cite(
        2, PASSAGE_2, [span_of(PASSAGE_2, "Five officers have now died, the governor said.")], date="2021-03-07"
    )
    figure = ClaimPart(
        kind="figure",
        text="Four officers died in the attack on the town h",
        quantity="deaths:police",
        value=4,
        verdict="outdated",
        reason="4 police officers dead was reported on 6 Mar 2021 (Outlet 1) [1]; the newest report gives 5 "
        "(7 Mar 2021, Outlet 2) [2].",
        supporting=[1],
        opposing=[2],
        history=[
            ReportedValue(concept="deaths:police", value=4, date="2021-03-06", source="Outlet 1", n=1),
            ReportedValue(concept="deaths:police", value=5, date="2021-03-07", source="Outlet 2", n=2),
        ],
    )
    statement = ClaimPart(
        kind="statement",
        text="Gunmen attacked the town hall",
        verdict="supported",
        reason="Reported by Outlet 1 on 6 Mar 2021 [1].",
        supporting=[1],
    )
    return ClaimCheck(
        claim="Four officers died when gunmen attacked the town hall",
        language="en",
        verdict="outdated",
        parts=[figure, statement],
        citations=[first, second],
        sources=SourceCount(outlets=2, articles=2),
    )


def no_live_markup(fragment: str) -> None:
    assert "<script" not in fragment.lower() and "<img" not in fragment.lower()
    assert not re.search(r"\son\w+\s*=", fragment.replace("onerror=alert", "")), fragment
    assert 'href="javascript' not in fragment.lower()


def section(panel: str, start: str, end: str) -> str:
    return panel[panel.index(start) : panel.index(end, panel.index(start))]


# -- the panel -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("verdict", "en", "es"),
    [
        ("supported", "Supported", "Confirmada"),
        ("contradicted", "Contradicted", "Desmentida"),
        ("outdated", "Outdated", "Desactualizada"),
        ("disputed", "Disputed", "En disputa"),
        ("not_in_archive", "Not in the archive", "No está en el archivo"),
    ],
)
def test_overall_verdict_badge(verdict, en, es):
    check = ClaimCheck(claim="A claim", language="en", verdict=verdict)
    badge = f'<span class="nb-verdict nb-verdict-{verdict.replace("_", "-")}" data-verdict="{esc(verdict)}">'
    assert f'<div class="nb-check-verdict"><span class="nb-dim">Verdict:</span> {badge}{en}</span>' in render_check(
        check, "en"
    )
    assert f"{badge}{es}</span>" in render_check(check, "es") and "Veredicto" in render_check(check, "es")


def test_each_part_has_its_badge_kind_and_linked_reason():
    panel = render_check(outdated_check(), "en")
    figure, statement = re.findall(r'<li class="nb-part" data-verdict="(\w+)">', panel)
    assert (figure, statement) == ("outdated", "supported")
    assert (
        'nb-verdict-outdated" data-verdict="outdated">Outdated</span> <span class="nb-part-kind">Figure:</span>'
        in panel
    )
    assert '<q class="nb-part-text">4 police officers dead</q>' in panel, "the figure as read, not a cut-off snippet"
    assert '<q class="nb-part-text">Gunmen attacked the town hall</q>' in panel
    reason = re.search(r'<p class="nb-part-reason" lang="en">(.*?)</p>', panel).group(1)
    assert '<a class="nb-cite" href="#src-ck-1" data-source="src-ck-1" title="Title 1">&#91;1&#93;</a>' in reason
    assert 'href="#src-ck-2"' in reason and "the newest report gives 5" in reason
    assert "src-t1-" not in panel and "src-tl-" not in panel, "no clash with the chat's or timeline's sources"


def test_reports_for_and_against_are_dated_quoted_and_linked():
    panel = render_check(outdated_check(), "en")
    figure = section(panel, 'data-verdict="outdated">', "</li></ol>")
    backing, against = section(figure, "nb-ev-for", "nb-ev-against"), section(figure, "nb-ev-against", "</ul>")
    assert "Reports for" in backing and "Reports against" in against
    assert (
        '<span class="nb-outlet">Outlet 1</span> · <time class="nb-date" datetime="2021-03-06">6 Mar 2021</time>'
        in backing
    )
    assert "<mark>Four officers died.</mark>" in backing
    assert "Gunmen attacked" not in backing, "under a figure, only the sentence giving its value"
    assert 'href="https://example.org/1" target="_blank" rel="noopener noreferrer">Open article</a>' in backing
    assert "<mark>Five officers have now died, the governor said.</mark>" in against and "7 Mar 2021" in against
    statement = section(panel, 'data-verdict="supported">', "</li>")
    assert "<mark>Gunmen attacked the town hall on Saturday.</mark>" in statement
    assert "Four officers died." not in statement, "under a statement, the sentence that states it"
    assert "nb-ev-against" not in statement


def test_figure_history_lists_every_report_oldest_first():
    panel = render_check(outdated_check(), "en")
    history = section(panel, 'class="nb-history"', "</div>")
    assert history.index(">4 · ") < history.index(">5 · ") and "As reported" in history
    single = outdated_check()
    single.parts[0].history = single.parts[0].history[:1]
    assert "nb-history" not in render_check(single, "en"), "one report is already among the reports for/against"


def test_sources_are_listed_with_anchors_and_marked_passages():
    panel = render_check(outdated_check(), "en")
    sources = panel[panel.index('id="nb-check-sources"') :]
    assert sources.index(f'id="{check_anchor(1)}"') < sources.index(f'id="{check_anchor(2)}"')
    assert "<mark>Gunmen attacked the town hall on Saturday.</mark> <mark>Four officers died.</mark>" in sources
    assert "Title 2" in sources and "Outlet 2" in sources and "2021-03-07" in sources


def test_independent_outlets_and_articles():
    assert ">2 independent outlets · 2 articles</div>" in render_check(outdated_check(), "en")
    check = outdated_check()
    check.sources = SourceCount(outlets=1, articles=2)
    assert ">1 medio independiente · 2 artículos</div>" in render_check(check, "es")
    empty = ClaimCheck(claim="A volcano erupted on Jupiter", language="en", verdict="not_in_archive")
    panel = render_check(empty, "en")
    assert "nb-check-count" not in panel and "nb-check-sources" not in panel


def test_spanish_labels_and_figure_bounds():
    panel = render_check(outdated_check(), "es")
    for text in ("Afirmación", "Cifra:", "Enunciado:", "Reportes a favor", "Reportes en contra", "6 mar 2021"):
        assert text in panel
    assert '<q class="nb-part-text">4 policías muertos</q>' in panel
    part = outdated_check().parts[0]
    part.value, part.bound = 1500, "at_least"
    assert figure_text(part, "en") == "at least 1,500 police officers dead"
    assert figure_text(part.model_copy(update={"bound": "more_than"}), "es") == "más de 1.500 policías muertos"


def test_quotes_fall_back_to_all_when_nothing_tells_them_apart():
    check = outdated_check()
    figure, citation = check.parts[0], check.citations[0]
    assert part_quotes(figure, citation) == ["Four officers died."]
    unrelated = figure.model_copy(update={"history": []})
    assert part_quotes(unrelated, citation) == citation.quotes


def test_hostile_text_stays_text():
    check = ClaimCheck(
        claim=f"The code {SCRIPT} was planted",
        language="en",
        verdict="supported",
        parts=[
            ClaimPart(
                kind="statement",
                text=f"code {IMG} planted",
                verdict="supported",
                reason=f"Reported by {SCRIPT} on 3 May 2021 [1].",
                supporting=[1],
            )
        ],
        citations=[cite(1, f"Code {SCRIPT} planted. {IMG}", [(0, 40)], title=IMG, source=SCRIPT, url="javascript:x")],
        sources=SourceCount(outlets=1, articles=1),
    )
    panel = render_check(check, "en")
    no_live_markup(panel)
    assert "&lt;script&gt;" in panel and "no link" in panel
    assert html.unescape(panel).count(SCRIPT) >= 3
    no_live_markup(render_check_message(f"bad {SCRIPT}", error=True))


def test_before_any_claim_the_tab_explains_itself():
    assert "hold it against the archive" in render_check(None, "en")
    assert "contrastarla con el archivo" in render_check(None, "es")
    assert 'class="nb-error nb-check-message"' in render_check_message("Dates must look like YYYY-MM-DD", error=True)


# -- exports -------------------------------------------------------------------------------------
def test_exports_are_files_with_plain_names():
    check = outdated_check()
    page = export_file(check, "html")
    assert page.name == "newsbot-check.html" and "<mark>Four officers died.</mark>" in page.read_text()
    assert export_file(check, "html") == page, "the same export is written once"
    other = export_file(check.model_copy(update={"claim": "Another claim"}), "html")
    assert other != page and other.name == page.name, "two readers' checks never share a file"
    text = export_file(check, "md").read_text()
    assert "**Verdict: outdated**" in text and "Outlet 2" in text
    reply = Answer(question="who died?", text="Four officers died. [1]", language="en", citations=check.citations)
    assert export_file(reply, "md").name == "newsbot-answer.md"


def test_exports_older_than_a_day_are_removed_when_the_next_is_written():
    import os
    import time

    from bot.web.downloads import EXPORT_LIFETIME

    old = export_file(outdated_check().model_copy(update={"claim": "An old claim"}), "html")
    stale = time.time() - EXPORT_LIFETIME - 60
    os.utime(old.parent, (stale, stale))
    fresh = export_file(outdated_check().model_copy(update={"claim": "A new claim"}), "html")
    assert fresh.exists() and not old.parent.exists()


# -- the /check endpoint ---------------------------------------------------------------------------
@pytest.mark.slow
def test_check_endpoint(server):
    from gradio_client import Client

    c = Client(server[1], verbose=False)

    def check(claim: str, *filters) -> str:
        return html.unescape(c.predict(claim, *(filters or ([], [], "", "")), api_name="/check"))

    stated = check("Four police officers were killed in Puerto Almendro")
    assert 'class="nb-verdict nb-verdict-supported" data-verdict="supported">Supported' in stated
    assert "<mark>Four police officers were killed on Saturday" in stated
    assert f'data-doc-id="{ALMENDRO_EN["id"]}"' in stated and f'data-doc-id="{ALMENDRO_ES["id"]}"' in stated
    assert 'href="#src-ck-1"' in stated and 'id="src-ck-1"' in stated and "articles" in stated

    wrong = check("Seven police officers were killed in Puerto Almendro")
    verdict = re.search(r'<div class="nb-check-verdict">.*?data-verdict="(\w+)"', wrong).group(1)
    assert verdict == "contradicted" and "Reports against" in wrong and "No report gives 7" in wrong

    spanish_only = check("Four police officers were killed in Puerto Almendro", ["es"], [], "", "")
    assert ALMENDRO_ES["id"] in spanish_only and ALMENDRO_EN["id"] not in spanish_only

    absent = check("A volcano erupted on Jupiter")
    assert 'data-verdict="not_in_archive"' in absent and "nb-check-sources" not in absent

    # The outlet, title and quote of this article are markup, and the reason names the outlet.
    hostile = c.predict("The Northfield city website was defaced on Monday", [], [], "", "", api_name="/check")
    no_live_markup(hostile)
    assert f'data-doc-id="{XSS_EN["id"]}"' in hostile and "&lt;b&gt;Daily&lt;/b&gt;" in hostile
    assert f"Reported by {XSS_EN['source']}" in html.unescape(hostile) and XSS_TITLE in html.unescape(hostile)

    assert "Type a claim" in check("   ")
    assert "YYYY-MM-DD" in check("Four police officers were killed", [], [], "2021-13-01", "")
