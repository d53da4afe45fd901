"""The eval harness without the bot: suite validation, metrics, SQuAD import, reports and the CLI's gates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eval.cli import main as eval_main
from eval.grounding.types import CitedSentence, GroundingReport, SentenceCheck
from eval.harness import SuiteError, load_suite
from eval.harness import metrics as m
from eval.harness.models import CaseResult, CitedPassage, GroupResult, Report, SuiteResult
from eval.harness.report import write_reports


def write_lines(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return path


def q(id: str, **extra: object) -> dict[str, object]:
    return {
        "id": id,
        "question": f"Question {id}?",
        "language": "en",
        "answers": ["x"],
        "gold_doc_ids": ["d1"],
        "answerable": True,
        **extra,
    }


# -- suites ----------------------------------------------------------------------------------------
def test_suite_errors_name_file_and_line(tmp_path):
    path = write_lines(
        tmp_path / "bad.jsonl",
        [
            q("a"),
            "{not json",
            {"id": "b", "language": "en"},
            q("a"),
            q("c", language="fr"),
            q("d", answerable=True, answers=[]),
            q("e", follow_up_of="nowhere"),
            q("f", answerable=False),
        ],
    )
    with pytest.raises(SuiteError) as error:
        load_suite(path)
    problems = "\n".join(error.value.problems)
    assert f"{path}:2: not JSON" in problems
    assert f"{path}:3: question: Field required" in problems
    assert f"{path}:4: duplicate id 'a' (first on line 1)" in problems
    assert f"{path}:5:" in problems and "'fr'" in problems
    assert f"{path}:6:" in problems and "at least one gold answer" in problems
    assert f"{path}:7: follow_up_of 'nowhere'" in problems
    assert f"{path}:8:" in problems and "unanswerable question cannot have gold" in problems


def test_corpus_from_header_or_sidecar_relative_to_suite(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "suites").mkdir()
    header = write_lines(tmp_path / "suites" / "h.jsonl", [{"corpus": ["../data"], "field_map": "text=body"}, q("a")])
    suite = load_suite(header)
    assert suite.corpus == [(tmp_path / "data").resolve()] and suite.field_map == "text=body"

    sidecar = write_lines(tmp_path / "suites" / "s.jsonl", [q("a")])
    (tmp_path / "suites" / "s.corpus.json").write_text(json.dumps({"corpus": ["../missing"]}))
    with pytest.raises(SuiteError, match=r"corpus path .*missing does not exist"):
        load_suite(sidecar)


def test_follow_ups_run_right_after_their_parent_and_limit_keeps_conversations(tmp_path):
    path = write_lines(
        tmp_path / "s.jsonl",
        [q("f2", follow_up_of="f1"), q("solo"), q("root"), q("f1", follow_up_of="root"), q("last")],
    )
    suite = load_suite(path)
    assert [[x.id for x in conv] for conv in suite.conversations()] == [["solo"], ["root", "f1", "f2"], ["last"]]
    assert [x.id for x in suite.limited(3).questions] == ["solo", "root", "f1"]


def test_follow_up_cycle_is_an_error(tmp_path):
    path = write_lines(tmp_path / "s.jsonl", [q("a", follow_up_of="b"), q("b", follow_up_of="a")])
    with pytest.raises(SuiteError, match="loops back"):
        load_suite(path)


# -- metrics ---------------------------------------------------------------------------------------
def test_contains_gold_ignores_case_and_accents_but_not_word_boundaries():
    assert m.contains_gold("El CÁRTEL del Noreste atacó.", ["cartel del noreste"])
    assert m.contains_gold("Ganó Benavides [2].", ["Zertuche", "benavides"])
    assert not m.contains_gold("At least 14 dead.", ["4"])
    assert not m.contains_gold("anything", [])


def test_token_f1_is_squad_style():
    assert m.token_f1("The Cartel del Noreste!", ["cartel del noreste"]) == 1.0
    assert m.token_f1("four police officers", ["four"]) == pytest.approx(0.5)
    assert m.token_f1("nothing shared", ["four"]) == 0.0
    assert m.token_f1("los cuatro policías", ["cuatro policias", "x"]) == 1.0


def test_ranks_and_mrr_by_first_passage_of_each_document():
    ranking = m.doc_ranking(["d3", "d3", "d1", "d2", "d1"])
    assert ranking == ["d3", "d1", "d2"]
    assert m.gold_rank(ranking, ["d2", "d1"]) == 2
    assert m.retrieval_scores(2) == {"recall@1": 0.0, "recall@5": 1.0, "mrr": 0.5}
    assert m.retrieval_scores(None) == {"recall@1": 0.0, "recall@5": 0.0, "mrr": 0.0}


def test_refusal_accuracy_and_false_refusals_apply_to_their_own_cases():
    cases = [
        {"refusal_accuracy": 1.0, "latency": 0.1},
        {"refusal_accuracy": 0.0, "latency": 0.3},
        {"false_refusal_rate": 0.0, "contains_gold": 1.0, "latency": 0.2},
        {"false_refusal_rate": 1.0, "contains_gold": 0.0, "latency": 0.4},
        {"false_refusal_rate": 0.0, "contains_gold": 1.0, "latency": 0.5},
    ]
    result = m.aggregate(cases)
    assert result["refusal_accuracy"] == 0.5
    assert result["false_refusal_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["contains_gold"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["latency_p50"] == 0.3
    assert result["recall@5"] is None


class WordChecker:
    """Supported when every word of the sentence occurs in the given passages together."""

    def __init__(self) -> None:
        self.calls = 0

    def check(self, sentences: list[CitedSentence], passages: dict[int, str]) -> GroundingReport:
        self.calls += 1
        checks = []
        for s in sentences:
            pool = set(" ".join(passages[n] for n in s.citations if n in passages).split())
            ok = bool(s.citations) and set(s.text.split()) <= pool
            checks.append(
                SentenceCheck(
                    sentence=s.text,
                    citations=s.citations,
                    verdict="supported" if ok else "unsupported",
                    score=float(ok),
                )
            )
        return GroundingReport(sentences=checks)


def test_alce_citation_recall_and_precision():
    checker = WordChecker()
    passages = {1: "A", 2: "B", 3: "A B", 4: "C"}
    sentences = [
        CitedSentence(text="A B", citations=[1, 2]),  # needs both: 2 precise
        CitedSentence(text="A B", citations=[3, 4]),  # [4] is padding: 1 precise
        CitedSentence(text="A B", citations=[4]),  # unsupported: not recalled, 0 precise
        CitedSentence(text="A B", citations=[]),  # uncited: not recalled
    ]
    judged = m.citation_quality(checker, checker.check(sentences, passages), passages)
    assert [s.recalled for s in judged] == [True, True, False, False]
    assert [s.precise for s in judged] == [2, 1, 0, 0]
    scores = m.citation_scores(judged)
    assert scores["citation_recall"] == 0.5
    assert scores["citation_precision"] == pytest.approx(3 / 5)
    assert scores["faithfulness"] == 0.5


# -- SQuAD import ----------------------------------------------------------------------------------
def squad(language: str, questions: list[list[tuple[str, str, str]]]) -> dict[str, object]:
    """One article; one paragraph per inner list of (id, question, answer)."""
    return {
        "version": "1.1",
        "data": [
            {
                "title": f"Title {language}",
                "paragraphs": [
                    {
                        "context": f"Paragraph {p} in {language}.",
                        "qas": [
                            {
                                "id": i,
                                "question": text,
                                "answers": [{"text": a, "answer_start": 0}] if a else [],
                                **({} if a else {"is_impossible": True}),
                            }
                            for i, text, a in qas
                        ],
                    }
                    for p, qas in enumerate(questions)
                ],
            }
        ],
    }


@pytest.fixture
def squad_pair(tmp_path):
    en = tmp_path / "tiny.en.json"
    es = tmp_path / "tiny.es.json"
    en.write_text(json.dumps(squad("en", [[("q1", "Who?", "Ann"), ("q2", "What?", "")], [("q3", "When?", "1999")]])))
    es_questions = [[("q1", "¿Quién?", "Ana"), ("q2", "¿Qué?", "")], [("q3", "¿Cuándo?", "1999")]]
    es.write_text(json.dumps(squad("es", es_questions)))
    return en, es


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_import_squad_writes_corpus_and_valid_suite(tmp_path, squad_pair):
    en, _ = squad_pair
    corpus, suite = tmp_path / "out" / "c.jsonl", tmp_path / "suites" / "s.jsonl"
    assert eval_main(["import-squad", str(en), "--corpus-out", str(corpus), "--suite-out", str(suite)]) == 0
    articles = read_jsonl(corpus)
    assert [a["id"] for a in articles] == ["tiny-en-0-0", "tiny-en-0-1"]
    assert articles[0] == {
        "id": "tiny-en-0-0",
        "title": "Title en",
        "text": "Paragraph 0 in en.",
        "language": "en",
        "source": "XQuAD",
    }
    loaded = load_suite(suite)
    assert loaded.corpus == [corpus.resolve()]
    by_id = {x.id: x for x in loaded.questions}
    assert by_id["q1"].gold_doc_ids == ["tiny-en-0-0"] and by_id["q1"].answers == ["Ann"]
    assert not by_id["q2"].answerable and by_id["q2"].gold_doc_ids == []
    assert by_id["q3"].gold_doc_ids == ["tiny-en-0-1"]


def test_import_squad_cross_lingual_points_gold_at_the_other_language(tmp_path, squad_pair):
    en, es = squad_pair
    corpus, suite = tmp_path / "c.jsonl", tmp_path / "s.jsonl"
    argv = [
        "import-squad",
        str(es),
        "--corpus-out",
        str(corpus),
        "--suite-out",
        str(suite),
        "--cross-lingual-with",
        str(en),
    ]
    assert eval_main(argv) == 0
    assert {a["language"] for a in read_jsonl(corpus)} == {"en"}
    assert read_jsonl(corpus)[1]["text"] == "Paragraph 1 in en."
    questions = {x.id: x for x in load_suite(suite).questions}
    assert questions["q3"].language == "es" and questions["q3"].question == "¿Cuándo?"
    assert questions["q3"].gold_doc_ids == ["tiny-en-0-1"] and questions["q3"].answers == ["1999"]
    assert questions["q1"].answers == ["Ana", "Ann"]  # the parallel question's answer in the corpus language


def test_import_squad_needs_a_language(tmp_path, squad_pair, capsys):
    nameless = tmp_path / "tiny.json"
    nameless.write_text(squad_pair[0].read_text())
    argv = ["import-squad", str(nameless), "--corpus-out", str(tmp_path / "c"), "--suite-out", str(tmp_path / "s")]
    assert eval_main(argv) == 2
    assert "--language" in capsys.readouterr().err
    assert eval_main([*argv, "--language", "en"]) == 0


def test_build_xquad_without_data_is_a_clear_error(tmp_path, capsys):
    assert eval_main(["build-xquad", "--out", str(tmp_path), "--xquad-dir", str(tmp_path / "none")]) == 2
    assert "XQuAD-dev is missing" in capsys.readouterr().err


# -- reports and gates -----------------------------------------------------------------------------
def make_report(contains_gold: float = 1.0) -> Report:
    case = CaseResult(
        id="x<1>",
        question="Who <script>alert(1)</script>?",
        language="en",
        answerable=True,
        gold_answers=["Ann"],
        gold_doc_ids=["d1"],
        source_language="es",
        answer="Bob & co. [1]",
        answer_language="en",
        refused=False,
        citations=[CitedPassage(n=1, doc_id="d1", passage="See https://example.org/a <b>bold</b>")],
        scores={"contains_gold": contains_gold, "recall@5": 1.0, "latency": 0.2},
        failures=["no gold answer in the text"],
    )
    metrics = m.aggregate([case.scores])
    suite = SuiteResult(
        name="tiny",
        path="tiny.jsonl",
        overall=GroupResult(n=1, metrics=metrics),
        breakdown={case.group: GroupResult(n=1, metrics=metrics)},
        cases=[case],
    )
    return Report(created="now", answerer="extractive", suites=[suite], overall=GroupResult(n=1, metrics=metrics))


def test_reports_are_written_and_html_is_self_contained(tmp_path):
    paths = write_reports(make_report(), tmp_path / "r")
    assert [p.name for p in paths] == ["report.json", "report.md", "report.html"]
    assert Report.model_validate_json(paths[0].read_text()).suites[0].cases[0].id == "x<1>"
    assert "| contains_gold | 1.000 |" in paths[1].read_text()
    page = paths[2].read_text()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script" not in page and "&lt;script&gt;" in page and "&lt;b&gt;bold" in page
    assert page.count('src="data:image/png;base64,') == 3


@pytest.fixture
def canned_run(tmp_path, monkeypatch):
    """`eval run` with the bot replaced by a canned report whose contains_gold is 0.9."""
    from eval.harness import runner

    monkeypatch.setattr(runner.Harness, "run", lambda self, suites, limit=None: make_report(contains_gold=0.9))
    suite = write_lines(tmp_path / "tiny.jsonl", [q("a")])
    return ["run", str(suite), "--store", str(tmp_path / "store")]


def test_baseline_regression_fails_the_run(tmp_path, canned_run, capsys):
    baseline = tmp_path / "old.json"
    baseline.write_text(make_report(contains_gold=1.0).model_dump_json())
    assert eval_main([*canned_run, "--baseline", str(baseline)]) == 1
    assert "contains_gold regressed" in capsys.readouterr().err
    assert eval_main([*canned_run, "--baseline", str(baseline), "--tolerance", "contains_gold=0.15"]) == 0
    baseline.write_text(make_report(contains_gold=0.91).model_dump_json())
    assert eval_main([*canned_run, "--baseline", str(baseline), "--report", str(tmp_path / "r")]) == 0
    assert "Against the baseline" in (tmp_path / "r" / "report.md").read_text()


def test_fail_under_and_thresholds_file(tmp_path, canned_run, capsys):
    assert eval_main([*canned_run, "--fail-under", "contains_gold=0.95"]) == 1
    assert eval_main([*canned_run, "--fail-under", "contains_gold=0.85", "latency_p95=1"]) == 0
    assert eval_main([*canned_run, "--fail-under", "latency_p95=0.1"]) == 1  # a ceiling for latencies
    assert eval_main([*canned_run, "--fail-under", "nonsense=1"]) == 2
    thresholds = tmp_path / "t.json"
    thresholds.write_text(json.dumps({"suites": {"tiny": {"contains_gold": 0.95}}}))
    assert eval_main([*canned_run, "--thresholds", str(thresholds)]) == 1
    assert "tiny: contains_gold = 0.9000 is below 0.95" in capsys.readouterr().err
