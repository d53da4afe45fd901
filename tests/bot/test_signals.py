"""Names and numbers shared by a question and a passage, matched as whole words and phrases."""

from __future__ import annotations

import pytest

from bot.signals import clue_overlap, clues, loosely_named, names


def test_clues_are_folded_names_and_numbers_without_question_words_or_dates():
    assert clues("¿Quién murió en Villa Unión el 30 de noviembre?") == {"villa union", "30"}
    assert names(clues("Who won the 2019 Rugby World Cup?")) == {"rugby world cup"}


def test_a_possessive_ends_a_name_and_quotes_are_not_part_of_one():
    assert clues("At Bernie Ellis' Norvale trial, who spoke?") == {"bernie ellis", "norvale"}
    assert clues("el escándalo de la 'Casa Azul' de Ana Ruiz") == {"casa azul", "ana ruiz"}
    assert clues("What is Ana Ruiz's plan?") == {"ana ruiz"}


def test_names_match_whole_words_only():
    assert clue_overlap({"oro"}, "Los Toros ganaron el título.") == 0.0
    assert clue_overlap({"oro"}, "Ganó el Balón de Oro.") == 1.0
    assert clue_overlap({"villa union"}, "El ataque en Villa Unión, Coahuila.") == 1.0
    assert clue_overlap({"villa union"}, "La Unión Europea y la villa") == 0.0


def test_long_names_match_by_most_of_their_words_and_numbers_exactly():
    assert clue_overlap({"governor miguel angel riquelme"}, "Miguel Ángel Riquelme dijo.") == 1.0
    assert clue_overlap({"21", "14"}, "The toll rose to 21.") == 0.5


@pytest.mark.parametrize(
    ("question", "passage", "named"),
    [
        ("What did Marta Sandobal say about the bridge?", "Mayor Marta Sandoval opened the bridge.", True),  # a typo
        ("Who coached the Harbour Lion's defence?", "The Harbour Lions lost on Sunday.", True),  # another form
        ("Where do Vallenian farmers sell?", "Farmers in Vallenia sell at the port.", True),
        ("When did the CWA strike?", "The Coastal Workers Association went on strike.", True),  # initials
        ("Under Goldmann's plan, who pays?", "The plan of Goldmann was approved.", True),  # not 'Under'
        ("Where is Villa Unión?", "La Unión Europea dijo que no.", False),  # a two-word name needs both
        ("Who designed the Sydney Opera House?", "The White House said on Monday.", False),
        ("Who is Tomas Berg?", "Anna Lindqvist spoke.", False),
    ],
)
def test_names_are_found_loosely_for_refusing(question, passage, named):
    assert loosely_named(names(clues(question)), passage) is named
