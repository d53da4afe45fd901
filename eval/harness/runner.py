"""Runs suites through a real NewsBot: ingest each suite's corpus, ask every conversation, score each answer.

Each distinct corpus is ingested once per run into its own throw-away store, so suites over the
same corpus share it (as the XQuAD pairs do) and suites over different corpora cannot see each
other's articles. With `--store`, every suite uses that one store and its corpus is ingested into
it, which is free for unchanged articles. Follow-ups are asked in the same ChatSession right after
their parent, as a user would.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from bot import NewsBot, Settings
from bot.answer import Answer
from eval.grounding import GroundingChecker, split_cited_sentences
from eval.harness import metrics
from eval.harness.claims import ClaimsReport, ClaimsSuite, run_claims
from eval.harness.models import CaseResult, CitedPassage, GroupResult, Report, SuiteResult
from eval.harness.suite import Suite, SuiteQuestion
from index.loaders import parse_field_map

RETRIEVAL_DEPTH = 10
"""Passages asked of retrieve() for R@k and MRR."""
REPORTED_SETTINGS = {"embedder", "top_k", "refusal_threshold", "max_answer_sentences", "chunk_size", "llm_model"}
"""Settings that change the figures, recorded so two reports can be told apart."""


@dataclass
class _Store:
    """A bot over one store, the corpora already ingested into it, and each stored document's language."""

    bot: NewsBot
    ingested: set[tuple[str, ...]] = field(default_factory=set)
    languages: dict[str, str] = field(default_factory=dict)


