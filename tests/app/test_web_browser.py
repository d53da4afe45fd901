"""A real headless Chromium: ask, click [1], see the passage highlighted; check a claim; download the
results; hostile articles stay text."""

from __future__ import annotations

import pytest

from tests.app.corpus import ALMENDRO_EN, ALMENDRO_ES, QUESTION_EN, QUESTION_ES, QUESTION_XSS, XSS_TITLE

pytestmark = pytest.mark.slow
ANSWER_DONE = "#nb-chat .nb-meta-line"
CLAIM_STATED = "Four police officers were killed in Puerto Almendro"
CLAIM_WRONG = "Seven police officers were killed in Puerto Almendro"


@pytest.fixture
def page(browser, server):
    """A fresh tab on the app that records dialogs and any request leaving the server."""
    url = server[1]
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="en-US")
    tab = context.new_page()
    tab.dialogs = []
    tab.outside = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.on(
        "request",
        lambda r: tab.outside.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None,
    )
    tab.goto(url)
    tab.wait_for_selector("#nb-question textarea")
    yield tab
    context.close()


def ask(page, question: str, turn: int = 1) -> None:
    page.fill("#nb-question textarea", question)
    page.click("#nb-ask")
    page.locator(ANSWER_DONE).nth(turn - 1).wait_for(timeout=60_000)


def check(page, claim: str, tab: str = "Check a claim") -> None:
    """Check `claim` in the Check tab and wait for its verdict."""
    page.get_by_role("tab", name=tab).click()
    page.fill("#nb-ck-claim textarea", claim)
    page.click("#nb-ck-go")
    page.locator("#nb-check-panel .nb-check-claim q", has_text=claim).wait_for(timeout=60_000)


def download(page, selector: str):
    """(suggested file name, text) of the file the button `selector` downloads."""
    page.locator(selector).wait_for(state="visible", timeout=30_000)
    with page.expect_download() as info:
        page.click(selector)
    return info.value.suggested_filename, open(info.value.path(), encoding="utf-8").read()


def test_ask_and_open_a_citation(page, artifacts):
    ask(page, QUESTION_EN)
    source = page.locator("#src-t1-1")
    assert not source.locator("mark").first.is_visible(), "passages stay folded until a citation is clicked"
    page.locator("#nb-chat a.nb-cite").first.click()
    page.wait_for_selector("#src-t1-1[open].nb-active")
    mark = source.locator("blockquote.nb-passage mark").first
    assert mark.is_visible()
    assert "Four police officers were killed" in mark.inner_text()
    assert ALMENDRO_EN["title"] in source.inner_text() and ALMENDRO_EN["source"] in source.inner_text()
    link = source.locator("a.nb-link")
    assert link.get_attribute("href") == ALMENDRO_EN["url"]
    assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
    assert len(page.context.pages) == 1, "clicking [1] must not open a tab"
    page.screenshot(path=str(artifacts / "web_chat.png"), full_page=True)
    assert page.outside == [], f"the page fetched from outside: {page.outside}"
    assert page.dialogs == []


def test_spanish_interface_and_answer(page, artifacts):
    page.get_by_label("Español").check()
    page.wait_for_function("document.querySelector('#nb-ask').innerText.includes('Preguntar')")
    page.get_by_role("tab", name="Verificar una afirmación").wait_for()
    ask(page, QUESTION_ES)
    reply = page.locator("#nb-chat .nb-answer").last.inner_text()
    assert "Cuatro policías estatales murieron" in reply and "Respondido en español" in reply
    page.locator("#nb-chat a.nb-cite").first.click()
    source = page.locator("#src-t1-1")
    source.locator("mark").first.wait_for(state="visible")
    assert ALMENDRO_ES["title"] in source.inner_text()
    page.screenshot(path=str(artifacts / "web_chat_es.png"), full_page=True)


