"""Benchmarks against the scale database; writes bench/results.md. Run by `make bench`.

How pages are measured: in-process, with Django's test `Client` (the full middleware stack,
sessions in PostgreSQL, templates, DEBUG off), logged in with `force_login`. That measures the
app's own cost per request without HTTP parsing or a network; the load test (`make loadtest`)
measures the served app over loopback HTTP with gunicorn. Each page is requested WARMUP times,
then REPS times with a wall clock around each request (median and p95). The SQL query count is
taken on one more request, for a user with a large data set and one with a small one (the
count must be the same: constant in the data size); peak memory is Python's allocation peak
(tracemalloc) during one more request.

Jobs (billing run, outcome report, PDF) run in a forked child each, so their peak memory is the
child's maximum resident set size (ru_maxrss), the whole process included.

Baselines, measured in the same run so each figure is also a ratio to what this machine can
do: a view that makes no query, raw `COPY (the month's visits) TO STDOUT`, the raw SQL
aggregate behind billing, and a bare WeasyPrint render of a static 50-page table.
"""

import datetime as dt
import gc
import os
import platform
import sys
import tracemalloc
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch  # noqa: E402

from bench import accesslog  # noqa: E402
from bench import pages as page_specs  # noqa: E402
from bench.measure import (  # noqa: E402
    BILLING_MAX_MB,
    BILLING_MAX_RATIO,
    BILLING_MAX_S,
    PAGE_MAX_QUERIES,
    PAGE_P50_MS,
    PAGE_P95_MS,
    PDF_MAX_S,
    Row,
    analyze_as_autovacuum_would,
    in_child_value,
    timed,
)
from teams.models import User  # noqa: E402

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results.md"
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
REPS = int(os.environ.get("BENCH_REPS", "30"))
# BENCH_ONLY="planning,coverage": run only the rows whose name contains one of these words
# (case-insensitive); the results then go to bench/results-only.md, not bench/results.md.
ONLY = [w.strip().lower() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()]


def wanted(name: str) -> bool:
    return not ONLY or any(word in name.lower() for word in ONLY)


def bench_page(spec: page_specs.PageSpec, ctx: page_specs.Context) -> Row | None:
    try:
        url = spec.url(ctx)
    except (NoReverseMatch, LookupError, page_specs.NotAvailable) as exc:
        print(f"  {spec.name}: not available yet ({exc.__class__.__name__})")
        return None
    row = Row(spec.name, "page", note=spec.note)
    client = Client()
    user = spec.user(ctx) if spec.user else None
    if user is not None:
        client.force_login(user)
    headers = spec.headers or {}

    def get() -> None:
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{spec.name}: {url} answered {response.status_code}")
        if hasattr(response, "streaming_content"):
            for _ in response.streaming_content:
                pass

    def before(who: User | None = user) -> None:
        if spec.before and who is not None:
            spec.before(who)

    row.times = timed(get, REPS, WARMUP, before)
    before()
    with CaptureQueriesContext(connection) as captured:
        get()
    row.queries = len(captured)
    if spec.small_user is not None:
        small = Client()
        small_user = spec.small_user(ctx)
        small.force_login(small_user)
        small_url = spec.small_url(ctx) if spec.small_url else url
        small.get(small_url, headers=headers)
        before(small_user)
        with CaptureQueriesContext(connection) as captured:
            small.get(small_url, headers=headers)
        row.queries_small = len(captured)
    gc.collect()
    before()
    tracemalloc.start()
    get()
    row.peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    if row.p50 * 1000 >= PAGE_P50_MS:
        row.problems.append(f"p50 {row.p50 * 1000:.0f} ms >= {PAGE_P50_MS}")
    if row.p95 * 1000 >= PAGE_P95_MS:
        row.problems.append(f"p95 {row.p95 * 1000:.0f} ms >= {PAGE_P95_MS}")
    if row.queries > PAGE_MAX_QUERIES:
        row.problems.append(f"{row.queries} queries > {PAGE_MAX_QUERIES}")
    if row.queries_small is not None and row.queries_small != row.queries:
        row.problems.append(f"queries not constant ({row.queries_small} vs {row.queries})")
    return row


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.1f}" if ms < 1000 else f"{ms:,.0f}"


