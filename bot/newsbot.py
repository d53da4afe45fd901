"""`NewsBot`: where a question becomes an answer.

question -> language -> (follow-up condensed) -> hybrid retrieval -> refusal check
         -> answerer (extractive or LLM) -> grounding check -> Answer
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bot.answer import Answer
from bot.answerers.answer_types import answering_sentences, asked_for, holds_instance, mentions_focus, question_kind
from bot.answerers.base import Answerer
from bot.answerers.extractive import ExtractiveAnswerer, citation_for
from bot.citations import independent_sources, merged_by_article, one_source_per_article
from bot.claims.judge import EvidenceBook, claimed_figures, judge_figure, judge_statement, statement_text
from bot.claims.types import ClaimCheck, ClaimPart, weakest
from bot.components import Components
from bot.conversation import History, Turn, condense
from bot.filters import SearchFilters
from bot.news.attribution import check_lead
from bot.news.compose import figure_sentences, lead_with
from bot.news.dates import human_date
from bot.news.figures import asked_concept
from bot.news.history import condensed, figure_history
from bot.news.time_scope import TimeScope, parse_time_scope
from bot.news.timeline import Timeline, build_timeline
from bot.retriever import HybridRetriever, RetrievedPassage, answered_from, on_the_story
from bot.settings import Settings
from bot.signals import clues, loosely_named, names
from eval.grounding import CitedSentence, GroundingChecker, GroundingReport, split_cited_sentences
from index.doctor import DoctorReport
from index.embedders import NewsEmbedding
from index.errors import InvalidRequestError
from index.loaders import FieldMap
from index.pipeline import IngestReport
from index.progress import ProgressStyle
from prompts import load_prompt, message

NEAREST_SHOWN = 3
VALUES_LISTED = 8
"""Outlets named in an unknown-outlet error, most articles first; a store of hundreds must not fill the screen."""
STORY_PASSAGES = 30
"""Passages retrieved per question: the answer quotes the best `top_k`; a figure's history is read from
all of them that are about the story, so the newest report counts even when it is not among the best."""
DATE_PREFERENCE_BONUS = 0.4
"""Added to the newest (or, for 'first reports', the oldest) passage's score; older ones get less."""


