"""NewsBot over the demo corpus: cited answers in the asker's language, follow-ups, refusals, filters."""

from __future__ import annotations

import json

import pytest

from bot import Answer, SearchFilters


def _text(answer: Answer) -> str:
    return answer.text.lower()


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        ("who was killed in Villa Unión?", "en", ("police", "gunmen")),
        ("¿quién murió en Villa Unión?", "es", ("policías", "sicarios")),
    ],
)
def test_villa_union_answer_names_the_dead_and_cites_villa_union_reports(demo_bot, question, language, expected):
    answer = demo_bot.ask(question)
    assert answer.language == language and not answer.refused
    assert answer.citations and all(c.doc_id.startswith("vu-") for c in answer.citations)
    assert any(word in _text(answer) for word in expected)
    # every [n] in the text is a real citation whose quotes stand in its passage; a quote is in the
    # answer itself unless it backs a figure of the composed "Latest figure: ..." lead
    figure_citations = {f.n for f in answer.figures}
    for citation in answer.citations:
        assert f"[{citation.n}]" in answer.text
        for quote in citation.quotes:
            assert quote in citation.passage
            assert quote in answer.text or citation.n in figure_citations


def test_extractive_answers_are_fully_supported(demo_bot):
    answer = demo_bot.ask("How many vehicles were seized after the attack?")
    assert answer.grounding is not None
    assert answer.grounding.faithfulness == 1.0
    assert "14" in answer.text or "fourteen" in _text(answer)


def test_follow_up_keeps_spanish_and_the_topic(demo_bot):
    chat = demo_bot.chat()
    chat.ask("¿quién murió en Villa Unión?")
    follow_up = chat.ask("¿cuántos eran policías?")
    assert follow_up.language == "es"
    assert "villa unión" in follow_up.standalone_question.lower()
    assert "cuatro" in _text(follow_up) or "4 " in follow_up.text


@pytest.mark.parametrize(
    ("question", "language", "marker"),
    [
        ("Who won the 2019 Tour de France?", "en", "corpus does not say"),
        ("¿Cuál es la capital de Australia?", "es", "corpus no lo dice"),
        ("Who won the 2019 Rugby World Cup?", "en", "corpus does not say"),
    ],
)
def test_absent_topic_is_refused_in_the_askers_language(demo_bot, question, language, marker):
    answer = demo_bot.ask(question)
    assert answer.refused and answer.language == language
    assert marker in answer.text
    assert answer.nearest and not answer.citations
    articles = [c.doc_id for c in answer.nearest]
    assert len(set(articles)) == len(articles), f"one article listed twice: {articles}"
    assert "?" not in answer.text.split(":", 1)[-1], answer.text


def test_spanish_question_finds_the_english_only_story(demo_bot):
    answer = demo_bot.ask("¿Cuántas horas duró la huelga de trenes en Redbrook?")
    assert answer.language == "es" and not answer.refused
    assert any(c.doc_id.startswith("rs-") for c in answer.citations)
    assert answer.notices  # the quotes are English: the reader is told so, in Spanish
    assert "48" in answer.text


def test_english_question_finds_the_spanish_only_story(demo_bot):
    answer = demo_bot.ask("How many water trucks were sent to San Isidro del Mezquital?")
    assert not answer.refused
    assert any(c.doc_id.startswith("agua-") for c in answer.citations)


def test_filters_restrict_sources_languages_and_dates(demo_bot):
    english = demo_bot.retrieve("Villa Unión attack", "en", SearchFilters(languages=["en"]))
    assert english and all(p.chunk.language == "en" for p in english)
    early = demo_bot.retrieve("Villa Unión attack", "en", SearchFilters(until="2019-11-30"))
    assert early and all(p.chunk.date <= "2019-11-30" for p in early)
    outlet = demo_bot.retrieve("Villa Unión", "es", SearchFilters(sources=["La Voz de Coahuila"]))
    assert outlet and {p.chunk.source for p in outlet} == {"La Voz de Coahuila"}


