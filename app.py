"""The newsbot web chat (Gradio): streamed, cited answers with a sources panel, a Timeline tab, a tab
that checks a claim against the archive, and a Corpus tab.

    python app.py [--host 127.0.0.1] [--port 7860] [--store DIR] [--auth user:pass|FILE]

Offline by design: system fonts only, no analytics, no share link, bound to 127.0.0.1 by default.
Login is optional: `--auth` or the NEWSBOT_AUTH environment variable (user:pass, or a file of
user:pass lines). `newsbot serve` calls `start`, without the INFO logs and Gradio's banner.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import Answer, NewsBot, Settings  # first: sets the offline environment before gradio is imported

# isort: split
import gradio as gr
from threadpoolctl import threadpool_limits

# isort: split
from bot.claims.types import ClaimCheck
from bot.settings import load_settings
from bot.web import DEFAULT_HOST, DEFAULT_PORT
from bot.web.answer_html import render_error, render_question
from bot.web.assets import launch_style
from bot.web.auth import parse_auth
from bot.web.chat import InputError, build_filters, stream_turn
from bot.web.claims_html import render_check, render_check_message
from bot.web.corpus_html import language_choices, render_ingest, render_stats, source_choices
from bot.web.downloads import DOWNLOAD_FORMATS, export_file
from bot.web.i18n import (
    DEFAULT_UI_LANGUAGE,
    answer_language_choices,
    answerer_choices,
    from_accept_language,
    interface_language,
    t,
)
from bot.web.safe import esc
from bot.web.session import ReadWriteLock, WebSession
from bot.web.sources_html import render_sources
from bot.web.timeline_html import render_timeline, render_timeline_message
from bot.web.workers import AnswerProcesses
from index.errors import ServerStartError

log = logging.getLogger("newsbot.app")
TRACK_TQDM = gr.Progress(track_tqdm=True)

CONCURRENCY_LIMIT = 4
"""Questions answered at once; the rest wait in the queue (the work is CPU-bound)."""
SERVER_BLAS_THREADS = 1
"""BLAS threads of the serving process. A question's matrix products are small (one query against ~130
passages), and OpenBLAS's idle threads spin after each one: one web request sequentially cost 121 ms of
server CPU with numpy's default of one thread per core and 51 ms with one thread (wall 74 -> 66 ms; 100
questions at 100k chunks on 2 cores), CPU that a second worker or the Chroma server on the machine needs.
Ingests started from the web app encode in child processes, which use one BLAS thread already."""
QUEUE_SIZE = 256
QUEUE_ANALYTICS_ENV = {"GRADIO_ANALYTICS_CACHE_FREQUENCY": str(2**62), "GRADIO_ANALYTICS_MAX_EVENTS": "1"}
"""Gradio's queue summarises its event history with pandas after every event (a DataFrame of up to 10,000
past events, grouped, with percentiles) for a monitoring page newsbot never enables: ~1.5 ms an event
at first, 6 ms once 10,000 events are kept, two events a question. These keep one event and never
summarise; a value the user sets wins."""
MAX_UPLOAD = "200mb"
UPLOAD_TYPES = [".jsonl", ".json", ".csv", ".txt", ".md", ".markdown", ".html", ".htm"]
EXAMPLES = [
    "who was killed in Villa Unión?",
    "¿quién murió en Villa Unión?",
    "How many people died in the attack on Villa Unión?",
    "¿Cuántos empleos generará la planta de Autopartes Ardeo?",
    "What is the exhibition 'Two Banks, One River'?",
]


def _header(lang: str) -> str:
    return f'<div class="nb-header"><h1>{esc(t("title", lang))}</h1><p>{esc(t("subtitle", lang))}</p></div>'


def _filter_controls(stats: dict[str, Any], settings: Settings, lang: str) -> tuple[Any, ...]:
    """(accordion, languages, outlets, since, until): the search filters, folded away."""
    with gr.Accordion(t("filters", lang), open=False) as box:
        with gr.Row():
            choices = language_choices(stats, settings.languages, lang)
            langs = gr.CheckboxGroup(choices, label=t("filter_languages", lang))
            outlets = gr.Dropdown(source_choices(stats), value=[], multiselect=True, label=t("filter_sources", lang))
        with gr.Row():
            first, last = stats.get("date_range") or ("2020-01-01", "2020-12-31")
            since = gr.Textbox(label=t("since", lang), placeholder=first, max_lines=1)
            until = gr.Textbox(label=t("until", lang), placeholder=last, max_lines=1)
    return box, langs, outlets, since, until


def _filter_updates(stats: dict[str, Any], settings: Settings, lang: str) -> list[Any]:
    """Relabelled `_filter_controls`, in the same order."""
    return [
        gr.update(label=t("filters", lang)),
        gr.update(label=t("filter_languages", lang), choices=language_choices(stats, settings.languages, lang)),
        gr.update(label=t("filter_sources", lang), choices=source_choices(stats)),
        gr.update(label=t("since", lang)),
        gr.update(label=t("until", lang)),
    ]


def _download_buttons(key: str, lang: str, elem_prefix: str) -> tuple[Any, ...]:
    """One button per `DOWNLOAD_FORMATS`, hidden until there is something to download."""
    return tuple(
        gr.DownloadButton(
            t(key, lang, format=name), visible=False, size="sm", min_width=200, elem_id=f"{elem_prefix}-{fmt}"
        )
        for fmt, name in DOWNLOAD_FORMATS.items()
    )


def _download_labels(key: str, lang: str) -> list[Any]:
    """Relabelled `_download_buttons`, their file and visibility untouched."""
    return [gr.update(label=t(key, lang, format=name)) for name in DOWNLOAD_FORMATS.values()]


def _downloads(result: Answer | ClaimCheck | None) -> list[Any]:
    """The download buttons offering `result` in each format, or hidden when there is nothing to export."""
    hidden = [gr.update(value=None, visible=False) for _ in DOWNLOAD_FORMATS]
    if result is None:
        return hidden
    try:
        return [gr.update(value=str(export_file(result, fmt)), visible=True) for fmt in DOWNLOAD_FORMATS]
    except OSError:  # no room in the temp folder: the result stays on screen, only its download is missing
        log.exception("writing the export failed")
        return hidden


def _copy(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(m) for m in messages]


@dataclass
class AppContext:
    """What every tab's handlers share: the bot, its settings and the lock that keeps uploads apart from
    questions."""

    bot: NewsBot
    settings: Settings
    lock: ReadWriteLock
    lang0: str = DEFAULT_UI_LANGUAGE
    workers: AnswerProcesses | None = None
    """Where extractive answers are made when `settings.answer_processes` is set (see bot/web/workers.py)."""

    @property
    def llm_ok(self) -> bool:
        return self.settings.llm_configured


# -- chat tab -------------------------------------------------------------------------------------
@dataclass
class ChatTab:
    tab: Any
    answer_lang: Any
    answerer: Any
    filters: tuple[Any, ...]  # accordion, languages, outlets, since, until
    chatbot: Any
    question: Any
    ask: Any
    new_chat: Any
    downloads: tuple[Any, ...]  # the latest answer, one button per format
    sources: Any

    def labelled(self) -> list[Any]:
        """The components `labels` updates, in its order."""
        return [
            self.tab,
            self.answer_lang,
            self.answerer,
            *self.filters,
            self.question,
            self.ask,
            self.new_chat,
            *self.downloads,
            self.sources,
        ]

    def labels(self, ctx: AppContext, lang: str, stats: dict[str, Any], session: WebSession | None) -> list[Any]:
        return [
            gr.update(label=t("tab_chat", lang)),
            gr.update(label=t("answer_language", lang), choices=answer_language_choices(lang)),
            gr.update(
                label=t("answerer", lang),
                choices=answerer_choices(lang),
                info=None if ctx.llm_ok else t("llm_unavailable", lang),
            ),
            *_filter_updates(stats, ctx.settings, lang),
            gr.update(placeholder=t("question_placeholder", lang)),
            gr.update(value=t("ask", lang)),
            gr.update(value=t("new_conversation", lang)),
            *_download_labels("download_answer", lang),
            render_sources(session.turns if session else [], lang),
        ]


def _chat_tab(ctx: AppContext, stats: dict[str, Any], examples: Sequence[str]) -> ChatTab:
    lang0, settings = ctx.lang0, ctx.settings
    with gr.Tab(t("tab_chat", lang0), id="chat") as tab, gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=380):
            with gr.Row():
                answer_lang = gr.Radio(
                    answer_language_choices(lang0),
                    value="auto",
                    label=t("answer_language", lang0),
                    elem_id="nb-answer-lang",
                )
                answerer = gr.Radio(
                    answerer_choices(lang0),
                    value="llm" if ctx.llm_ok and settings.answerer == "llm" else "extractive",
                    label=t("answerer", lang0),
                    interactive=ctx.llm_ok,
                    info=None if ctx.llm_ok else t("llm_unavailable", lang0),
                    elem_id="nb-answerer",
                )
            filters = _filter_controls(stats, settings, lang0)
            chatbot = gr.Chatbot(
                elem_id="nb-chat",
                show_label=False,
                height=520,
                latex_delimiters=[],
                sanitize_html=True,
                render_markdown=True,
                feedback_options=None,
                buttons=[],
                group_consecutive_messages=False,
            )
            with gr.Row(equal_height=True):
                question = gr.Textbox(
                    show_label=False,
                    placeholder=t("question_placeholder", lang0),
                    lines=1,
                    max_lines=4,
                    scale=6,
                    elem_id="nb-question",
                    autofocus=True,
                )
                ask = gr.Button(t("ask", lang0), variant="primary", scale=1, min_width=90, elem_id="nb-ask")
            with gr.Row():
                new_chat = gr.Button(t("new_conversation", lang0), size="sm", min_width=200, elem_id="nb-new")
                downloads = _download_buttons("download_answer", lang0, "nb-answer-download")
            gr.Examples([[q] for q in examples], inputs=[question], label=t("examples", lang0))
        with gr.Column(scale=2, min_width=300, elem_id="nb-sources-col"):
            sources = gr.HTML(render_sources([], lang0), elem_id="nb-sources-panel")
    return ChatTab(tab, answer_lang, answerer, filters, chatbot, question, ask, new_chat, downloads, sources)


def _wire_chat(ctx: AppContext, chat: ChatTab, web: Any, ui_lang: Any) -> None:
    def respond(
        text: str,
        lang_choice: str,
        langs: list[str],
        outlets: list[str],
        since_: str,
        until_: str,
        answerer_: str,
        session: WebSession | None,
        lang: str,
    ) -> Iterator[tuple[Any, list[dict[str, Any]], str, WebSession]]:
        session = session or WebSession.start(ctx.bot)
        lang = lang or ctx.lang0
        text = (text or "").strip()
        if not text:
            yield gr.update(), _copy(session.messages), render_sources(session.turns, lang), session
            return
        try:
            filters = build_filters(langs, outlets, since_, until_, lang)
        except InputError as exc:
            session.messages += [
                {"role": "user", "content": render_question(text)},
                {"role": "assistant", "content": render_error(str(exc))},
            ]
            yield "", _copy(session.messages), render_sources(session.turns, lang), session
            return
        language = lang_choice if lang_choice in ("en", "es") else None
        for messages, panel in stream_turn(
            ctx.bot,
            session,
            text,
            language=language,
            filters=filters,
            answerer=answerer_,
            lang=lang,
            lock=ctx.lock,
            workers=ctx.workers,
        ):
            yield "", _copy(messages), panel, session

    def latest_answer_downloads(session: WebSession | None) -> list[Any]:
        return _downloads(session.turns[-1] if session and session.turns else None)

    # The API outputs stay (question box, chat, sources); the download buttons follow in a private step.
    gr.on(
        [chat.ask.click, chat.question.submit],
        respond,
        inputs=[chat.question, chat.answer_lang, *chat.filters[1:], chat.answerer, web, ui_lang],
        outputs=[chat.question, chat.chatbot, chat.sources, web],
        api_name="ask",
        api_description="Ask a question; streams (question box, chat messages, sources panel HTML).",
        show_progress="hidden",
    ).then(latest_answer_downloads, [web], list(chat.downloads), api_visibility="private", show_progress="hidden")

    def new_conversation(lang: str) -> tuple[list[Any], str, None]:
        return [], render_sources([], lang or ctx.lang0), None

    outputs = [chat.chatbot, chat.sources, web]
    downloads = list(chat.downloads)
    chat.new_chat.click(new_conversation, [ui_lang], outputs, api_name="new_conversation").then(
        latest_answer_downloads, [web], downloads, api_visibility="private", show_progress="hidden"
    )
    # The chat's own trash button starts over too, so the bot forgets the cleared turns.
    chat.chatbot.clear(new_conversation, [ui_lang], outputs, api_visibility="private").then(
        latest_answer_downloads, [web], downloads, api_visibility="private", show_progress="hidden"
    )


def _query_row(lang: str, keys: tuple[str, str, str], max_lines: int, elem_ids: tuple[str, str]) -> tuple[Any, Any]:
    """A tab's input line and its button; `keys` name the label, placeholder and button texts."""
    label, placeholder, button_text = keys
    with gr.Row(equal_height=True):
        box = gr.Textbox(
            label=t(label, lang),
            show_label=False,
            placeholder=t(placeholder, lang),
            lines=1,
            max_lines=max_lines,
            scale=6,
            elem_id=elem_ids[0],
        )
        button = gr.Button(t(button_text, lang), variant="primary", scale=1, min_width=90, elem_id=elem_ids[1])
    return box, button


