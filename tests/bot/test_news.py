"""News-aware answers: figures that change over time, across languages, with time-scoped questions."""

from __future__ import annotations

import pytest

from bot.news.attribution import check_lead
from bot.news.figures import asked_concept, figures_in
from bot.news.time_scope import TimeScope, parse_time_scope
from tests.fixtures.articles import write_jsonl


def _article(doc_id: str, date: str, language: str, source: str, title: str, text: str) -> dict:
    return {
        "id": doc_id,
        "date": date,
        "language": language,
        "source": source,
        "title": title,
        "text": text,
        "url": f"https://example.org/{doc_id}",
    }


FIRST = _article(
    "flood-1",
    "2021-05-10",
    "en",
    "River Post",
    "Flash flood hits San Jerónimo",
    "A flash flood swept through San Jerónimo on Monday night. At least 9 people were killed, "
    "the civil protection office said. Rescue teams searched the riverbanks until dawn.",
)
SECOND = _article(
    "flood-2",
    "2021-05-11",
    "es",
    "Diario del Valle",
    "Suben a 12 los muertos en San Jerónimo",
    "La cifra de muertos por la inundación en San Jerónimo subió este martes a 12. "
    "Protección civil informó que tres cuerpos fueron hallados río abajo.",
)
CORRECTION = _article(
    "flood-3",
    "2021-05-12",
    "en",
    "Valley Wire",
    "San Jerónimo toll revised to 11",
    "Officials revised the San Jerónimo flood toll to 11 dead on Wednesday, saying one victim "
    "had been counted twice in the 12 reported on Tuesday. Schools in the town stay closed.",
)
AGREE_EN = _article(
    "fire-en",
    "2021-06-02",
    "en",
    "River Post",
    "Warehouse fire in Puerto Lindo",
    "A warehouse fire in Puerto Lindo killed 3 workers on Tuesday, firefighters said.",
)
AGREE_ES = _article(
    "fire-es",
    "2021-06-02",
    "es",
    "Diario del Valle",
    "Incendio en Puerto Lindo",
    "El incendio de una bodega en Puerto Lindo dejó 3 trabajadores muertos el martes.",
)


@pytest.fixture(scope="module")
def news_bot(tmp_path_factory, embedder):
    from bot import NewsBot

    folder = tmp_path_factory.mktemp("news")
    bot = NewsBot(store=folder / "store", embedder=embedder)
    bot.ingest([write_jsonl(folder / "news.jsonl", [FIRST, SECOND, CORRECTION, AGREE_EN, AGREE_ES])])
    return bot


def test_figures_are_recognised_in_both_languages():
    assert [(f.concept, f.value) for f in figures_in("At least 21 people were killed on Saturday.")] == [("deaths", 21)]
    assert [(f.concept, f.value) for f in figures_in("La cifra de muertos subió a veintidós.")] == [("deaths", 22)]
    assert [(f.concept, f.value) for f in figures_in("Cuatro policías estatales murieron.")] == [("deaths:police", 4)]
    assert [(f.concept, f.value) for f in figures_in("El tiroteo dejó 8 mexicanos muertos y 7 heridos.")] == [
        ("deaths:nationals-mexico", 8),
        ("injured:nationals-mexico", 7),
    ]
    assert [(f.concept, f.value) for f in figures_in("La cifra de desaparecidos bajó a 1.300.")] == [("missing", 1300)]
    assert [(f.concept, f.value) for f in figures_in("Two more people died, bringing the toll to 22.")] == [
        ("deaths", 22)
    ]
    assert figures_in("The attack happened on 30 November 2019.") == []
    assert asked_concept("¿Cuántos policías murieron?") == "deaths:police"
    assert asked_concept("¿Cuántos heridos seguían hospitalizados?") == "hospitalised"
    assert asked_concept("How many victims died in hospital?") == "deaths:in-hospital"
    assert asked_concept("What was the death toll?") == "deaths"
    assert asked_concept("¿Quién murió en Villa Unión?") == asked_concept("Who was killed in Villa Unión?") == "deaths"


def test_spanish_who_died_opens_with_the_toll_history_like_english(demo_bot):
    spanish = demo_bot.ask("¿quién murió en Villa Unión?")
    assert spanish.lead.startswith("Cifra más reciente: 23")
    assert demo_bot.ask("who was killed in Villa Unión?").lead.startswith("Latest figure: 23")


@pytest.mark.parametrize(
    ("question", "until", "preference"),
    [
        ("How many had died by 1 December?", "2019-12-01", None),
        ("¿Qué se sabía el 30 de noviembre?", "2019-11-30", None),
        ("What was the latest death toll?", None, "latest"),
        ("¿Qué decían los primeros reportes?", None, "earliest"),
        ("toll as of Dec. 2, 2020", "2020-12-02", None),
        ("And two days later? (What was the death toll on 1 December?)", "2019-12-03", None),
        ("¿Y tres días después? (¿Cuántos muertos había el 30 de noviembre?)", "2019-12-03", None),
        ("By the end of April 2020, what was the death toll?", "2020-04-30", None),
        ("¿Cuántos muertos había hasta febrero de 2024?", "2024-02-29", None),
    ],
)
def test_time_scope_in_english_and_spanish(question, until, preference):
    scope = parse_time_scope(question, default_year=2019)
    assert (scope.until, scope.preference, scope.during) == (until, preference, None)


