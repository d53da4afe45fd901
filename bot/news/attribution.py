"""Grounding of the sentences newsbot composes from dated figures.

A composed sentence ("Latest figure: 23 dead (3 Dec 2019, Border Wire) [1]. Earlier reports: 14 …")
is supported only if every value stands, as a figure of that concept, in the quoted sentence of the
very citation it carries, with that citation's date and outlet. So a stale-but-correct 21 must be
cited to the report of 1 December, never to a newer one that says 23.
"""

from __future__ import annotations

from bot.answer import Answer, Citation, ReportedValue
from bot.news.figures import figures_in
from eval.grounding import Evidence, SentenceCheck, split_cited_sentences


def attribution_problem(value: ReportedValue, citation: Citation | None) -> str | None:
    """Why `value` is not supported by `citation`, or None when it is."""
    if citation is None:
        return f"{value.value} cites [{value.n}], which is not among the sources"
    stated = {(f.concept, f.value) for quote in citation.quotes for f in figures_in(quote)}
    if (value.concept, value.value) not in stated:
        return f"{value.value} ({value.concept}) is not stated by the quoted sentence of [{value.n}]"
    if value.date[:10] != citation.date[:10] or value.source != citation.source:
        return f"the date or outlet given for {value.value} is not that of [{value.n}]"
    return None


def check_lead(answer: Answer) -> list[SentenceCheck]:
    """A verdict per composed sentence: supported when each of its values is attributed correctly."""
    citations = {c.n: c for c in answer.citations}
    checks = []
    for sentence in split_cited_sentences(answer.lead):
        values = [v for v in answer.figures if v.n in sentence.citations]
        problems = [p for v in values if (p := attribution_problem(v, citations.get(v.n)))]
        evidence = [Evidence(citation=v.n, matched=[str(v.value), v.date, v.source]) for v in values]
        checks.append(
            SentenceCheck(
                sentence=sentence.text,
                citations=sentence.citations,
                verdict="unsupported" if problems or not values else "supported",
                score=0.0 if problems or not values else 1.0,
                evidence=evidence,
                reasons=problems or ["each value stands in the report it cites, with its date and outlet"],
            )
        )
    return checks