def test_stream_yields_text_then_the_answer(demo_bot):
    items = list(demo_bot.stream("How many police officers were killed in Villa Unión?"))
    assert isinstance(items[-1], Answer)
    pieces = [i for i in items if isinstance(i, str)]
    assert len(pieces) >= 2 and "".join(pieces) == items[-1].text


def test_explicit_language_wins(demo_bot):
    answer = demo_bot.ask("Villa Unión", language="es")
    assert answer.language == "es"


def test_empty_question_is_rejected(demo_bot):
    with pytest.raises(ValueError, match="empty"):
        demo_bot.ask("   ")


def test_cli_ask_json(demo_bot, capsys):
    from bot.cli import main

    store = str(demo_bot.settings.store_dir)
    assert main(["ask", "¿Quién es el gobernador de Coahuila?", "--json", "--store", store]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["language"] == "es" and "Riquelme" in answer["text"]
    assert answer["citations"][0]["doc_id"].startswith("vu-")


def test_filters_naming_what_the_store_lacks_are_refused_with_what_it_holds(demo_bot):
    from index.errors import InvalidRequestError

    demo_bot.check_filters(SearchFilters(languages=["es"], sources=["Diario del Norte"]))
    with pytest.raises(InvalidRequestError, match=r"outlet 'diario del norte' \(did you mean 'Diario del Norte'\?\)"):
        demo_bot.check_filters(SearchFilters(sources=["diario del norte"]))
    with pytest.raises(InvalidRequestError, match=r"has language 'fr'; languages in the store: en, es$"):
        demo_bot.check_filters(SearchFilters(languages=["fr"]))


def test_a_bot_that_must_not_create_its_store_says_how_to_make_one(tmp_path, embedder):
    from bot import NewsBot
    from index.errors import StoreMissingError

    missing = tmp_path / "nothing-here"
    with pytest.raises(StoreMissingError, match=r"no newsbot store in .*nothing-here; create it with `newsbot ingest"):
        NewsBot(store=missing, embedder=embedder, create_store=False)
    assert not missing.exists()


PARAPHRASED_TOPIC = [
    (
        "carbon",
        "Scientists estimate that the rainforest holds about 140 billion tonnes of carbon stored in its trees "
        "and soil, a reserve that clearing the forest would release.",
    ),
    ("basin", "The Amazon basin spreads over nine countries, and Brazil holds the largest share of it."),
    ("tourism", "Tourism to the Amazon has grown in the river towns, where lodges sell boat trips to visitors."),
    ("dam", "A dam on an Amazon tributary flooded two villages last spring, officials said on Monday."),
]


def test_the_passage_ranked_first_answers_though_it_names_the_topic_another_way(make_bot, tmp_path):
    """The question says 'the Amazon forest', the report holding the answer says 'the rainforest': found
    first, it is answered from, though the story (the reports naming the Amazon) leaves it out."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps({"id": i, "language": "en", "title": "", "date": "2021-05-04", "text": text})
            for i, text in PARAPHRASED_TOPIC
        ),
        encoding="utf-8",
    )
    bot = make_bot()
    bot.ingest([corpus])
    question = "How much carbon is stored in the Amazon forest?"

    found = bot.retrieve(question, "en", k=4)
    answer = bot.ask(question, "en")

    assert found[0].chunk.doc_id == "carbon"  # the retriever's first choice, not named as asked
    assert not answer.refused and "140 billion" in answer.text
    assert answer.citations[0].doc_id == "carbon"


PENDING_TRIAL = [
    (
        "charged",
        "Prosecutors said they will seek the death penalty against Tomás Ferrer, who is accused of setting the "
        "warehouse fire in Puerto Lindo that killed six workers.",
    ),
    (
        "hearing",
        "Tomás Ferrer pleaded not guilty at a hearing on Friday; his trial over the Puerto Lindo fire opens in March.",
    ),
]
VERDICT = (
    "verdict",
    "A judge sentenced Tomás Ferrer to 30 years in prison on Monday for the Puerto Lindo warehouse fire.",
)


def _write_articles(path, articles: list[tuple[str, str]], date: str | None = "2024-02-01"):
    rows = [{"id": i, "language": "en", "title": "", "text": t} | ({"date": date} if date else {}) for i, t in articles]
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    return path


def test_a_sentence_not_yet_handed_down_is_refused_until_a_report_gives_it(make_bot, tmp_path):
    """'What sentence did he receive?' of a story whose reports only say what prosecutors seek is a question
    the corpus does not answer, however well it covers the case; a report of the verdict answers it."""

    def write(name: str, articles: list[tuple[str, str]]):
        return _write_articles(tmp_path / name, articles)

    bot = make_bot()
    bot.ingest([write("pending.jsonl", PENDING_TRIAL)])
    question = "What sentence did Tomás Ferrer receive for the Puerto Lindo fire?"

    pending = bot.ask(question, "en")
    pending_es = bot.ask("¿Qué condena recibió Tomás Ferrer por el incendio de Puerto Lindo?", "es")
    bot.ingest([write("verdict.jsonl", [VERDICT])])
    answered = bot.ask(question, "en")

    assert pending.refused and pending.refusal_reason == "asked-for thing absent"
    assert pending_es.refused and pending_es.refusal_reason == "asked-for thing absent"
    assert not answered.refused and "30 years" in answered.text.split("[")[0]  # the verdict leads


PENDING_APPEAL = [
    (
        "appeal",
        "The regional sailing federation appealed against the result of the Costa Azul regatta, and the sports "
        "appeals court will rule on skipper Inés Valdés's case in June.",
    ),
    ("denial", "Inés Valdés denied breaking the Costa Azul regatta rules at a hearing on Tuesday."),
]
RULING = (
    "ruling",
    "The sports appeals court rejected the federation's appeal on Thursday and confirmed Inés Valdés as winner of "
    "the Costa Azul regatta.",
)


def test_a_ruling_still_awaited_is_refused_until_a_report_gives_it(make_bot, tmp_path):
    """'What did the court rule?' of a case whose reports say only that a ruling is due is a question the corpus
    does not answer; before this kind was read, the pending sentence was quoted as the answer."""
    bot = make_bot()
    bot.ingest([_write_articles(tmp_path / "pending.jsonl", PENDING_APPEAL)])
    question = "What did the sports appeals court rule on Inés Valdés's case?"

    pending = bot.ask(question, "en")
    pending_es = bot.ask("¿Qué decidió el tribunal de apelaciones sobre el caso de Inés Valdés?", "es")
    bot.ingest([_write_articles(tmp_path / "ruling.jsonl", [RULING])])
    answered = bot.ask(question, "en")

    assert pending.refused and pending.refusal_reason == "asked-for thing absent"
    assert pending_es.refused and pending_es.refusal_reason == "asked-for thing absent"
    assert not answered.refused and "rejected" in answered.text.split("[")[0]


def test_a_month_that_dates_the_event_does_not_refuse_undated_reports(make_bot, tmp_path):
    """'the July 2022 debate' names when the event was; in an archive whose reports carry no date, no report
    falls in that month, which is no reason to say the corpus does not say (it used to refuse)."""
    undated = [
        (
            "debate",
            "Candidate Amara Wekesa skipped the Ridgeview presidential debate, saying the moderators had shown "
            "no regard for fairness.",
        ),
        ("rally", "Amara Wekesa held a rally in Ridgeview on the evening of the debate instead."),
    ]
    bot = make_bot()
    bot.ingest([_write_articles(tmp_path / "undated.jsonl", undated, date=None)])
    dated = make_bot(store=tmp_path / "dated")
    dated.ingest([_write_articles(tmp_path / "dated.jsonl", undated, date="2022-05-10")])
    question = "Why did Amara Wekesa skip the July 2022 Ridgeview presidential debate?"

    answer = bot.ask(question, "en")
    before_the_month = dated.ask(question, "en")

    assert not answer.refused and "no regard for fairness" in answer.text
    assert any("undated" in notice for notice in answer.notices)
    assert before_the_month.refused  # May's reports do not say what happened in July
