"""Load the platform as 50 people at once would: school lists and student pages of one district.

    .venv/bin/python bench/platform_bench.py [--students 50000] [--users 50] [--duration 60]
        [--think 2] [--workers 2,4] [--databases sqlite,postgres] [--repeat 2]

The input (``rollcall synth --students N --seed 1``, one school year, CSV, clean) is made once
into ``bench/data/platform-<N>/`` with every school put in one district, and reused. For each
database, a fresh data folder (under ``bench/results/platform/``; on PostgreSQL a fresh
``bench_platform`` database at ``--postgres``) is refreshed twice, as of two dates four weeks
apart, so the lists have a previous refresh; each ``rollcall refresh`` is a fresh process timed
under ``/usr/bin/time -v`` (wall time, peak resident memory). Then the accounts are made
(principals of the largest schools, district staff, teachers with caseloads of 25; with the demo's
functions, ``rollcall.web.demo``), ``rollcall serve`` is started (gunicorn, ``--workers``), and
``--users`` simulated people sign in through the real form (each with its own session and CSRF
token) and, for ``--duration`` seconds, open a student list (their school's, any school's for
district staff, their caseload for teachers) with a random filter and order the page offers, then
one to three of the students it links to, pausing ``--think`` seconds on average between pages.
Each request's time is the client's: from sending it to the last byte of the answer.

The figures (per page: count, errors, p50, p95, p99; throughput) go between the
``platform-bench`` markers in ``docs/performance.md``; every run is also written to
``bench/results/platform.json``; ``--render A.json [B.json ...]`` rewrites the tables from saved
results, their runs together (the fastest of every repeat), without measuring. No student's name
or id is printed or kept: the pages are fetched and timed, the links followed, nothing else is
read from them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- platform-bench:start -->", "<!-- platform-bench:end -->"
ROLLCALL = [sys.executable, "-c", "from rollcall.cli import main; main()"]
SEED = 1
AS_OF = (datetime.date(2026, 1, 9), datetime.date(2026, 2, 6))  # four weeks apart, mid-year
PASSWORD = "rollcall-bench"
POSTGRES = "postgres://postgres@127.0.0.1:5432/bench_platform"
TARGET = 0.300  # p95, seconds
CASELOAD = 25
RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STUDENT_LINK = re.compile(r'href="(/students/[^"/]+/[^"/]+/)"')
# What the list page's form offers (rollcall/web/templates/front/students.html).
BANDS = ("", "", "satisfactory", "at_risk", "moderate", "severe")
VIEWS = ("", "", "new", "worse")
SORTS = ("rate", "days", "band", "name", "grade")


# --- The input and the data folder -------------------------------------------------------------


def make_input(students: int, folder: Path | None = None) -> Path:
    """``bench/data/platform-<students>/``: ``rollcall synth`` with every school in one district
    (the first), made once (into a temporary folder renamed at the end)."""
    folder = folder or DATA / f"platform-{students}"
    if folder.exists():
        return folder
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"making a synthetic district of {students:,} students in {folder} ...", flush=True)
    subprocess.run(
        [*ROLLCALL, "synth", "--students", str(students), "--seed", str(SEED),
         "--out", str(partial)],
        check=True, stdout=subprocess.DEVNULL, env=environment(),
    )  # fmt: skip
    schools = partial / "schools.csv"
    header, *rows = schools.read_text(encoding="utf-8").splitlines()
    columns = header.split(",")
    district, name = columns.index("district_id"), columns.index("district_name")
    first = rows[0].split(",")
    merged = []
    for row in rows:
        cells = row.split(",")
        cells[district], cells[name] = first[district], first[name]
        merged.append(",".join(cells))
    schools.write_text("\n".join([header, *merged]) + "\n", encoding="utf-8")
    partial.rename(folder)
    return folder


def environment(database: str | None = None) -> dict[str, str]:
    """The commands' environment: this tree's package first, the database asked for (SQLite in
    the data folder when ``database`` is None)."""
    private = ("DATABASE_URL", "ROLLCALL_DATA", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in private}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    if database:
        env["DATABASE_URL"] = database
    return env


def fresh_postgres(url: str) -> None:
    """Drop and create the database named in ``url`` (PostgreSQL's own client tools)."""
    parts = urlparse(url)
    where = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
             "-U", parts.username or "postgres"]  # fmt: skip
    name = parts.path.lstrip("/")
    subprocess.run(["dropdb", *where, "--if-exists", name], check=True)
    subprocess.run(["createdb", *where, name], check=True)


