"""File loaders: every format, field mapping, filtering, normalization, and every kind of bad input."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterable
from pathlib import Path

import pytest

from index.loaders import SUPPORTED_EXTENSIONS, FieldMap, load_paths, parse_field_map
from index.records import MAX_ARTICLE_BYTES, Article, IngestIssue

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def split(items: Iterable[Article | IngestIssue]) -> tuple[list[Article], list[IngestIssue]]:
    articles: list[Article] = []
    issues: list[IngestIssue] = []
    for item in items:
        (articles if isinstance(item, Article) else issues).append(item)
    return articles, issues


def load(
    *paths: Path,
    field_map: FieldMap | None = None,
    where: dict[str, str] | None = None,
    language: str | None = None,
) -> tuple[list[Article], list[IngestIssue]]:
    return split(load_paths(list(paths), field_map=field_map, where=where, language=language))


def write_jsonl(path: Path, records: Iterable[object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def only_issue(issues: list[IngestIssue]) -> IngestIssue:
    assert len(issues) == 1, issues
    return issues[0]


# --- happy paths -------------------------------------------------------------------------------------


def test_jsonl_reads_every_field_with_line_origins(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "a1",
                "title": "Harbour reopens",
                "text": "The old harbour reopened after repairs.",
                "date": "2019-11-30",
                "source": "Coast Daily",
                "url": "https://coast.example/harbour",
                "language": "EN",
            }
        )
        + "\n\n"
        + json.dumps({"headline": "Bridge closed", "body": "The bridge closes for a week.", "link": "u2"})
        + "\n",
        encoding="utf-8",
    )
    articles, issues = load(path)
    assert issues == []
    first, second = articles
    assert first.model_dump() == {
        "id": "a1",
        "title": "Harbour reopens",
        "text": "The old harbour reopened after repairs.",
        "date": "2019-11-30",
        "source": "Coast Daily",
        "url": "https://coast.example/harbour",
        "language": "en",
        "origin": f"{path}:1",
    }
    assert (second.id, second.title, second.url, second.origin) == ("u2", "Bridge closed", "u2", f"{path}:3")


def test_ndjson_extension_and_hash_id_without_id_or_url(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "feed.NDJSON", [{"title": "Quiet day", "content": "Nothing happened."}])
    (article,), issues = load(path)
    assert issues == []
    assert article.id.startswith("sha-")
    assert article.text == "Nothing happened."


def test_json_array_and_single_object(tmp_path: Path) -> None:
    array = tmp_path / "many.json"
    array.write_text(json.dumps([{"text": "First story."}, {"text": "Second story.", "id": 7}]))
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"article": "Lone story.", "publisher": "Valley Post"}))
    articles, issues = load(array, single)
    assert issues == []
    assert [a.text for a in articles] == ["First story.", "Second story.", "Lone story."]
    assert articles[1].id == "7"
    assert articles[2].source == "Valley Post"
    assert {a.origin for a in articles} == {f"{array}:1", f"{single}:1"}


def test_csv_with_quoted_multiline_field_reports_row_start_lines(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(
        'title,text,published,outlet\nOne,"Line one\nline two",Nov 30 2019,Mesa Times\n'
        "\nTwo,Short text,2020-01-02,Mesa Times\n",
        encoding="utf-8",
    )
    articles, issues = load(path)
    assert issues == []
    assert [(a.title, a.text, a.date, a.origin) for a in articles] == [
        ("One", "Line one\nline two", "2019-11-30", f"{path}:2"),
        ("Two", "Short text", "2020-01-02", f"{path}:5"),
    ]
    assert articles[0].source == "Mesa Times"


def test_csv_semicolon_delimiter_is_inferred_and_tsv_uses_tabs(tmp_path: Path) -> None:
    semicolon = tmp_path / "es.csv"
    semicolon.write_text("Titular;Cuerpo\nLluvia; Llovió mucho, y con viento.\n", encoding="utf-8")
    tsv = tmp_path / "en.tsv"
    tsv.write_text("Titular\tCuerpo\nTabs\tTab, separated; text\n", encoding="utf-8")
    articles, issues = load(semicolon, tsv, field_map=parse_field_map("title=Titular,text=Cuerpo"))
    assert issues == []
    assert [a.text for a in articles] == ["Llovió mucho, y con viento.", "Tab, separated; text"]


def test_text_and_markdown_take_first_line_as_title(tmp_path: Path) -> None:
    txt = tmp_path / "note.txt"
    txt.write_text("\n\n  Market opens early  \r\nTraders arrived at dawn.\r\nPrices held.\r\n", encoding="utf-8")
    md = tmp_path / "post.md"
    md.write_text("## Town fair\n\nThe fair returns this weekend.\n", encoding="utf-8")
    articles, issues = load(txt, md)
    assert issues == []
    assert [(a.title, a.text, a.origin) for a in articles] == [
        ("Market opens early", "Traders arrived at dawn.\nPrices held.", f"{txt}:1"),
        ("Town fair", "The fair returns this weekend.", f"{md}:1"),
    ]
    assert all(a.date == a.source == a.url == "" for a in articles)


HTML_PAGE = """<!doctype html>
<html lang="es-MX"><head>
<title>Lluvias en el valle | Diario Sur</title>
<link rel="canonical" href="https://diariosur.example/lluvias">
<meta property="og:site_name" content="Diario Sur">
<meta property="article:published_time" content="2021-03-04T10:00:00">
</head><body>
<nav><a href="/">Inicio</a> <a href="/deportes">Deportes</a></nav>
<article><h1>Lluvias en el valle</h1>
<p>Las lluvias de esta semana dejaron calles inundadas en varios barrios del valle, según las autoridades.</p>
<p>Los vecinos pidieron más bombas de agua y mejor mantenimiento de los desagües antes del verano.</p>
</article><footer>Contacto y aviso legal</footer></body></html>
"""


def test_html_extracts_text_and_metadata_without_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("loader tried to use the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    (article,), issues = load(path)
    assert issues == []
    assert article.title == "Lluvias en el valle"
    assert "calles inundadas" in article.text
    assert "aviso legal" not in article.text
    assert (article.date, article.source, article.url) == ("2021-03-04", "Diario Sur", article.id)
    assert article.url == "https://diariosur.example/lluvias"
    assert article.language == "es"
    assert article.origin == f"{path}:1"


def test_html_without_text_is_an_issue(tmp_path: Path) -> None:
    path = tmp_path / "empty.htm"
    path.write_text("<html><head><script>var x = 1;</script></head><body></body></html>")
    articles, issues = load(path)
    assert articles == []
    issue = only_issue(issues)
    assert (issue.path, issue.line, issue.reason) == (str(path), 1, "no article text found in HTML")


# --- field map, where, language ----------------------------------------------------------------------


def test_parse_field_map() -> None:
    fm = parse_field_map(" text=Text, title = Headline,source=Source,url=Link,DATE=Fecha")
    assert fm == FieldMap(text="Text", title="Headline", source="Source", url="Link", date="Fecha")
    assert fm.id is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "expected field=column"),
        ("text", "bad field map entry 'text'"),
        ("text=", "bad field map entry 'text='"),
        ("=Text", "bad field map entry '=Text'"),
        ("body=Text", "unknown field 'body'"),
        ("text=A,text=B", "field 'text' is mapped twice"),
    ],
)
def test_parse_field_map_rejects_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_field_map(spec)


def test_field_map_matches_keys_case_insensitively(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "upper.jsonl",
        [
            {"ID": 3, "HEADLINE": "Upper", "TEXT": "Upper-case keys.", "LINK": "https://x.example/3"},
            {"Id": 4, "Headline": "Mixed", "Text": "Mixed-case keys.", "Fecha": "2 de enero de 2021"},
        ],
    )
    fm = parse_field_map("text=Text,title=Headline,url=Link,date=Fecha")
    articles, issues = load(path, field_map=fm)
    assert issues == []
    assert [(a.id, a.title, a.text, a.url, a.date) for a in articles] == [
        ("3", "Upper", "Upper-case keys.", "https://x.example/3", ""),
        ("4", "Mixed", "Mixed-case keys.", "", "2021-01-02"),
    ]


def test_mapped_column_replaces_defaults(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"text": "Default name only.", "id": 1}])
    articles, issues = load(path, field_map=FieldMap(text="Cuerpo"))
    assert articles == []
    issue = only_issue(issues)
    assert (issue.line, issue.reason) == (1, "no text field (looked for 'cuerpo'; found: text, id)")


def test_where_matches_string_and_boolean_values_case_insensitively(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            {"Category": "True", "Text": "kept: string True"},
            {"CATEGORY": True, "TEXT": "kept: boolean true"},
            {"Category": "Fake", "Text": "dropped: fake"},
            {"Category": False, "Text": "dropped: boolean false"},
            {"Text": "dropped: no category"},
        ],
    )
    articles, issues = load(path, where={"category": "True"})
    assert issues == []
    assert [a.text for a in articles] == ["kept: string True", "kept: boolean true"]


def test_where_applies_to_article_fields_of_documents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title A\nBody A")
    (tmp_path / "b.txt").write_text("Title B\nBody B")
    articles, issues = load(tmp_path, where={"TITLE": "title b"})
    assert issues == []
    assert [a.title for a in articles] == ["Title B"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("EN", "en"), ("English", "en"), ("es-MX", "es"), ("Español", "es"), ("spanish", "es"), ("pt_BR", "pt")],
)
def test_record_language_is_normalized(tmp_path: Path, value: str, expected: str) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"text": "Some words.", "lang": value}])
    (article,), issues = load(path)
    assert issues == []
    assert article.language == expected


def test_unknown_record_language_is_left_for_detection_with_warning(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"text": "Some words.", "language": "Klingon"}])
    (article,), issues = load(path)
    assert article.language == ""
    issue = only_issue(issues)
    assert (issue.severity, issue.line) == ("warning", 1)
    assert issue.reason == "unrecognized language 'Klingon'; left for detection"


def test_language_argument_overrides_records(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"text": "Uno.", "language": "en"}, {"text": "Dos."}])
    articles, issues = load(path, language="Español")
    assert issues == []
    assert [a.language for a in articles] == ["es", "es"]


def test_bad_arguments_raise_immediately(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unrecognized language 'Elvish'"):
        load_paths([tmp_path], language="Elvish")
    with pytest.raises(TypeError, match="sequence of paths"):
        load_paths(str(tmp_path))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="field_map must be a FieldMap"):
        load_paths([tmp_path], field_map="text=Text")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="where keys"):
        load_paths([tmp_path], where={" ": "x"})


# --- dates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-11-30", "2019-11-30"),
        ("2019-11-30T14:00:00Z", "2019-11-30T14:00:00Z"),
        ("30/11/2019", "2019-11-30"),
        ("Nov 30, 2019", "2019-11-30"),
        ("Sat, 30 Nov 2019 14:00:00 GMT", "2019-11-30T14:00:00+00:00"),
        ("30 de noviembre de 2019", "2019-11-30"),
        ("Sábado, 30 de Noviembre del 2019", "2019-11-30"),
        ("5 de ene. de 2021", "2021-01-05"),
        ("1 de mayo de 2020, 10:15", "2020-05-01T10:15:00"),
        ("septiembre 9, 2018", "2018-09-09"),
    ],
)
def test_dates_are_normalized_to_iso(tmp_path: Path, raw: str, expected: str) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"text": "Dated story.", "pubdate": raw}])
    (article,), issues = load(path)
    assert issues == []
    assert article.date == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("pronto", "unparseable date 'pronto'; date left empty"),
        (
            "noviembre de 2019",
            "incomplete date 'noviembre de 2019' (needs day, month and year); date left empty",
        ),
        ("2019-13-45", "invalid date '2019-13-45': month must be in 1..12; date left empty"),
    ],
)
def test_unparseable_date_warns_but_keeps_article(tmp_path: Path, raw: str, reason: str) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"text": "Undated story.", "date": raw}])
    (article,), issues = load(path)
    assert article.date == ""
    issue = only_issue(issues)
    assert (issue.path, issue.line, issue.severity, issue.reason) == (str(path), 1, "warning", reason)


# --- bad input ---------------------------------------------------------------------------------------


def test_bad_jsonl_lines_are_reported_and_the_rest_loads(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"text": "good one"}\n'
        '{"text": "unterminated\n'
        "[1, 2]\n"
        '{"title": "no text here"}\n'
        '{"text": "   "}\n'
        '{"text": ["a", "list"]}\n'
        '{"text": "good two"}\n',
        encoding="utf-8",
    )
    articles, issues = load(path)
    assert [a.text for a in articles] == ["good one", "good two"]
    assert [(i.path, i.line, i.reason) for i in issues] == [
        (str(path), 2, "malformed JSON: Unterminated string starting at (column 10)"),
        (str(path), 3, "JSON line is an array, expected an object"),
        (
            str(path),
            4,
            "no text field (looked for 'text', 'body', 'content', 'article'; found: title)",
        ),
        (str(path), 5, "empty text"),
        (str(path), 6, "field 'text' is an array, expected text"),
    ]
    assert all(i.severity == "error" for i in issues)


def test_bad_json_documents(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('[\n  {"text": "a"},\n  {"text": }\n]')
    scalar = tmp_path / "scalar.json"
    scalar.write_text('"just a string"')
    empty_array = tmp_path / "empty.json"
    empty_array.write_text("[]")
    items = tmp_path / "items.json"
    items.write_text(json.dumps([{"text": "fine"}, 42, {"title": "x", "text": ""}]))
    articles, issues = load(broken, scalar, empty_array, items)
    assert [a.text for a in articles] == ["fine"]
    assert [(i.path, i.line, i.reason) for i in issues] == [
        (str(broken), 3, "malformed JSON: Expecting value (column 12)"),
        (str(scalar), 1, "top-level JSON is a string, expected an array of objects or one object"),
        (str(empty_array), 1, "empty JSON array"),
        (str(items), 1, "array item 2 is a number, expected an object"),
        (str(items), 1, "array item 3: empty text"),
    ]


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.csv", "empty.txt", "empty.html", "empty.json"])
@pytest.mark.parametrize("content", [b"", b"\n \r\n\t\n", b"\xef\xbb\xbf\n"])
def test_empty_files(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    articles, issues = load(path)
    assert articles == []
    issue = only_issue(issues)
    assert (issue.path, issue.line, issue.reason) == (str(path), None, "empty file")


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    articles, issues = load(path)
    assert articles == []
    issue = only_issue(issues)
    assert (issue.path, issue.line, issue.reason) == (str(path), None, "binary file, skipped")


def test_non_utf8_bytes_late_in_a_file_are_caught_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "late.jsonl"
    good = json.dumps({"text": "x" * 9000}) + "\n"
    late = json.dumps({"text": "café"}, ensure_ascii=False) + "\n"
    path.write_bytes(good.encode() + late.encode("cp1252"))
    articles, issues = load(path)
    assert [a.text for a in articles] == ["x" * 9000, "café"]
    assert only_issue(issues).reason == "not valid UTF-8; decoded as cp1252"


def test_cp1252_fallback_warns_and_decodes(tmp_path: Path) -> None:
    path = tmp_path / "windows.csv"
    path.write_bytes("title,text\nCañón,“Smart quotes” and año\n".encode("cp1252"))
    (article,), issues = load(path)
    assert (article.title, article.text) == ("Cañón", "“Smart quotes” and año")
    issue = only_issue(issues)
    assert (issue.path, issue.line, issue.severity, issue.reason) == (
        str(path),
        None,
        "warning",
        "not valid UTF-8; decoded as cp1252",
    )


def test_undecodable_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Title\nbad bytes \x81\x8d here\xff")  # 0x81 and 0x8d are unassigned in cp1252
    articles, issues = load(path)
    assert articles == []
    assert only_issue(issues).reason == "neither valid UTF-8 nor cp1252, skipped"


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufefftext,title\nCon BOM,Título\n".encode())
    (article,), issues = load(path)
    assert issues == []
    assert (article.title, article.text) == ("Título", "Con BOM")


def test_unknown_extension_and_missing_path(tmp_path: Path) -> None:
    sheet = tmp_path / "data.xlsx"
    sheet.write_bytes(b"PK")
    noext = tmp_path / "README"
    noext.write_text("hello")
    missing = tmp_path / "nope.jsonl"
    articles, issues = load(sheet, noext, missing)
    assert articles == []
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    assert [(i.path, i.line, i.reason) for i in issues] == [
        (str(sheet), None, f"unsupported file type '.xlsx' (supported: {supported})"),
        (str(noext), None, f"unsupported file type (no extension) (supported: {supported})"),
        (str(missing), None, "no such file or directory"),
    ]
    assert ".jsonl" in supported and ".htm" in supported


def test_oversized_article_is_rejected(tmp_path: Path) -> None:
    text = "ñ" * (MAX_ARTICLE_BYTES // 2 + 1)  # under the limit in characters, over it in UTF-8 bytes
    path = write_jsonl(tmp_path / "big.jsonl", [{"text": "small"}, {"text": text}])
    articles, issues = load(path)
    assert [a.text for a in articles] == ["small"]
    issue = only_issue(issues)
    size = MAX_ARTICLE_BYTES + 2
    assert (issue.line, issue.reason) == (2, f"text is {size} bytes, over the {MAX_ARTICLE_BYTES}-byte limit")


def test_duplicate_ids_keep_first_and_name_its_origin(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", [{"id": "x1", "text": "first"}, {"id": "x2", "text": "other"}])
    second = tmp_path / "b.csv"
    second.write_text("id,text\nx1,second\n")
    articles, issues = load(first, second)
    assert [a.text for a in articles] == ["first", "other"]
    issue = only_issue(issues)
    assert (issue.path, issue.line, issue.reason) == (
        str(second),
        2,
        f"duplicate id 'x1' (first seen at {first}:1)",
    )


def test_csv_structural_problems(tmp_path: Path) -> None:
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("Headline,Summary\nA,B\n")
    header_only = tmp_path / "header_only.csv"
    header_only.write_text("title,text\n")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("title,text\nok,fine\ntoo,many,fields\n")
    articles, issues = load(no_text, header_only, ragged)
    assert [a.text for a in articles] == ["fine"]
    assert [(i.path, i.line, i.reason) for i in issues] == [
        (
            str(no_text),
            1,
            "no text field (looked for 'text', 'body', 'content', 'article'; found: Headline, Summary)",
        ),
        (str(header_only), 1, "no data rows after the header"),
        (str(ragged), 3, "row has 3 fields, header has 2"),
    ]


def test_headerless_csv_numbers_columns_from_one_and_keeps_the_first_row(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        'a1,Storm hits coast,"A storm hit the coast, damaging 40 homes."\n'
        "a2,Rain,Heavy rain closed two roads.\n"
        "a3,Too,many,fields\n",
        encoding="utf-8",
    )
    field_map = parse_field_map("text=3,title=2,id=1")
    articles, issues = split(load_paths([path], field_map=field_map, csv_header=False))
    assert [(a.id, a.title, a.text, a.origin) for a in articles] == [
        ("a1", "Storm hits coast", "A storm hit the coast, damaging 40 homes.", f"{path}:1"),
        ("a2", "Rain", "Heavy rain closed two roads.", f"{path}:2"),
    ]
    assert [str(i) for i in issues] == [f"{path}:3: row has 4 fields, first row has 3"]


def test_headerless_csv_text_column_past_the_last_is_named(tmp_path: Path) -> None:
    path = tmp_path / "narrow.csv"
    path.write_text("a1,Only two columns\n", encoding="utf-8")
    _, issues = split(load_paths([path], field_map=parse_field_map("text=5"), csv_header=False))
    reason = "no column 5 for the text: the first row has 2 columns, numbered from 1"
    assert [str(i) for i in issues] == [f"{path}:1: {reason}"]


def test_text_file_with_only_a_title_has_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "title_only.md"
    path.write_text("# Just a heading\n\n")
    articles, issues = load(path)
    assert articles == []
    assert (only_issue(issues).line, only_issue(issues).reason) == (1, "empty text")


# --- directories and real data ------------------------------------------------------------------------


def test_directories_recurse_sorted_and_skip_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".cache").mkdir()
    (tmp_path / "a.txt").write_text("A\nalpha")
    (tmp_path / "b" / "c.txt").write_text("C\ngamma")
    (tmp_path / "b" / "deep" / "d.jsonl").write_text('{"title": "D", "text": "delta"}\n')
    (tmp_path / "b" / ".hidden.txt").write_text("H\nhidden")
    (tmp_path / ".cache" / "e.txt").write_text("E\nhidden too")
    articles, issues = load(tmp_path)
    assert issues == []
    assert [a.title for a in articles] == ["A", "C", "D"]


def _fakenews_files() -> list[Path]:
    folder = SHARED_DATA / "fakenews_es"
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        pytest.skip(f"shared data not available: no *.jsonl in {folder}")
    return files


def _true_rows(path: Path) -> int:
    count = 0
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            record = {key.lower(): value for key, value in json.loads(line).items()}
            count += str(record["category"]).lower() == "true"
    return count


@pytest.mark.slow
def test_fakenews_es_true_rows_all_load() -> None:
    field_map = parse_field_map("text=Text,title=Headline,source=Source,url=Link")
    total = 0
    for path in _fakenews_files():
        # One call per file: the corpus numbers its ids 1..n in every file, so ids repeat across files.
        articles, issues = split(load_paths([path], field_map=field_map, where={"Category": "True"}))
        assert [i for i in issues if i.severity == "error"] == []
        expected = _true_rows(path)
        assert expected > 0
        assert len(articles) == expected, path.name
        assert all(a.text and a.title for a in articles)
        total += expected
    # In one call, every true row is either loaded or reported as a duplicate id of an earlier file's row.
    articles, issues = split(load_paths(_fakenews_files(), field_map=field_map, where={"Category": "True"}))
    duplicates = [i for i in issues if i.reason.startswith("duplicate id")]
    assert len(articles) + len(duplicates) == total
