"""When to say "the corpus does not say": refusals on XQuAD-dev, answerable and in-topic unanswerable.

    python bench/answerability.py [--store DIR] [--grid]

Each XQuAD-dev question is asked twice against the XQuAD store (both languages; passages filtered to
one language, so every direction is measured apart): with its paragraph (answerable: a refusal is a
false refusal) and with its paragraph removed from what was found (in-topic unanswerable: the other
paragraphs of its own article remain, so the topic is well covered but not the answer). Questions
are split by XQuAD article (even / odd): settings are chosen on the first half and reported on the
second. Prints JSON: per direction and half, the false-refusal rate, the in-topic refusal rate, and
why questions were refused.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections import Counter
from pathlib import Path

from xquad import ROOT, load_xquad, xquad_bot

from bot.answerers.answer_types import asked_for
from bot.filters import SearchFilters
from bot.retriever import answered_from, on_the_story

FOUND = 30


def cases(bot):
    """(half, direction, question, passages with the gold paragraph, passages without it)."""
    for question_language in ("en", "es"):
        for question in load_xquad(question_language)[1]:
            article = int(question.doc_id.split("-")[2])
            for passage_language in ("en", "es"):
                gold = question.doc_id.replace(f"-{question_language}-", f"-{passage_language}-")
                found = bot.retrieve(
                    question.text, question_language, SearchFilters(languages=[passage_language]), FOUND
                )
                names = set(asked_for(question.text).story_names)
                yield (
                    "tune" if article % 2 == 0 else "held_out",
                    f"{question_language}->{passage_language}",
                    question.text,
                    question_language,
                    as_asked(found, names, bot.settings.top_k),
                    as_asked([p for p in found if p.chunk.doc_id != gold], names, bot.settings.top_k),
                )


def as_asked(found, names: set[str], top_k: int):
    """(the story, the passages answered from), as `NewsBot.stream` picks them."""
    story = on_the_story(found, names)
    return story, answered_from(found, story, top_k)


def rates(bot, rows) -> dict:
    out: dict = {}
    for half, direction, text, language, (story, passages), (story_out, passages_out) in rows:
        cell = out.setdefault(half, {}).setdefault(direction, Counter())
        cell["n"] += 1
        reason = bot.refusal_reason(text, language, passages, story)
        cell["false_refusal"] += reason is not None
        if reason:
            cell[f"answerable refused: {reason}"] += 1
        reason = bot.refusal_reason(text, language, passages_out, story_out)
        cell["in_topic_refused"] += reason is not None
    return {
        half: {
            d: {
                "false_refusal": round(c["false_refusal"] / c["n"], 3),
                "in_topic_refusal": round(c["in_topic_refused"] / c["n"], 3),
                **{k: v for k, v in c.items() if k.startswith("answerable")},
            }
            for d, c in sorted(directions.items())
        }
        for half, directions in sorted(out.items())
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=ROOT / ".bench" / "xquad")
    parser.add_argument("--grid", action="store_true", help="try several settings (chosen on the tuning half)")
    args = parser.parse_args()
    bot = xquad_bot(args.store)
    rows = list(cases(bot))
    if not args.grid:
        print(json.dumps(rates(bot, rows), indent=1))
        return
    weights = bot.extractive.weights
    for focus, tie, threshold in itertools.product((0.34, 0.5), (0.3, 0.4, 0.5), (0.35, 0.4)):
        weights.answer_focus = focus
        bot.extractive.cross_language_tie = tie
        bot.settings.refusal_threshold = threshold
        settings = {"answer_focus": focus, "cross_language_tie": tie, "refusal_threshold": threshold}
        print(json.dumps({**settings, **rates(bot, rows)}))


if __name__ == "__main__":
    main()
