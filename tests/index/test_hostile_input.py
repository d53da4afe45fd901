"""Loaders against hostile input: every kind of bad file is an issue on one line, and the good records survive.

Each case builds its own bad files in a fresh directory (nothing here is third-party data), loads that
directory, and states exactly which texts are stored and which issues come out, in order. Shared checks on
every issue: it names its file (and line, when there is one) and renders as a single printable line.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from index.loaders import csv_loader as csv_module
from index.loaders import load_paths
from index.loaders.base import MAX_LINE_CHARS
from index.loaders.builder import (
    MAX_DATE_CHARS,
    MAX_ID_CHARS,
    MAX_LANGUAGE_CHARS,
    MAX_SOURCE_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
)
from index.loaders.csv_loader import MAX_ROW_CHARS
from index.loaders.jsonl import JsonlLoader
from index.loaders.jsonparse import MAX_JSON_DEPTH
from index.loaders.text import MAX_TEXT_FILE_BYTES
from index.records import MAX_ARTICLE_BYTES, Article, IngestIssue, printable

IssueSpec = tuple[str, int | None, str, str | re.Pattern[str]]
"""(file relative to the case directory, line, severity, exact reason or a pattern it must fully match)."""


@dataclass
class Expected:
    texts: list[str] = field(default_factory=list)
    issues: list[IssueSpec] = field(default_factory=list)
    load: str = "."
    """What to load, relative to the case directory."""
    check: Callable[[list[Article]], None] | None = None
    cleanup: Callable[[], None] | None = None
    """Run after loading, for trees that pytest's own (recursive) tmp cleanup cannot remove."""


CASES: dict[str, Callable[[Path], Expected]] = {}


def case(build: Callable[[Path], Expected]) -> Callable[[Path], Expected]:
    CASES[build.__name__] = build
    return build


def jsonl(*records: object) -> str:
    """JSON Lines from records; a str is written as it is, so broken lines can be mixed in."""
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


def split(items: Iterable[Article | IngestIssue]) -> tuple[list[Article], list[IngestIssue]]:
    articles: list[Article] = []
    issues: list[IngestIssue] = []
    for item in items:
        (articles if isinstance(item, Article) else issues).append(item)
    return articles, issues


def assert_one_line(issues: list[IngestIssue]) -> None:
    """Every issue renders as one printable, encodable line that starts with its file and line."""
    for issue in issues:
        rendered = str(issue)
        assert rendered.splitlines() == [rendered], rendered
        assert rendered.isprintable(), rendered
        rendered.encode("utf-8")  # no lone surrogates from undecodable file names
        where = printable(issue.path) + (f":{issue.line}" if issue.line is not None else "")
        assert rendered.startswith(where + ": "), rendered


def matches(reason: str, expected: str | re.Pattern[str]) -> bool:
    return bool(expected.fullmatch(reason)) if isinstance(expected, re.Pattern) else reason == expected


# --- empty, binary, encodings ------------------------------------------------------------------------


@case
def empty_file(d: Path) -> Expected:
    (d / "empty.jsonl").write_bytes(b"")
    return Expected(issues=[("empty.jsonl", None, "error", "empty file")])


@case
def whitespace_only(d: Path) -> Expected:
    (d / "blank.md").write_bytes(b" \n\t\r\n  \n")
    return Expected(issues=[("blank.md", None, "error", "empty file")])


