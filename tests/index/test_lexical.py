"""BM25 indexes: stemmed within a language, word prefixes across languages; both persisted."""

from __future__ import annotations

import numpy as np

from index.lexical import LexicalIndex, cognate_tokens, tokenize

IDS = ["constitution-en", "constitucion-es", "football-es"]
TEXTS = [
    "The national assembly approved the new constitution after a long debate.",
    "La asamblea nacional aprobó la nueva constitución tras un largo debate.",
    "El equipo ganó el partido de fútbol con dos goles en el último minuto.",
]
LANGUAGES = ["en", "es", "es"]


def test_tokenize_stems_and_drops_stop_words():
    assert tokenize("The bridges of the city closed", "en") == ["bridg", "citi", "close"]
    assert tokenize("Los puentes de la ciudad cerraron", "es") == ["puent", "ciud", "cerr"]


def test_cognate_tokens_are_accent_free_prefixes_of_content_words():
    assert cognate_tokens("¿Cuándo se aprobó la constitución en 1991?", "es") == ["cuan", "apro", "cons"]


def test_cognates_rank_the_translation_first_and_survive_a_reload(tmp_path):
    index = LexicalIndex(tmp_path / "bm25")
    index.rebuild(IDS, TEXTS, LANGUAGES)
    question = "When did the assembly approve the constitution?"
    scores = index.cognate_scores(question, "en")
    spanish = [i for i, language in enumerate(LANGUAGES) if language == "es"]
    assert IDS[max(spanish, key=lambda i: scores[i])] == "constitucion-es"
    assert scores[IDS.index("football-es")] == 0
    reloaded = LexicalIndex(tmp_path / "bm25")
    assert np.allclose(reloaded.cognate_scores(question, "en"), scores)
    assert reloaded.top(reloaded.scores(question, "en"), 1)[0][0] == "constitution-en"


def test_a_word_only_other_languages_hold_still_counts_in_the_ideal(tmp_path):
    index = LexicalIndex(tmp_path / "bm25")
    index.rebuild(
        ["fair-en", "water-es"],
        [
            "A pupil won the science fair with a water-saving cactus garden.",
            "San Isidro del Mezquital reparte agua por turnos; el director del organismo pidió paciencia.",
        ],
        ["en", "es"],
    )
    shares = index.scores("Who heads the water utility in San Isidro del Mezquital?", "en")
    assert shares[0] < 0.35  # 'water' alone is a small part of what the question asks (0.52 before names counted)
    assert shares[1] > shares[0]


def test_an_index_without_cognates_reports_itself_incomplete(tmp_path):
    import shutil

    index = LexicalIndex(tmp_path / "bm25")
    index.rebuild(IDS, TEXTS, LANGUAGES)
    assert index.complete
    shutil.rmtree(tmp_path / "bm25" / LexicalIndex.COGNATES_DIR)
    assert not LexicalIndex(tmp_path / "bm25").complete
