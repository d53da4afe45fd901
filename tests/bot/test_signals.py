"""Names and numbers shared by a question and a passage, matched as whole words and phrases."""

from __future__ import annotations

from bot.signals import clue_overlap, clues, names


def test_clues_are_folded_names_and_numbers_without_question_words_or_dates():
    assert clues("¿Quién murió en Villa Unión el 30 de noviembre?") == {"villa union", "30"}
    assert names(clues("Who won the 2019 Rugby World Cup?")) == {"rugby world cup"}


def test_names_match_whole_words_only():
    assert clue_overlap({"oro"}, "Los Toros ganaron el título.") == 0.0
    assert clue_overlap({"oro"}, "Ganó el Balón de Oro.") == 1.0
    assert clue_overlap({"villa union"}, "El ataque en Villa Unión, Coahuila.") == 1.0
    assert clue_overlap({"villa union"}, "La Unión Europea y la villa") == 0.0


def test_long_names_match_by_most_of_their_words_and_numbers_exactly():
    assert clue_overlap({"governor miguel angel riquelme"}, "Miguel Ángel Riquelme dijo.") == 1.0
    assert clue_overlap({"21", "14"}, "The toll rose to 21.") == 0.5
