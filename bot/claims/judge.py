"""A claim's checkable parts, and the verdict on each from the reports about its story.

A figure ("66 died") is judged against the history of that very quantity in that story
(`bot.news.history`): the newest report's value decides, an earlier report's makes it *outdated*,
reports of the newest day that disagree make it *disputed*, a value no report gives is
*contradicted*. A statement (who did what, where) is judged by the grounding checker against the
story's passages; a name the reports never use, where they tell the same thing of someone else,
is a contradiction rather than a miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from bot.answer import Citation, ReportedValue
from bot.answerers.extractive import citation_for
from bot.claims.types import ClaimPart
from bot.news.compose import grouped, quantity_label
from bot.news.dates import human_date
from bot.news.figures import Figure, Quantity, figures_in, quantity_of
from bot.news.history import ReportedFigure, figure_history
from bot.retriever import RetrievedPassage
from bot.signals import clue_overlap, clues, names
from eval.grounding import GroundingChecker
from index.lexical import fold_accents, tokenize
from prompts import message

Bound = Literal["exact", "at_least", "more_than"]

BOUND_CUES: dict[Bound, tuple[str, ...]] = {
    "at_least": ("at least", "al menos", "por lo menos", "como minimo", "no less than"),
    "more_than": ("more than", "over", "mas de", "upwards of", "superior a"),
}
"""Words before a claimed number that make it a lower bound ('at least 50 died' holds for 52)."""
STATEMENT_PASSAGES = 8
"""Passages about the story a statement is checked against: the best ones found for the claim."""
STATEMENT_SUPPORT = 0.38
"""Grounding-checker score from which a passage states the claim (or, with a name the reports never
use taken out, states it of someone else). Fitted on the development half of the claims suite
(eval/suites/news-stories-claims.jsonl, Tlahuelilpan and El Paso claims): midway between the best
score of a claim the archive does not make (0.27) and the lowest of one it does (0.49); the Dorian
claims are held out."""
SAME_LANGUAGE_COVER = 0.45
"""Share of a claim's content words (names aside) the supporting sentence must hold when it is in the
claim's language: names and a similar topic alone ('Patrick Crusius … jail') do not say 'sentenced to
life'. Across languages no words are shared, so there the checker's score decides alone. Fitted on the
development half of the claims suite: midway between the highest share of a claim the archive does not
make (0.29) and the lowest of one it does (0.60)."""
_SPACES = re.compile(r"\s+")


@dataclass
class FigureClaim:
    """A number the claim states, with what it counts."""

    figure: Figure
    bound: Bound


@dataclass
class EvidenceBook:
    """Numbers the passages a check cites (one citation per passage, its quoted sentences gathered);
    `bot.citations.merged_by_article` then makes one source of each article."""

    passages: list[RetrievedPassage]
    citations: list[Citation] = field(default_factory=list)
    _by_chunk: dict[str, Citation] = field(default_factory=dict)

    def cite(self, passage_index: int, span: tuple[int, int]) -> int:
        passage = self.passages[passage_index]
        citation = self._by_chunk.get(passage.chunk.id)
        if citation is None:
            citation = citation_for(passage, len(self.citations) + 1)
            self.citations.append(citation)
            self._by_chunk[passage.chunk.id] = citation
        if span not in citation.quote_spans:
            citation.quote_spans.append(span)
        return citation.n


def claimed_figures(claim: str) -> list[FigureClaim]:
    """The figures of news quantities in the claim, each with its bound ('at least', 'more than').

    A claim with one figure is read whole for what happened, as a question is: in '33 injured …
    remained in hospital' the 33 are the hospitalised, though 'injured' follows the number. Who was
    counted stays the number's own: in 'gunmen killed seven police officers' the seven are police.
    """
    figures = figures_in(claim)
    whole = quantity_of(claim)
    if len(figures) == 1 and whole.event:
        own = figures[0].quantity
        figures = [replace(figures[0], quantity=Quantity(whole.event, own.group or whole.group))]
    out = []
    for figure in figures:
        before = fold_accents(claim[: figure.span[0]]).lower().rstrip()
        bound = next((b for b, cues in BOUND_CUES.items() if before.endswith(cues)), "exact")
        out.append(FigureClaim(figure, bound))
    return out


def statement_text(claim: str, figures: list[FigureClaim]) -> str:
    """What the claim says besides its figures (their numbers taken out, as the figures are judged
    on their own)."""
    out = claim
    for claimed in sorted(figures, key=lambda f: -f.figure.span[0]):
        a, b = claimed.figure.span
        out = out[:a] + out[b:]
    return _SPACES.sub(" ", out).strip()


# -- figures --------------------------------------------------------------------------------------
def judge_figure(claimed: FigureClaim, story: list[RetrievedPassage], book: EvidenceBook, language: str) -> ClaimPart:
    """The verdict on one claimed figure from the story's reports of the same quantity."""
    figure = claimed.figure
    key = figure.quantity.key
    label = quantity_label(key, language)
    part = ClaimPart(
        kind="figure",
        text=_words_around(figure.sentence, figure.span),
        quantity=key,
        value=figure.value,
        bound=claimed.bound,
        verdict="not_in_archive",
        reason=message("claim_no_reports", language, label=label),
    )
    reports = figure_history(story, key)
    if not reports:
        return part
    part.history = [
        ReportedValue(
            concept=key, value=r.value, date=r.date, source=r.source, n=book.cite(r.passage_index, r.sentence_span)
        )
        for r in reports
    ]
    dated = [r for r in reports if r.date] or reports
    newest_day = max(r.date[:10] for r in dated)
    newest = [r for r in dated if r.date[:10] == newest_day]
    older = [r for r in reports if r not in newest]

    def holds(value: int) -> bool:
        if claimed.bound == "at_least":
            return value >= figure.value
        if claimed.bound == "more_than":
            return value > figure.value
        return value == figure.value

    def cited(report: ReportedFigure) -> int:
        return book.cite(report.passage_index, report.sentence_span)

    agreeing, differing = [r for r in newest if holds(r.value)], [r for r in newest if not holds(r.value)]
    fields = {"value": grouped(figure.value, language), "label": label, **_report_fields(newest[-1], language, cited)}
    if agreeing and differing:
        part.verdict = "disputed"
        values = ", ".join(f"{grouped(r.value, language)} ({r.source or '?'}) [{cited(r)}]" for r in newest)
        part.reason = message("claim_disputed", language, day=human_date(newest_day, language), values=values)
    elif agreeing:
        part.verdict = "supported"
        fields.update(_report_fields(agreeing[-1], language, cited))
        part.reason = message("claim_figure_supported", language, **fields)
    elif earlier := [r for r in older if holds(r.value)]:
        part.verdict = "outdated"
        then = earlier[-1]
        part.reason = message(
            "claim_outdated",
            language,
            then_date=human_date(then.date, language),
            then_source=then.source or "?",
            then_cite=cited(then),
            **fields,
        )
        agreeing = [then]
    else:
        part.verdict = "contradicted"
        part.reason = message("claim_figure_contradicted", language, **fields)
    part.supporting = sorted({cited(r) for r in agreeing})
    part.opposing = sorted({cited(r) for r in (differing if part.verdict != "supported" else [])})
    return part