# -- timeline tab ---------------------------------------------------------------------------------
@dataclass
class TimelineTab:
    tab: Any
    query: Any
    button: Any
    filters: tuple[Any, ...]
    panel: Any

    def labelled(self) -> list[Any]:
        return [self.tab, self.query, self.button, *self.filters, self.panel]

    def labels(self, ctx: AppContext, lang: str, stats: dict[str, Any], timeline: Any) -> list[Any]:
        return [
            gr.update(label=t("tab_timeline", lang)),
            gr.update(label=t("timeline_query", lang), placeholder=t("timeline_placeholder", lang)),
            gr.update(value=t("timeline_button", lang)),
            *_filter_updates(stats, ctx.settings, lang),
            render_timeline(timeline, lang),
        ]


def _timeline_tab(ctx: AppContext, stats: dict[str, Any]) -> TimelineTab:
    lang0 = ctx.lang0
    with gr.Tab(t("tab_timeline", lang0), id="timeline") as tab:
        query, button = _query_row(
            lang0, ("timeline_query", "timeline_placeholder", "timeline_button"), 3, ("nb-tl-query", "nb-tl-go")
        )
        filters = _filter_controls(stats, ctx.settings, lang0)
        panel = gr.HTML(render_timeline(None, lang0), elem_id="nb-timeline-panel")
    return TimelineTab(tab, query, button, filters, panel)


