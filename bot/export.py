"""An answer or a claim check as a piece to paste: Markdown, JSON or one self-contained HTML page.

Every format carries the numbered citations a reader needs to follow the evidence: title, outlet,
date, link and the quoted span. HTML is escaped throughout (article text is untrusted), has its
style inline and fetches nothing.
"""

from __future__ import annotations

import json
from typing import Literal

from bot.answer import Answer, Citation, SourceCount
from bot.claims.types import ClaimCheck
from bot.web.safe import esc, safe_url
from prompts import message

Format = Literal["md", "json", "html"]
FORMATS: tuple[Format, ...] = ("md", "json", "html")
MEDIA_TYPES = {"md": "text/markdown", "json": "application/json", "html": "text/html"}


def export(result: Answer | ClaimCheck, fmt: Format) -> str:
    """`result` rendered as `fmt`."""
    if fmt == "json":
        return to_json(result)
    if fmt == "md":
        return to_markdown(result)
    if fmt == "html":
        return to_html(result)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def to_json(result: Answer | ClaimCheck) -> str:
    """The whole typed result, with `kind` saying which it is."""
    kind = "claim_check" if isinstance(result, ClaimCheck) else "answer"
    return json.dumps({"kind": kind, **result.model_dump(mode="json")}, ensure_ascii=False, indent=1)


# -- Markdown -------------------------------------------------------------------------------------
def to_markdown(result: Answer | ClaimCheck) -> str:
    lang = result.language
    lines = _claim_markdown(result) if isinstance(result, ClaimCheck) else _answer_markdown(result)
    citations = result.citations or (result.nearest if isinstance(result, Answer) else [])
    lines += ["", f"**{message('export_sources', lang)}** · {_sources_line(result.sources, lang)}", ""]
    lines += [_citation_markdown(c, lang) for c in citations]
    return "\n".join(lines).rstrip() + "\n"


def _answer_markdown(answer: Answer) -> list[str]:
    lines = [f"## {_md(answer.question)}", "", _md(answer.text)]
    lines += [f"> {_md(note)}" for note in answer.notices]
    return lines


def _claim_markdown(check: ClaimCheck) -> list[str]:
    lang = check.language
    lines = [f"## {message('export_claim', lang)}: {_md(check.claim)}", ""]
    lines.append(f"**{message('export_verdict', lang)}: {message(f'verdict_{check.verdict}', lang)}**")
    lines.append("")
    for part in check.parts:
        lines.append(f"- {message(f'verdict_{part.verdict}', lang)} — {_md(part.reason)}")
    return lines


def _citation_markdown(citation: Citation, lang: str) -> str:
    meta = ", ".join(x for x in (citation.source or message("no_outlet", lang), citation.date[:10]) if x)
    url = safe_url(citation.url)
    head = f"{citation.n}. **{_md(citation.title or citation.doc_id)}** — {_md(meta)}" + (
        f" <{citation.url}>" if url else ""
    )
    quotes = [f"   > {_md(q)}" for q in citation.quotes]
    return "\n".join([head, *quotes])


def _md(text: str) -> str:
    """Text safe in Markdown: no raw HTML, no accidental emphasis or code ([n] markers stay as they are)."""
    return "".join("\\" + ch if ch in "\\`*_<>" else ch for ch in text.replace("\n", " "))


# -- HTML -----------------------------------------------------------------------------------------
_STYLE = """body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.3rem}.verdict{display:inline-block;padding:.1rem .6rem;border-radius:999px;font-weight:700}
.supported{background:#dcfce7}.contradicted{background:#fee2e2}.outdated,.disputed{background:#fef3c7}
.not_in_archive{background:#e5e7eb}ol.sources li{margin:.5rem 0}blockquote{margin:.3rem 0;padding:.2rem .7rem;
border-left:3px solid #93c5fd;background:#f8fafc}mark{background:#fde68a}.meta{color:#4b5563;font-size:.9em}
.notice{background:#eff6ff;padding:.3rem .6rem;border-radius:6px}"""


def to_html(result: Answer | ClaimCheck) -> str:
    """One page, style inline, nothing fetched; every text escaped."""
    lang = result.language
    body = _claim_html(result) if isinstance(result, ClaimCheck) else _answer_html(result)
    citations = result.citations or (result.nearest if isinstance(result, Answer) else [])
    items = "".join(_citation_html(c, lang) for c in citations)
    title = result.claim if isinstance(result, ClaimCheck) else result.question
    return (
        f'<!doctype html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>{body}"
        f"<h2>{esc(message('export_sources', lang))}</h2>"
        f'<p class="meta">{esc(_sources_line(result.sources, lang))}</p>'
        f'<ol class="sources">{items}</ol></body></html>\n'
    )


def _answer_html(answer: Answer) -> str:
    notes = "".join(f'<p class="notice">{esc(note)}</p>' for note in answer.notices)
    return f"<h1>{esc(answer.question)}</h1><p>{esc(answer.text)}</p>{notes}"


def _claim_html(check: ClaimCheck) -> str:
    lang = check.language
    verdict = f'<span class="verdict {esc(check.verdict)}">{esc(message(f"verdict_{check.verdict}", lang))}</span>'
    parts = "".join(
        f'<li><span class="verdict {esc(p.verdict)}">{esc(message(f"verdict_{p.verdict}", lang))}</span> '
        f"{esc(p.reason)}</li>"
        for p in check.parts
    )
    return (
        f"<h1>{esc(message('export_claim', lang))}: {esc(check.claim)}</h1>"
        f"<p>{esc(message('export_verdict', lang))}: {verdict}</p><ul>{parts}</ul>"
    )


def _citation_html(citation: Citation, lang: str) -> str:
    meta = ", ".join(x for x in (citation.source or message("no_outlet", lang), citation.date[:10]) if x)
    href = safe_url(citation.url)
    title = esc(citation.title or citation.doc_id)
    heading = f'<a href="{href}" rel="noopener noreferrer">{title}</a>' if href else title
    quotes = "".join(f"<blockquote><mark>{esc(q)}</mark></blockquote>" for q in citation.quotes)
    return f'<li value="{citation.n}"><strong>{heading}</strong> <span class="meta">{esc(meta)}</span>{quotes}</li>'


def _sources_line(sources: SourceCount, lang: str) -> str:
    return message("export_source_count", lang, outlets=sources.outlets, articles=sources.articles)