def test_hostile_article_displays_as_text(page, artifacts):
    ask(page, QUESTION_XSS)
    page.locator("#nb-chat a.nb-cite").first.click()
    page.locator("#src-t1-1 mark").first.wait_for(state="visible")
    page.wait_for_timeout(500)  # give any injected handler the chance to fire
    assert page.dialogs == [], f"a dialog fired: {page.dialogs}"
    chat = page.locator("#nb-chat").inner_text()
    assert "<script>alert('x')</script>" in chat
    panel = page.locator("#nb-sources-panel").inner_text()
    assert XSS_TITLE in panel and "<img src=x onerror=alert(1)>" in panel and "Tech <b>Daily</b>" in panel
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("#nb-sources-panel script, #nb-chat script").count() == 0
    assert page.locator("#src-t1-1 a.nb-link").count() == 0, "a javascript: URL must not become a link"
    page.screenshot(path=str(artifacts / "web_xss.png"), full_page=True)


def test_check_a_claim(page, artifacts):
    """A figure the corpus contradicts, then one it states: verdicts, linked reasons, quotes, downloads."""
    assert not page.locator("#nb-ck-download-html").is_visible(), "hidden until a claim is checked"
    check(page, CLAIM_WRONG)
    panel = page.locator("#nb-check-panel")
    verdict = panel.locator(".nb-check-verdict .nb-verdict")
    assert verdict.inner_text() == "Contradicted" and verdict.get_attribute("data-verdict") == "contradicted"
    assert verdict.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(254, 226, 226)", "red"
    figure = panel.locator(".nb-part").first
    assert figure.get_attribute("data-verdict") == "contradicted"
    assert "7 police officers dead" in figure.locator(".nb-part-text").inner_text()
    against = figure.locator(".nb-ev-against")
    assert ALMENDRO_ES["source"] in against.inner_text() and "7 Mar 2021" in against.inner_text()
    assert "Cuatro policías estatales murieron" in against.locator("mark").first.inner_text()

    # The [n] in the reason opens its source below, passage folded until then, quote marked.
    reason_cite = figure.locator(".nb-part-reason a.nb-cite").last
    anchor = reason_cite.get_attribute("data-source")
    assert anchor.startswith("src-ck-")
    source = page.locator(f"#{anchor}")
    assert not source.locator("mark").first.is_visible()
    reason_cite.click()
    page.wait_for_selector(f"#{anchor}[open].nb-active")
    assert source.locator("blockquote.nb-passage mark").first.is_visible()
    assert ALMENDRO_ES["title"] in source.inner_text()
    assert len(page.context.pages) == 1, "clicking [n] must not open a tab"

    name, text = download(page, "#nb-ck-download-html")
    assert name == "newsbot-check.html" and CLAIM_WRONG in text and "contradicted" in text
    assert "<mark>Cuatro policías estatales murieron" in text
    name, text = download(page, "#nb-ck-download-md")
    assert name == "newsbot-check.md" and "**Verdict: contradicted**" in text

    check(page, CLAIM_STATED)
    verdict = panel.locator(".nb-check-verdict .nb-verdict")
    assert verdict.inner_text() == "Supported"
    assert verdict.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(220, 252, 231)", "green"
    assert "1 independent outlet · 2 articles" in panel.locator(".nb-check-count").inner_text()
    _, text = download(page, "#nb-ck-download-html")
    assert CLAIM_STATED in text and "supported" in text, "the download follows the check on show"
    page.screenshot(path=str(artifacts / "web_check.png"), full_page=True)

    page.fill("#nb-ck-claim textarea", "   ")
    page.click("#nb-ck-go")
    panel.get_by_text("Type a claim to check first.").wait_for()
    page.locator("#nb-ck-download-html").wait_for(state="hidden")  # nothing to download after a bad input
    assert page.outside == [] and page.dialogs == []