def _wire_timeline(ctx: AppContext, tl: TimelineTab, ui_lang: Any, last_timeline: Any) -> None:
    def show_timeline(
        query: str, langs: list[str], outlets: list[str], since_: str, until_: str, lang: str
    ) -> tuple[str, Any]:
        lang = lang or ctx.lang0
        query = (query or "").strip()
        if not query:
            return render_timeline(None, lang), None
        try:
            filters = build_filters(langs, outlets, since_, until_, lang)
        except InputError as exc:
            return render_timeline_message(str(exc), error=True), None
        try:
            with ctx.lock.read():
                timeline = ctx.bot.timeline(query, filters=filters)
        except Exception as exc:  # the reader sees the problem; the server keeps serving
            log.exception("timeline for %r failed", query)
            return render_timeline_message(t("error", lang, error=str(exc) or type(exc).__name__), error=True), None
        return render_timeline(timeline, lang), timeline

    gr.on(
        [tl.button.click, tl.query.submit],
        show_timeline,
        inputs=[tl.query, *tl.filters[1:], ui_lang],
        outputs=[tl.panel, last_timeline],
        api_name="timeline",
        api_description="A story's dated key facts, oldest first, each cited: (story, article languages, "
        "outlets, since, until) -> timeline HTML.",
    )


