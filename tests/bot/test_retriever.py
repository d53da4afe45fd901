"""The retriever reads vectors first and text only for passages that can still rank."""

import json
from pathlib import Path

import pytest

from bot.filters import SearchFilters
from bot.retriever import answered_from, on_the_story

DEMO_SUITE = Path(__file__).resolve().parents[2] / "eval" / "suites" / "demo.jsonl"


@pytest.mark.parametrize(
    "k, filters",
    [(30, None), (6, None), (6, SearchFilters(languages=["es"])), (4, SearchFilters(since="2019-12-02"))],
)
def test_reading_vectors_first_ranks_exactly_as_reading_every_candidate_whole(demo_bot, monkeypatch, k, filters):
    """A server store gives no vectors alone, so every candidate is read whole there: both paths must agree."""
    questions = [json.loads(line) for line in DEMO_SUITE.read_text(encoding="utf-8").splitlines()]
    retriever = demo_bot.retriever

    def ranking(question: dict) -> list[tuple[str, float]]:
        passages = retriever.retrieve(question["question"], question["language"], k, filters)
        return [(p.chunk.id, round(p.score, 6)) for p in passages]

    vectors_first = [ranking(q) for q in questions]
    monkeypatch.setattr(retriever.store, "get_vectors", lambda *args, **kwargs: None)
    whole = [ranking(q) for q in questions]

    assert any(vectors_first)
    assert vectors_first == whole


def test_no_two_passages_kept_are_near_duplicates(demo_bot):
    passages = demo_bot.retrieve("¿Cuántos policías murieron en Villa Unión?", "es", k=30)
    cosines = [float(a.vector @ b.vector) for i, a in enumerate(passages) for b in passages[i + 1 :]]

    assert passages
    assert max(cosines) < demo_bot.retriever.weights.near_duplicate


CROSS_LINGUAL_ARTICLES = [
    # the answer, in Spanish only
    (
        "sismo-es",
        "es",
        "Un terremoto sacudió la sierra el martes. Los heridos fueron llevados al hospital regional en "
        "helicóptero y los bomberos rescataron a tres familias atrapadas bajo los escombros.",
    ),
    # English reports sharing the question's common words, none about an earthquake
    (
        "clinic-en",
        "en",
        "The regional hospital opened a new wing on Tuesday. Families were taken on a tour of the "
        "building and the mayor thanked the staff for years of work.",
    ),
    (
        "rescue-en",
        "en",
        "Three families were rescued on Tuesday after a river flooded the valley; crews took them "
        "by boat to a school that serves as a shelter.",
    ),
    (
        "budget-en",
        "en",
        "The council approved a budget for the regional hospital on Tuesday, and the families of "
        "patients asked for more beds and longer visiting hours.",
    ),
]


def test_question_words_translated_into_the_other_language_find_the_report_only_it_holds(make_bot, tmp_path):
    """An English question whose answer only a Spanish report holds, among English reports that share its
    common words: the translated question's BM25 puts the Spanish report first, which prefixes alone did not."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps({"id": i, "language": lang, "title": "", "date": "2020-03-03", "text": text})
            for i, lang, text in CROSS_LINGUAL_ARTICLES
        ),
        encoding="utf-8",
    )
    question = "Who was taken to the regional hospital by helicopter after the earthquake on Tuesday?"
    translated = make_bot(store=tmp_path / "store")  # on by default
    translated.ingest([corpus])
    untranslated = make_bot(store=tmp_path / "store", question_translation=False)

    assert translated.retriever.translator is not None and untranslated.retriever.translator is None
    assert translated.retrieve(question, "en", k=4)[0].chunk.doc_id == "sismo-es"
    assert untranslated.retrieve(question, "en", k=4)[0].chunk.language == "en"  # what translation changes


def test_a_passage_in_another_language_gains_for_the_question_words_its_translation_missed():
    """The prefixes' share adds to the translated words' share: a name spelled another way ('Lutero',
    'Luther') or a cognate the vocabulary lacks counts even when the translated words already score."""
    from bot.retriever import FusionWeights, _lexical_terms, _LexicalShares

    weights = FusionWeights()
    shares = _LexicalShares(same=[0.5, None, None], prefix=[0.9, 0.6, 0.1], translated=[0.0, 0.6, 0.6])
    (same_share, same_term), (_, with_name), (_, without_name) = _lexical_terms(shares, weights)
    assert same_share == 0.5 and same_term == pytest.approx(weights.lexical_same_language * 0.5**2)
    assert with_name > without_name > weights.lexical_translated * 0.6**2


def test_only_passages_ranked_above_the_whole_story_are_answered_from_beside_it(make_passage):
    """A report found first that names the topic another way is kept; one about another story found after the
    story's first report is not (it would mix stories)."""
    found = [
        make_passage("The rainforest holds 140 billion tonnes of carbon.", doc_id="paraphrase", score=2.0),
        make_passage("Carbon stored in the Amazon basin is measured every year.", doc_id="named", score=1.5),
        make_passage("Forest carbon in Borneo fell by a tenth.", doc_id="elsewhere", score=1.2),
        make_passage("Amazon tourism grew in the river towns.", doc_id="named-2", score=1.0),
    ]
    story = on_the_story(found, {"amazon"})

    assert [p.chunk.doc_id for p in story] == ["named", "named-2"]
    assert [p.chunk.doc_id for p in answered_from(found, story, 6)] == ["paraphrase", "named", "named-2"]
    assert answered_from(story, story, 6) == story
