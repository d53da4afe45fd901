"""The lexical index: stems within a language, word prefixes across languages, kept in step change by change."""

from __future__ import annotations

import unicodedata

import bm25s
import numpy as np
import pytest

from index import lexical
from index.lexical import MERGE_FACTOR, LexicalIndex, cognate_tokens, fold_accents, tokenize
from index.records import Chunk

IDS = ["constitution-en", "constitucion-es", "football-es"]
TEXTS = [
    "The national assembly approved the new constitution after a long debate.",
    "La asamblea nacional aprobó la nueva constitución tras un largo debate.",
    "El equipo ganó el partido de fútbol con dos goles en el último minuto.",
]
LANGUAGES = ["en", "es", "es"]


def article(doc_id: str, texts: list[str], language: str, version: str = "v1", ts: int = 1):
    """A registry row and its chunks, as the store hands them to the index."""
    row = {"id": doc_id, "version": version, "ts": ts, "language": language, "date": "2020-01-02", "chunks": len(texts)}
    chunks = [
        Chunk(
            id=f"{doc_id}#{version}#{i}",
            doc_id=doc_id,
            index=i,
            text=t,
            start=0,
            end=len(t),
            language=language,
            version=version,
        )
        for i, t in enumerate(texts)
    ]
    return row, chunks


def one_chunk_each(ids, texts, languages):
    return [article(i, [t], lang) for i, t, lang in zip(ids, texts, languages, strict=True)]


def test_tokenize_stems_and_drops_stop_words():
    assert tokenize("The bridges of the city closed", "en") == ["bridg", "citi", "close"]
    assert tokenize("Los puentes de la ciudad cerraron", "es") == ["puent", "ciud", "cerr"]


def test_cognate_tokens_are_accent_free_prefixes_of_content_words():
    assert cognate_tokens("¿Cuándo se aprobó la constitución en 1991?", "es") == ["cuan", "apro", "cons"]