def _words_around(sentence: str, span: tuple[int, int], before: int = 5, after: int = 7) -> str:
    """The claim's words about a number: a few before it and after it, whole words only."""
    head = sentence[: span[0]].split()[-before:]
    tail = sentence[span[1] :].split()[:after]
    return _SPACES.sub(" ", " ".join([*head, sentence[span[0] : span[1]], *tail])).strip()


def _report_fields(report: ReportedFigure, language: str, cited: callable) -> dict[str, object]:
    return {
        "latest": grouped(report.value, language),
        "date": human_date(report.date, language),
        "source": report.source or "?",
        "cite": cited(report),
    }


# -- statements -----------------------------------------------------------------------------------
def judge_statement(
    text: str, story: list[RetrievedPassage], book: EvidenceBook, checker: GroundingChecker, language: str
) -> ClaimPart:
    """Supported when a passage about the story states it; contradicted when the passages state it of
    another name (the claim's name appears nowhere in the story); else not in the archive."""
    part = ClaimPart(kind="statement", text=text, verdict="not_in_archive", reason=message("claim_not_found", language))
    passages = story[:STATEMENT_PASSAGES]
    if not passages:
        return part
    texts = [p.chunk.text for p in passages]
    absent = sorted(n for n in names(clues(text)) if not any(clue_overlap({n}, p.chunk.text) for p in story))
    checked = _without(text, absent) if absent else text
    score, evidence = checker.score_claim(checked, texts)
    best = max(evidence, key=lambda e: e.similarity, default=None)
    if best is None or best.citation is None or score < STATEMENT_SUPPORT:
        return part
    index = best.citation - 1
    span = _sentence_at(passages[index], best.span)
    sentence = passages[index].chunk.text[span[0] : span[1]]
    if passages[index].chunk.language == language and _cover(checked, sentence, language) < SAME_LANGUAGE_COVER:
        return part
    n = book.cite(index, span)
    if absent:
        part.verdict = "contradicted"
        part.opposing = [n]
        said = sentence
        others = sorted(names(clues(said)) - names(clues(text)))
        part.reason = message(
            "claim_other_name",
            language,
            claimed=", ".join(_original_case(text, a) for a in absent),
            others=", ".join(_original_case(said, o) for o in others) or "?",
            cite=n,
        )
    else:
        part.verdict = "supported"
        part.supporting = [n]
        chunk = passages[index].chunk
        part.reason = message(
            "claim_stated", language, source=chunk.source or "?", date=human_date(chunk.date, language), cite=n
        )
    return part


def _cover(claim: str, sentence: str, language: str) -> float:
    """Share of the claim's content words, names aside, found in `sentence` (stemmed, accents folded)."""
    named = {word for name in names(clues(claim)) for word in tokenize(name, language)}
    words = set(tokenize(claim, language)) - named
    return len(words & set(tokenize(sentence, language))) / len(words) if words else 1.0


def _without(text: str, folded_names: list[str]) -> str:
    """`text` with the given (accent-folded, lower-cased) names taken out, to ask what the reports say in
    their place."""
    out = text
    for name in folded_names:
        out = _name_pattern(name).sub(" ", out)
    return _SPACES.sub(" ", out).strip()


def _name_pattern(folded_name: str) -> re.Pattern[str]:
    letters = {"a": "aá", "e": "eé", "i": "ií", "o": "oó", "u": "uúü", "n": "nñ"}
    pattern = "".join(f"[{letters[c]}{letters[c].upper()}]" if c in letters else re.escape(c) for c in folded_name)
    return re.compile(rf"\b{pattern}\b(?:['’]s)?", re.IGNORECASE)


def _original_case(text: str, folded_name: str) -> str:
    match = _name_pattern(folded_name).search(text)
    return match.group().removesuffix("'s").removesuffix("’s") if match else folded_name


def _sentence_at(passage: RetrievedPassage, span: tuple[int, int] | None) -> tuple[int, int]:
    """The chunk sentence holding `span` (the checker's best match), so the quote is a whole sentence."""
    spans = passage.chunk.sentence_spans or [(0, len(passage.chunk.text))]
    if span is None:
        return spans[0]
    return next((s for s in spans if s[0] <= span[0] < s[1]), spans[0])