# -- check tab ------------------------------------------------------------------------------------
@dataclass
class CheckTab:
    tab: Any
    claim: Any
    button: Any
    filters: tuple[Any, ...]
    downloads: tuple[Any, ...]  # the check on show, one button per format
    panel: Any

    def labelled(self) -> list[Any]:
        return [self.tab, self.claim, self.button, *self.filters, *self.downloads, self.panel]

    def labels(self, ctx: AppContext, lang: str, stats: dict[str, Any], check: ClaimCheck | None) -> list[Any]:
        return [
            gr.update(label=t("tab_check", lang)),
            gr.update(label=t("check_claim", lang), placeholder=t("check_placeholder", lang)),
            gr.update(value=t("check_button", lang)),
            *_filter_updates(stats, ctx.settings, lang),
            *_download_labels("download_check", lang),
            render_check(check, lang),
        ]


def _check_tab(ctx: AppContext, stats: dict[str, Any]) -> CheckTab:
    lang0 = ctx.lang0
    with gr.Tab(t("tab_check", lang0), id="check") as tab:
        claim, button = _query_row(
            lang0, ("check_claim", "check_placeholder", "check_button"), 4, ("nb-ck-claim", "nb-ck-go")
        )
        filters = _filter_controls(stats, ctx.settings, lang0)
        with gr.Row():
            downloads = _download_buttons("download_check", lang0, "nb-ck-download")
        panel = gr.HTML(render_check(None, lang0), elem_id="nb-check-panel")
    return CheckTab(tab, claim, button, filters, downloads, panel)