def test_accent_folding_matches_unicode_decomposition_character_by_character():
    text = "Unión, São Paulo, Ångström, ﬁnal, Œuvre, Dvořák, naïve, ½, “quotes” — 東京 😀 ǅ"
    slow = "".join(c for ch in text for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    assert fold_accents(text) == slow


def test_cognates_rank_the_translation_first_and_survive_a_reload(tmp_path):
    index = LexicalIndex(tmp_path / "lexical")
    index.apply(one_chunk_each(IDS, TEXTS, LANGUAGES), stamp=5)
    index.save()
    question = "When did the assembly approve the constitution?"
    scores = index.cognate_scores(question, "en")
    spanish = [i for i, language in enumerate(LANGUAGES) if language == "es"]
    positions = [index._state.positions[f"{i}#v1#0"] for i in IDS]
    assert IDS[max(spanish, key=lambda i: scores[positions[i]])] == "constitucion-es"
    assert index.score_of(scores, "football-es#v1#0") == 0
    reloaded = LexicalIndex(tmp_path / "lexical")
    assert reloaded.stamp == 5 and len(reloaded) == 3
    assert np.allclose(reloaded.cognate_scores(question, "en"), scores)
    assert reloaded.top(reloaded.scores(question, "en"), 1)[0][0] == "constitution-en#v1#0"


def test_a_word_only_other_languages_hold_still_counts_in_the_ideal(tmp_path):
    index = LexicalIndex(tmp_path / "lexical")
    index.apply(
        one_chunk_each(
            ["fair-en", "water-es"],
            [
                "A pupil won the science fair with a water-saving cactus garden.",
                "San Isidro del Mezquital reparte agua por turnos; el director del organismo pidió paciencia.",
            ],
            ["en", "es"],
        )
    )
    shares = index.scores("Who heads the water utility in San Isidro del Mezquital?", "en")
    fair, water = index.score_of(shares, "fair-en#v1#0"), index.score_of(shares, "water-es#v1#0")
    assert fair < 0.35  # 'water' alone is a small part of what the question asks (0.52 before names counted)
    assert water > fair


def test_translated_scores_count_each_word_once_at_its_best_translation(tmp_path):
    index = LexicalIndex(tmp_path / "lexical")
    index.apply(
        one_chunk_each(
            ["synonyms-es", "answer-es", "answer-en"],
            [
                "Un terremoto, el sismo más fuerte del siglo, sacudió la costa.",
                "El terremoto dejó heridos en la costa.",
                "The earthquake left many injured.",
            ],
            ["es", "es", "en"],
        )
    )
    groups = [["earthquake", "terremoto", "sismo"], ["injured", "heridos"]]
    shares = index.translated_scores(groups, "es")
    synonyms, answer = index.score_of(shares, "synonyms-es#v1#0"), index.score_of(shares, "answer-es#v1#0")
    assert synonyms < 0.6 < answer  # two translations of one word count once, not as two words of the question
    best_alone = index.translated_scores([["sismo"], ["injured", "heridos"]], "es")
    assert index.score_of(best_alone, "synonyms-es#v1#0") == pytest.approx(synonyms)  # its best translation
    assert index.score_of(shares, "answer-en#v1#0") == 0  # only chunks in the language asked for score
    assert not index.translated_scores(groups, "fr").any()


def test_a_translated_share_counts_the_words_no_translation_matches(tmp_path):
    index = LexicalIndex(tmp_path / "lexical")
    index.apply(
        one_chunk_each(
            ["budget-es", "race-en"],
            ["El municipio cerrará 2019 sin deuda.", "The cyclist won the race in 2019 after a long tour of France."],
            ["es", "en"],
        )
    )
    groups = [["won", "ganó"], ["2019"], ["tour", "gira"], ["france", "francia"]]

    only_translations = index.translated_scores(groups, "es")
    with_the_question = index.translated_scores(groups, "es", source="en")

    assert index.score_of(only_translations, "budget-es#v1#0") == pytest.approx(1.0)  # the year is all it can match
    assert index.score_of(with_the_question, "budget-es#v1#0") < 0.4  # three of four asked-for words missing


def test_a_translated_share_counts_a_name_no_chunk_holds_as_the_rarest_word(tmp_path):
    index = LexicalIndex(tmp_path / "lexical")
    index.apply(
        one_chunk_each(
            ["budget-es", "museum-en"],
            ["El municipio cerrará 2019 sin deuda.", "The museum opened in 2019 and won an award."],
            ["es", "en"],
        )
    )
    groups = [["won", "ganó"], ["2019"], ["tour", "gira"], ["france", "francia"]]

    words_only = index.translated_scores(groups, "es", source="en")
    names_too = index.translated_scores(groups, "es", source="en", name_words=frozenset({"tour", "france"}))

    # 'tour' and 'france' are in no chunk: as mere words they add nothing to the best score, as names they do
    assert index.score_of(names_too, "budget-es#v1#0") < index.score_of(words_only, "budget-es#v1#0") / 2


WORDS = (
    "flood bridge council mayor storm copper strike mine river rain market price school road police fire "
    "inundación puente alcalde tormenta cobre huelga mina río lluvia mercado precio escuela policía"
).split()


def random_text(rng: np.random.Generator) -> str:
    return " ".join(rng.choice(WORDS, size=int(rng.integers(0, 14))))


@pytest.mark.parametrize("largest_merge", [None, 12])
def test_incremental_updates_score_exactly_like_bm25s_built_from_scratch(tmp_path, monkeypatch, largest_merge):
    """Adds, replacements and deletions in many batches (with merges, and with many segments that are
    too large to merge) give bm25s's scores on the live set."""
    if largest_merge:
        monkeypatch.setattr(lexical, "MAX_MERGED_CHUNKS", largest_merge)
    rng = np.random.default_rng(7)
    index = LexicalIndex(tmp_path / "lexical")
    live: dict[str, tuple[list[str], str]] = {}
    for step in range(40):
        batch = []
        for _ in range(int(rng.integers(1, 6))):
            doc_id = f"d{int(rng.integers(0, 60))}"
            language = "en" if rng.random() < 0.5 else "es"
            texts = [random_text(rng) for _ in range(int(rng.integers(1, 4)))]
            batch.append(article(doc_id, texts, language, version=f"v{step}", ts=step))
            live[doc_id] = (texts, language)
        doomed = [f"d{int(i)}" for i in rng.integers(0, 60, size=2)] if step % 3 == 0 else []
        doomed = [d for d in doomed if d not in {row["id"] for row, _ in batch}]
        for doc_id in doomed:
            live.pop(doc_id, None)
        index.apply(batch, doomed, stamp=step)
        index.scores(" ".join(WORDS), "en")  # fills each state's cached counts: a stale one would show below
        if step % 10 == 9:
            index.save()
            index = LexicalIndex(tmp_path / "lexical")
    texts = [t for doc_id in sorted(live) for t in live[doc_id][0]]
    languages = [live[doc_id][1] for doc_id in sorted(live) for _ in live[doc_id][0]]
    ids = [f"{doc_id}#{i}" for doc_id in sorted(live) for i in range(len(live[doc_id][0]))]
    assert len(index) == len(texts) and {r["id"] for r in index.documents()} == set(live)
    reference = bm25s.BM25()
    reference.index(
        [tokenize(t, lang) or ["\x00"] for t, lang in zip(texts, languages, strict=True)], show_progress=False
    )
    ours = {
        chunk_id.rsplit("#", 2)[0] + "#" + chunk_id.rsplit("#", 1)[1]: i
        for i, chunk_id in enumerate(index._state.ids)
        if index._state.alive[i]
    }
    for term in {t for text, lang in zip(texts, languages, strict=True) for t in tokenize(text, lang)}:
        expected = reference.get_scores([term])
        where, got = index._term(index._state, "stems", term)
        dense = np.zeros(len(index._state.ids), dtype=np.float32)
        dense[where] = got
        assert np.allclose([dense[ours[i]] for i in ids], expected, atol=1e-5), term
    if largest_merge is None:
        assert len(index._state.segments) <= 1 + int(np.log(max(len(texts), 2)) / np.log(MERGE_FACTOR)) + 1


def test_segments_stop_merging_at_the_largest_merge(tmp_path, monkeypatch):
    monkeypatch.setattr(lexical, "MAX_MERGED_CHUNKS", 50)
    index = LexicalIndex(tmp_path / "lexical")
    for b in range(40):
        index.apply([article(f"doc{b}-{i}", ["storm and flood"], "en") for i in range(10)])
    sizes = [len(segment) for segment in index._state.segments]
    assert sum(sizes) == 400 and max(sizes) <= 50
    assert len(sizes) <= 400 // 50 + 4


def test_replaced_and_deleted_articles_stop_matching_and_leave_the_catalog(tmp_path):
    index = LexicalIndex(tmp_path / "lexical")
    index.apply([article("a", ["copper strike at the mine"], "en", "v1", 1), article("b", ["river flood"], "en")])
    index.apply([article("a", ["school reopens after the storm"], "en", "v2", 2)], stamp=2)
    assert index.top(index.scores("copper strike", "en"), 5) == []
    assert index.top(index.scores("school storm", "en"), 5)[0][0] == "a#v2#0"
    index.apply([], ["b"], stamp=3)
    index.save()
    reloaded = LexicalIndex(tmp_path / "lexical")
    assert [r["id"] for r in reloaded.documents()] == ["a"] and reloaded.version_of("a") == "v2"
    assert reloaded.top(reloaded.scores("river flood", "en"), 5) == []
    assert reloaded.newest_year() == 2020


def test_a_damaged_cache_loads_empty_so_it_is_rebuilt(tmp_path):
    index = LexicalIndex(tmp_path / "lexical")
    index.apply(one_chunk_each(IDS, TEXTS, LANGUAGES), stamp=9)
    index.save()
    (tmp_path / "lexical" / "manifest.json").write_text("{not json", encoding="utf-8")
    reloaded = LexicalIndex(tmp_path / "lexical")
    assert reloaded.stamp == 0 and len(reloaded) == 0


@pytest.mark.parametrize("batches", [1, 30])
def test_segments_stay_few_as_batches_arrive(tmp_path, batches):
    index = LexicalIndex(tmp_path / "lexical")
    for b in range(batches):
        index.apply([article(f"doc{b}-{i}", ["storm and flood"], "en") for i in range(10)])
    assert len(index) == 10 * batches
    assert len(index._state.segments) <= 4


def test_mentions_finds_every_word_of_a_name_in_one_chunk_of_the_language(tmp_path):
    index = LexicalIndex(tmp_path / "lexical")
    index.apply(one_chunk_each(IDS, TEXTS, LANGUAGES))
    assert index.mentions("National Assembly", "en") is True
    assert index.mentions("Assembly Hall", "en") is False  # 'hall' is in no English chunk
    assert index.mentions("Asamblea Nacional", "es") is True
    assert index.mentions("Asamblea Nacional", "fr") is None  # nothing to judge by
