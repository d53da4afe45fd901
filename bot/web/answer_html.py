"""Chat messages as safe HTML: linked [n] citations, flagged sentences, badges, notices, refusals.

Every message is a single `<div>` with no blank line inside, so Gradio's Markdown pass leaves it
alone; all text goes through `esc`, so an article can only ever display as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.answer import Answer, Citation, SourceCount
from bot.web.i18n import language_name, t
from bot.web.marks import Flag, flagged_sentences
from bot.web.safe import esc, esc_multiline
from prompts import load_prompt

MARKER = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
"""An inline citation marker: [1], [1, 2] or [1; 2]."""
POINT_END = re.compile(r"\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]\.?(?=\s+\S)")
"""A citation that closes a sentence ("… [2]" or "… [2]."): each cited point reads as its own paragraph,
so a three-quote answer is three short paragraphs rather than one dense block."""


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of `text`: it breaks after every sentence-closing citation."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in POINT_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return spans


def source_anchor(turn: int, n: int) -> str:
    """The element id of citation `n` of conversation turn `turn` in the sources panel."""
    return f"src-t{turn}-{n}"


def cite_link(turn: int, n: int, title: str = "") -> str:
    return cite_link_to(source_anchor(turn, n), n, title)


def cite_link_to(anchor: str, n: int, title: str = "") -> str:
    """A [n] link that opens the source with element id `anchor` (see the script in `assets.HEAD`)."""
    tip = f' title="{esc(title)}"' if title else ""
    return f'<a class="nb-cite" href="#{anchor}" data-source="{anchor}"{tip}>&#91;{n}&#93;</a>'


def linkify(text: str, turn: int, citations: dict[int, Citation] | None) -> str:
    """`text` escaped, each [n] that names a citation turned into a link to its source in the panel.

    With `citations=None` (still streaming) every number is linked; it resolves once the panel renders.
    """
    return linkify_to(text, lambda n: source_anchor(turn, n), citations)


def linkify_to(text: str, anchor: Callable[[int], str], citations: dict[int, Citation] | None) -> str:
    """`text` escaped, each [n] that names a citation linked to the element id `anchor(n)`; other numbers
    are shown struck out (`citations=None` links them all)."""
    out: list[str] = []
    cursor = 0
    for match in MARKER.finditer(text):
        out.append(esc_multiline(text[cursor : match.start()]))
        numbers = [int(n) for n in re.split(r"\s*[,;]\s*", match.group(1))]
        for n in numbers:
            if citations is None or n in citations:
                title = citations[n].title if citations else ""
                out.append(cite_link_to(anchor(n), n, title))
            else:
                out.append(f'<span class="nb-cite-missing">&#91;{n}&#93;</span>')
        cursor = match.end()
    out.append(esc_multiline(text[cursor:]))
    return "".join(out)


def _with_flags(text: str, flags: list[Flag], turn: int, citations: dict[int, Citation], lang: str) -> str:
    out: list[str] = []
    cursor = 0
    for flag in sorted(flags, key=lambda f: f.start):
        if flag.start < cursor:
            continue
        out.append(linkify(text[cursor : flag.start], turn, citations))
        label = t(f"verdict_{flag.verdict}", lang)
        tip = esc("; ".join(flag.reasons) or label)
        out.append(
            f'<span class="nb-flag nb-{esc(flag.verdict)}" title="{tip}">'
            f"{linkify(text[flag.start : flag.end], turn, citations)}"
            f'<sup class="nb-flag-label">&#9888; {esc(label)}</sup></span>'
        )
        cursor = flag.end
    out.append(linkify(text[cursor:], turn, citations))
    return "".join(out)


def _paragraphs(text: str, flags: list[Flag], turn: int, citations: dict[int, Citation], lang: str) -> str:
    """`text` as one `<p>` per cited point, each flag drawn within the paragraphs it covers."""
    out: list[str] = []
    for a, b in paragraph_spans(text):
        inside = [
            replace(f, start=max(f.start, a) - a, end=min(f.end, b) - a) for f in flags if f.start < b and f.end > a
        ]
        out.append(f'<p class="nb-para">{_with_flags(text[a:b], inside, turn, citations, lang)}</p>')
    return "".join(out)


def grounding_badge(answer: Answer, lang: str) -> str:
    """'3/3 sentences supported', green when all are, amber otherwise; empty without a report."""
    report = answer.grounding
    if report is None or not report.sentences:
        return ""
    supported, total = report.supported, len(report.sentences)
    tone = "nb-ok" if supported == total else "nb-warn"
    label = t("grounding_badge", lang, supported=supported, total=total)
    return f'<span class="nb-badge nb-grounding {tone}">{esc(label)}</span>'


def answers_badge(answer: Answer, lang: str) -> str:
    """'answers the question' (green) or 'may not answer: no count found' (amber) for a question asking
    for a count, a name, a place …; empty otherwise. Apart from the quotes' badge: a true quote can miss."""
    if answer.answers_question is None:
        return ""
    if answer.answers_question:
        return f'<span class="nb-badge nb-answers nb-ok">{esc(t("answers_yes", lang))}</span>'
    kind = t(f"kind_{answer.asked_for}", lang)
    return f'<span class="nb-badge nb-answers nb-warn">{esc(t("answers_no", lang, kind=kind))}</span>'