@dataclass
class Refresh:
    as_of: str
    seconds: float
    peak_bytes: int


def refresh(source: Path, data: Path, as_of: datetime.date, database: str | None) -> Refresh:
    """One ``rollcall refresh`` in a fresh process: wall time and peak resident memory."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", *ROLLCALL, "refresh", "--input", str(source),
         "--as-of", as_of.isoformat(), "--data", str(data)],
        capture_output=True, text=True, check=False, env=environment(database),
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"refresh failed: {done.stderr[-2000:]}")
    match = RSS.search(done.stderr)
    return Refresh(as_of.isoformat(), seconds, int(match.group(1)) * 1024 if match else 0)


# --- The accounts (run in a process of its own, Django set up for the data folder) -------------


def make_accounts(users: int) -> list[dict[str, Any]]:
    """``users`` accounts, about 60% principals of the largest schools (one each), 20% district
    staff and 20% teachers with a caseload of 25 at one of the largest schools; for each, the
    lists it opens. Django must be set up (``rollcall.web.server.setup``)."""
    from django.db import transaction
    from django.db.models import Count
    from django.urls import reverse

    from rollcall.web.demo import account, caseload, students_by_absence
    from rollcall.web.people.models import District, Role, School

    district = max(District.objects.all(), key=lambda d: d.students.count())
    schools = list(
        School.objects.filter(district=district)
        .annotate(rows=Count("studentmetric"))
        .order_by("-rows", "school_id")
    )
    every = [reverse("school-students", args=[district.district_id, s.school_id]) for s in schools]
    principals = max(1, round(users * 0.6))
    staff = max(1, round(users * 0.2)) if users > 1 else 0
    plans = []
    with transaction.atomic():
        for n in range(users):
            username = f"bench-{n:03d}"
            school = schools[n % len(schools)]
            if n < principals:
                account(username, Role.PRINCIPAL, password=PASSWORD, school=school)
                lists = [every[n % len(every)]]
            elif n < principals + staff:
                account(username, Role.DISTRICT, password=PASSWORD, district=district)
                lists = every
            else:
                at_school = students_by_absence(school)
                step = max(1, len(at_school) // CASELOAD)
                mine = caseload(school, f"Advisory {n}", at_school[::step][:CASELOAD])
                account(username, Role.TEACHER, password=PASSWORD, caseload=mine)
                lists = [reverse("caseload", args=[mine.pk])]
            plans.append({"username": username, "lists": lists})
    return plans


def accounts(data: Path, users: int, database: str | None) -> list[dict[str, Any]]:
    """``make_accounts`` in a fresh process for the data folder and database."""
    done = subprocess.run(
        [sys.executable, __file__, "accounts", "--data", str(data), "--users", str(users)],
        capture_output=True, text=True, check=False, env=environment(database),
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"making the accounts failed: {done.stderr[-2000:]}")
    plans: list[dict[str, Any]] = json.loads(done.stdout)
    return plans


# --- The server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(data: Path, workers: int, database: str | None) -> Iterator[tuple[str, psutil.Popen]]:
    """``rollcall serve`` on a free port until the block ends. Its access log (which names the
    pages, and so students' ids) is discarded; its errors are shown if it fails to start."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as errors:
        server = psutil.Popen(
            [*ROLLCALL, "serve", "--data", str(data), "--port", str(port),
             "--workers", str(workers)],
            stdout=subprocess.DEVNULL, stderr=errors, env=environment(database),
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{base}/accounts/login/").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    errors.seek(0)
                    raise SystemExit(f"the server did not start: {errors.read()[-2000:]}")
                time.sleep(0.2)
            yield base, server
        finally:
            server.terminate()
            server.wait(timeout=60)


def server_memory(server: psutil.Popen) -> int:
    """The resident bytes of the server and its workers now."""
    processes = [server, *server.children(recursive=True)]
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss
    return int(total)


# --- The people --------------------------------------------------------------------------------


@dataclass
class Hit:
    page: str  # "school list", "caseload list" or "student"
    seconds: float
    ok: bool


def sign_in(client: httpx.Client, username: str) -> None:
    """Through the sign-in form, with its CSRF token, as a browser does."""
    form = client.get("/accounts/login/")
    token = CSRF.search(form.text)
    assert token, "no CSRF token on the sign-in page"
    done = client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )
    if done.status_code != 302:
        raise RuntimeError(f"{username} could not sign in (status {done.status_code})")


def person(
    base: str,
    plan: dict[str, Any],
    *,
    ready: threading.Barrier,
    until: list[float],
    think: float,
    seed: int,
    hits: list[Hit],
) -> None:
    """One person: sign in, wait for everyone, then lists and students until the end."""
    rng = random.Random(seed)

    def pause() -> None:
        if think > 0:
            time.sleep(think * rng.uniform(0.5, 1.5))

    def get(page: str, url: str, params: dict[str, str] | None = None) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            answer = client.get(url, params=params)
        except httpx.HTTPError:
            hits.append(Hit(page, time.perf_counter() - started, False))
            return None
        hits.append(Hit(page, time.perf_counter() - started, answer.status_code == 200))
        return answer

    with httpx.Client(base_url=base, timeout=120) as client:
        try:
            sign_in(client, plan["username"])
        except (httpx.HTTPError, RuntimeError):
            hits.append(Hit("sign-in", 0.0, False))  # counted as an error; the others go on
            ready.wait()
            return
        ready.wait()
        time.sleep(rng.uniform(0, think))  # people do not all click at the same instant
        while time.monotonic() < until[0]:
            url = rng.choice(plan["lists"])
            page = "caseload list" if url.startswith("/caseloads/") else "school list"
            filters = {"band": rng.choice(BANDS), "view": rng.choice(VIEWS),
                       "sort": rng.choice(SORTS)}  # fmt: skip
            answer = get(page, url, {k: v for k, v in filters.items() if v})
            links = STUDENT_LINK.findall(answer.text) if answer is not None else []
            for link in rng.sample(links, min(len(links), rng.randint(1, 3))):
                pause()
                if time.monotonic() >= until[0]:
                    break
                get("student", link)
            pause()


@dataclass
class Page:
    count: int
    errors: int
    p50: float
    p95: float
    p99: float


@dataclass
class Run:
    database: str
    workers: int
    users: int
    think: float
    seconds: float
    requests: int
    errors: int
    throughput: float  # requests a second
    pages: dict[str, Page]
    overall: Page
    server_mb: float
    load_before: float
    load_after: float
    at: str = field(default_factory=lambda: datetime.datetime.now().isoformat(timespec="seconds"))


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank ``q`` percentile (0 < q <= 1) of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def summary(hits: list[Hit]) -> Page:
    times = [h.seconds for h in hits]
    return Page(
        count=len(hits),
        errors=sum(not h.ok for h in hits),
        p50=percentile(times, 0.50),
        p95=percentile(times, 0.95),
        p99=percentile(times, 0.99),
    )


def drive(
    base: str, plans: list[dict[str, Any]], *, duration: float, think: float
) -> tuple[list[Hit], float]:
    """Every plan's person at once for ``duration`` seconds after all have signed in: the hits
    and the seconds they took (from the start to the last answer)."""
    hits: list[Hit] = []
    until = [math.inf]
    ready = threading.Barrier(len(plans) + 1)
    people = [
        threading.Thread(
            target=person,
            args=(base, plan),
            kwargs={"ready": ready, "until": until, "think": think, "seed": n, "hits": hits},
            daemon=True,
        )
        for n, plan in enumerate(plans)
    ]
    for thread in people:
        thread.start()
    ready.wait(timeout=600)  # every sign-in hashes a password: a few seconds for 50
    started = time.monotonic()
    until[0] = started + duration
    for thread in people:
        thread.join()
    return hits, time.monotonic() - started


def load_average() -> float:
    return os.getloadavg()[0]


def measure(
    base: str, server: psutil.Popen, plans: list[dict[str, Any]], args: argparse.Namespace,
    *, database: str, workers: int,
) -> Run:  # fmt: skip
    before = load_average()
    hits, seconds = drive(base, plans, duration=args.duration, think=args.think)
    pages = sorted({h.page for h in hits})
    run = Run(
        database=database,
        workers=workers,
        users=len(plans),
        think=args.think,
        seconds=seconds,
        requests=len(hits),
        errors=sum(not h.ok for h in hits),
        throughput=len(hits) / seconds,
        pages={p: summary([h for h in hits if h.page == p]) for p in pages},
        overall=summary(hits),
        server_mb=server_memory(server) / 2**20,
        load_before=before,
        load_after=load_average(),
    )
    pages_ms = "; ".join(
        f"{p} p50 {ms(s.p50)} p95 {ms(s.p95)} p99 {ms(s.p99)} ms" for p, s in run.pages.items()
    )
    print(
        f"  {database} workers={workers} think={args.think}: {run.requests} requests, "
        f"{run.errors} errors, {run.throughput:.1f}/s; {pages_ms} "
        f"(load {before:.1f} → {run.load_after:.1f})",
        flush=True,
    )
    return run


# --- The whole benchmark -----------------------------------------------------------------------


def bench_database(
    name: str, source: Path, args: argparse.Namespace
) -> tuple[list[Refresh], list[Run]]:
    """Refresh a fresh data folder (and database) twice, make the accounts, and load the server
    with each number of workers, ``args.repeat`` times."""
    database = args.postgres if name == "postgres" else None
    data = args.results / "platform" / name
    shutil.rmtree(data, ignore_errors=True)
    if database:
        fresh_postgres(database)
    refreshes = []
    for as_of in AS_OF:
        done = refresh(source, data, as_of, database)
        print(
            f"  {name} refresh as of {done.as_of}: {done.seconds:.1f} s, "
            f"{done.peak_bytes / 2**20:.0f} MiB",
            flush=True,
        )
        refreshes.append(done)
    plans = accounts(data, args.users, database)
    runs = []
    for workers in args.workers:
        with serving(data, workers, database) as (base, server):
            for _ in range(args.repeat):
                runs.append(measure(base, server, plans, args, database=name, workers=workers))
    return refreshes, runs


def write_json(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=asdict), encoding="utf-8")


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The least disturbed of repeated runs: the lowest p95 over every request."""
    return min(runs, key=lambda r: r["overall"]["p95"])


def merged(saved: list[dict[str, Any]]) -> dict[str, Any]:
    """Several saved results as one: the last one's settings, every refresh and every run."""
    results = dict(saved[-1])
    results["commit"] = "`, `".join(dict.fromkeys(r["commit"] for r in saved))
    results["date"] = ", ".join(dict.fromkeys(r["date"] for r in saved))
    results["refreshes"] = {}
    for r in saved:
        for name, refreshes in r["refreshes"].items():
            results["refreshes"].setdefault(name, []).extend(refreshes)
    results["runs"] = [run for r in saved for run in r["runs"]]
    results["durations"] = [r["duration"] for r in saved]
    return results


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def write_doc(results: dict[str, Any], doc: Path = DOC) -> None:
    """The tables between the ``platform-bench`` markers of ``doc``."""
    runs = results["runs"]
    loads = [r[k] for r in runs for k in ("load_before", "load_after")] or [0.0]
    durations = results.get("durations") or [results["duration"]]
    lines = [
        START,
        f"Measured {results['date']} at commit `{results['commit']}` on {results['machine']}: "
        f"one district of {results['students']:,} synthetic students, {results['users']} "
        f"people at once, each pausing {results['think']:g} s on average between pages, "
        f"{' to '.join(f'{d:g}' for d in sorted(set(durations)))} s a run "
        "(`bench/platform_bench.py`). Load average "
        f"{min(loads):.1f} to {max(loads):.1f} during the runs.",
        "",
        "**Refreshes** (`rollcall refresh`, a fresh process each: the engine, then storing the "
        "snapshot):",
        "",
        "| database | as of | time | peak memory |",
        "|---|---|---:|---:|",
    ]
    for name, refreshes in results["refreshes"].items():
        for r in refreshes:
            lines.append(
                f"| {name} | {r['as_of']} | {r['seconds']:.1f} s | "
                f"{r['peak_bytes'] / 2**20:.0f} MB |"
            )
    lines += [
        "",
        "**Pages** (milliseconds, from sending the request to the last byte; the fastest of the "
        "repeated runs by overall p95, then every run's overall p95):",
        "",
        "| database | workers | page | requests | errors | p50 | p95 | p99 | every run's p95 |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    groups: dict[tuple[str, int, float], list[dict[str, Any]]] = {}
    for run in runs:
        groups.setdefault((run["database"], run["workers"], run["think"]), []).append(run)
    worst = 0.0
    for (database, workers, _), group in groups.items():
        chosen = best(group)
        every = ", ".join(ms(r["overall"]["p95"]) for r in group)
        for page, s in [*chosen["pages"].items(), ("every page", chosen["overall"])]:
            runs_p95 = f"{every} ({chosen['throughput']:.1f} requests/s)"
            lines.append(
                f"| {database} | {workers} | {page} | {s['count']} | {s['errors']} | "
                f"{ms(s['p50'])} | {ms(s['p95'])} | {ms(s['p99'])} | "
                f"{runs_p95 if page == 'every page' else ''} |"
            )
        if workers == results["default_workers"]:
            worst = max(worst, chosen["overall"]["p95"])
    verdict = "met" if worst < TARGET else "not met"
    lines += [
        "",
        f"Target: p95 under {ms(TARGET)} ms with the default {results['default_workers']} "
        f"workers: **{verdict}** (slowest p95 of the fastest runs {ms(worst)} ms).",
        END,
    ]
    text = doc.read_text(encoding="utf-8")
    block = "\n".join(lines)
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n## The platform\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")


def commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    made = sub.add_parser("accounts", help="(internal) make the accounts in a data folder")
    made.add_argument("--data", type=Path, required=True)
    made.add_argument("--users", type=int, required=True)
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds a run")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between pages")
    parser.add_argument("--workers", default="2", help="comma-separated; the first is reported")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default=POSTGRES, help="a database to drop and recreate")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--no-doc", action="store_true", help="leave docs/performance.md alone")
    parser.add_argument(
        "--render", type=Path, nargs="+", metavar="JSON",
        help="rewrite the tables from saved results (several: their runs together), measuring "
        "nothing",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.render:
        write_doc(merged([json.loads(path.read_text(encoding="utf-8")) for path in args.render]))
        return
    if args.command == "accounts":
        from rollcall.web.server import prepare, setup

        setup(args.data)
        prepare(static=False)
        print(json.dumps(make_accounts(args.users)))
        return
    args.workers = [int(w) for w in args.workers.split(",")]
    source = make_input(args.students)
    results: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "commit": commit(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GB",
        "students": args.students,
        "users": args.users,
        "think": args.think,
        "duration": args.duration,
        "default_workers": args.workers[0],
        "load_start": load_average(),
        "refreshes": {},
        "runs": [],
    }
    for name in args.databases.split(","):
        print(f"{name}:", flush=True)
        refreshes, runs = bench_database(name, source, args)
        results["refreshes"][name] = [asdict(r) for r in refreshes]
        results["runs"] += [asdict(r) for r in runs]
    results["load_end"] = load_average()
    write_json(results, args.results / "platform.json")
    if not args.no_doc:
        write_doc(results)


if __name__ == "__main__":
    main()