def test_download_the_answer(page):
    assert not page.locator("#nb-answer-download-html").is_visible(), "hidden until there is an answer"
    ask(page, QUESTION_EN)
    assert "outlet" in page.locator("#nb-chat .nb-outlets").inner_text()
    name, text = download(page, "#nb-answer-download-html")
    assert name == "newsbot-answer.html" and "Four police officers were killed" in text
    assert ALMENDRO_EN["url"] in text
    name, text = download(page, "#nb-answer-download-md")
    assert name == "newsbot-answer.md" and QUESTION_EN in text
    page.click("#nb-new")
    page.locator("#nb-answer-download-html").wait_for(state="hidden")
    assert page.outside == [] and page.dialogs == []


def test_corpus_tab(page):
    page.get_by_role("tab", name="Corpus").click()
    stats = page.locator("#nb-stats")
    stats.get_by_text("5 documents").wait_for()
    assert "El Heraldo del Sur" in stats.inner_text()


def test_timeline_tab(page, artifacts):
    page.get_by_role("tab", name="Timeline").click()
    page.fill("#nb-tl-query textarea", "Puerto Almendro attack")
    page.click("#nb-tl-go")
    panel = page.locator("#nb-timeline-panel")
    panel.locator(".nb-tl-entry").first.wait_for(timeout=60_000)
    days = panel.locator(".nb-tl-date").all_inner_texts()
    assert days == ["Saturday, March 6, 2021", "Sunday, March 7, 2021"]
    first_day, second_day = panel.locator(".nb-tl-day").all_inner_texts()
    assert "Four police officers were killed" in first_day and ALMENDRO_EN["source"] in first_day
    assert "Cuatro policías estatales murieron" in second_day and ALMENDRO_ES["source"] in second_day
    assert "police officers dead: 4" in first_day
    panel.locator("a.nb-cite").first.click()
    page.wait_for_selector("#src-tl-1[open].nb-active")
    mark = panel.locator("#src-tl-1 blockquote.nb-passage mark").first
    assert mark.is_visible() and "Four police officers were killed" in mark.inner_text()
    assert ALMENDRO_EN["title"] in panel.locator("#src-tl-1").inner_text()
    page.screenshot(path=str(artifacts / "web_timeline.png"), full_page=True)
    assert page.outside == [] and page.dialogs == []


@pytest.mark.parametrize(("width", "height", "name"), [(1400, 950, "desktop"), (390, 844, "phone")])
def test_every_tab_fits_the_screen_and_is_photographed(browser, server, artifacts, width, height, name):
    """Chat, timeline, claim check and corpus at desktop and phone widths: nothing wider than the screen;
    screenshots are kept in artifacts/ for a person to look at."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    page.goto(server[1])
    page.wait_for_selector("#nb-question textarea")
    overflow = "document.documentElement.scrollWidth - window.innerWidth"
    ask(page, QUESTION_EN)
    assert page.evaluate(overflow) <= 1, "the chat is wider than the screen"
    page.screenshot(path=str(artifacts / f"web_chat_{name}.png"), full_page=True)
    page.get_by_role("tab", name="Timeline").click()
    page.fill("#nb-tl-query textarea", "Puerto Almendro attack")
    page.click("#nb-tl-go")
    page.locator("#nb-timeline-panel .nb-tl-entry").first.wait_for(timeout=60_000)
    assert page.evaluate(overflow) <= 1, "the timeline is wider than the screen"
    page.screenshot(path=str(artifacts / f"web_timeline_{name}.png"), full_page=True)
    check(page, CLAIM_WRONG)
    page.locator("#nb-check-panel .nb-part-reason a.nb-cite").last.click()
    page.locator("#nb-check-panel .nb-source.nb-active mark").first.wait_for(state="visible")
    page.locator("#nb-ck-download-html").wait_for(state="visible")
    assert page.evaluate(overflow) <= 1, "the claim check is wider than the screen"
    page.screenshot(path=str(artifacts / f"web_check_{name}.png"), full_page=True)
    page.get_by_role("tab", name="Corpus").click()
    page.locator("#nb-stats").get_by_text("5 documents").wait_for()
    assert page.evaluate(overflow) <= 1, "the corpus tab is wider than the screen"
    page.screenshot(path=str(artifacts / f"web_corpus_{name}.png"), full_page=True)
    context.close()
