"""The Check tab: a claim's verdict, each part's verdict and reason, the dated reports for and against it.

Renders a `bot.claims.types.ClaimCheck`. The reasons are written by the checker in the claim's
language; every label follows the interface language. The sources reuse the chat panel's
`render_citation` under their own element ids (`src-ck-<n>`), so a [n] here opens the right passage
even with the chat's and the timeline's sources on the same page.
"""

from __future__ import annotations

from bot.answer import Citation
from bot.claims.types import ClaimCheck, ClaimPart, ClaimVerdict
from bot.news.compose import grouped, quantity_label
from bot.news.dates import human_date
from bot.news.figures import figures_in
from bot.web.answer_html import cite_link_to, linkify_to, source_count
from bot.web.i18n import t, ui_language
from bot.web.safe import esc, esc_multiline, link
from bot.web.sources_html import render_citation
from index.lexical import tokenize
from prompts import message

UNDATED = "\uffff"
"""Sort key of a report without a date: after every dated one."""


def check_anchor(n: int) -> str:
    """The element id of the check's source `n`."""
    return f"src-ck-{n}"


def verdict_label(verdict: ClaimVerdict, lang: str) -> str:
    """'Supported', 'Not in the archive' / 'Confirmada', … in the interface language."""
    label = message(f"verdict_{verdict}", ui_language(lang))
    return label[:1].upper() + label[1:]


def verdict_badge(verdict: ClaimVerdict, lang: str) -> str:
    """The verdict as a coloured pill: green supported, red contradicted, amber outdated or disputed,
    grey not in the archive (the colours are in `assets.CSS`; the word carries the meaning too)."""
    return (
        f'<span class="nb-verdict nb-verdict-{esc(verdict.replace("_", "-"))}" data-verdict="{esc(verdict)}">'
        f"{esc(verdict_label(verdict, lang))}</span>"
    )


def figure_text(part: ClaimPart, lang: str) -> str:
    """'at least 50 dead' / 'al menos 50 muertos': the claimed figure named in the interface language."""
    try:
        label = quantity_label(part.quantity, ui_language(lang))
    except KeyError:
        label = part.quantity
    figure = f"{grouped(part.value or 0, ui_language(lang))} {label}".strip()
    return figure if part.bound == "exact" else t(f"check_{part.bound}", lang, figure=figure)


def part_quotes(part: ClaimPart, citation: Citation) -> list[str]:
    """The quoted sentences of `citation` that bear on `part`.

    One article's citation gathers the sentences every part of the check relies on, so under a part
    only its own are shown: for a figure, those giving a value reported for its quantity; for a
    statement, those sharing most words with it. All of them when nothing tells them apart.
    """
    quotes = citation.quotes
    if len(quotes) <= 1:
        return quotes
    if part.kind == "figure":
        values = {report.value for report in part.history if report.n == citation.n}
        own = [q for q in quotes if any(f.value in values for f in figures_in(q))]
    else:
        words = set(tokenize(part.text, citation.language))
        shares = [len(words & set(tokenize(q, citation.language))) for q in quotes]
        own = [q for q, share in zip(quotes, shares, strict=True) if share and share == max(shares)]
    return own or quotes


def _day(raw: str) -> str:
    return (raw or "").strip()[:10] or UNDATED


def _when(raw: str, lang: str) -> str:
    """The report's date as the reasons write it ('6 Mar 2021'), in a `<time>` when it has one."""
    day = _day(raw)
    if day == UNDATED:
        return f'<span class="nb-date">{esc(t("undated", lang))}</span>'
    return f'<time class="nb-date" datetime="{esc(day)}">{esc(human_date(day, ui_language(lang)))}</time>'


def render_evidence(part: ClaimPart, citation: Citation, lang: str) -> str:
    """One report for or against `part`: outlet, date, [n], link, and the quoted sentences marked."""
    no_link = f'<span class="nb-dim">{esc(t("no_link", lang))}</span>'
    article = link(citation.url, t("open_article", lang)) or no_link
    quotes = "".join(f"<mark>{esc_multiline(q)}</mark> " for q in part_quotes(part, citation)).rstrip()
    quote_html = f'<blockquote class="nb-passage nb-ev-quote">{quotes}</blockquote>' if quotes else ""
    return (
        f'<li class="nb-ev-item" data-n="{citation.n}"><div class="nb-ev-meta">'
        f'<span class="nb-outlet">{esc(citation.source or t("no_outlet", lang))}</span> · {_when(citation.date, lang)}'
        f" {cite_link_to(check_anchor(citation.n), citation.n, citation.title)} · {article}</div>{quote_html}</li>"
    )