class NewsBot:
    """Ingest news, then ask questions in English or Spanish and get cited, checked answers."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        store: str | Path | None = None,
        embedder: NewsEmbedding | None = None,
        create_store: bool = True,
        **overrides: Any,
    ) -> None:
        """`create_store=False` raises `StoreMissingError` when nothing was ingested where the settings point,
        instead of creating an empty store that answers nothing."""
        if store is not None:
            overrides["store_dir"] = Path(store)
        self.settings = settings.model_copy(update=overrides) if settings else Settings(**overrides)
        self.components = Components.build(self.settings, embedder=embedder, create_store=create_store)
        self.retriever = HybridRetriever(
            self.components.store,
            self.components.lexical,
            self.components.embedder,
            translator=self.components.translator,
        )
        self.extractive = ExtractiveAnswerer(
            max_sentences=self.settings.max_answer_sentences, translator=self.components.translator
        )
        self._llm_answerer: Answerer | None = None
        self.checker = GroundingChecker(embed=self.components.embedder.embed_passages)

    # -- corpus -----------------------------------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[str | Path],
        field_map: FieldMap | None = None,
        where: dict[str, str] | None = None,
        language: str | None = None,
        progress: bool | ProgressStyle = False,
        csv_header: bool = True,
        all_or_nothing: bool = False,
    ) -> IngestReport:
        """Add or update the articles under `paths`; unchanged articles are skipped. See `Ingestor.ingest`."""
        return self.components.ingestor.ingest(
            paths,
            field_map=field_map,
            where=where,
            language=language,
            progress=progress,
            csv_header=csv_header,
            all_or_nothing=all_or_nothing,
        )

    def delete(self, doc_ids: Sequence[str] = (), source: str | None = None) -> int:
        """Remove articles by id or by outlet; returns how many were removed."""
        return self.components.ingestor.delete(doc_ids, source=source)

    def stats(self) -> dict[str, Any]:
        """Documents and chunks per language and per source, and the date range."""
        self.components.refresh()
        rows = self.components.lexical.documents()
        by_language: dict[str, dict[str, int]] = {}
        by_source: dict[str, dict[str, int]] = {}
        for row in rows:
            for table, key in ((by_language, row.get("language") or "?"), (by_source, row.get("source") or "?")):
                entry = table.setdefault(key, {"documents": 0, "chunks": 0})
                entry["documents"] += 1
                entry["chunks"] += int(row.get("chunks", 0))
        dates = sorted(row["date"][:10] for row in rows if row.get("date"))
        return {
            "documents": len(rows),
            "chunks": sum(int(row.get("chunks", 0)) for row in rows),
            "languages": dict(sorted(by_language.items())),
            "sources": dict(sorted(by_source.items(), key=lambda item: -item[1]["documents"])),
            "date_range": [dates[0], dates[-1]] if dates else None,
        }

    def doctor(self, repair: bool = False) -> DoctorReport:
        """Check the store (every article whole, every vector readable, derived indexes in step);
        with `repair`, fix what can be fixed from Chroma and the source files."""
        from index.doctor import Doctor

        components = self.components
        doctor = Doctor(components.store, components.sync, components.ingestor, components.embedder)
        return doctor.repair() if repair else doctor.check()

    def reindex(self) -> int:
        """Rebuild the lexical index and catalog from Chroma alone; returns the chunks indexed."""
        self.components.sync.rebuild()
        return len(self.components.lexical)

    def check_filters(self, filters: SearchFilters | None) -> None:
        """Raise `InvalidRequestError` when a filter names a language or outlet no stored article has.

        Such a search can only come back empty, and a refusal would hide the typo behind 'nothing found'.
        """
        if filters is None or not (filters.languages or filters.sources):
            return
        stats = self.stats()
        for kind, wanted, held in (
            ("language", filters.languages, stats["languages"]),
            ("outlet", filters.sources, stats["sources"]),
        ):
            known = [value for value in held if value != "?"]
            unknown = [value for value in wanted if value not in known]
            if unknown:
                raise InvalidRequestError(_unknown_filter_values(kind, unknown, known))

    # -- questions --------------------------------------------------------------------------------
    def detect_language(self, text: str, fallback: str | None = None) -> str:
        return self.components.detector.detect(text, fallback=fallback)

    def retrieve(
        self, question: str, language: str | None = None, filters: SearchFilters | None = None, k: int | None = None
    ) -> list[RetrievedPassage]:
        language = language or self.detect_language(question)
        self.components.refresh()
        return self.retriever.retrieve(question, language, k or self.settings.top_k, filters)

    def ask(
        self,
        question: str,
        language: str | None = None,
        filters: SearchFilters | None = None,
        answerer: str | None = None,
        history: History | None = None,
    ) -> Answer:
        """Answer one question; see `stream` for the arguments."""
        final = None
        for item in self.stream(question, language, filters, answerer, history):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(
        self,
        question: str,
        language: str | None = None,
        filters: SearchFilters | None = None,
        answerer: str | None = None,
        history: History | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it is produced, then the finished `Answer`.

        `language` forces the answer language (else detected, short inputs falling back on the
        conversation's); `answerer` is 'extractive' or 'llm' (default from settings).
        """
        question = question.strip()
        if not question:
            raise InvalidRequestError("the question is empty")
        timings: dict[str, float] = {}
        started = time.perf_counter()
        history = history or History(self.settings.history_turns)
        language = language or self.detect_language(question, fallback=history.language)
        chosen = self._answerer(answerer)
        standalone = condense(question, history, language, rewrite=getattr(chosen, "complete", None))
        timings["condense"] = time.perf_counter() - started

        mark = time.perf_counter()
        self.components.refresh()
        scope = parse_time_scope(standalone, self._year_of(standalone, language, filters))
        passages, story = self._story(standalone, language, _scoped(filters, scope), scope)
        reason = self.refusal_reason(standalone, language, passages, story)
        widened_from = None
        if reason and scope.during:  # 'in November': a month's figures are often reported the month after
            widened_from, scope = scope.during[0], scope.from_month_on()
            passages, story = self._story(standalone, language, _scoped(filters, scope), scope)
            reason = self.refusal_reason(standalone, language, passages, story)
        undated = False
        if widened_from and reason in ("nothing found", "names absent"):
            # 'the July 2022 debate' dates the event, and its reports may be undated: no report of the story
            # in that month or after is no reason to refuse when undated ones answer ('by 1 December' still
            # bounds them; dated reports from before the month do not answer 'in March')
            unbounded = TimeScope(until=scope.until, preference=scope.preference)
            found, found_story = self._story(standalone, language, _scoped(filters, unbounded), unbounded)
            if not self.refusal_reason(standalone, language, found, found_story) and not found[0].chunk.date:
                passages, story, scope, reason = found, found_story, unbounded, None
                undated, widened_from = True, None
        timings["retrieve"] = time.perf_counter() - mark

        mark = time.perf_counter()
        if reason:
            # the nearest sources shown are the story's, which name what was asked, when there is one
            answer = self._refusal(question, language, story[: self.settings.top_k] or passages, reason)
            yield answer.text
        elif chosen is self.extractive:
            answer = self._news_aware(chosen.answer(standalone, language, passages), standalone, language, story, scope)
            answer = one_source_per_article(answer)
            yield from _sentence_pieces(answer.text)
        else:
            answer = None
            for item in chosen.stream(standalone, language, passages):
                if isinstance(item, Answer):
                    answer = item
                else:
                    yield item
            assert answer is not None
        answer = one_source_per_article(answer)  # an LLM's streamed numbers may change here; its final text holds
        answer.sources = independent_sources(answer.citations, _vectors(story))
        if widened_from and not answer.refused:
            month = human_date(widened_from, language).split(" ", 1)[1]
            answer.notices.append(message("reports_after_month", language, month=month))
        if undated:
            answer.notices.append(message("reports_outside_dates", language))
        timings["answer"] = time.perf_counter() - mark
        asked = asked_for(standalone)
        answer.asked_for = asked.kind
        if not answer.refused and asked.typed:
            answer.answers_question = bool(answer.figures) or any(
                holds_instance(sentence.text, language, asked) for sentence in split_cited_sentences(answer.text)
            )
        if not answer.refused:
            mark = time.perf_counter()
            answer.grounding = self.check_grounding(answer)
            timings["grounding"] = time.perf_counter() - mark
        answer.question = question
        answer.standalone_question = standalone
        timings["total"] = time.perf_counter() - started
        answer.timings = {key: round(value, 4) for key, value in timings.items()}
        history.add(Turn(question, standalone, answer.text, language))
        yield answer

    def _news_aware(
        self, answer: Answer, question: str, language: str, story: list[RetrievedPassage], scope: TimeScope
    ) -> Answer:
        """Lead with how the asked-for figure was reported over time, from every article found about the
        story (`story`, not only the passages quoted)."""
        quantity = asked_concept(question)
        kind = question_kind(question)
        if kind in ("place", "organisation", "date", "reason", "amount", "penalty", "ruling") or (
            kind == "person" and not (quantity or "").startswith("deaths")
        ):
            quantity = None  # 'who was killed?' is answered with the dead and their count; 'who was arrested?' not
        if quantity:
            reports = condensed(figure_history(story, quantity))
            if reports:
                answer = lead_with(answer, figure_sentences(reports, quantity, scope, language), story)
        dates = sorted({c.date[:10] for c in answer.citations if c.date})
        if len(dates) > 1:
            answer.notices.append(
                message(
                    "reports_span", language, first=human_date(dates[0], language), last=human_date(dates[-1], language)
                )
            )
        return answer

    def _story(
        self, question: str, language: str, filters: SearchFilters | None, scope: TimeScope
    ) -> tuple[list[RetrievedPassage], list[RetrievedPassage]]:
        """(the `top_k` passages to answer from, the passages found about the story asked about), best first
        (see `STORY_PASSAGES` and `answered_from`)."""
        found = self.retriever.retrieve(question, language, STORY_PASSAGES, filters)
        story = _prefer_dates(on_the_story(found, set(asked_for(question).story_names)), scope)
        return answered_from(found, story, self.settings.top_k), story

    def _year_of(self, question: str, language: str, filters: SearchFilters | None) -> int | None:
        """The year a date without one ('by 5 September') means: that of the story the question is about
        (the newest year of the best passages found without the date), else the corpus's newest."""
        newest = self.components.lexical.newest_year()
        if parse_time_scope(question, None) == parse_time_scope(question, newest):
            return newest  # no yearless date in the question
        years = sorted(
            int(p.chunk.date[:4])
            for p in self.retriever.retrieve(question, language, 3, filters)
            if p.chunk.date[:4].isdigit()
        )
        return years[-1] if years else newest

    def timeline(
        self, query: str, language: str | None = None, filters: SearchFilters | None = None, k: int = 12
    ) -> Timeline:
        """The dated key facts about a story, oldest first, each cited (empty when the corpus lacks it)."""
        language = language or self.detect_language(query)
        self.components.refresh()
        passages = self.retriever.retrieve(query, language, k, filters)
        if self.refusal_reason(query, language, passages):
            return Timeline(query=query, language=language)
        return build_timeline(query, language, passages)

    # -- claims -----------------------------------------------------------------------------------
    def check(self, claim: str, language: str | None = None, filters: SearchFilters | None = None) -> ClaimCheck:
        """Hold `claim` against the archive: a verdict per checkable part (each figure, and what it says of
        whom), the weakest of them overall, each with its dated, cited reports for and against.

        A figure is judged against the newest report of the same quantity of the same story, as of the
        claim's own date when it gives one ('on 19 January, 66 had died').
        """
        claim = claim.strip()
        if not claim:
            raise InvalidRequestError("the claim is empty")
        started = time.perf_counter()
        language = language or self.detect_language(claim)
        self.components.refresh()
        scope = parse_time_scope(claim, self._year_of(claim, language, filters))
        story = self._story(claim, language, _scoped(filters, scope), scope)[1]
        found = time.perf_counter()
        book = EvidenceBook(story)
        figures = claimed_figures(claim)
        parts = [judge_figure(figure, story, book, language) for figure in figures]
        statement = judge_statement(statement_text(claim, figures), story, book, self.checker, language)
        if statement.verdict != "not_in_archive" or not figures:
            parts.append(statement)  # beside figures, the rest counts when it is stated, or stated of another
        citations, renumber = merged_by_article(book.citations)
        parts = [_renumbered(part, renumber) for part in parts]
        behind = {n for part in parts for n in (*part.supporting, *part.opposing)}
        result = ClaimCheck(
            claim=claim,
            language=language,
            verdict=weakest([part.verdict for part in parts]),
            parts=parts,
            citations=citations,
            sources=independent_sources([c for c in citations if c.n in behind], _vectors(story)),
        )
        result.grounding = self.checker.check(
            [CitedSentence(text=quote, citations=[c.n]) for c in citations for quote in c.quotes],
            {c.n: c.passage for c in citations},
            {c.n: c.quotes[0] for c in citations if c.quotes},
        )
        result.timings = {
            "retrieve": round(found - started, 4),
            "judge": round(time.perf_counter() - found, 4),
            "total": round(time.perf_counter() - started, 4),
        }
        return result

    def evidence(self, question: str, language: str, passages: list[RetrievedPassage]) -> float:
        """How well the best source sentence answers the question (the extractive ranking's `support`).

        A sentence in another language cannot share words with the question, so it gets the
        calibrated `cross_language_allowance`; the refusal threshold is then the same for both.
        """
        allowance = self.settings.cross_language_allowance
        ranked = self.extractive.rank_sentences(question, language, passages)
        return max((c.support + (allowance if c.language != language else 0.0) for c in ranked), default=0.0)

    def refusal_reason(
        self,
        question: str,
        language: str,
        passages: list[RetrievedPassage],
        story: list[RetrievedPassage] | None = None,
    ) -> str | None:
        """Why the passages do not answer the question, or None when they do.

        'nothing found'; 'names absent' when the question names something no passage in its language
        mentions ('Who designed the Sydney Opera House?'); 'asked-for thing absent' when it asks for a
        count, a person, a place … and no sentence holds one tied to its focus, however well the story
        itself is covered ('How many were arrested?'); 'weak evidence' when the best sentence answers
        too little of it.
        """
        if not passages:
            return "nothing found"
        asked_names = names(clues(question))
        if asked_names and not any(loosely_named(asked_names, p.chunk.text) for p in passages):
            # Names may be translated ("Estados Unidos"), so absence is judged in the question's language:
            # among the passages found, else in the whole corpus.
            if any(p.chunk.language == language for p in passages):
                return "names absent"
            lexical = self.components.lexical
            if not any(lexical.mentions(name, language) is not False for name in asked_names):
                return "names absent"
        asked = asked_for(question)
        if asked.turns and not mentions_focus(asked, passages):
            return "asked-for thing absent"  # 'and the mayor?' of a story that never names one
        if asked.quantity or asked.kind in ("amount", "penalty", "ruling"):
            # Only where the asked-for thing is read reliably (a count of a news quantity, a sum of money, a
            # court's sentence or ruling): other counts, who, where and when miss too many answers to refuse on
            # (bench/answerability.py).
            searched = story or passages  # a figure's history reads the whole story
            if not answering_sentences(
                asked,
                language,
                searched,
                len(searched),
                self.extractive.weights.answer_focus,
                self.extractive.cross_language_tie,
            ):
                return "asked-for thing absent"
        if self.evidence(question, language, passages) < self.settings.refusal_threshold:
            return "weak evidence"
        return None

    def check_grounding(self, answer: Answer) -> GroundingReport:
        """Judge every sentence of `answer` against the passages it cites."""
        passages = {c.n: c.passage for c in answer.citations}
        quotes = {c.n: c.quotes[0] for c in answer.citations if c.quote_spans}
        body = answer.text[len(answer.lead) :] if answer.lead and answer.text.startswith(answer.lead) else answer.text
        report = self.checker.check(split_cited_sentences(body), passages, quotes)
        if not answer.lead:
            return report
        sentences = check_lead(answer) + report.sentences
        supported = sum(s.verdict == "supported" for s in sentences)
        return report.model_copy(update={"sentences": sentences, "faithfulness": supported / len(sentences)})

    def chat(self, language: str | None = None, answerer: str | None = None) -> ChatSession:
        """A conversation: each `.ask` sees the earlier turns."""
        return ChatSession(self, language=language, answerer=answerer)

    def _answerer(self, name: str | None) -> Answerer:
        name = name or self.settings.answerer
        if name == "extractive":
            return self.extractive
        if name != "llm":
            raise InvalidRequestError(f"unknown answerer {name!r}; choose 'extractive' or 'llm'")
        if not self.settings.llm_configured:
            raise InvalidRequestError("the llm answerer needs NEWSBOT_LLM_API_BASE (an OpenAI-compatible endpoint)")
        if self._llm_answerer is None:
            from bot.answerers.llm import LLMAnswerer

            self._llm_answerer = LLMAnswerer.from_settings(self.settings, fallback=self.extractive)
        return self._llm_answerer

    def _refusal(self, question: str, language: str, passages: list[RetrievedPassage], reason: str) -> Answer:
        best_of_each: dict[str, RetrievedPassage] = {}
        for passage in passages:  # one source per article, as in answers
            best_of_each.setdefault(passage.chunk.doc_id, passage)
        articles = list(best_of_each.values())
        nearest = [citation_for(p, i + 1) for i, p in enumerate(articles[:NEAREST_SHOWN])]
        titles = "; ".join(
            f"{c.title or c.doc_id} ({c.source or message('no_outlet', language)}, "
            f"{c.date[:10] if c.date else message('undated', language)})"
            for c in nearest
        )
        text = f"{load_prompt('refusal', language)} " + message(
            "nearest_sources", language, nearest=titles or message("no_sources", language)
        )
        return Answer(
            question=question,
            text=text,
            language=language,
            refused=True,
            refusal_reason=reason,
            nearest=nearest,
            answerer="refusal",
        )