def _wire_check(ctx: AppContext, ck: CheckTab, ui_lang: Any, last_check: Any) -> None:
    def check_claim(
        claim: str, langs: list[str], outlets: list[str], since_: str, until_: str, lang: str
    ) -> tuple[str, ClaimCheck | None]:
        lang = lang or ctx.lang0
        claim = (claim or "").strip()
        if not claim:
            return render_check_message(t("check_empty_claim", lang), error=True), None
        try:
            filters = build_filters(langs, outlets, since_, until_, lang)
        except InputError as exc:
            return render_check_message(str(exc), error=True), None
        try:
            with ctx.lock.read():
                check = ctx.bot.check(claim, filters=filters)
        except Exception as exc:  # the reader sees the problem; the server keeps serving
            log.exception("checking %r failed", claim)
            return render_check_message(t("error", lang, error=str(exc) or type(exc).__name__), error=True), None
        return render_check(check, lang), check

    def withdraw_downloads() -> list[Any]:
        return _downloads(None)

    # The API output stays the panel. The download buttons, in private steps, go while the claim is
    # checked (never offering the previous check beside the new one) and come back with its files.
    downloads = list(ck.downloads)
    gr.on(
        [ck.button.click, ck.claim.submit],
        withdraw_downloads,
        None,
        downloads,
        api_visibility="private",
        show_progress="hidden",
    ).then(
        check_claim,
        inputs=[ck.claim, *ck.filters[1:], ui_lang],
        outputs=[ck.panel, last_check],
        api_name="check",
        api_description="Hold a claim against the archive: (claim, article languages, outlets, since, until) -> "
        "HTML with the overall verdict, each part's verdict, reason and dated reports for and against, the sources.",
    ).then(_downloads, [last_check], downloads, api_visibility="private", show_progress="hidden")


