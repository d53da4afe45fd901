"""One article, one source: quotes from two passages of one article are one citation."""

from __future__ import annotations

from bot.answer import Answer, Citation, ReportedValue
from bot.citations import one_source_per_article

ARTICLE = "The river rose overnight. Two bridges closed at dawn. The mayor asked people to stay home. Schools shut."


def cite(n: int, doc_id: str, start: int, end: int, quote: tuple[int, int]) -> Citation:
    return Citation(
        n=n,
        doc_id=doc_id,
        chunk_id=f"{doc_id}#{start}",
        passage=ARTICLE[start:end],
        passage_start=start,
        quote_spans=[quote],
    )


def test_two_passages_of_one_article_become_one_citation_with_both_quotes():
    first = cite(1, "a", 0, 53, (26, 53))  # "Two bridges closed at dawn."
    other = cite(2, "b", 0, 20, (0, 9))
    second = cite(3, "a", 26, len(ARTICLE), (28, 64))  # "The mayor asked people to stay home."
    answer = Answer(
        question="q",
        text="Bridges closed [1]. Other [2]. The mayor spoke [3].",
        language="en",
        citations=[first, other, second],
        lead="x [3].",
        figures=[ReportedValue(concept="deaths", value=1, n=3)],
    )
    merged = one_source_per_article(answer)
    assert [(c.n, c.doc_id) for c in merged.citations] == [(1, "a"), (2, "b")]
    assert merged.text == "Bridges closed [1]. Other [2]. The mayor spoke [1]."
    assert merged.lead == "x [1]." and merged.figures[0].n == 1
    article = merged.citations[0]
    assert article.quotes == ["Two bridges closed at dawn.", "The mayor asked people to stay home."]
    assert [ARTICLE[a:b] for a, b in article.char_spans] == article.quotes


def test_parts_apart_in_the_article_keep_their_article_offsets():
    first = cite(1, "a", 0, 25, (0, 25))
    later = cite(2, "a", 53, len(ARTICLE), (1, 37))
    merged = one_source_per_article(
        Answer(question="q", text="Rose [1]. Home [2].", language="en", citations=[first, later])
    )
    (article,) = merged.citations
    assert " … " in article.passage and merged.text == "Rose [1]. Home [1]."
    assert [ARTICLE[a:b] for a, b in article.char_spans] == article.quotes


def _source(n: int, doc_id: str, outlet: str, passage: str, language: str = "en") -> Citation:
    return Citation(n=n, doc_id=doc_id, chunk_id=f"{doc_id}#0", source=outlet, passage=passage, language=language)


WIRE = (
    "Rescue teams reached the flooded valley on Tuesday after the river burst its banks, "
    "and officials said at least twelve people were still missing in the worst-hit villages."
)


def test_copies_of_one_wire_story_and_one_outlets_articles_count_once():
    from bot.citations import independent_sources

    own = "The regional governor visited shelters and promised money for rebuilding homes and roads."
    citations = [
        _source(1, "a", "Valley Times", WIRE),
        _source(2, "b", "Coast Herald", "Updated: " + WIRE + " More soon."),  # the same wire copy
        _source(3, "c", "Valley Times", own),  # same outlet, another article
        _source(4, "d", "Mountain Post", own.replace("governor", "mayor")),  # shares wording too
        _source(5, "e", "", "A different report about the valley and its farms, written on its own."),
    ]
    count = independent_sources(citations)
    assert (count.outlets, count.articles) == (2, 5)  # {a, b, c, d} are one story's copies; e stands alone


def test_a_translation_counts_once_only_when_its_vector_says_so():
    import numpy as np

    from bot.citations import independent_sources

    english = _source(1, "a", "Valley Times", WIRE)
    spanish = _source(2, "b", "Diario del Valle", "Los equipos de rescate llegaron al valle inundado.", "es")
    same, other = np.array([1.0, 0.2, 0.0]), np.array([0.0, 1.0, 0.3])
    assert independent_sources([english, spanish], {"a#0": same, "b#0": same * 2}).outlets == 1
    assert independent_sources([english, spanish], {"a#0": same, "b#0": other}).outlets == 2
    assert independent_sources([english, spanish]).outlets == 2  # no vectors: not merged on a guess