def _unknown_filter_values(kind: str, unknown: list[str], known: list[str]) -> str:
    """'no article in the store has outlet 'Reuter' (did you mean 'Reuters'?); outlets in the store: ...'."""
    folded = {value.casefold(): value for value in known}
    guesses = [
        folded[match]
        for value in unknown
        for match in difflib.get_close_matches(value.casefold(), folded, n=1, cutoff=0.6)
    ]
    named = ", ".join(repr(value) for value in unknown)
    guess = f" (did you mean {', '.join(repr(g) for g in dict.fromkeys(guesses))}?)" if guesses else ""
    listed = ", ".join(known[:VALUES_LISTED]) or "none"
    if len(known) > VALUES_LISTED:
        listed += f" and {len(known) - VALUES_LISTED} more (`newsbot stats` lists them)"
    return f"no article in the store has {kind} {named}{guess}; {kind}s in the store: {listed}"


def _scoped(filters: SearchFilters | None, scope: TimeScope) -> SearchFilters | None:
    """Add the question's dates to the caller's filters: 'by 1 December' bounds them, 'in April 2020'
    keeps that month (the narrower bounds win)."""
    since, until = scope.during or (scope.since, scope.until)
    if not (since or until):
        return filters
    filters = filters or SearchFilters()
    return filters.model_copy(
        update={
            "since": max(filter(None, (filters.since, since)), default=None),
            "until": min(filter(None, (filters.until, until)), default=None),
        }
    )