# -- corpus tab -----------------------------------------------------------------------------------
@dataclass
class CorpusTab:
    tab: Any
    stats: Any
    refresh: Any
    uploads: Any
    ingest: Any
    report: Any

    def labelled(self) -> list[Any]:
        return [self.tab, self.stats, self.refresh, self.uploads, self.ingest]

    def labels(self, lang: str, stats: dict[str, Any]) -> list[Any]:
        return [
            gr.update(label=t("tab_corpus", lang)),
            render_stats(stats, lang),
            gr.update(value=t("refresh", lang)),
            gr.update(label=t("upload", lang)),
            gr.update(value=t("ingest", lang)),
        ]


def _corpus_tab(ctx: AppContext, stats: dict[str, Any]) -> CorpusTab:
    lang0 = ctx.lang0
    with gr.Tab(t("tab_corpus", lang0), id="corpus") as tab:
        stats_html = gr.HTML(render_stats(stats, lang0), elem_id="nb-stats")
        refresh = gr.Button(t("refresh", lang0), size="sm")
        uploads = gr.File(
            label=t("upload", lang0),
            file_count="multiple",
            file_types=UPLOAD_TYPES,
            type="filepath",
            elem_id="nb-upload",
        )
        ingest = gr.Button(t("ingest", lang0), variant="primary", elem_id="nb-ingest")
        report = gr.HTML(elem_id="nb-ingest-report")
    return CorpusTab(tab, stats_html, refresh, uploads, ingest, report)


def _wire_corpus(
    ctx: AppContext, corpus: CorpusTab, chat: ChatTab, others: Sequence[TimelineTab | CheckTab], ui_lang: Any
) -> None:
    """Refresh and uploads; both update the outlets and languages every tab's filters offer."""
    chat_filters = list(chat.filters[1:3])
    other_filters = [control for tab in others for control in tab.filters[1:3]]

    def refresh_corpus(lang: str) -> tuple[str, Any, Any]:
        stats = ctx.bot.stats()
        return (
            render_stats(stats, lang),
            gr.update(choices=language_choices(stats, ctx.settings.languages, lang)),
            gr.update(choices=source_choices(stats)),
        )

    def refresh_other_filters(lang: str) -> list[Any]:
        stats = ctx.bot.stats()
        languages, outlets = language_choices(stats, ctx.settings.languages, lang), source_choices(stats)
        return [gr.update(choices=c) for _ in others for c in (languages, outlets)]

    # The API outputs stay (stats, chat filters); the other tabs' filters follow in a private step.
    corpus.refresh.click(refresh_corpus, [ui_lang], [corpus.stats, *chat_filters], api_name="stats").then(
        refresh_other_filters, [ui_lang], other_filters, api_visibility="private"
    )

    def ingest_files(files: list[str] | None, lang: str, progress: gr.Progress = TRACK_TQDM) -> tuple[Any, ...]:
        paths = [str(getattr(f, "name", f)) for f in files or []]
        if not paths:
            return (f'<p class="nb-dim">{esc(t("ingest_none", lang))}</p>', *refresh_corpus(lang), gr.update())
        started = time.perf_counter()
        results: list[tuple[str, Any]] = []
        with ctx.lock.write():
            for i, path in enumerate(paths):
                name = Path(path).name
                progress(i / len(paths), desc=t("ingest_running", lang, name=name))
                try:
                    report = ctx.bot.ingest([path], progress=True)
                    report.issues = [issue.replace(str(path), name) for issue in report.issues]
                    results.append((name, report))
                except Exception as exc:  # one bad file must not stop the others
                    log.exception("ingesting %s failed", path)
                    results.append((name, str(exc) or type(exc).__name__))
        progress(1.0)
        report_html = render_ingest(results, lang, time.perf_counter() - started)
        return (report_html, *refresh_corpus(lang), None)

    corpus.ingest.click(
        ingest_files,
        [corpus.uploads, ui_lang],
        [corpus.report, corpus.stats, *chat_filters, corpus.uploads],
        api_name="ingest",
        concurrency_limit=1,
        concurrency_id="ingest",
    ).then(refresh_other_filters, [ui_lang], other_filters, api_visibility="private")


