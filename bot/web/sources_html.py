"""The sources panel: each citation of the latest answers with its outlet, date, language, link and passage."""

from __future__ import annotations

from bot.answer import Answer, Citation
from bot.web.answer_html import source_anchor
from bot.web.i18n import language_name, t
from bot.web.safe import esc, esc_multiline, link

TURNS_SHOWN = 8
"""How many answers keep their sources in the panel (the latest first)."""


def merge_spans(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Spans clipped to `0..length`, sorted, overlaps merged, empty ones dropped."""
    clipped = sorted((max(0, a), min(length, b)) for a, b in spans if min(length, b) > max(0, a))
    merged: list[tuple[int, int]] = []
    for a, b in clipped:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def highlight(passage: str, spans: list[tuple[int, int]]) -> str:
    """`passage` escaped, the quoted spans wrapped in `<mark>`."""
    out: list[str] = []
    cursor = 0
    for a, b in merge_spans(spans, len(passage)):
        out.append(esc_multiline(passage[cursor:a]))
        out.append(f"<mark>{esc_multiline(passage[a:b])}</mark>")
        cursor = b
    out.append(esc_multiline(passage[cursor:]))
    return "".join(out)


def render_citation(citation: Citation, turn: int, lang: str, *, open_: bool = False, anchor: str | None = None) -> str:
    """One source as a folded `<details>`; `anchor` overrides its element id (default: the chat turn's)."""
    anchor = anchor or source_anchor(turn, citation.n)
    unknown = t("unknown", lang)
    meta = [
        f'<span class="nb-outlet">{esc(citation.source or unknown)}</span>',
        f'<span class="nb-date">{esc(citation.date[:10] if citation.date else unknown)}</span>',
        f'<span class="nb-src-lang">{esc(language_name(citation.language, lang))}</span>',
    ]
    no_link = f'<span class="nb-dim">{esc(t("no_link", lang))}</span>'
    anchor_link = link(citation.url, t("open_article", lang)) or no_link
    return (
        f'<details class="nb-source" id="{anchor}" data-doc-id="{esc(citation.doc_id)}"{" open" if open_ else ""}>'
        f'<summary><span class="nb-n">&#91;{citation.n}&#93;</span> '
        f'<span class="nb-title">{esc(citation.title or citation.doc_id)}</span>'
        f'<span class="nb-src-meta">{" · ".join(meta)}</span></summary>'
        f'<div class="nb-src-body"><div class="nb-src-link">{anchor_link}'
        f' <span class="nb-dim nb-docid">{esc(citation.doc_id)}</span></div>'
        f'<blockquote class="nb-passage" aria-label="{esc(t("cited_passage", lang))}">'
        f"{highlight(citation.passage, citation.quote_spans)}</blockquote></div></details>"
    )


def render_turn(answer: Answer, turn: int, lang: str) -> str:
    citations = answer.nearest if answer.refused else answer.citations
    heading = t("nearest_sources", lang) if answer.refused else t("sources_for", lang)
    items = "".join(render_citation(c, turn, lang) for c in citations)
    return (
        f'<section class="nb-turn{" nb-turn-refused" if answer.refused else ""}" id="turn-{turn}">'
        f'<div class="nb-turn-q"><span class="nb-dim">{esc(heading)}:</span> {esc(answer.question)}</div>'
        f"{items}</section>"
    )


def render_sources(turns: list[Answer], lang: str) -> str:
    """The whole panel for a conversation: the latest answer's sources, then earlier ones folded away."""
    header = f'<div class="nb-sources-head">{esc(t("sources", lang))}</div>'
    if not turns:
        return (
            f'<div class="nb-sources" id="nb-sources">{header}'
            f'<p class="nb-dim nb-sources-empty">{esc_multiline(t("sources_empty", lang))}</p></div>'
        )
    numbered = list(enumerate(turns, start=1))[-TURNS_SHOWN:]
    latest_turn, latest = numbered[-1]
    earlier = "".join(render_turn(answer, turn, lang) for turn, answer in reversed(numbered[:-1]))
    earlier_html = (
        f'<details class="nb-earlier"><summary>{esc(t("earlier_answers", lang))}</summary>{earlier}</details>'
        if earlier
        else ""
    )
    return (
        f'<div class="nb-sources" id="nb-sources">{header}{render_turn(latest, latest_turn, lang)}{earlier_html}</div>'
    )