def _prefer_dates(passages: list[RetrievedPassage], scope: TimeScope) -> list[RetrievedPassage]:
    """For 'latest' / 'first reports' questions, newer (or older) passages move up."""
    dated = sorted({p.chunk.date[:10] for p in passages if p.chunk.date})
    if scope.preference is None or len(dated) < 2:
        return passages
    for passage in passages:
        if passage.chunk.date:
            rank = dated.index(passage.chunk.date[:10]) / (len(dated) - 1)
            passage.score += DATE_PREFERENCE_BONUS * (rank if scope.preference == "latest" else 1 - rank)
    return sorted(passages, key=lambda p: -p.score)


def _sentence_pieces(text: str) -> Iterator[str]:
    """Stream a finished answer a cited sentence at a time."""
    pieces = re.split(r"(?<=\])\s+", text)
    for i, piece in enumerate(pieces):
        yield piece if i == 0 else " " + piece


class ChatSession:
    """A conversation with a `NewsBot`: follow-ups are read in the light of earlier turns."""

    def __init__(self, bot: NewsBot, language: str | None = None, answerer: str | None = None) -> None:
        self.bot = bot
        self.language = language
        self.answerer = answerer
        self.history = History(bot.settings.history_turns)

    def ask(self, question: str, filters: SearchFilters | None = None) -> Answer:
        return self.bot.ask(question, self.language, filters, self.answerer, self.history)

    def stream(self, question: str, filters: SearchFilters | None = None) -> Iterator[str | Answer]:
        return self.bot.stream(question, self.language, filters, self.answerer, self.history)


def _vectors(passages: list[RetrievedPassage]) -> dict[str, Any]:
    """Passage vectors by chunk id, to tell a translated copy of a story from an independent report."""
    return {p.chunk.id: p.vector for p in passages if p.vector is not None}


def _renumbered(part: ClaimPart, renumber: dict[int, int]) -> ClaimPart:
    """`part` with its citation numbers (lists, history and [n] in its reason) after merging by article."""

    def new(n: int) -> int:
        return renumber.get(n, n)

    return part.model_copy(
        update={
            "supporting": sorted({new(n) for n in part.supporting}),
            "opposing": sorted({new(n) for n in part.opposing}),
            "history": [h.model_copy(update={"n": new(h.n)}) for h in part.history],
            "reason": re.sub(r"\[(\d+)\]", lambda m: f"[{new(int(m[1]))}]", part.reason),
        }
    )
