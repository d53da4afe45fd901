"""Readers' questions about a real news archive, judged as ../shared/tools/stories_check.py judges them.

    python bench/archive_questions.py [--store DIR] [--part tuning|held_out|held_out_2|held_out_3|held_out_4]

The archive is ../shared/data's BBC 2004-05 articles, worldwide newswire and the true items of
fakenews_es (4,097 articles, undated; built into --store once, about 2 minutes). The 316 questions in
eval/suites/archive-questions.jsonl were written for this project by people who had not seen newsbot's
code, about stories other than news-stories' three: fact, cross-lingual and absent (the archive covers the
story but not what is asked). Each part was written after the one before, about yet other stories:
- "tuning" (90): read question by question to find what goes wrong;
- "held_out" (40): only totals looked at while rules were made on tuning (one question, h2-q11, was read
  when a rule on country names changed its answer);
- "held_out_2" (62): totals, then the wording of its questions whose kind newsbot did not read (2026-12-07;
  it has since served as a development set: its misses were read for the question-kind vocabulary);
- "held_out_3" (62): written after all of the above; totals only (a diagnostic printed two of its questions,
  h3-es-q09 and h3-es-q17, once, and a second session's look at saved output showed the opening of eleven
  answers, h3-es-q20 to q30; no rule was made from them);
- "held_out_4" (62): written on 2026-12-07 (second session) by two helpers who had not seen newsbot's code,
  about 55 stories none of the parts above used; totals only.
Prints one JSON line per question, then a summary per part and kind.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import NewsBot  # noqa: E402

SHARED = ROOT.parent / "shared"
QUESTIONS = ROOT / "eval" / "suites" / "archive-questions.jsonl"
PARTS = ("tuning", "held_out", "held_out_2", "held_out_3", "held_out_4")
"""In the order they were written; each part's stories are new to the parts before it (see the docstring)."""


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def archive_rows() -> list[dict]:
    """The archive's articles as newsbot rows (ids as the questions' evidence names them)."""
    data = SHARED / "data"
    rows = [
        {"id": r["id"], "title": r["title"], "text": r["text"], "language": "en", "source": "BBC"}
        for path in sorted((data / "bbc_news_en").glob("*.jsonl"))
        for r in _jsonl(path)
    ]
    rows += [
        {"id": r["id"], "title": "", "text": r["text"], "language": "en", "source": r["source_prefix"]}
        for r in _jsonl(data / "worldwide_newswire_en" / "articles.jsonl")
    ]
    for split in ("train", "development", "test"):
        for raw in _jsonl(data / "fakenews_es" / f"{split}.jsonl"):
            r = {key.lower(): value for key, value in raw.items()}
            if str(r.get("category")) == "True":
                rows.append(
                    {
                        "id": f"fakenews-{split}-{r['id']}",
                        "title": r["headline"],
                        "text": r["text"],
                        "language": "es",
                        "source": r["source"],
                    }
                )
    return rows


def _judge():
    """stories_check.py's judge, read from ../shared/tools at run time."""
    spec = importlib.util.spec_from_file_location("stories_check", SHARED / "tools" / "stories_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.judge


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=ROOT / ".bench" / "archive")
    parser.add_argument("--part", choices=PARTS, help="only this part of the questions")
    args = parser.parse_args()
    if not (SHARED / "tools" / "stories_check.py").is_file() or not (SHARED / "data" / "bbc_news_en").is_dir():
        sys.exit(f"missing {SHARED}: this benchmark reads ../shared/data and ../shared/tools")
    judge = _judge()
    bot = NewsBot(store=args.store)
    built = args.store / "archive-built"
    if not built.exists():
        corpus = args.store.parent / "archive.jsonl"
        corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in archive_rows()), encoding="utf-8")
        bot.ingest([corpus])
        built.touch()
    tally: dict[str, dict[str, list[int]]] = {}
    for question in _jsonl(QUESTIONS):
        if args.part and question["part"] != args.part:
            continue
        answer = bot.ask(question["question"])
        ok, why = judge(question, answer)
        tally.setdefault(question["part"], {}).setdefault(question["kind"], []).append(int(ok))
        print(json.dumps({"id": question["id"], "ok": ok, "why": why, "text": answer.text[:200]}, ensure_ascii=False))
    summary = {
        part: {"passed": f"{sum(map(sum, kinds.values()))}/{sum(map(len, kinds.values()))}"}
        | {kind: f"{sum(v)}/{len(v)}" for kind, v in sorted(kinds.items())}
        for part, kinds in sorted(tally.items())
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
