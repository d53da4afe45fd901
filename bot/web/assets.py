"""Theme, CSS and the small script that opens a source when its [n] is clicked. Nothing is fetched."""

from __future__ import annotations

from typing import Any

import gradio as gr


def theme() -> gr.themes.Base:
    """The default theme on system fonts, so the page never asks Google Fonts for anything."""
    return gr.themes.Default(
        primary_hue="blue",
        font=[gr.themes.Font("system-ui"), gr.themes.Font("Segoe UI"), "Roboto", "Helvetica", "Arial", "sans-serif"],
        font_mono=[gr.themes.Font("ui-monospace"), "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    )


CSS = """
.nb-header h1 { margin: 0 0 .15rem 0; font-size: 1.5rem; }
.nb-header p { margin: 0; opacity: .8; }
#nb-answerer, #nb-answer-lang { overflow-wrap: anywhere; }  /* a long setting name must wrap at 390 px */
@media (max-width: 480px) { .tabs .tab-container button { padding: 0 9px; } }  /* four tabs fit at 390 px */
#nb-sources-col { position: sticky; top: .5rem; align-self: flex-start; }
#nb-sources-panel { max-height: 78vh; overflow-y: auto; }
.nb-sources { font-size: .92rem; line-height: 1.45; }
.nb-sources-head { font-weight: 700; font-size: 1.05rem; margin-bottom: .4rem; }
.nb-turn-q { margin: .2rem 0 .5rem; font-weight: 600; }
.nb-dim { opacity: .7; font-weight: normal; }
.nb-source { border: 1px solid var(--border-color-primary); border-radius: 8px; margin: 0 0 .5rem 0;
  padding: .35rem .6rem; background: var(--background-fill-primary); transition: box-shadow .3s, border-color .3s; }
.nb-source > summary { cursor: pointer; list-style-position: outside; margin-left: 1rem; }
.nb-source.nb-active { border-color: var(--color-accent); box-shadow: 0 0 0 3px var(--color-accent-soft); }
.nb-n { font-weight: 700; color: var(--color-accent); }
.nb-title { font-weight: 600; }
.nb-src-meta { display: block; font-size: .85em; opacity: .8; }
.nb-src-body { margin-top: .35rem; }
.nb-docid { font-size: .8em; font-family: var(--font-mono); }
.nb-passage { margin: .4rem 0 .2rem; padding: .3rem .6rem; border-left: 3px solid var(--border-color-accent);
  white-space: normal; }
.nb-passage mark, .nb-answer mark { background: #fde68a; color: #1f2937; padding: 0 .1em; border-radius: 2px; }
.nb-earlier > summary { cursor: pointer; margin: .6rem 0 .4rem; font-weight: 600; }
a.nb-cite { text-decoration: none; font-weight: 700; color: var(--color-accent); padding: 0 .1em;
  border-radius: 4px; cursor: pointer; }
a.nb-cite:hover, a.nb-cite:focus { background: var(--color-accent-soft); }
.nb-cite-missing { opacity: .6; text-decoration: line-through; }
.nb-para { margin: 0 0 .55rem 0; }
.nb-para:last-child { margin-bottom: 0; }
.nb-meta-line { margin-top: .45rem; display: flex; flex-wrap: wrap; gap: .3rem; }
.nb-badge { display: inline-block; font-size: .78rem; padding: .05rem .5rem; border-radius: 999px;
  border: 1px solid var(--border-color-primary); opacity: .95; }
.nb-badge.nb-ok { background: #dcfce7; color: #14532d; border-color: #86efac; }
.nb-badge.nb-warn { background: #fef3c7; color: #78350f; border-color: #fcd34d; }
.nb-flag { text-decoration: underline wavy #d97706; text-underline-offset: 3px; }
.nb-flag.nb-unsupported, .nb-flag.nb-uncited { text-decoration-color: #dc2626; }
.nb-flag-label { font-size: .7rem; color: #b45309; margin-left: .15rem; white-space: nowrap; }
.nb-notice { margin-top: .4rem; padding: .25rem .5rem; border-radius: 6px; background: var(--color-accent-soft);
  font-size: .88rem; }
.nb-refusal { border-left: 4px solid #9ca3af; padding-left: .6rem; }
.nb-refusal-title { font-weight: 700; color: #6b7280; margin-bottom: .2rem; }
.nb-nearest ul { margin: .2rem 0 0 1.1rem; }
.nb-error { color: #b91c1c; }
.nb-cursor::after { content: "▍"; animation: nb-blink 1s steps(2, start) infinite; margin-left: 2px; }
@keyframes nb-blink { to { visibility: hidden; } }
.nb-tables { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.nb-table { border-collapse: collapse; font-size: .9rem; min-width: 0; }
.nb-table caption { text-align: left; font-weight: 600; padding-bottom: .2rem; }
.nb-table td, .nb-table th { border: 0; border-bottom: 1px solid var(--border-color-primary); padding: .15rem .5rem; }
.nb-num { text-align: right; font-variant-numeric: tabular-nums; }
.nb-ingest ul { margin-left: 1.1rem; }
.nb-ingest-error, .nb-issues li { color: #b91c1c; }
.nb-timeline { max-width: 60rem; line-height: 1.45; }
.nb-tl-head { font-size: 1.05rem; font-weight: 600; margin: .2rem 0 .6rem; }
ol.nb-tl { list-style: none; margin: 0 0 1.2rem 0; padding: 0 0 0 1rem; border-left: 3px solid var(--color-accent); }
.nb-tl-day { position: relative; margin: 0 0 .9rem 0; }
.nb-tl-day::before { content: ""; position: absolute; left: calc(-1rem - 8px); top: .45rem; width: 13px; height: 13px;
  border-radius: 50%; background: var(--color-accent); border: 2px solid var(--background-fill-primary); }
.nb-tl-date { font-size: 1rem; font-weight: 700; margin: 0 0 .35rem 0; }
ul.nb-tl-entries { list-style: none; margin: 0; padding: 0; }
.nb-tl-entry { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .35rem .6rem;
  margin: 0 0 .4rem 0; background: var(--background-fill-primary); }
.nb-tl-meta { font-size: .85em; font-weight: 600; opacity: .85; }
.nb-tl-quote q { font-style: italic; }
.nb-tl-figures { margin-top: .25rem; display: flex; flex-wrap: wrap; gap: .3rem; }
.nb-chip { display: inline-block; font-size: .78rem; padding: .05rem .5rem; border-radius: 999px;
  background: var(--color-accent-soft); border: 1px solid var(--border-color-accent);
  font-variant-numeric: tabular-nums; }
.nb-tl-sources { max-width: 60rem; }
.nb-check { max-width: 60rem; line-height: 1.45; overflow-wrap: anywhere; }
.nb-check-head { display: flex; flex-wrap: wrap; align-items: center; gap: .35rem 1.2rem; margin: .2rem 0 .8rem; }
.nb-check-claim { flex: 1 1 100%; font-size: 1.05rem; font-weight: 600; }
.nb-check-count { font-size: .9rem; opacity: .85; }
.nb-verdict { display: inline-block; font-weight: 700; font-size: .8rem; padding: .05rem .6rem; border-radius: 999px;
  border: 1px solid; white-space: nowrap; }
.nb-check-verdict .nb-verdict { font-size: 1rem; padding: .15rem .8rem; }
.nb-verdict-supported { background: #dcfce7; color: #14532d; border-color: #86efac; }
.nb-verdict-contradicted { background: #fee2e2; color: #7f1d1d; border-color: #fca5a5; }
.nb-verdict-outdated, .nb-verdict-disputed { background: #fef3c7; color: #78350f; border-color: #fcd34d; }
.nb-verdict-not-in-archive { background: #e5e7eb; color: #374151; border-color: #d1d5db; }
ol.nb-parts { list-style: none; margin: 0 0 1.2rem 0; padding: 0; }
.nb-part { border: 1px solid var(--border-color-primary); border-left: 4px solid #9ca3af; border-radius: 8px;
  padding: .5rem .7rem; margin: 0 0 .6rem 0; background: var(--background-fill-primary); }
.nb-part[data-verdict="supported"] { border-left-color: #22c55e; }
.nb-part[data-verdict="contradicted"] { border-left-color: #ef4444; }
.nb-part[data-verdict="outdated"], .nb-part[data-verdict="disputed"] { border-left-color: #f59e0b; }
.nb-part-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .4rem; }
.nb-part-kind { font-size: .85em; font-weight: 600; opacity: .8; }
.nb-part-text { font-style: italic; }
.nb-part-reason { margin: .35rem 0; }
.nb-history { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem; font-size: .9em; margin: .3rem 0; }
.nb-evidence { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr)); gap: .4rem 1rem;
  margin-top: .4rem; }
.nb-ev-head { font-weight: 700; font-size: .9rem; margin-bottom: .2rem; }
.nb-ev-for .nb-ev-head { color: #15803d; }
.nb-ev-against .nb-ev-head { color: #b91c1c; }
.nb-check .nb-ev ul { list-style: none; margin: 0; padding: 0; font-size: inherit; }  /* not Gradio's small lists */
.nb-check .nb-ev-item { margin: 0 0 .6rem 0; font-size: inherit; }
.nb-ev-meta { font-size: .88em; font-weight: 600; }
.nb-check blockquote.nb-ev-quote { margin: .2rem 0 0 !important; }  /* Gradio's .prose blockquote is !important */
"""

HEAD = """
<script>
(function () {
  function openSource(id) {
    var el = document.getElementById(id);
    if (!el) { return false; }
    for (var node = el; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    document.querySelectorAll(".nb-source.nb-active").forEach(function (x) { x.classList.remove("nb-active"); });
    el.classList.add("nb-active");
    el.scrollIntoView({ behavior: "smooth", block: "nearest" });
    return true;
  }
  window.newsbotOpenSource = openSource;
  document.addEventListener("click", function (ev) {
    var target = ev.target && ev.target.closest ? ev.target.closest("a.nb-cite, a[href^='#src-']") : null;
    if (!target) { return; }
    var id = target.getAttribute("data-source") || (target.getAttribute("href") || "").replace(/^#/, "");
    if (!/^src-(t[0-9]+|tl|ck)-[0-9]+$/.test(id)) { return; }
    ev.preventDefault();
    ev.stopPropagation();
    openSource(id);
  }, true);
})();
</script>
"""


def launch_style() -> dict[str, Any]:
    """The appearance arguments for `Blocks.launch` (Gradio 6 takes them there, not in the constructor)."""
    return {"theme": theme(), "css": CSS, "head": HEAD}
