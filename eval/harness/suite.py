"""Evaluation suites: JSONL questions with gold answers and documents, plus the corpus they are asked of.

A suite names its corpus either in a first-line header object (`{"corpus": [...], "field_map": "..."}`)
or in a sidecar `<suite>.corpus.json`, paths relative to the suite file, so a suite and its corpus
travel together and a run never depends on whatever the user's default store holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

LANGUAGES = ("en", "es")
M = TypeVar("M", bound=BaseModel)


class SuiteError(ValueError):
    """Every problem found in a suite file, each as 'file:line: message', so all can be fixed in one pass."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class SuiteQuestion(BaseModel):
    """One evaluation question; `follow_up_of` names the question it follows in the same conversation."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    language: str
    answers: list[str] = Field(default_factory=list, description="Gold answer strings; any may match.")
    gold_doc_ids: list[str] = Field(default_factory=list)
    answerable: bool = True
    follow_up_of: str | None = None
    notes: str = ""
    history: list[tuple[str, float]] = Field(
        default_factory=list, description="For a figure question: the (date, value) pairs its story really reported."
    )

    @model_validator(mode="after")
    def _consistent(self) -> SuiteQuestion:
        if self.language not in LANGUAGES:
            raise ValueError(f"language {self.language!r} is not one of {', '.join(LANGUAGES)}")
        if self.answerable and not self.answers:
            raise ValueError("an answerable question needs at least one gold answer")
        if not self.answerable and (self.answers or self.gold_doc_ids):
            raise ValueError("an unanswerable question cannot have gold answers or gold documents")
        if self.follow_up_of == self.id:
            raise ValueError("a question cannot follow up on itself")
        return self


class CorpusSpec(BaseModel):
    """Where a suite's articles are, and how their columns map to article fields."""

    model_config = ConfigDict(extra="forbid")

    corpus: list[str] = Field(min_length=1)
    field_map: str | None = None


class Suite(BaseModel):
    """A validated suite: its questions in file order and its corpus paths, resolved."""

    name: str
    path: Path
    questions: list[SuiteQuestion]
    corpus: list[Path] = Field(default_factory=list)
    field_map: str | None = None

    def conversations(self) -> list[list[SuiteQuestion]]:
        """Questions grouped into conversations, each parent before its follow-ups, roots in file order."""
        children: dict[str, list[SuiteQuestion]] = {}
        for q in self.questions:
            if q.follow_up_of is not None:
                children.setdefault(q.follow_up_of, []).append(q)

        def thread(q: SuiteQuestion) -> list[SuiteQuestion]:
            return [q, *(x for child in children.get(q.id, []) for x in thread(child))]

        return [thread(q) for q in self.questions if q.follow_up_of is None]

    def limited(self, limit: int | None) -> Suite:
        """The first `limit` questions in run order; a follow-up never survives without its parent."""
        if limit is None:
            return self
        ordered = [q for conversation in self.conversations() for q in conversation][:limit]
        return self.model_copy(update={"questions": ordered})


def load_suite(path: str | Path) -> Suite:
    """Read and validate a suite; raises SuiteError listing every problem as 'file:line: message'."""
    path = Path(path)
    problems: list[str] = []
    header: CorpusSpec | None = None
    questions: list[SuiteQuestion] = []
    lines: dict[str, int] = {}
    first_record = True
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as error:
            problems.append(f"{where}: not JSON: {error.msg}")
            continue
        if not isinstance(record, dict):
            problems.append(f"{where}: expected a JSON object")
            continue
        if first_record and "corpus" in record:
            first_record = False
            header = _parse(CorpusSpec, record, where, problems)
            continue
        first_record = False
        question = _parse(SuiteQuestion, record, where, problems)
        if question is None:
            continue
        if question.id in lines:
            problems.append(f"{where}: duplicate id {question.id!r} (first on line {lines[question.id]})")
            continue
        lines[question.id] = number
        questions.append(question)
    for q in questions:
        if q.follow_up_of is not None and q.follow_up_of not in lines:
            problems.append(f"{path}:{lines[q.id]}: follow_up_of {q.follow_up_of!r} is not a question of this suite")
    problems += _cycles(path, questions, lines)
    sidecar = path.with_name(path.name.removesuffix(".jsonl") + ".corpus.json")
    if header is None and sidecar.is_file():
        header = _parse(CorpusSpec, json.loads(sidecar.read_text(encoding="utf-8")), str(sidecar), problems)
    elif header is not None and sidecar.is_file():
        problems.append(f"{sidecar}: the suite already names its corpus in a header line; keep one of the two")
    corpus = [(path.parent / item).resolve() for item in header.corpus] if header else []
    problems += [f"{path}: corpus path {item} does not exist" for item in corpus if not item.exists()]
    if not questions and not problems:
        problems.append(f"{path}: no questions")
    if problems:
        raise SuiteError(problems)
    return Suite(
        name=path.name.removesuffix(".jsonl"),
        path=path.resolve(),
        questions=questions,
        corpus=corpus,
        field_map=header.field_map if header else None,
    )


def _parse(model: type[M], record: dict[str, Any], where: str, problems: list[str]) -> M | None:
    try:
        return model.model_validate(record)
    except ValidationError as error:
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"])
            problems.append(f"{where}: {field + ': ' if field else ''}{item['msg']}")
        return None


def _cycles(path: Path, questions: list[SuiteQuestion], lines: dict[str, int]) -> list[str]:
    """Follow-up chains that loop back on themselves can never be asked parent-first."""
    parent = {q.id: q.follow_up_of for q in questions if q.follow_up_of in lines}
    problems = []
    for start in parent:
        seen, node = {start}, parent.get(start)
        while node is not None and node not in seen:
            seen.add(node)
            node = parent.get(node)
        if node == start:
            problems.append(f"{path}:{lines[start]}: follow-up chain of {start!r} loops back on itself")
    return problems