# -- the app --------------------------------------------------------------------------------------
def _wire_interface_language(
    ctx: AppContext,
    demo: gr.Blocks,
    tabs: tuple[Any, ChatTab, TimelineTab, CheckTab, CorpusTab],
    states: tuple[Any, Any, Any, Any, Any],
) -> None:
    """Every label follows the interface language: the browser's at load, then the answer-language choice."""
    header, chat, tl, ck, corpus = tabs
    browser_lang, ui_lang, web, last_timeline, last_check = states
    labelled = [header, *chat.labelled(), *tl.labelled(), *ck.labelled(), *corpus.labelled()]

    def relabel(lang: str, session: WebSession | None, timeline: Any, check: ClaimCheck | None) -> list[Any]:
        stats = ctx.bot.stats()
        return [
            _header(lang),
            *chat.labels(ctx, lang, stats, session),
            *tl.labels(ctx, lang, stats, timeline),
            *ck.labels(ctx, lang, stats, check),
            *corpus.labels(lang, stats),
        ]

    def on_load(request: gr.Request, session: WebSession | None, timeline: Any, check: ClaimCheck | None) -> list[Any]:
        headers = getattr(request, "headers", None) or {}
        browser = from_accept_language(headers.get("accept-language"))
        return [browser, browser, *relabel(browser, session, timeline, check)]

    shown = [web, last_timeline, last_check]
    demo.load(on_load, shown, [browser_lang, ui_lang, *labelled], api_visibility="private")

    def on_language(
        choice: str, browser: str, session: WebSession | None, timeline: Any, check: ClaimCheck | None
    ) -> list[Any]:
        lang = interface_language(choice, browser)
        return [lang, *relabel(lang, session, timeline, check)]

    chat.answer_lang.change(
        on_language,
        [chat.answer_lang, browser_lang, *shown],
        [ui_lang, *labelled],
        api_visibility="private",
        show_progress="hidden",
    )


def build_app(
    bot: NewsBot,
    settings: Settings | None = None,
    *,
    examples: Sequence[str] = EXAMPLES,
    concurrency_limit: int = CONCURRENCY_LIMIT,
) -> gr.Blocks:
    """The whole web app for `bot`, queued; launch it with `demo.launch(...)` (or use `main`)."""
    settings = settings or bot.settings
    workers = AnswerProcesses(settings, settings.answer_processes) if settings.answer_processes else None
    ctx = AppContext(bot, settings, ReadWriteLock(), workers=workers)
    stats = bot.stats()
    for key, value in QUEUE_ANALYTICS_ENV.items():
        os.environ.setdefault(key, value)
    with gr.Blocks(title="newsbot", fill_width=True, analytics_enabled=False) as demo:
        browser_lang = gr.State(ctx.lang0)
        ui_lang = gr.State(ctx.lang0)
        web = gr.State(None)  # the WebSession: this browser tab's conversation
        last_timeline = gr.State(None)  # the Timeline on show, re-rendered when the interface language changes
        last_check = gr.State(None)  # the ClaimCheck on show: re-rendered likewise, and what its buttons export
        header = gr.HTML(_header(ctx.lang0))
        with gr.Tabs():
            chat = _chat_tab(ctx, stats, examples)
            tl = _timeline_tab(ctx, stats)
            ck = _check_tab(ctx, stats)
            corpus = _corpus_tab(ctx, stats)
        _wire_chat(ctx, chat, web, ui_lang)
        _wire_timeline(ctx, tl, ui_lang, last_timeline)
        _wire_check(ctx, ck, ui_lang, last_check)
        _wire_corpus(ctx, corpus, chat, (tl, ck), ui_lang)
        _wire_interface_language(
            ctx, demo, (header, chat, tl, ck, corpus), (browser_lang, ui_lang, web, last_timeline, last_check)
        )

    demo.queue(default_concurrency_limit=concurrency_limit, max_size=QUEUE_SIZE)
    if workers is not None:  # the answering processes stop with the app
        close = demo.close

        def close_with_workers(*args: Any, **kwargs: Any) -> Any:
            workers.close()
            return close(*args, **kwargs)

        demo.close = close_with_workers
    # So a bare `demo.launch()` (tests, embedding) keeps the offline theme, CSS and citation script.
    style = launch_style()
    for key in ("theme", "css", "head"):
        if hasattr(demo, f"_deprecated_{key}"):
            setattr(demo, f"_deprecated_{key}", style[key])
    return demo