def counted(key: str, count: int, lang: str) -> str:
    """'1 outlet' / '3 outlets': the interface string `key`, or `key_one` for a count of one."""
    return t(f"{key}_one" if count == 1 else key, lang, count=count)


def source_count(sources: SourceCount, lang: str, *, independent: bool = False) -> str:
    """'3 outlets · 4 articles', or '3 independent outlets · 4 articles' where the word is needed."""
    outlets = counted("independent_outlets" if independent else "outlets", sources.outlets, lang)
    return f"{outlets} · {counted('articles', sources.articles, lang)}"


def sources_badge(answer: Answer, lang: str) -> str:
    """'3 outlets · 4 articles' behind a cited answer: copies of one wire story count as one outlet."""
    if answer.refused or not answer.citations:
        return ""
    return (
        f'<span class="nb-badge nb-outlets" title="{esc(t("outlets_tip", lang))}">'
        f"{esc(source_count(answer.sources, lang))}</span>"
    )


def meta_line(answer: Answer, lang: str) -> str:
    badges = [
        f'<span class="nb-badge nb-lang">{esc(t("answered_in", lang, name=language_name(answer.language, lang)))}'
        "</span>",
        sources_badge(answer, lang),
        answers_badge(answer, lang),
        grounding_badge(answer, lang),
        f'<span class="nb-badge nb-answerer">{esc(answer.answerer)}'
        + (f" · {answer.timings['total']:.2f} s" if "total" in answer.timings else "")
        + "</span>",
    ]
    return '<div class="nb-meta-line">' + " ".join(b for b in badges if b) + "</div>"


def notices_html(notices: list[str], lang: str) -> str:
    return "".join(
        f'<div class="nb-notice"><strong>{esc(t("notice", lang))}:</strong> {esc(note)}</div>' for note in notices
    )


def render_refusal(answer: Answer, turn: int, lang: str) -> str:
    """The refusal's first words, then the nearest sources listed once (the answer's text names them too)."""
    nearest = "".join(
        f"<li>{cite_link(turn, c.n, c.title)} {esc(c.title or c.doc_id)}"
        f' <span class="nb-dim">({esc(c.source or t("no_outlet", lang))}, '
        f"{esc(c.date[:10] if c.date else t('undated', lang))})</span></li>"
        for c in answer.nearest
    )
    nearest_html = (
        f'<div class="nb-nearest"><strong>{esc(t("nearest_sources", lang))}</strong><ul>{nearest}</ul></div>'
        if nearest
        else ""
    )
    return (
        '<div class="nb-answer nb-refusal">'
        f'<div class="nb-refusal-title">&#8856; {esc(t("refusal", lang))}</div>'
        f'<div class="nb-text">{esc(load_prompt("refusal", answer.language))}</div>'
        f"{nearest_html}{notices_html(answer.notices, lang)}{meta_line(answer, lang)}</div>"
    )


def render_answer(answer: Answer, turn: int, lang: str) -> str:
    """The finished answer as one chat message."""
    if answer.refused:
        return render_refusal(answer, turn, lang)
    citations = {c.n: c for c in answer.citations}
    located, missing = flagged_sentences(answer.text, answer.grounding)
    body = _paragraphs(answer.text, located, turn, citations, lang)
    unplaced = ""
    if missing:
        items = "".join(
            f'<li><span class="nb-flag nb-{esc(f.verdict)}">{esc(t(f"verdict_{f.verdict}", lang))}</span>'
            f"{': ' + esc('; '.join(f.reasons)) if f.reasons else ''}</li>"
            for f in missing
        )
        unplaced = f'<div class="nb-unplaced">{esc(t("flagged_sentences", lang))}<ul>{items}</ul></div>'
    return (
        f'<div class="nb-answer"><div class="nb-text">{body}</div>{unplaced}'
        f"{notices_html(answer.notices, lang)}{meta_line(answer, lang)}</div>"
    )


def render_partial(text: str, turn: int, lang: str) -> str:
    """An answer still streaming in."""
    body = (
        "".join(f'<p class="nb-para">{linkify(text[a:b], turn, None)}</p>' for a, b in paragraph_spans(text))
        if text
        else f'<span class="nb-dim">{esc(t("thinking", lang))}</span>'
    )
    return f'<div class="nb-answer nb-streaming"><div class="nb-text">{body}<span class="nb-cursor"></span></div></div>'


def render_question(text: str) -> str:
    return f'<div class="nb-question">{esc_multiline(text)}</div>'


def render_error(text: str) -> str:
    return f'<div class="nb-answer nb-error">&#9888; {esc(text)}</div>'