def write_results(rows: list[Row], header: dict[str, str], noop: Row | None) -> None:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py); see bench/README.md for how it measures.",
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in header.items()]
    lines += [
        "",
        "| what | kind | runs | median ms | p95 ms | × no-query view | SQL queries (big / small)"
        " | peak MB | budget |",
        "|---|---|---:|---:|---:|---:|---|---:|---|",
    ]
    for row in rows:
        ratio = f"{row.p50 / noop.p50:,.0f}" if noop and noop.p50 and row.kind == "page" else ""
        queries = "" if row.queries is None else str(row.queries)
        if row.queries_small is not None:
            queries += f" / {row.queries_small}"
        peak = "" if row.peak_mb is None else f"{row.peak_mb:,.1f}"
        budget = "" if row.kind == "baseline" else "ok"
        if row.problems:
            budget = "**BROKEN**: " + "; ".join(row.problems)
        name = row.name + (f" ({row.note})" if row.note else "")
        lines.append(
            f"| {name} | {row.kind} | {len(row.times)} | {fmt_ms(row.p50)} | {fmt_ms(row.p95)} "
            f"| {ratio} | {queries} | {peak} | {budget} |"
        )
    lines += [
        "",
        f"Budgets: pages p50 < {PAGE_P50_MS} ms and p95 < {PAGE_P95_MS} ms, at most "
        f"{PAGE_MAX_QUERIES} queries, the same count for a big and a small data set; billing run "
        f"< {BILLING_MAX_S} s, < {BILLING_MAX_RATIO}× (raw aggregate + COPY) and < "
        f"{BILLING_MAX_MB} MB; a 50-page PDF < {PDF_MAX_S} s.",
        "",
        "Peak MB: for pages, Python's allocation peak during one request (tracemalloc); for "
        "jobs, the forked child's maximum resident set size (the whole process).",
        "",
    ]
    (RESULTS.with_name("results-only.md") if ONLY else RESULTS).write_text("\n".join(lines))


def _pg_version() -> str:
    version = connection.cursor().connection.info.server_version
    return f"{version // 10000}.{version % 10000}"


def main() -> int:
    ctx = page_specs.Context.load()
    header = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL {_pg_version()}",
        "data": ctx.describe(),
        "method": f"in-process Django test client, {WARMUP} warm-up + {REPS} timed requests "
        "per page",
    }
    generated = ROOT / "data" / "generate.log"
    if generated.exists():
        done = [line for line in generated.read_text().splitlines() if line.startswith("Done:")]
        if done:
            header["generate_scale"] = done[-1].removeprefix("Done: ")
    header["load"] = "load average {:.1f} / {:.1f} / {:.1f} at the start (shared machine)".format(
        *os.getloadavg()
    )
    print("Benchmarking on:", header["data"])
    print(f"  VACUUM (ANALYZE) as autovacuum would: {analyze_as_autovacuum_would():.1f} s")
    rows: list[Row] = []
    for spec in page_specs.BASELINES:
        if not wanted(spec.name) and not spec.name.startswith("view that makes no query"):
            continue
        print(f"  baseline {spec.name} ...")
        if spec.name.startswith("view that makes no query"):
            rows.append(spec.run(ctx))
        else:  # the heavy ones in a child, so that the pages after them are not slowed
            rows.append(in_child_value(lambda spec=spec: spec.run(ctx)))
    noop = next((r for r in rows if r.name.startswith("view that makes no query")), None)
    later = []  # pages that show what a job makes (the billing run page), on fresh data
    for spec in page_specs.PAGES:
        if not wanted(spec.name):
            continue
        print(f"  page {spec.name} ...")
        row = bench_page(spec, ctx)
        if row:
            rows.append(row)
        else:
            later.append(spec)
    for job in page_specs.JOBS:
        if not wanted(job.name):
            continue
        print(f"  job {job.name} ...")
        row = job.run(ctx, rows)
        if row:
            rows.append(row)
    if wanted("access log"):
        print("  access log at scale ...")
        rows += accesslog.rows(log=print)
    if later:
        print(f"  VACUUM (ANALYZE) after the jobs: {analyze_as_autovacuum_would():.1f} s")
    for spec in later:
        print(f"  page {spec.name} (after the jobs) ...")
        row = bench_page(spec, ctx)
        if row:
            rows.append(row)
    write_results(rows, header, noop)
    broken = [r for r in rows if r.problems]
    print((RESULTS.with_name("results-only.md") if ONLY else RESULTS).read_text())
    if broken:
        print(f"{len(broken)} budget(s) broken: " + ", ".join(r.name for r in broken))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