def _evidence_group(kind: str, numbers: list[int], part: ClaimPart, citations: dict[int, Citation], lang: str) -> str:
    """The reports `numbers` under the heading 'Reports for' or 'Reports against', oldest first."""
    cited = sorted((citations[n] for n in numbers if n in citations), key=lambda c: (_day(c.date), c.n))
    if not cited:
        return ""
    items = "".join(render_evidence(part, c, lang) for c in cited)
    heading = esc(t(f"check_{kind}", lang))
    return f'<div class="nb-ev nb-ev-{kind}"><div class="nb-ev-head">{heading}</div><ul>{items}</ul></div>'


def render_history(part: ClaimPart, citations: dict[int, Citation], lang: str) -> str:
    """How the figure's quantity was reported, oldest first: the chain its verdict was read from (a single
    report is already among the reports for or against)."""
    if len(part.history) < 2:
        return ""
    chips = "".join(
        f'<span class="nb-chip">{esc(grouped(r.value, ui_language(lang)))} · {_when(r.date, lang)}'
        f" · {esc(r.source or t('no_outlet', lang))} "
        f"{cite_link_to(check_anchor(r.n), r.n, citations[r.n].title if r.n in citations else '')}</span>"
        for r in part.history
    )
    return f'<div class="nb-history"><span class="nb-dim">{esc(t("check_history", lang))}:</span> {chips}</div>'


def render_part(part: ClaimPart, citations: dict[int, Citation], claim_language: str, lang: str) -> str:
    """One part: its verdict, what it claims, why (the [n] linked to the sources below), the reports."""
    claimed = figure_text(part, lang) if part.kind == "figure" else part.text
    reason = linkify_to(part.reason, check_anchor, citations)
    evidence = _evidence_group("for", part.supporting, part, citations, lang) + _evidence_group(
        "against", part.opposing, part, citations, lang
    )
    evidence_html = f'<div class="nb-evidence">{evidence}</div>' if evidence else ""
    return (
        f'<li class="nb-part" data-verdict="{esc(part.verdict)}"><div class="nb-part-head">'
        f"{verdict_badge(part.verdict, lang)} "
        f'<span class="nb-part-kind">{esc(t(f"check_{part.kind}", lang))}:</span> '
        f'<q class="nb-part-text">{esc(claimed)}</q></div>'
        f'<p class="nb-part-reason" lang="{esc(claim_language)}">{reason}</p>'
        f"{render_history(part, citations, lang)}"
        f"{evidence_html}</li>"
    )


def _box(inner: str, extra_class: str = "") -> str:
    return f'<div class="nb-check{extra_class}" id="nb-check">{inner}</div>'


def render_check_message(text: str, *, error: bool = False) -> str:
    """The panel holding only a message (the intro, or what went wrong)."""
    tone = "nb-error" if error else "nb-dim"
    return _box(f'<p class="{tone} nb-check-message">{esc_multiline(text)}</p>', " nb-check-empty")


def render_check(check: ClaimCheck | None, lang: str) -> str:
    """The whole panel: the claim and its overall verdict, the outlets behind it, each part with its
    reports for and against, then the sources they quote. None (nothing checked yet) explains the tab."""
    if check is None:
        return render_check_message(t("check_intro", lang))
    citations = {c.n: c for c in check.citations}
    count = (
        f'<div class="nb-check-count" title="{esc(t("outlets_tip", lang))}">'
        f"{esc(source_count(check.sources, lang, independent=True))}</div>"
        if check.sources.articles
        else ""
    )
    parts = "".join(render_part(p, citations, check.language, lang) for p in check.parts)
    sources = "".join(
        render_citation(c, 0, lang, anchor=check_anchor(c.n)) for c in sorted(citations.values(), key=lambda c: c.n)
    )
    sources_html = (
        f'<div class="nb-sources nb-check-sources" id="nb-check-sources">'
        f'<div class="nb-sources-head">{esc(t("sources", lang))}</div>{sources}</div>'
        if sources
        else ""
    )
    return _box(
        f'<div class="nb-check-head"><div class="nb-check-claim">'
        f'<span class="nb-dim">{esc(t("check_claim", lang))}:</span> '
        f'<q lang="{esc(check.language)}">{esc(check.claim)}</q></div>'
        f'<div class="nb-check-verdict"><span class="nb-dim">{esc(t("check_verdict", lang))}:</span> '
        f"{verdict_badge(check.verdict, lang)}</div>{count}</div>"
        f'<ol class="nb-parts">{parts}</ol>{sources_html}'
    )