@pytest.mark.parametrize(
    ("question", "during"),
    [
        ("Who died in April 2020?", ("2020-04-01", "2020-04-30")),
        ("¿Qué pasó en septiembre de 2019?", ("2019-09-01", "2019-09-30")),
        ("What was reported in Sept. 2019?", ("2019-09-01", "2019-09-30")),
    ],
)
def test_a_month_without_a_day_is_a_window_not_a_bound(question, during):
    assert parse_time_scope(question, default_year=2019) == TimeScope(during=during)


def test_a_month_named_in_the_question_brings_that_months_reports_first(news_bot):
    june = news_bot.ask("Who was killed in June 2021?")
    may = news_bot.ask("Who was killed in May 2021?")
    assert june.citations[0].date.startswith("2021-06")
    assert may.citations[0].date.startswith("2021-05")


def test_disagreeing_reports_in_two_languages_are_listed_by_date_latest_first(news_bot):
    answer = news_bot.ask("How many people died in the San Jerónimo flood?")
    assert answer.text.startswith("Latest figure: 11 dead (12 May 2021, Valley Wire)")
    assert [(f.value, f.date) for f in answer.figures] == [(9, "2021-05-10"), (12, "2021-05-11"), (11, "2021-05-12")]
    by_n = {c.n: c for c in answer.citations}
    assert {by_n[f.n].doc_id for f in answer.figures} == {"flood-1", "flood-2", "flood-3"}
    assert answer.grounding.sentences[0].verdict == "supported"


def test_spanish_question_gets_the_history_in_spanish(news_bot):
    answer = news_bot.ask("¿Cuántos muertos dejó la inundación en San Jerónimo?")
    assert answer.language == "es"
    assert answer.text.startswith("Cifra más reciente: 11 muertos (12 may 2021, Valley Wire)")
    assert "9 (10 may 2021, River Post)" in answer.text and "12 (11 may 2021, Diario del Valle)" in answer.text


def test_a_later_correction_leads(news_bot):
    answer = news_bot.ask("What is the latest death toll of the San Jerónimo flood?")
    assert answer.figures[-1].value == 11 and answer.figures[-1].source == "Valley Wire"
    assert answer.text.index("11 dead") < answer.text.index("12 (")


def test_time_scoped_question_sees_only_what_was_known_then(news_bot):
    answer = news_bot.ask("How many had died in San Jerónimo by 11 May 2021?")
    assert "As of 11 May 2021, the latest figure was 12 dead" in answer.text
    assert all(c.date <= "2021-05-11" for c in answer.citations)


def test_first_reports_lead_when_asked(news_bot):
    answer = news_bot.ask("What did the first reports say about the dead in San Jerónimo?")
    assert answer.text.startswith("First reports: 9 dead (10 May 2021, River Post)")


def test_reports_that_agree_in_different_words_are_said_once(news_bot):
    answer = news_bot.ask("How many workers died in the Puerto Lindo fire?")
    assert not answer.refused and [f.value for f in answer.figures] == [3]
    assert answer.text.startswith("Reported figure: 3 dead") and "Earlier reports" not in answer.text


def test_a_figure_cited_to_a_report_that_does_not_state_it_is_unsupported(news_bot):
    answer = news_bot.ask("How many people died in the San Jerónimo flood?")
    stale = next(f for f in answer.figures if f.value == 12)
    newest = next(f for f in answer.figures if f.value == 11)
    tampered = answer.model_copy(deep=True)
    for figure in tampered.figures:
        if figure.value == stale.value:
            figure.n = newest.n  # 12 cited to the report that says 11
    verdicts = [check.verdict for check in check_lead(tampered)]
    assert "unsupported" in verdicts


def test_timeline_is_dated_cited_and_in_order(news_bot):
    timeline = news_bot.timeline("San Jerónimo flood")
    dates = [entry.date for entry in timeline.entries]
    assert dates == sorted(dates) and len(set(dates)) == 3
    cited = {c.n: c for c in timeline.citations}
    for entry in timeline.entries:
        assert entry.text in cited[entry.n].passage
    assert any("deaths: 12" in entry.figures for entry in timeline.entries)
    assert news_bot.timeline("Tour de France winner").entries == []


def test_parts_changes_and_discharges_are_not_the_figure():
    assert [
        (f.concept, f.value)
        for f in figures_in("El número de heridos llegó a 34, de los cuales 30 siguen en hospitales.")
    ] == [("injured", 34)]
    assert figures_in("Cinco de los heridos que llegaron a hospitales ya fueron dados de alta.") == []
    assert [(f.concept, f.value) for f in figures_in("El número de muertos subió de 50 a 52.")] == [("deaths", 52)]
    assert [(f.concept, f.value) for f in figures_in("Truck crossings at the bridge reached 186,400 in May.")] == [
        ("vehicles", 186400)
    ]


def test_a_month_with_no_report_that_answers_is_widened_to_later_reports_and_says_so(news_bot):
    answer = news_bot.ask("¿Quién murió en marzo de 2021?")
    assert not answer.refused
    assert all(c.date >= "2021-03-01" for c in answer.citations)
    assert any("marzo" in n or "mar 2021" in n for n in answer.notices)
