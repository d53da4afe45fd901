"""newsbot at archive sizes: 1k, 10k and 100k chunks of English and Spanish news, one JSON line per size.

    python bench/scale.py [--sizes 1000,10000,100000] [--work DIR] [--compare-code DIR] [--web-clients 50]

To compare with another version side by side (same corpus, same machine, same run):

    git worktree add ../newsbot-base <commit> && python bench/scale.py --compare-code ../newsbot-base

The corpus (from ../shared/data, written to --work):
- targets: the 160 XQuAD-dev paragraphs, one article each, English for even-numbered XQuAD
  articles and Spanish for odd ones, so every question has one known source article;
- news: BBC News, the worldwide newswire and NTREX-128 (English), the fake-news corpus and NTREX-128
  (Spanish), as they are, the two languages interleaved in their proportion (about 3 to 1);
- growth, to reach the size: article g (g = 0, 1, …) is made with random.Random(g): two news
  articles of one language (English with probability 3/4) are chosen, and g's text is the first
  half of the first one's sentences followed by the second half of the other's, its date a day of
  2019–2021. So sentences recur across articles, as syndicated copies make them recur in an archive.
Articles are added in that order until the chunker (the project's, 200 tokens) has made the size.

Each phase runs in a fresh process (peak RSS is its own): ingest (pipeline chunks/s, and the raw
embedder on a sample of the same chunk texts, in process with the same BLAS threads, measured just
before and just after the ingest); answer (the first answer of a new process; then warm `ask`
and `retrieve` p50/p95 over 240 XQuAD questions, 60 per direction; hit@1 and hit@5 of the known
source article, same-language and cross-lingual apart); update (adding 100 new articles, then
deleting them, in a new process); disk per chunk; and, at the largest size, 50 concurrent web
clients through `newsbot serve` (plain HTTP through Gradio's queue).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
QUESTIONS_PER_DIRECTION = 60
RAW_SAMPLE = 2000
"""Chunk texts the raw embedder encodes for the comparison (a spread sample, to keep the bench short)."""


# -- corpus ---------------------------------------------------------------------------------------
def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def news_pool() -> dict[str, list[dict]]:
    """The shared news as newsbot article rows, by language."""
    pool: dict[str, list[dict]] = {"en": [], "es": []}
    for path in sorted((SHARED / "bbc_news_en").glob("*.jsonl")):
        for row in _jsonl(path):
            pool["en"].append({"id": row["id"], "title": row["title"], "text": row["text"], "source": "BBC News"})
    for row in _jsonl(SHARED / "worldwide_newswire_en" / "articles.jsonl"):
        pool["en"].append({"id": row["id"], "title": "", "text": row["text"], "source": row["source_prefix"]})
    for path in sorted((SHARED / "fakenews_es").glob("*.jsonl")):
        for i, row in enumerate(_jsonl(path)):
            row = {key.lower(): value for key, value in row.items()}
            pool["es"].append(
                {"id": f"{path.stem}-{i}", "title": row["headline"], "text": row["text"], "source": row["source"]}
            )
    for row in _jsonl(SHARED / "ntrex" / "ntrex_docs_en_es.jsonl"):
        for suffix, language in (("en", "en"), ("es", "es")):
            pool[language].append(
                {
                    "id": f"{row['doc_id']}-{suffix}",
                    "title": row[f"title_{suffix}"],
                    "text": row[f"text_{suffix}"],
                    "source": row["doc_id"].split(".")[0],
                }
            )
    for language, rows in pool.items():
        rows[:] = [row for row in rows if isinstance(row["text"], str) and row["text"].strip()]
        for row in rows:
            row.update(language=language, date="2019-06-01", title=row["title"] or "", source=row["source"] or "")
    return pool


def xquad_targets() -> tuple[list[dict], list[dict], list[dict]]:
    """(articles, sampled questions, all questions): each XQuAD-dev paragraph as one article in one language;
    every question in both languages, each knowing its source article."""
    data = {lang: json.loads((SHARED / "xquad_dev" / f"xquad_dev.{lang}.json").read_text()) for lang in ("en", "es")}
    articles, questions = [], []
    for a, item in enumerate(data["en"]["data"]):
        language = "en" if a % 2 == 0 else "es"
        for p, paragraph in enumerate(data[language]["data"][a]["paragraphs"]):
            doc_id = f"xquad-{a}-{p}"
            articles.append(
                {
                    "id": doc_id,
                    "title": data[language]["data"][a].get("title", ""),
                    "text": paragraph["context"],
                    "language": language,
                    "source": "XQuAD",
                    "date": "2019-06-01",
                }
            )
            for q, _ in enumerate(item["paragraphs"][p]["qas"]):
                for asked in ("en", "es"):
                    qa = data[asked]["data"][a]["paragraphs"][p]["qas"][q]
                    questions.append(
                        {
                            "question": qa["question"],
                            "language": asked,
                            "doc_id": doc_id,
                            "direction": f"{asked}->{language}",
                        }
                    )
    chosen = []
    for direction in ("en->en", "es->es", "en->es", "es->en"):
        candidates = [q for q in questions if q["direction"] == direction]
        chosen += random.Random(direction).sample(candidates, QUESTIONS_PER_DIRECTION)
    return articles, chosen, questions


_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def grown(pool: dict[str, list[dict]], g: int) -> dict:
    rng = random.Random(g)
    language = "en" if rng.random() < 0.75 else "es"
    first, second = rng.choice(pool[language]), rng.choice(pool[language])
    a, b = _SENTENCE.split(first["text"]), _SENTENCE.split(second["text"])
    text = " ".join(a[: max(1, len(a) // 2)] + b[len(b) // 2 :])
    day = rng.randrange(3 * 365)
    date = time.strftime("%Y-%m-%d", time.gmtime(1546300800 + day * 86400))
    title = f"{first['title'][:80]} / {second['title'][:80]}".strip(" /")
    return {
        "id": f"grown-{g}",
        "title": title,
        "text": text,
        "language": language,
        "source": first["source"],
        "date": date,
    }


def _interleaved(english: list[dict], spanish: list[dict]) -> list[dict]:
    """Both languages from the first article on, in the pool's proportion (about 3 English to 1 Spanish)."""
    rows, ratio = [], len(english) / max(1, len(spanish))
    e = s = 0
    while e < len(english) or s < len(spanish):
        if s >= len(spanish) or (e < len(english) and e < ratio * (s + 1)):
            rows.append(english[e])
            e += 1
        else:
            rows.append(spanish[s])
            s += 1
    return rows