class Harness:
    """Owns the bots and temporary stores of a run; use as a context manager so the stores are removed."""

    def __init__(
        self,
        answerer: str = "extractive",
        store: Path | None = None,
        settings: Settings | None = None,
        checker: metrics.Checker | None = None,
        progress: bool = False,
    ) -> None:
        self.answerer = answerer
        self.store = store
        self.settings = settings or Settings()
        self.progress = progress
        self.checker = checker
        self._stores: dict[tuple[str, ...], _Store] = {}
        self._cleanup = ExitStack()

    def __enter__(self) -> Harness:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cleanup.close()

    def run(self, suites: Sequence[Suite], limit: int | None = None) -> Report:
        results = [self.run_suite(suite.limited(limit)) for suite in suites]
        cases = [case for result in results for case in result.cases]
        return Report(
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            answerer=self.answerer,
            settings={
                "store": str(self.store) if self.store else "temporary",
                **self.settings.model_dump(mode="json", include=REPORTED_SETTINGS),
            },
            suites=results,
            overall=_group(cases),
        )

    def run_suite(self, suite: Suite) -> SuiteResult:
        store = self.store_for(suite)
        missing = sorted({d for q in suite.questions for d in q.gold_doc_ids if d not in store.languages})
        if missing:
            print(
                f"warning: {suite.name}: {len(missing)} gold doc ids are not in the store, e.g. {missing[:3]}",
                file=sys.stderr,
            )
        cases: list[CaseResult] = []
        with tqdm(total=len(suite.questions), desc=suite.name, file=sys.stderr, disable=not self.progress) as bar:
            for conversation in suite.conversations():
                session = store.bot.chat(answerer=self.answerer)
                for question in conversation:
                    started = time.perf_counter()
                    answer = session.ask(question.question)
                    cases.append(self.score(store, question, answer, time.perf_counter() - started))
                    bar.update()
        groups: dict[str, list[CaseResult]] = {}
        for case in cases:
            groups.setdefault(case.group, []).append(case)
        return SuiteResult(
            name=suite.name,
            path=str(suite.path),
            corpus=[str(p) for p in suite.corpus],
            overall=_group(cases),
            breakdown={key: _group(group) for key, group in sorted(groups.items())},
            cases=cases,
        )

    def run_claims(self, suite: ClaimsSuite) -> ClaimsReport:
        """Check a claims suite's claims against its corpus (see `eval.harness.claims`)."""
        return run_claims(self.store_for(suite).bot, suite)

    def store_for(self, suite: Suite | ClaimsSuite) -> _Store:
        """The store holding this suite's corpus, created and ingested on first use."""
        corpus = (*map(str, suite.corpus), suite.field_map or "")
        if self.store is None and not suite.corpus:
            raise ValueError(f"{suite.path}: the suite names no corpus (header line or .corpus.json); give --store")
        key = (str(self.store),) if self.store else corpus
        if key not in self._stores:
            directory = self.store or Path(self._cleanup.enter_context(tempfile.TemporaryDirectory(prefix="nb-eval-")))
            shared = next((s.bot.components.embedder for s in self._stores.values()), None)
            self._stores[key] = _Store(NewsBot(self.settings, store=directory, embedder=shared))
        store = self._stores[key]
        if self.checker is None:
            # The bot's multilingual embedder lets the checker accept paraphrases and translations.
            self.checker = GroundingChecker(embed=store.bot.components.embedder.embed_passages)
        if suite.corpus and corpus not in store.ingested:
            field_map = parse_field_map(suite.field_map) if suite.field_map else None
            report = store.bot.ingest(suite.corpus, field_map=field_map, progress=self.progress)
            for issue in report.issues:
                print(f"warning: {suite.name}: {issue}", file=sys.stderr)
            if report.stored == 0:
                raise ValueError(f"{suite.path}: no article of its corpus could be ingested")
            store.ingested.add(corpus)
            store.languages = {}
        if not store.languages:
            store.languages = {row["id"]: row.get("language") or "?" for row in store.bot.components.store.documents()}
        return store

    def score(self, store: _Store, question: SuiteQuestion, answer: Answer, seconds: float) -> CaseResult:
        """Everything measured about one answer."""
        scores: dict[str, float | None] = {"latency": seconds}
        scores["answer_language_match"] = answer.language == question.language
        ranking: list[str] = []
        if question.answerable and question.gold_doc_ids:
            query = answer.standalone_question or question.question
            passages = store.bot.retrieve(query, question.language, k=RETRIEVAL_DEPTH)
            ranking = metrics.doc_ranking(p.chunk.doc_id for p in passages)
        rank = metrics.gold_rank(ranking, question.gold_doc_ids)
        if ranking:
            scores.update(metrics.retrieval_scores(rank))
        if question.answerable:
            scores["contains_gold"] = not answer.refused and metrics.contains_gold(answer.text, question.answers)
            scores["f1"] = 0.0 if answer.refused else metrics.token_f1(answer.text, question.answers)
            scores["false_refusal_rate"] = answer.refused
        else:
            scores["refusal_accuracy"] = answer.refused
        if answer.refused:
            scores["refusal_precision"] = not question.answerable
        if answer.answers_question is not None:
            scores["answer_type_present"] = answer.answers_question
        if question.history and answer.figures:
            allowed = {value for _, value in question.history} | set(metrics.numbers_in(question.answers))
            scores["history_precision"] = sum(f.value in allowed for f in answer.figures) / len(answer.figures)
        sentences, text_language = ([], None) if answer.refused else self._check(store.bot, answer)
        scores.update(metrics.citation_scores(sentences))
        if text_language is not None:
            scores["text_language_match"] = text_language == question.language
        gold_languages = {store.languages[d] for d in question.gold_doc_ids if d in store.languages}
        source_languages = gold_languages or {c.language or "?" for c in answer.citations}
        case = CaseResult(
            id=question.id,
            question=question.question,
            language=question.language,
            answerable=question.answerable,
            follow_up_of=question.follow_up_of,
            notes=question.notes,
            gold_answers=question.answers,
            gold_doc_ids=question.gold_doc_ids,
            source_language="+".join(sorted(source_languages)) or "none",
            answer=answer.text,
            answer_language=answer.language,
            text_language=text_language,
            refused=answer.refused,
            standalone_question=answer.standalone_question,
            citations=[
                CitedPassage(n=c.n, doc_id=c.doc_id, title=c.title, language=c.language, passage=c.passage)
                for c in answer.citations
            ],
            retrieved_doc_ids=ranking,
            gold_rank=rank,
            sentences=sentences,
            scores={name: None if value is None else float(value) for name, value in scores.items()},
        )
        case.failures = failures(case)
        return case

    def _check(self, bot: NewsBot, answer: Answer) -> tuple[list[metrics.SentenceCitations], str]:
        """Checker verdicts and ALCE citation quality of an answer, and the detected language of its text."""
        assert self.checker is not None, "store_for() sets the checker"
        passages = {c.n: c.passage for c in answer.citations}
        split = split_cited_sentences(answer.text)
        grounding = answer.grounding if answer.grounding is not None else self.checker.check(split, passages)
        text_language = bot.detect_language(" ".join(s.text for s in split), fallback=answer.language)
        return metrics.citation_quality(self.checker, grounding, passages), text_language


def failures(case: CaseResult) -> list[str]:
    """Why a case belongs in the report's failing list; empty when it passed."""
    s = case.scores
    reasons = []
    if s.get("false_refusal_rate"):
        reasons.append("refused an answerable question")
    elif s.get("contains_gold") == 0.0:
        reasons.append("no gold answer in the text")
    if s.get("refusal_accuracy") == 0.0:
        reasons.append("answered an unanswerable question")
    if s.get("answer_type_present") == 0.0:
        reasons.append("the answer lacks what was asked for")
    if (s.get("history_precision") or 1.0) < 1.0:
        reasons.append("figure history holds values of another quantity or story")
    if s.get("recall@5") == 0.0:
        reasons.append("no gold document in the top 5")
    faithfulness = s.get("faithfulness")
    if faithfulness is not None and faithfulness < 1.0:
        reasons.append("unsupported sentences")
    if s.get("answer_language_match") == 0.0:
        reasons.append(f"answered in {case.answer_language}, asked in {case.language}")
    return reasons


def _group(cases: Sequence[CaseResult]) -> GroupResult:
    return GroupResult(n=len(cases), metrics=metrics.aggregate([c.scores for c in cases]))
