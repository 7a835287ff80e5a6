"""Measuring helpers shared by the benchmark runner and the page/job specs."""

import os
import pickle
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections

from buurtzorg.celery import batch_database_settings

PAGE_P50_MS = 50
PAGE_P95_MS = 150
PAGE_MAX_QUERIES = 10
BILLING_MAX_S = 60
BILLING_MAX_RATIO = 3
BILLING_MAX_MB = 400  # issue #19: a national month under 400 MB
PDF_MAX_S = 15


@dataclass
class Row:
    name: str
    kind: str  # baseline, page, job
    times: list[float] = field(default_factory=list)  # seconds
    queries: int | None = None
    queries_small: int | None = None
    peak_mb: float | None = None
    note: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def p95(self) -> float:
        if len(self.times) < 2:
            return self.p50
        return statistics.quantiles(self.times, n=20, method="inclusive")[18]


def timed(
    fn: Callable[[], Any],
    reps: int,
    warmup: int = 0,
    before: Callable[[], Any] | None = None,
) -> list[float]:
    """Seconds of each of `reps` calls of `fn` after `warmup` untimed ones; `before` runs
    (untimed) ahead of every call."""
    for _ in range(warmup):
        if before:
            before()
        fn()
    times = []
    for _ in range(reps):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def in_child(fn: Callable[[], Any]) -> tuple[float, float, str]:
    """Run `fn` in a forked child, set up as a Celery worker: (seconds, peak MB, error or '')."""
    connections.close_all()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        batch_database_settings()  # the child stands for a Celery worker process
        message = ""
        start = time.perf_counter()
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - reported as the row's problem
            message = f"{exc.__class__.__name__}: {exc}"[:300]
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        os.write(write_end, f"{elapsed}|{peak}|{message}".encode())
        os.close(write_end)
        connections.close_all()
        os._exit(0)
    os.close(write_end)
    data = b""
    while chunk := os.read(read_end, 65536):
        data += chunk
    os.close(read_end)
    os.waitpid(pid, 0)
    elapsed, peak, message = data.decode().split("|", 2)
    return float(elapsed), float(peak), message


def in_child_value(fn: Callable[[], Any]) -> Any:
    """Run `fn` in a forked child and return its (picklable) result.

    For the heavy baselines: a 373 MB COPY or a 50-page WeasyPrint render in the bench process
    left it slower for the pages measured after it (the client page went from ~30 to ~45 ms,
    ~60 after both), which measures the bench's own history, not the page.
    """
    connections.close_all()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        try:
            payload = pickle.dumps((True, fn()))
        except Exception as exc:  # noqa: BLE001 - handed to the parent
            payload = pickle.dumps((False, f"{exc.__class__.__name__}: {exc}"[:300]))
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
        connections.close_all()
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as received:
        data = received.read()
    os.waitpid(pid, 0)
    ok, value = pickle.loads(data)  # noqa: S301 - our own child's result
    if not ok:
        raise RuntimeError(value)
    return value


def analyze_as_autovacuum_would() -> float:
    """VACUUM (ANALYZE) the whole database; seconds taken.

    Production's autovacuum re-analyzes a table once 50 rows + 10% of it changed. This CI
    machine's PostgreSQL runs with autovacuum off (conf.d/90-ci.conf), so tables that the
    jobs fill (a billing run, its lines) or that never had statistics (a handful of billing
    runs, 8 insurers) keep the planner's default guesses; the billing runs page then hashed
    all 10,000 users twice for one run (5 ms instead of 0.1). The bench analyzes where
    autovacuum would have, before the pages and again after the jobs. It vacuums too, as
    autovacuum does after inserts (autovacuum_vacuum_insert_threshold): without it a freshly
    generated table has no page marked all-visible, and the planner passes over an
    index-only scan (the coach dashboard's covering index on coaching_teamday was ignored
    and the table read instead). The first run on new data takes minutes; later runs skip
    the pages already all-visible.
    """
    start = time.perf_counter()
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - start