def build_corpus(work: Path, sizes: list[int]) -> dict:
    """Write corpus-<size>.jsonl for each size, more.jsonl (100 new articles), questions.json (the sample timed
    here) and questions-all.json (all 1,632, for `bench/fusion.py`'s hit@1)."""
    sys.path.insert(0, str(ROOT))
    from index.chunker import SentenceChunker
    from index.records import Article

    chunker = SentenceChunker(200, 40)
    pool = news_pool()
    targets, questions, every_question = xquad_targets()
    (work / "questions.json").write_text(json.dumps(questions, ensure_ascii=False))
    (work / "questions-all.json").write_text(json.dumps(every_question, ensure_ascii=False))
    stream = targets + _interleaved(pool["en"], pool["es"])
    counts: dict[int, int] = {}
    rows: list[dict] = []
    chunks, g, index = 0, 0, 0
    for size in sorted(sizes):
        while chunks < size:
            if index < len(stream):
                row, index = stream[index], index + 1
            else:
                row, g = grown(pool, g), g + 1
            try:
                chunks += len(chunker.chunk(Article(**row)))
            except ValueError:
                continue
            rows.append(row)
        path = work / f"corpus-{size}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        counts[size] = chunks
    more = [grown(pool, 10_000_000 + i) | {"id": f"added-{i}"} for i in range(100)]
    (work / "more.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in more))
    return {
        "chunks_by_size": counts,
        "articles_by_size": {s: sum(1 for _ in (work / f"corpus-{s}.jsonl").open()) for s in sizes},
    }


# -- phases (each in its own process, with the code under test first on sys.path) -----------------
def _peak_rss_mib() -> dict[str, float]:
    return {
        "self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


def phase_raw(corpus: Path) -> dict:
    from index.chunker import SentenceChunker
    from index.embedders import USEMultilingualEmbedding
    from index.records import Article

    rows = _jsonl(corpus)
    step = max(1, len(rows) // RAW_SAMPLE)
    chunker = SentenceChunker(200, 40)
    texts = [c.text for row in rows[::step] for c in chunker.chunk(Article(**row))][:RAW_SAMPLE]
    embedder = USEMultilingualEmbedding(threads=2)
    embedder.embed_passages(texts[:64])
    started = time.perf_counter()
    embedder.embed_passages(texts)
    return {"chunks": len(texts), "chunks_per_s": round(len(texts) / (time.perf_counter() - started), 1)}


def phase_ingest(store: Path, corpus: Path) -> dict:
    from bot import NewsBot

    bot = NewsBot(store=store)
    started = time.perf_counter()
    try:
        report = bot.ingest([corpus])
    except Exception as error:  # the code under comparison may fail at this size
        return {
            "error": f"{type(error).__name__}: {str(error)[:300]}",
            "seconds": time.perf_counter() - started,
            "peak_rss_mib": _peak_rss_mib(),
        }
    seconds = time.perf_counter() - started
    return {
        "chunks": report.chunks,
        "articles": report.added,
        "seconds": round(seconds, 1),
        "chunks_per_s": round(report.chunks / seconds, 1),
        "peak_rss_mib": _peak_rss_mib(),
    }


def phase_answer(store: Path, questions_file: Path, process_started: float) -> dict:
    from bot import NewsBot

    questions = json.loads(questions_file.read_text())
    created = time.perf_counter()
    bot = NewsBot(store=store)
    first = bot.ask(questions[0]["question"])
    first_answer = {
        "since_process_start_s": round(time.perf_counter() - process_started, 2),
        "since_newsbot_created_s": round(time.perf_counter() - created, 2),
        "refused": first.refused,
    }
    for q in questions[:10]:
        bot.ask(q["question"])
    asks, retrieves, hits = [], [], {}
    for q in questions:
        started = time.perf_counter()
        passages = bot.retrieve(q["question"], q["language"], k=5)
        retrieves.append(time.perf_counter() - started)
        order = list(dict.fromkeys(p.chunk.doc_id for p in passages))
        hit = hits.setdefault(q["direction"], {"hit@1": 0, "hit@5": 0, "n": 0})
        hit["n"] += 1
        hit["hit@1"] += bool(order) and order[0] == q["doc_id"]
        hit["hit@5"] += q["doc_id"] in order[:5]
    for q in questions:
        started = time.perf_counter()
        bot.ask(q["question"])
        asks.append(time.perf_counter() - started)
    for hit in hits.values():
        hit["hit@1"] = round(hit["hit@1"] / hit["n"], 3)
        hit["hit@5"] = round(hit["hit@5"] / hit["n"], 3)
    same = [hits[d] for d in ("en->en", "es->es")]
    cross = [hits[d] for d in ("en->es", "es->en")]
    return {
        "first_answer": first_answer,
        "ask_ms": _percentiles(asks),
        "retrieve_ms": _percentiles(retrieves),
        "hits": hits,
        "hit@1_same_language": round(statistics.mean(h["hit@1"] for h in same), 3),
        "hit@1_cross_lingual": round(statistics.mean(h["hit@1"] for h in cross), 3),
        "hit@5_same_language": round(statistics.mean(h["hit@5"] for h in same), 3),
        "hit@5_cross_lingual": round(statistics.mean(h["hit@5"] for h in cross), 3),
        "peak_rss_mib": _peak_rss_mib(),
    }


def phase_update(store: Path, more: Path, process_started: float) -> dict:
    from bot import NewsBot

    bot = NewsBot(store=store)
    started = time.perf_counter()
    report = bot.ingest([more])
    added = time.perf_counter() - started
    added_process = time.perf_counter() - process_started
    ids = [row["id"] for row in _jsonl(more)]
    started = time.perf_counter()
    removed = bot.delete(ids)
    return {
        "added": report.added,
        "add_100_s": round(added, 2),
        "add_100_whole_process_s": round(added_process, 2),
        "deleted": removed,
        "delete_100_s": round(time.perf_counter() - started, 2),
        "peak_rss_mib": _peak_rss_mib(),
    }


def _tree_peak_rss_mib(pid: int) -> dict[str, Any]:
    """Peak RSS of a running process and of each of its descendants, from /proc (Linux)."""

    def peak(p: int) -> float:
        status = Path(f"/proc/{p}/status").read_text()
        return round(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024, 1)

    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    family, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        family += children
        frontier = children
    return {"server": peak(pid), "children": [peak(child) for child in family]}


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "p50": round(statistics.median(ordered) * 1000, 1),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "n": len(ordered),
    }


def _disk_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# -- the web app under load ------------------------------------------------------------------------
def web_load(code: Path, store: Path, questions: list[dict], clients: int, answer_processes: int = 0) -> dict:
    """`clients` new browser sessions ask one question each at the same moment, through Gradio's queue,
    the server making answers itself or in `answer_processes` answering processes (`newsbot serve
    --answer-processes`). Peak RSS of the server and of each answering process is reported apart.

    The load is generated with plain HTTP (Gradio's join + event stream, as its JavaScript client
    does), one session per asker: gradio_client costs ~100 ms of CPU a request on this machine's two
    cores, which would be measured as the server's latency.
    """
    import socket
    import uuid

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv=['newsbot', *sys.argv[1:]]; from bot.cli import main; main()",
            "serve",
            "--store",
            str(store),
            "--port",
            str(port),
            "--answer-processes",
            str(answer_processes),
        ],
        env={**os.environ, "PYTHONPATH": str(code)},
        cwd=code,  # `python -c` puts the working directory first on sys.path: serve `code`'s app, not ours
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 300
        while True:
            try:
                config = httpx.get(f"{url}/config", timeout=5).json()
                break
            except (httpx.HTTPError, ValueError):
                if time.time() > deadline or server.poll() is not None:
                    return {"error": "the web app did not start"}
                time.sleep(1)
        fn_index = next(i for i, d in enumerate(config["dependencies"]) if d.get("api_name") == "ask")

        def ask(question: str, wait: threading.Barrier | None = None) -> float:
            session = str(uuid.uuid4())
            data = [question, "auto", [], [], "", "", "extractive", None, None]
            with httpx.Client(base_url=url, timeout=300) as http:
                if wait:
                    wait.wait()
                started = time.perf_counter()
                join = http.post(
                    "/gradio_api/queue/join", json={"data": data, "fn_index": fn_index, "session_hash": session}
                )
                join.raise_for_status()
                with http.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as events:
                    for line in events.iter_lines():
                        if '"process_completed"' in line:
                            if '"success": false' in line or '"success":false' in line:
                                raise RuntimeError(line[:200])
                            return time.perf_counter() - started
            raise RuntimeError("the event stream ended before the answer")

        for _ in range(2):  # first answers load what answering needs, in the server and in each answering process
            warm = [threading.Thread(target=ask, args=(q["question"],)) for q in questions[: max(1, answer_processes)]]
            for thread in warm:
                thread.start()
            for thread in warm:
                thread.join()
        latencies: list[float] = []
        errors: list[str] = []
        barrier = threading.Barrier(clients)

        def run(question: str) -> None:
            try:
                latencies.append(ask(question, barrier))
            except Exception as error:
                errors.append(f"{type(error).__name__}: {error}"[:200])

        threads = [
            threading.Thread(target=run, args=(questions[i % len(questions)]["question"],)) for i in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {
            "clients": clients,
            "answer_processes": answer_processes,
            "latency_ms": _percentiles(latencies) if latencies else None,
            "errors": len(errors),
            "first_errors": errors[:3],
            "peak_rss_mib": _tree_peak_rss_mib(server.pid),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- orchestration ---------------------------------------------------------------------------------
def run_phase(code: Path, phase: str, *args: str) -> dict:
    process = subprocess.run(
        [
            sys.executable,
            __file__,
            "--phase",
            phase,
            "--code",
            str(code),
            *args,
            "--started",
            repr(time.perf_counter()),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(code)},
    )
    lines = [line for line in process.stdout.splitlines() if line.startswith("{")]
    if process.returncode or not lines:
        return {"error": (process.stderr or process.stdout)[-600:]}
    return json.loads(lines[-1])


def measure(code: Path, work: Path, size: int, label: str, web_clients: int, answer_processes: list[int]) -> dict:
    store = work / f"store-{label}-{size}"
    shutil.rmtree(store, ignore_errors=True)
    corpus = work / f"corpus-{size}.jsonl"
    raw_before = run_phase(code, "raw", str(corpus))
    ingest = run_phase(code, "ingest", str(store), str(corpus))
    raw_after = run_phase(code, "raw", str(corpus))
    result = {"code": label, "size": size, "ingest": ingest, "raw_embedder": [raw_before, raw_after]}
    raws = [r["chunks_per_s"] for r in (raw_before, raw_after) if "chunks_per_s" in r]
    if "chunks_per_s" in ingest and raws:
        result["ingest_vs_raw"] = round(ingest["chunks_per_s"] / statistics.mean(raws), 3)
    if "error" in ingest:
        return result
    chunks = ingest["chunks"]
    result["disk_bytes_per_chunk"] = round(_disk_bytes(store) / chunks)
    result["answer"] = run_phase(code, "answer", str(store), str(work / "questions.json"))
    result["update"] = run_phase(code, "update", str(store), str(work / "more.jsonl"))
    result["disk_bytes_per_chunk_after_update"] = round(_disk_bytes(store) / chunks)
    if web_clients:
        questions = json.loads((work / "questions.json").read_text())
        result["web"] = [web_load(code, store, questions, web_clients, n) for n in answer_processes]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="chunk counts, comma-separated")
    parser.add_argument("--work", type=Path, default=ROOT / ".bench" / "scale-stores", help="corpora and stores")
    parser.add_argument("--compare-code", type=Path, help="another newsbot checkout, measured the same way first")
    parser.add_argument("--compare-sizes", help="sizes for --compare-code (default: --sizes)")
    parser.add_argument("--web-clients", type=int, default=50, help="concurrent web clients at the largest size")
    parser.add_argument(
        "--web-answer-processes",
        default="0,2",
        help="answering processes of the web server, comma-separated: one web run each (0 = in the server)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the stores (they are large)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.phase:
        sys.path.insert(0, str(args.code))
        started = args.started  # the parent's clock (CLOCK_MONOTONIC, shared) just before this process began
        phases = {
            "raw": lambda: phase_raw(Path(rest[0])),
            "ingest": lambda: phase_ingest(Path(rest[0]), Path(rest[1])),
            "answer": lambda: phase_answer(Path(rest[0]), Path(rest[1]), started),
            "update": lambda: phase_update(Path(rest[0]), Path(rest[1]), started),
        }
        print(json.dumps(phases[args.phase]()))
        return
    if not (SHARED / "xquad_dev").is_dir():
        sys.exit(f"missing {SHARED}: this benchmark needs ../shared/data")
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    print(json.dumps({"corpus": build_corpus(args.work, sizes), "cores": os.cpu_count()}), flush=True)
    compare_sizes = [int(s) for s in (args.compare_sizes or args.sizes).split(",")]
    for size in sizes:
        runs = []
        if args.compare_code and size in compare_sizes:
            runs.append((args.compare_code.resolve(), "compared"))
        runs.append((ROOT, "this"))
        for code, label in runs:
            web = args.web_clients if size == max(sizes) and label == "this" else 0
            processes = [int(n) for n in args.web_answer_processes.split(",")]
            print(json.dumps(measure(code, args.work, size, label, web, processes)), flush=True)
            if not args.keep:
                shutil.rmtree(args.work / f"store-{label}-{size}", ignore_errors=True)


if __name__ == "__main__":
    main()
