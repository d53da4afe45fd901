"""SQuAD/XQuAD JSON to a newsbot corpus (one article per paragraph) and a suite that names it.

Cross-lingual suites pair two parallel files (XQuAD's languages share article and paragraph
order): the corpus comes from one language and the questions from the other, so the gold
document of a Spanish question is the English paragraph it was translated from.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from eval.harness.suite import LANGUAGES, SuiteQuestion

XQUAD_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "xquad_dev"
"""../shared/data/xquad_dev next to the repository."""
XQUAD_PAIRS = (("en", "en"), ("es", "es"), ("es", "en"), ("en", "es"))
"""(question language, corpus language) of the suites build-xquad writes."""
_LANGUAGE_IN_NAME = re.compile(r"\.([a-z]{2})\.json$")


class ImportSummary(BaseModel):
    corpus: Path
    suite: Path
    articles: int
    questions: int


def language_of(path: Path, given: str | None = None) -> str:
    """The language given, else the one in a name like 'xquad_dev.es.json'."""
    match = _LANGUAGE_IN_NAME.search(path.name)
    language = given or (match.group(1) if match else None)
    if language not in LANGUAGES:
        raise ValueError(f"{path}: cannot tell its language from the name; pass --language ({'/'.join(LANGUAGES)})")
    return language


def _read(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not a SQuAD-format file ({error})") from None
    return data


def _doc_id(path: Path, language: str, article: int, paragraph: int) -> str:
    stem = _LANGUAGE_IN_NAME.sub("", path.name).removesuffix(".json")
    return f"{stem}-{language}-{article}-{paragraph}"


def import_squad(
    path: Path,
    corpus_out: Path,
    suite_out: Path,
    cross_lingual_with: Path | None = None,
    language: str | None = None,
    corpus_language: str | None = None,
    source: str = "XQuAD",
    limit: int | None = None,
) -> ImportSummary:
    """Write the corpus JSONL and the suite JSONL (its first line naming the corpus, relative to the suite).

    Cross-lingual gold answers include the parallel question's answers in the corpus language (same
    question id), since an answer quoting the source ("four") is as right as the translation ("cuatro").
    `limit` keeps at most that many questions, spread evenly over the file so every article is represented.
    """
    question_language = language_of(path, language)
    questions_data = _read(path)
    corpus_path = cross_lingual_with or path
    corpus_lang = language_of(corpus_path, corpus_language) if cross_lingual_with else question_language
    corpus_data = _read(cross_lingual_with) if cross_lingual_with else questions_data
    if [len(a["paragraphs"]) for a in corpus_data] != [len(a["paragraphs"]) for a in questions_data]:
        raise ValueError(f"{path} and {corpus_path} are not parallel: their articles and paragraphs differ")

    articles = []
    questions: list[SuiteQuestion] = []
    for a, (item, corpus_item) in enumerate(zip(questions_data, corpus_data, strict=True)):
        for p, (paragraph, corpus_paragraph) in enumerate(
            zip(item["paragraphs"], corpus_item["paragraphs"], strict=True)
        ):
            doc_id = _doc_id(corpus_path, corpus_lang, a, p)
            articles.append(
                {
                    "id": doc_id,
                    "title": corpus_item.get("title", ""),
                    "text": corpus_paragraph["context"],
                    "language": corpus_lang,
                    "source": source,
                }
            )
            parallel = {qa["id"]: qa.get("answers", []) for qa in corpus_paragraph["qas"]} if cross_lingual_with else {}
            for qa in paragraph["qas"]:
                found = [*qa.get("answers", []), *parallel.get(qa["id"], [])]
                golds = list(dict.fromkeys(ans["text"] for ans in found if ans["text"].strip()))
                answerable = bool(golds) and not qa.get("is_impossible", False)
                questions.append(
                    SuiteQuestion(
                        id=str(qa["id"]),
                        question=qa["question"],
                        language=question_language,
                        answers=golds if answerable else [],
                        gold_doc_ids=[doc_id] if answerable else [],
                        answerable=answerable,
                        notes=f"{source} {question_language}→{corpus_lang}: {item.get('title', '')}",
                    )
                )
    if limit is not None and limit < len(questions):
        step = len(questions) / limit
        questions = [questions[int(i * step)] for i in range(limit)]

    for out in (corpus_out, suite_out):
        out.parent.mkdir(parents=True, exist_ok=True)
    corpus_out.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    header = {"corpus": [Path(os.path.relpath(corpus_out.resolve(), suite_out.resolve().parent)).as_posix()]}
    lines = [json.dumps(header), *(q.model_dump_json() for q in questions)]
    suite_out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ImportSummary(corpus=corpus_out, suite=suite_out, articles=len(articles), questions=len(questions))


def build_xquad(out: Path, limit: int | None = None, xquad_dir: Path = XQUAD_DIR) -> list[ImportSummary]:
    """The four XQuAD-dev suites (question-corpus: en-en, es-es, es-en, en-es) and the two corpora in `out`."""
    files = {lang: xquad_dir / f"xquad_dev.{lang}.json" for lang in ("en", "es")}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"XQuAD-dev is missing ({', '.join(missing)}); it lives in ../shared/data/xquad_dev")
    return [
        import_squad(
            files[q],
            corpus_out=out / f"corpus.{c}.jsonl",
            suite_out=out / f"xquad-{q}-{c}.jsonl",
            cross_lingual_with=files[c] if c != q else None,
            limit=limit,
        )
        for q, c in XQUAD_PAIRS
    ]
