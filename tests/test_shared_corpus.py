"""The must-shows on real third-party news from ../shared/data (skipped when it is absent).

NTREX (123 documents x English, Spanish, Mexican Spanish = 369 articles), the seed Villa Unión article
and the true rows of the Spanish fake-news corpus, ingested through the CLI as a user would.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared_data

pytestmark = pytest.mark.slow

FAKENEWS_MAP = "id=Link,text=Text,title=Headline,source=Source,url=Link"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    ntrex = shared_data("ntrex", "ntrex_docs_en_es.jsonl")
    seed = shared_data("seed", "villa_union_en.txt")
    fakenews = sorted(shared_data("fakenews_es").glob("*.jsonl"))
    folder = tmp_path_factory.mktemp("shared")
    per_language = folder / "ntrex_articles.jsonl"
    with per_language.open("w", encoding="utf-8") as out:
        for line in ntrex.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            for suffix, language in (("en", "en"), ("es", "es"), ("es_MX", "es")):
                out.write(
                    json.dumps(
                        {
                            "id": f"{doc['doc_id']}-{suffix}",
                            "title": doc[f"title_{suffix}"],
                            "text": doc[f"text_{suffix}"],
                            "language": language,
                            "source": "NTREX",
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    return {"store": str(folder / "store"), "ntrex": per_language, "seed": seed, "fakenews": fakenews}


def _ingest(capsys, *args: str) -> dict:
    from bot.cli import main

    assert main(["ingest", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def ingested(corpus):
    from bot.cli import main

    first = []
    for args in (
        [str(corpus["ntrex"])],
        [str(corpus["seed"])],
        [*map(str, corpus["fakenews"]), "--map", FAKENEWS_MAP, "--where", "Category=True"],
    ):
        first.append(args)
        assert main(["ingest", *args, "--store", corpus["store"]]) == 0
    return first


def test_stats_show_both_languages_and_reingest_writes_nothing(corpus, ingested, capsys):
    from bot.cli import main

    assert main(["stats", "--json", "--store", corpus["store"]]) == 0
    stats = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert stats["languages"]["en"]["documents"] >= 124  # 123 NTREX + the seed article
    assert stats["languages"]["es"]["documents"] >= 246 + 700  # NTREX es + es_MX, true Spanish news
    for args in ingested:
        report = _ingest(capsys, *args, "--store", corpus["store"])
        assert (report["added"], report["updated"]) == (0, 0)


@pytest.fixture(scope="module")
def bot(corpus, ingested, embedder):
    from bot import NewsBot

    return NewsBot(store=corpus["store"], embedder=embedder)


@pytest.mark.parametrize(
    ("question", "language", "words"),
    [
        ("who was killed in Villa Unión?", "en", ("four police officers", "members of the", "death toll")),
        ("¿quién murió en Villa Unión?", "es", ("four police officers", "members of the gang", "death toll")),
    ],
)
def test_villa_union_questions_cite_the_seed_article(bot, corpus, question, language, words):
    answer = bot.ask(question)
    assert answer.language == language and not answer.refused
    assert answer.citations[0].doc_id.startswith("sha-") or "villa" in answer.citations[0].title.lower()
    assert all("Villa Union" in c.passage or "Villa Unión" in c.passage for c in answer.citations)
    assert all(phrase in answer.text.lower() for phrase in words)  # the police, the gunmen and the toll
    assert answer.grounding is not None and answer.grounding.faithfulness == 1.0


def test_follow_up_keeps_spanish(bot):
    chat = bot.chat()
    chat.ask("¿quién murió en Villa Unión?")
    follow_up = chat.ask("¿cuántos eran policías?")
    assert follow_up.language == "es" and not follow_up.refused
    assert "four police" in follow_up.text.lower() or "cuatro" in follow_up.text.lower()


@pytest.mark.parametrize(
    ("question", "marker"),
    [
        ("Who designed the Sydney Opera House?", "corpus does not say"),
        ("¿Cuántas lunas tiene Júpiter?", "no lo dice"),
    ],
)
def test_absent_topic_is_refused(bot, question, marker):
    answer = bot.ask(question)
    assert answer.refused and marker in answer.text