def launch(
    demo: gr.Blocks,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    auth: str | None = None,
    *,
    block: bool = True,
    quiet: bool = False,
) -> Any:
    """Start the server: no share link, no browser, offline theme; `block=False` returns at once;
    `quiet` keeps Gradio from printing its banner (the caller announces the URL)."""
    credentials = parse_auth(auth)
    return demo.launch(
        server_name=host,
        server_port=port,
        auth=credentials,
        auth_message="newsbot" if credentials else None,
        share=False,
        inbrowser=False,
        prevent_thread_lock=not block,
        quiet=quiet,
        ssr_mode=False,
        footer_links=["api", "settings"],
        run_history=False,
        enable_monitoring=False,
        max_file_size=MAX_UPLOAD,
        **launch_style(),
    )


def check_address(host: str, port: int) -> None:
    """Raise `ServerStartError` when `host:port` cannot be listened on: found before the model loads for nothing."""
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.create_server(address, family=family):
            pass
    except OSError as error:
        raise ServerStartError(_address_problem(host, port, error)) from None


def _address_problem(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use; choose another with --port, e.g. --port {port + 1}"
    if isinstance(error, socket.gaierror):
        return f"cannot listen on {host}:{port}: no such host ({error.strerror})"
    return f"cannot listen on {host}:{port}: {os.strerror(error.errno) if error.errno else error}"


def start(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    store: str | None = None,
    auth: str | None = None,
    *,
    quiet: bool = False,
    answer_processes: int | None = None,
) -> tuple[gr.Blocks, str]:
    """Check the address and the login, build the bot over `store` (settings' store when None) and serve
    without blocking: (the app, its URL). `quiet`: see `launch`; `answer_processes`: see `Settings`
    (None: the settings' value)."""
    check_address(host, port)
    parse_auth(auth)
    threadpool_limits(limits=SERVER_BLAS_THREADS, user_api="blas")
    overrides: dict[str, Any] = {"store_dir": Path(store)} if store else {}
    if answer_processes is not None:
        overrides["answer_processes"] = answer_processes
    bot = NewsBot(load_settings(**overrides))
    if bot.components.translator is not None:
        threading.Thread(target=bot.components.translator.warm_up, name="newsbot-vocabularies", daemon=True).start()
    demo = build_app(bot)
    try:
        _, url, _ = launch(demo, host, port, auth, block=False, quiet=quiet)
    except OSError as error:  # the port was taken since the check
        raise ServerStartError(_address_problem(host, port, error)) from None
    return demo, url


def main(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, store: str | None = None, auth: str | None = None) -> None:
    """Serve the web chat on `host:port` over the corpus in `store` (settings' store when None), logging at INFO.

    `auth` is user:pass or a file of user:pass lines; None falls back on NEWSBOT_AUTH (unset = no login).
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    demo, _ = start(host, port, store, auth)
    demo.block_thread()


def _parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="newsbot web chat")
    parser.add_argument("--host", default=DEFAULT_HOST, help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 7860)")
    parser.add_argument("--store", default=None, help="corpus store directory (default: settings / NEWSBOT_STORE_DIR)")
    parser.add_argument("--auth", default=None, help="user:pass or a file of user:pass lines (default NEWSBOT_AUTH)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = _parse_args()
    main(args.host, args.port, args.store, args.auth)