@case
def binary_file(d: Path) -> Expected:
    (d / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return Expected(issues=[("photo.txt", None, "error", "binary file, skipped")])


@case
def invalid_utf8(d: Path) -> Expected:
    (d / "mangled.txt").write_bytes(b"Title\nbad bytes \x81\x8d here\xff")  # not cp1252 either
    return Expected(issues=[("mangled.txt", None, "error", "neither valid UTF-8 nor cp1252, skipped")])


@case
def latin1_file(d: Path) -> Expected:
    (d / "latin.csv").write_bytes("title,text\nCañón,Año nuevo en España.\n".encode("latin-1"))
    return Expected(
        texts=["Año nuevo en España."],
        issues=[("latin.csv", None, "warning", "not valid UTF-8; decoded as cp1252")],
    )


@case
def utf16_and_utf32_with_bom(d: Path) -> Expected:
    """Windows tools write these; every text format must read them, not call them binary."""
    (d / "a.jsonl").write_bytes(codecs.BOM_UTF16_LE + jsonl({"text": "UTF-16 LE JSON Lines."}).encode("utf-16-le"))
    (d / "b.csv").write_bytes(codecs.BOM_UTF16_BE + "title,text\nBE,UTF-16 BE CSV.\n".encode("utf-16-be"))
    (d / "c.txt").write_bytes(codecs.BOM_UTF32_LE + "Título\nUTF-32 LE texto.\n".encode("utf-32-le"))
    (d / "d.md").write_bytes(codecs.BOM_UTF32_BE + "# Heading\nUTF-32 BE Markdown.\n".encode("utf-32-be"))
    html = "<html><body><article><p>" + "UTF-16 HTML page with enough words to count as text. " * 4
    (d / "e.html").write_bytes((html + "</p></article></body></html>").encode("utf-16"))
    (d / "f.json").write_bytes(json.dumps([{"text": "UTF-16 JSON array."}]).encode("utf-16"))
    html_text = html.removeprefix("<html><body><article><p>").strip()
    texts = ["UTF-16 LE JSON Lines.", "UTF-16 BE CSV.", "UTF-32 LE texto.", "UTF-32 BE Markdown.", html_text]
    return Expected(texts=[*texts, "UTF-16 JSON array."])


@case
def utf16_bom_but_truncated(d: Path) -> Expected:
    (d / "odd.jsonl").write_bytes(jsonl({"text": "cut"}).encode("utf-16") + b"\x00")  # odd byte count
    return Expected(issues=[("odd.jsonl", None, "error", "not valid UTF-16 despite its byte-order mark, skipped")])


@case
def file_over_size_limit(d: Path) -> Expected:
    with (d / "huge.txt").open("wb") as sparse:  # a hole: no time or disk spent, yet st_size is over the cap
        sparse.truncate(MAX_TEXT_FILE_BYTES + 1)
    reason = f"file is {MAX_TEXT_FILE_BYTES + 1} bytes, over the {MAX_TEXT_FILE_BYTES}-byte limit, skipped"
    return Expected(issues=[("huge.txt", None, "error", reason)])


# --- JSON and JSON Lines -----------------------------------------------------------------------------


@case
def truncated_json(d: Path) -> Expected:
    (d / "cut.json").write_text('[\n  {"text": "Whole story."},\n  {"text": "Cut off')
    return Expected(issues=[("cut.json", 3, "error", "malformed JSON: Unterminated string starting at (column 12)")])


@case
def jsonl_bad_middle_line(d: Path) -> Expected:
    (d / "feed.jsonl").write_text(jsonl({"text": "Before the break."}, '{"text": "no end"', {"text": "After it."}))
    return Expected(
        texts=["Before the break.", "After it."],
        issues=[("feed.jsonl", 2, "error", "malformed JSON: Expecting ',' delimiter (column 18)")],
    )


@case
def deeply_nested_jsonl(d: Path) -> Expected:
    """100k-deep arrays used to raise RecursionError and lose the whole file without a line number."""
    prefix = '{"text": "Nested meta.", "meta": '
    nested_object = prefix + '{"a": ' * 1000 + "1" + "}" * 1000 + "}"
    (d / "deep.jsonl").write_text(
        jsonl({"text": "Shallow one."}, "[" * 100_000 + "]" * 100_000, nested_object, {"text": "Shallow two."})
    )
    too_deep = f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
    return Expected(
        texts=["Shallow one.", "Shallow two."],
        issues=[
            ("deep.jsonl", 2, "error", f"{too_deep} (column {MAX_JSON_DEPTH + 1})"),
            ("deep.jsonl", 3, "error", f"{too_deep} (column {len(prefix) + 6 * (MAX_JSON_DEPTH - 1) + 1})"),
        ],
    )


@case
def deeply_nested_json_document(d: Path) -> Expected:
    prefix = '[{"text": "Shallow."},\n'
    (d / "deep.json").write_text(prefix + "[" * 100_000 + "]" * 100_000 + "]")
    # Brackets inside strings are text, not nesting: this one loads.
    (d / "quoted.json").write_text(json.dumps([{"text": "Brackets " + "[{" * 500 + " are words here."}]))
    reason = f"JSON nested deeper than {MAX_JSON_DEPTH} levels (column {MAX_JSON_DEPTH})"  # 1 level on line 1
    return Expected(texts=["Brackets " + "[{" * 500 + " are words here."], issues=[("deep.json", 2, "error", reason)])


@case
def huge_line(d: Path) -> Expected:
    long_line = '{"text": "' + "x" * MAX_LINE_CHARS + '"}'
    (d / "long.jsonl").write_text(jsonl({"text": "Short one."}, long_line, {"text": "Short two."}) + long_line)
    reason = f"line is {len(long_line)} characters, over the {MAX_LINE_CHARS}-character limit, skipped"
    return Expected(
        texts=["Short one.", "Short two."],
        issues=[("long.jsonl", 2, "error", reason), ("long.jsonl", 4, "error", reason)],
    )


@case
def huge_field(d: Path) -> Expected:
    big_text = "word " * (MAX_ARTICLE_BYTES // 5 + 1000)
    (d / "big.jsonl").write_text(
        jsonl(
            {"text": "Small story."},
            {"text": big_text},
            {"text": "Kept despite a bulky side field.", "raw_html": "<p>" * (MAX_ARTICLE_BYTES // 2)},
        )
    )
    size = len(big_text.strip())
    return Expected(
        texts=["Small story.", "Kept despite a bulky side field."],
        issues=[("big.jsonl", 2, "error", f"text is {size} bytes, over the {MAX_ARTICLE_BYTES}-byte limit")],
    )


@case
def huge_title(d: Path) -> Expected:
    (d / "title.jsonl").write_text(jsonl({"title": "T" * 1_000_000, "text": "A story with a runaway title."}))

    def check(articles: list[Article]) -> None:
        assert len(articles[0].title) == MAX_TITLE_CHARS
        assert articles[0].title.endswith("…")

    reason = f"title is 1000000 characters, over the {MAX_TITLE_CHARS}-character limit; truncated"
    issues: list[IssueSpec] = [("title.jsonl", 1, "warning", reason)]
    return Expected(texts=["A story with a runaway title."], issues=issues, check=check)


@case
def huge_metadata_fields(d: Path) -> Expected:
    long = "m" * 5000
    (d / "meta.jsonl").write_text(
        jsonl(
            {"id": long, "text": "Refused: an id cut short could merge two articles."},
            {"url": "https://x.example/" + long, "text": "Kept without its url."},
            {"source": long, "text": "Kept with a cut source."},
            {"date": "1 " * 5000, "text": "Kept without a date."},
            {"language": long, "text": "Kept, language aside."},
        )
    )

    def check(articles: list[Article]) -> None:
        no_url, cut_source, no_date, no_language = articles
        assert no_url.url == "" and no_url.id.startswith("sha-")
        assert len(cut_source.source) == MAX_SOURCE_CHARS
        assert no_date.date == "" and no_language.language == ""

    def over(what: str, size: int, limit: int) -> str:
        return f"{what} is {size} characters, over the {limit}-character limit"

    return Expected(
        texts=["Kept without its url.", "Kept with a cut source.", "Kept without a date.", "Kept, language aside."],
        issues=[
            ("meta.jsonl", 1, "error", over("id", 5000, MAX_ID_CHARS)),
            ("meta.jsonl", 2, "warning", over("url", 5018, MAX_URL_CHARS) + "; left empty"),
            ("meta.jsonl", 3, "warning", over("source", 5000, MAX_SOURCE_CHARS) + "; truncated"),
            ("meta.jsonl", 4, "warning", over("date", 9999, MAX_DATE_CHARS) + "; date left empty"),
            ("meta.jsonl", 5, "warning", over("language", 5000, MAX_LANGUAGE_CHARS) + "; left for detection"),
        ],
        check=check,
    )


@case
def non_string_text(d: Path) -> Expected:
    """Numbers, booleans, NaN/Infinity literals, null and structures used to be stored as text ('12345', 'True')."""
    values = ["12345", "true", "false", "NaN", "Infinity", "-Infinity", "1e999", "null", '["a", "list"]', '{"a": "b"}']
    (d / "types.jsonl").write_text("".join(f'{{"text": {value}}}\n' for value in values) + jsonl({"text": "Real."}))
    kinds = ["a number", "a boolean", "a boolean", "NaN", "Infinity", "-Infinity", "Infinity", "null", "an array"]
    kinds.append("an object")
    issues: list[IssueSpec] = [
        ("types.jsonl", n, "error", f"field 'text' is {kind}, expected text") for n, kind in enumerate(kinds, 1)
    ]
    return Expected(texts=["Real."], issues=issues)


@case
def non_string_metadata(d: Path) -> Expected:
    (d / "meta.jsonl").write_text(
        jsonl(
            {"text": "Numeric title.", "title": 42},
            {"text": "Boolean id.", "id": True},
            {"text": "Numeric id.", "id": 7},
            {"text": "Array url.", "url": ["https://x.example"]},
            {"text": "Epoch date.", "date": 1575072000},
            {"text": "Null source.", "source": None},
        )
        + '{"text": "NaN in an unused field.", "score": NaN}\n'
    )

    def check(articles: list[Article]) -> None:
        numeric_title, numeric_id, epoch_date = articles[:3]
        assert (numeric_title.title, numeric_id.id, epoch_date.date) == ("", "7", "")

    return Expected(
        texts=["Numeric title.", "Numeric id.", "Epoch date.", "Null source.", "NaN in an unused field."],
        issues=[
            ("meta.jsonl", 1, "warning", "field 'title' is a number, expected text; left empty"),
            ("meta.jsonl", 2, "error", "field 'id' is a boolean, expected text or a number"),
            ("meta.jsonl", 4, "error", "field 'url' is an array, expected text"),
            ("meta.jsonl", 5, "warning", "field 'date' is a number, expected text; left empty"),
        ],
        check=check,
    )


@case
def missing_and_empty_text(d: Path) -> Expected:
    (d / "holes.jsonl").write_text(
        jsonl({"title": "Only a title"}, {"text": ""}, {"text": "  \n\t "}, {"text": "\x00\x1b"}, {"text": "Fine."})
    )
    return Expected(
        texts=["Fine."],
        issues=[
            ("holes.jsonl", 1, "error", re.compile(r"no text field \(looked for .*; found: title\)")),
            ("holes.jsonl", 2, "error", "empty text"),
            ("holes.jsonl", 3, "error", "empty text"),
            ("holes.jsonl", 4, "error", "empty text"),
        ],
    )


@case
def many_keys_and_no_text(d: Path) -> Expected:
    record = {f"key\n{n}": n for n in range(1000)}
    (d / "wide.jsonl").write_text(jsonl(record, {"text": "Narrow."}))
    found = ", ".join(f"key\n{n}" for n in range(20)) + ", and 980 more"
    reason = f"no text field (looked for 'text', 'body', 'content', 'article'; found: {found})"
    return Expected(texts=["Narrow."], issues=[("wide.jsonl", 1, "error", reason)])


@case
def punctuation_only_text(d: Path) -> Expected:
    (d / "marks.jsonl").write_text(jsonl({"text": "!!! ... ??? — ¡¿!? ***"}, {"text": "Words, at last."}))
    (d / "marks.txt").write_text("A title\n.... !!!! ----\n")
    return Expected(
        texts=["Words, at last."],
        issues=[
            ("marks.jsonl", 1, "error", "text has no letters or digits"),
            ("marks.txt", 1, "error", "text has no letters or digits"),
        ],
    )


@case
def control_characters(d: Path) -> Expected:
    record = {"title": "Red\nalert\x1b[31m!", "text": "Body \x1b[2Jwith\x00 escapes.\nLine two."}
    (d / "ctl.jsonl").write_text(jsonl(record))

    def check(articles: list[Article]) -> None:
        assert articles[0].title == "Red alert [31m!"

    return Expected(texts=["Body [2Jwith escapes.\nLine two."], check=check)


@case
def lone_surrogate_escape(d: Path) -> Expected:
    """json.loads accepts '\\ud800'; UTF-8 encoding it used to raise and lose the rest of the file."""
    (d / "sur.jsonl").write_text('{"text": "Broken \\ud800 pair."}\n' + jsonl({"text": "Next line."}))
    reason = "text has 1 unpaired UTF-16 surrogate escape(s); replaced with U+FFFD"
    return Expected(texts=["Broken \ufffd pair.", "Next line."], issues=[("sur.jsonl", 1, "warning", reason)])


@case
def huge_integer(d: Path) -> Expected:
    """int() refuses over 4,300 digits with a ValueError json does not wrap: it used to lose the whole file."""
    (d / "num.jsonl").write_text('{"text": "Views.", "views": ' + "9" * 5000 + "}\n" + jsonl({"text": "Survivor."}))
    reason = re.compile(r"malformed JSON: a number has over \d+ digits")
    return Expected(texts=["Survivor."], issues=[("num.jsonl", 1, "error", reason)])


@case
def duplicate_ids(d: Path) -> Expected:
    (d / "dups.jsonl").write_text(jsonl({"id": "same", "text": "First."}, {"id": "same", "text": "Second."}))
    return Expected(
        texts=["First."],
        issues=[("dups.jsonl", 2, "error", f"duplicate id 'same' (first seen at {d / 'dups.jsonl'}:1)")],
    )


@case
def nonsense_dates(d: Path) -> Expected:
    dates = ["pronto", "2019-02-30", "2019-11-30T25:99:99", "0000-00-00", "99/99/9999"]
    (d / "dates.jsonl").write_text(jsonl(*({"text": f"Story {n}.", "date": date} for n, date in enumerate(dates))))
    return Expected(
        texts=[f"Story {n}." for n in range(len(dates))],
        issues=[
            ("dates.jsonl", 1, "warning", "unparseable date 'pronto'; date left empty"),
            ("dates.jsonl", 2, "warning", "invalid date '2019-02-30': day is out of range for month; date left empty"),
            ("dates.jsonl", 3, "warning", "invalid date '2019-11-30T25:99:99': hour must be in 0..23; date left empty"),
            ("dates.jsonl", 4, "warning", "invalid date '0000-00-00': year 0 is out of range; date left empty"),
            ("dates.jsonl", 5, "warning", "unparseable date '99/99/9999'; date left empty"),
        ],
    )


# --- CSV ---------------------------------------------------------------------------------------------


@case
def csv_ragged_rows(d: Path) -> Expected:
    (d / "ragged.csv").write_text("title,text\nok,Fine row.\ntoo,many,fields\nshort\nalso,Fine too.\n")
    return Expected(
        texts=["Fine row.", "Fine too."],
        issues=[
            ("ragged.csv", 3, "error", "row has 3 fields, header has 2"),
            ("ragged.csv", 4, "error", "row has 1 fields, header has 2"),
        ],
    )


@case
def csv_nul_byte(d: Path) -> Expected:
    (d / "early.csv").write_text("title,text\nA,Has a \x00 NUL.\n")
    (d / "late.csv").write_text("title,text\nA," + "Filler words. " * 700 + "\nB,Late\x00 NUL row.\n")
    return Expected(
        texts=[("Filler words. " * 700).strip(), "Late NUL row."],
        issues=[("early.csv", None, "error", "binary file, skipped")],
    )


@case
def csv_unterminated_quote(d: Path) -> Expected:
    """csv's lenient mode used to store everything after the stray quote as one article's text."""
    (d / "quote.csv").write_text('title,text\nA,First row.\nB,"Never closed\nC,Swallowed row.\nD,Another.\n')
    reason = "unterminated quote: a quoted field opened in this row runs to the end of the file, skipped"
    return Expected(texts=["First row."], issues=[("quote.csv", 3, "error", reason)])


@case
def csv_duplicate_header_names(d: Path) -> Expected:
    (d / "dup.csv").write_text("text,title,Text,title\nFirst body.,T,Second body.,U\n")

    def check(articles: list[Article]) -> None:
        assert articles[0].title == "T"

    return Expected(
        texts=["First body."],
        issues=[
            ("dup.csv", 1, "warning", "duplicate column 'Text' (columns 1 and 3); the first is used"),
            ("dup.csv", 1, "warning", "duplicate column 'title' (columns 2 and 4); the first is used"),
        ],
        check=check,
    )


@case
def csv_row_too_long(d: Path) -> Expected:
    (d / "wide.csv").write_text("title,text\nA,Fine row.\nB," + "," * MAX_ROW_CHARS + "\nC,Never reached.\n")
    reason = f"CSV error: row is over the {MAX_ROW_CHARS}-character limit (an unclosed quote?); rest of file skipped"
    return Expected(texts=["Fine row."], issues=[("wide.csv", 3, "error", reason)])


# --- HTML and text -----------------------------------------------------------------------------------


@case
def html_without_text(d: Path) -> Expected:
    (d / "empty_body.html").write_text("<html><head><title>Nothing here</title></head><body>  </body></html>")
    (d / "script.htm").write_text("<html><body><script>document.write('x'.repeat(9))</script></body></html>")
    deep = "<html><body>" + "<div>" * 20_000 + "Lost in the divs." + "</div>" * 20_000 + "</body></html>"
    (d / "z_deep.html").write_text(deep)
    return Expected(
        issues=[
            ("empty_body.html", 1, "error", "no article text found in HTML"),
            ("script.htm", 1, "error", "no article text found in HTML"),
            ("z_deep.html", 1, "error", "no article text found in HTML"),
        ]
    )


# --- names, links and non-regular files --------------------------------------------------------------


@case
def unsupported_extension(d: Path) -> Expected:
    (d / "notes.docx").write_bytes(b"PK\x03\x04")
    reason = re.compile(r"unsupported file type '\.docx' \(supported: .*\)")
    return Expected(issues=[("notes.docx", None, "error", reason)])


@case
def newline_in_file_name(d: Path) -> Expected:
    (d / "bad\nname.jsonl").write_text(jsonl({"text": "Odd name, fine content."}, "{oops"))

    def check(articles: list[Article]) -> None:
        assert articles[0].origin == f"{d}/bad\\nname.jsonl:1"

    reason = "malformed JSON: Expecting property name enclosed in double quotes (column 2)"
    return Expected(texts=["Odd name, fine content."], issues=[("bad\nname.jsonl", 2, "error", reason)], check=check)


@case
def non_utf8_file_name(d: Path) -> Expected:
    name = os.fsdecode(b"caf\xe9\x1b[2J.jsonl")  # a Latin-1 name with a terminal escape in it
    (d / name).write_text(jsonl({"text": "Latin-1 name."}, "[1]"))

    def check(articles: list[Article]) -> None:
        assert articles[0].origin == f"{d}/caf\\xe9\\x1b[2J.jsonl:1"
        articles[0].origin.encode("utf-8")  # it is stored, so it must encode

    return Expected(
        texts=["Latin-1 name."], issues=[(name, 2, "error", "JSON line is an array, expected an object")], check=check
    )


@case
def directory_named_like_a_file(d: Path) -> Expected:
    (d / "archive.jsonl").mkdir()
    (d / "archive.jsonl" / "inner.txt").write_text("Inner\nRead from inside a directory called archive.jsonl.")
    return Expected(texts=["Read from inside a directory called archive.jsonl."])


@case
def very_deep_directory_tree(d: Path) -> Expected:
    """Deeper than Python's recursion limit: the old recursive walk raised RecursionError out of load_paths."""
    fd = os.open(d, os.O_RDONLY)
    try:
        for _ in range(1100):  # by descriptor: os.makedirs itself recurses per level
            os.mkdir("d", dir_fd=fd)
            fd, parent = os.open("d", os.O_RDONLY, dir_fd=fd), fd
            os.close(parent)
        with open(os.open("x.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as bottom:
            bottom.write("Bottom\nFound 1,100 directories down.")
    finally:
        os.close(fd)

    def cleanup() -> None:  # bottom-up by path: shutil.rmtree recurses per level and would fail here
        bottom = d.joinpath(*["d"] * 1100)
        (bottom / "x.txt").unlink()
        for level in [bottom, *bottom.parents][:1100]:
            level.rmdir()

    return Expected(texts=["Found 1,100 directories down."], cleanup=cleanup)


@case
def fifo(d: Path) -> Expected:
    os.mkfifo(d / "pipe.jsonl")  # opening it for reading would block forever
    return Expected(issues=[("pipe.jsonl", None, "error", "not a regular file or directory")])


@case
def symlink_loop_to_parent(d: Path) -> Expected:
    """A link back up used to be walked ~40 levels deep, every file parsed 40 times."""
    (d / "a.txt").write_text("A\nTop file.")
    (d / "sub").mkdir()
    (d / "sub" / "b.txt").write_text("B\nSub file.")
    (d / "sub" / "up").symlink_to("..")
    reason = f"symbolic link loop (to {os.path.realpath(d)}, which is being walked), skipped"
    return Expected(texts=["Top file.", "Sub file."], issues=[("sub/up", None, "warning", reason)])


@case
def symlink_loop_to_itself(d: Path) -> Expected:
    (d / "a.txt").write_text("A\nOnly file.")
    (d / "here").symlink_to(".")
    (d / "self").symlink_to("self")
    reason = f"symbolic link loop (to {os.path.realpath(d)}, which is being walked), skipped"
    return Expected(
        texts=["Only file."],
        issues=[("here", None, "warning", reason), ("self", None, "warning", "symbolic link loop, skipped")],
    )


@case
def symlink_out_of_tree(d: Path) -> Expected:
    (d / "outside").mkdir()
    (d / "outside" / "secret.txt").write_text("Secret\nNot part of the corpus.")
    (d / "tree").mkdir()
    (d / "tree" / "a.txt").write_text("A\nIn the tree.")
    (d / "tree" / "escape").symlink_to("../outside")
    (d / "tree" / "leak.txt").symlink_to("../outside/secret.txt")
    root, out = os.path.realpath(d / "tree"), os.path.realpath(d / "outside")
    return Expected(
        texts=["In the tree."],
        issues=[
            ("tree/escape", None, "warning", f"symbolic link to a directory outside {root} ({out}), skipped"),
            ("tree/leak.txt", None, "warning", f"symbolic link to a file outside {root} ({out}/secret.txt), skipped"),
        ],
        load="tree",
    )


@case
def symlinks_inside_the_tree(d: Path) -> Expected:
    """Each real file is read once, however many links reach it."""
    (d / "real.txt").write_text("Real\nOne real file.")
    (d / "alias.txt").symlink_to("real.txt")
    (d / "docs").mkdir()
    (d / "docs" / "again.txt").symlink_to("../real.txt")
    (d / "mirror").symlink_to("docs")
    inside = (
        f"symbolic link to a directory inside the tree ({os.path.realpath(d)}/docs), skipped: it is walked in place"
    )
    return Expected(
        texts=["One real file."],
        issues=[
            ("docs/again.txt", None, "warning", f"same file as {d}/alias.txt, already read; skipped"),
            ("mirror", None, "warning", inside),
            ("real.txt", None, "warning", f"same file as {d}/alias.txt, already read; skipped"),
        ],
    )


@case
def broken_symlink(d: Path) -> Expected:
    (d / "gone.jsonl").symlink_to("missing.jsonl")
    return Expected(issues=[("gone.jsonl", None, "warning", "broken symbolic link, skipped")])


# --- running the cases -------------------------------------------------------------------------------


def build(name: str, parent: Path) -> tuple[Path, Expected]:
    folder = parent / name
    folder.mkdir()
    return folder, CASES[name](folder)


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_case(name: str, tmp_path: Path) -> None:
    folder, expected = build(name, tmp_path)
    try:
        articles, issues = split(load_paths([folder / expected.load]))
    finally:
        if expected.cleanup is not None:
            expected.cleanup()
    assert [a.text for a in articles] == expected.texts
    assert_one_line(issues)
    got = [(os.path.relpath(i.path, folder), i.line, i.severity, i.reason) for i in issues]
    assert len(got) == len(expected.issues), got
    for (path, line, severity, reason), (want_path, want_line, want_severity, want_reason) in zip(
        got, expected.issues, strict=True
    ):
        assert (path, line, severity) == (want_path, want_line, want_severity), (path, reason)
        assert matches(reason, want_reason), (path, reason)
    if expected.check is not None:
        expected.check(articles)


def test_there_are_at_least_25_kinds_of_bad_input() -> None:
    assert len(CASES) >= 25


def test_whole_hostile_tree_in_one_call(tmp_path: Path) -> None:
    """All cases side by side: the same records survive, and nothing leaks from one case into another."""
    expected = {name: build(name, tmp_path)[1] for name in CASES}
    try:
        articles, issues = split(load_paths([tmp_path]))
    finally:
        for case_expected in expected.values():
            if case_expected.cleanup is not None:
                case_expected.cleanup()
    assert_one_line(issues)
    # Cases that load a subfolder also hold files outside it, which a walk from the top does read.
    assert [a.text for a in articles if "symlink_out_of_tree" not in a.origin] == [
        text for name, e in sorted(expected.items()) if name != "symlink_out_of_tree" for text in e.texts
    ]
    assert all(a.origin.encode("utf-8") for a in articles)


def test_file_reached_twice_in_one_call_is_read_once(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Story\nRead once.")
    articles, issues = split(load_paths([tmp_path, story, tmp_path]))
    assert [a.text for a in articles] == ["Read once."]
    assert [(i.path, i.severity, i.reason) for i in issues] == [
        (str(story), "warning", "already read in this call; skipped"),
        (str(story), "warning", "already read in this call; skipped"),
    ]


def test_explicit_links_are_followed_but_loops_and_fifos_are_not(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("A\nVia an explicit link.")
    (tmp_path / "link").symlink_to("real")
    (tmp_path / "loop").symlink_to("loop")
    os.mkfifo(tmp_path / "pipe.txt")
    given = [tmp_path / "link", tmp_path / "loop", tmp_path / "pipe.txt", tmp_path / "nul\x00.txt"]
    articles, issues = split(load_paths(given))
    assert [a.text for a in articles] == ["Via an explicit link."]
    assert [(i.path, i.severity, i.reason) for i in issues] == [
        (str(tmp_path / "loop"), "error", "symbolic link loop, skipped"),
        (str(tmp_path / "pipe.txt"), "error", "not a regular file or directory"),
        (str(tmp_path / "nul\x00.txt"), "error", "invalid path: embedded null byte"),
    ]
    assert_one_line(issues)


def test_jsonl_file_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(JsonlLoader, "max_file_bytes", 100)
    path = tmp_path / "big.jsonl"
    path.write_text(jsonl(*({"text": f"Story {n}."} for n in range(10))))
    articles, issues = split(load_paths([path]))
    assert articles == []
    size = path.stat().st_size
    assert [str(i) for i in issues] == [f"{path}: file is {size} bytes, over the 100-byte limit, skipped"]


def test_csv_row_bound_also_catches_an_unclosed_quote_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_module, "MAX_ROW_CHARS", 100)
    path = tmp_path / "quote.csv"
    path.write_text('title,text\nA,Fine.\nB,"Open\n' + "more lines\n" * 50)
    articles, issues = split(load_paths([path]))
    assert [a.text for a in articles] == ["Fine."]
    reason = "CSV error: row is over the 100-character limit (an unclosed quote?); rest of file skipped"
    assert [(i.line, i.reason) for i in issues] == [(3, reason)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.jsonl"
    path.write_text(jsonl({"text": "Locked."}))
    path.chmod(0)
    try:
        articles, issues = split(load_paths([tmp_path]))
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert articles == []
    assert [(i.path, i.reason) for i in issues] == [(str(path), "cannot open file: Permission denied")]


def test_open_failure_is_an_issue_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What chmod 000 does for other users, simulated, since root reads files whatever their mode."""
    locked = tmp_path / "locked.jsonl"
    locked.write_text(jsonl({"text": "Locked."}))
    (tmp_path / "open.jsonl").write_text(jsonl({"text": "Open."}))
    real_open = os.open

    def deny(path: str | os.PathLike[str], flags: int, *args: object, **kwargs: object) -> int:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    articles, issues = split(load_paths([tmp_path]))
    assert [a.text for a in articles] == ["Open."]
    assert [str(i) for i in issues] == [f"{locked}: cannot open file: Permission denied"]


@pytest.mark.parametrize(
    ("path", "reason", "rendered"),
    [
        ("a\nb.jsonl", "bad", "a\\nb.jsonl:3: bad"),
        ("a\rb\tc.csv", "x\ny", "a\\rb\\tc.csv:3: x\\ny"),
        ("e\x1b[31m.txt", "r", "e\\x1b[31m.txt:3: r"),
        ("sep\u2028\u202e.txt", "r", "sep\\u2028\\u202e.txt:3: r"),
        (os.fsdecode(b"\xff\xfe.txt"), "r", "\\xff\\xfe.txt:3: r"),
        ("plain\\path.txt", "r", "plain\\path.txt:3: r"),
    ],
)
def test_issue_renders_as_one_escaped_line(path: str, reason: str, rendered: str) -> None:
    issue = IngestIssue(path=path, line=3, reason=reason)
    assert str(issue) == rendered
    assert printable(str(issue)) == str(issue)  # escaping twice changes nothing
