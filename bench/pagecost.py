"""`make pagecost`: what a nurse's page costs the gunicorn worker, against a view doing no work.

Issue 22 asks "page CPU at most 8x the no-work view through the same gunicorn" on the nurse
pages. This starts gunicorn as bench/loadtest.py does (bench.settings: production settings,
DEBUG off, sessions and cache in Redis; gthread), but with one worker of one thread, so every
CPU second of that worker process belongs to the request being measured. It logs in through
the login form as the busiest nurse (most visits today) of a team of 12 and, for each page,
sends PAGECOST_WARMUP untimed and then PAGECOST_REQUESTS timed requests one after the other
on one keep-alive connection. Measured per page:

- the worker's CPU time (user + system, all its threads, psutil's reading of /proc/<pid>/stat)
  over the timed requests, per request; the ratio to the no-work view is this figure's;
- the PostgreSQL backend's CPU per request (the worker's one connection, found by its port),
  reported beside it: the database's share is not in the worker's figure;
- wall time per request (p50, p95) as the client sees it over loopback.

The no-work view (`bench/noop-nurse/`, bench/urls.py) sits behind the same middleware and the
nurse pages' own gate (`role_required`), for the same logged-in nurse, and returns a fixed
two-byte body: session, user, language, 2FA state and the rest of the middleware run as on any
page. It is measured first and last; the two must agree within 15 % (else the machine was too
busy, and the report says so). `bench/noop/` (no user at all) is reported too.

The POST is the one-tap "done as planned" of the htmx card (what bench/locustfile.py sends),
repeated on one visit of today that is already due: the first logs it, the rest log it again
with the same figures (allowed until it is billed), each a full service write with its
history and access rows. So this run writes: a session, access rows and that visit. Run it
on a copy of the bench database: PAGECOST_DATABASE_URL (the Makefile's bz_bench_pagecost) is
made from DATABASE_URL (bz_bench) with CREATE DATABASE ... TEMPLATE when it does not exist
(PAGECOST_FRESH_COPY=1: again), so others measuring on bz_bench see no change.

Writes bench/pagecost.md; exits 1 when a nurse page costs more than PAGECOST_MAX_RATIO (8)
times the no-work view. PAGECOST_PROFILE=1 instead serves bench.profiled_wsgi and prints each
page's cProfile summary (the profiler's overhead makes those timings meaningless).
"""

import os
import pstats
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import psutil
import psycopg
import requests

from bench.loadtest import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
REPORT = ROOT / "bench" / "pagecost.md"
PROFILE_DIR = ROOT / "bench" / "data" / "profiles"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NOOP = "no-work view (nurse)"


@dataclass
class Page:
    name: str
    path: str
    method: str = "GET"
    htmx: bool = False
    nurse_page: bool = True  # held to the ratio budget
    cpu_ms: float = 0.0
    db_cpu_ms: float = 0.0
    walls: list[float] = field(default_factory=list)
    size: int = 0
    status: int = 0

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")[:60]


def choose() -> dict[str, str]:
    """The nurse and the URLs, read through Django in this process (its connection is closed
    before gunicorn starts). The nurse is the one with the most visits today in the first team
    of 12, as `make bench` picks its big nurse; the client page is her team's biggest record."""
    import django

    django.setup()
    from django.db import connections
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone

    from bench.pages import _busiest_nurse
    from clients.models import OutcomeRating
    from scheduling.models import Visit
    from scheduling.services.visits import done_tolerance
    from teams.models import Team

    team = (
        Team.objects.annotate(n=Count("memberships", filter=Q(memberships__ended_on__isnull=True)))
        .order_by("-n", "pk")
        .first()
    )
    if team is None:
        raise SystemExit("No teams: run `make bench` (or generate_scale) first.")
    today = timezone.localdate()
    nurse = _busiest_nurse(team, today, most=True)
    biggest = (
        OutcomeRating.objects.filter(client_problem__client__team=team)
        .values("client_problem__client__public_id")
        .annotate(n=Count("id"))
        .order_by("-n", "client_problem__client__public_id")
        .first()
    )
    if biggest is None:
        raise SystemExit(f"{team} has no rated client")
    # a visit of hers that may be logged now: today's first when it is due, else her last
    # visit before today (done in the generated data; logging it again is allowed)
    latest = timezone.now() + done_tolerance()
    mine = Visit.objects.filter(nurse=nurse, billed_at__isnull=True, status__in=["planned", "done"])
    visit = (
        mine.filter(starts_at__date=today, starts_at__lte=latest).order_by("starts_at").first()
        or mine.filter(starts_at__date__lt=today).order_by("-starts_at").first()
    )
    if visit is None:
        raise SystemExit(f"{nurse} has no visit to log")
    urls = {
        "username": nurse.username,
        "team": f"{team} ({team.n} nurses)",  # type: ignore[attr-defined]
        "login": reverse("login"),
        "noop": reverse("bench-noop"),
        "noop_nurse": reverse("bench-noop-nurse"),
        "my_day": reverse("scheduling:my-day"),
        "client": reverse(
            "clients:client-detail", args=[biggest["client_problem__client__public_id"]]
        ),
        "visit_log": reverse("scheduling:visit-log", args=[visit.public_id]),
        "visit_done": reverse("scheduling:visit-done", args=[visit.public_id]),
        "client_list": reverse("clients:client-list"),
        "planning": reverse("scheduling:planning"),
    }
    connections.close_all()
    return urls


def copy_database(source_url: str, target_url: str, *, fresh: bool) -> None:
    """Make `target_url` a copy of `source_url` (CREATE DATABASE ... TEMPLATE: a file copy,
    seconds) unless it exists and `fresh` is off. PostgreSQL copies a template only while no
    one else is connected to it, so this waits for a quiet moment (up to 10 minutes)."""
    source = urlparse(source_url).path.lstrip("/")
    parts = urlparse(target_url)
    target = parts.path.lstrip("/")
    if "bench" not in target or target == source:
        raise SystemExit(f"Refusing to replace {target!r}: a copy's name contains 'bench'.")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as db:
        exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone()
        if exists and not fresh:
            return
        db.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        deadline = time.monotonic() + 600
        while True:
            try:
                db.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
                break
            except psycopg.errors.ObjectInUse:
                if time.monotonic() > deadline:
                    raise
                print(f"{source} is in use; waiting to copy it", flush=True)
                time.sleep(5)
    # as bench/loadtest.py does: this machine's PostgreSQL runs without autovacuum
    with psycopg.connect(target_url, autocommit=True) as db:
        db.execute("VACUUM (ANALYZE)")
    print(f"Copied {source} to {target} (vacuumed and analyzed).", flush=True)


def pages_for(urls: dict[str, str]) -> list[Page]:
    return [
        Page(NOOP, urls["noop_nurse"], nurse_page=False),
        Page("no-work view (no user)", urls["noop"], nurse_page=False),
        Page("My day", urls["my_day"]),
        Page("client page", urls["client"]),
        Page("log visit (form)", urls["visit_log"]),
        Page("log visit (one tap, POST)", urls["visit_done"], method="POST", htmx=True),
        Page("client list", urls["client_list"]),
        Page("planning week", urls["planning"]),
        Page(NOOP + ", again", urls["noop_nurse"], nurse_page=False),
    ]


def log_in(session: requests.Session, base: str, urls: dict[str, str], password: str) -> str:
    """Log in through the form, as a nurse does; the CSRF token for the POSTs."""
    page = session.get(base + urls["login"], timeout=30)
    token = CSRF_INPUT.search(page.text)
    response = session.post(
        base + urls["login"],
        data={
            "username": urls["username"],
            "password": password,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302:
        raise SystemExit(f"login as {urls['username']} failed: {response.status_code}")
    my_day = session.get(base + urls["my_day"], timeout=30)
    token = CSRF_INPUT.search(my_day.text)
    if my_day.status_code != 200 or token is None:
        raise SystemExit(f"My day after login: {my_day.status_code}")
    return token.group(1)


def backend_pid(db_url: str, worker: psutil.Process) -> int | None:
    """The PostgreSQL backend serving the worker's one connection (by the worker's port)."""
    ports = [
        c.laddr.port for c in worker.net_connections(kind="tcp") if c.raddr and c.raddr.port == 5432
    ]
    if len(ports) != 1:
        return None
    with psycopg.connect(db_url, autocommit=True) as db:
        row = db.execute(
            "SELECT pid FROM pg_stat_activity WHERE client_port = %s", [ports[0]]
        ).fetchone()
    return row[0] if row else None


def cpu_seconds(process: psutil.Process | None) -> float:
    if process is None:
        return 0.0
    times = process.cpu_times()
    return times.user + times.system


def measure(
    page: Page,
    session: requests.Session,
    base: str,
    csrf: str,
    worker: psutil.Process,
    backend: psutil.Process | None,
    warmup: int,
    reps: int,
    profile: bool,
) -> None:
    headers = {"X-CSRFToken": csrf}
    if page.htmx:
        headers["HX-Request"] = "true"
    if profile:
        headers["X-Pagecost-Profile"] = page.slug

    def send() -> requests.Response:
        if page.method == "POST":
            return session.post(
                base + page.path, data={"csrfmiddlewaretoken": csrf}, headers=headers, timeout=60
            )
        return session.get(base + page.path, headers=headers, timeout=60)

    for _ in range(warmup):
        send()
    worker_before, backend_before = cpu_seconds(worker), cpu_seconds(backend)
    for _ in range(reps):
        start = time.perf_counter()
        response = send()
        page.walls.append(time.perf_counter() - start)
        page.status, page.size = response.status_code, len(response.content)
        if response.status_code != 200:
            raise SystemExit(f"{page.name}: {response.status_code} {response.text[:300]}")
    page.cpu_ms = (cpu_seconds(worker) - worker_before) * 1000 / reps
    page.db_cpu_ms = (cpu_seconds(backend) - backend_before) * 1000 / reps


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def report(pages: list[Page], noop_ms: float, setup: str, max_ratio: float, note: str) -> str:
    lines = [
        "# Page cost through gunicorn\n",
        f"`make pagecost`: {setup}\n",
        "| request | worker CPU ms/req | × no-work | PostgreSQL CPU ms/req | wall p50 ms | "
        "wall p95 ms | bytes |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for page in pages:
        ratio = page.cpu_ms / noop_ms if noop_ms else float("nan")
        flag = " **over budget**" if page.nurse_page and ratio > max_ratio else ""
        lines.append(
            f"| {page.name} | {page.cpu_ms:.2f} | {ratio:.1f}{flag} | {page.db_cpu_ms:.2f} | "
            f"{statistics.median(page.walls) * 1000:.1f} | {p95(page.walls) * 1000:.1f} | "
            f"{page.size:,} |"
        )
    lines.append("")
    lines.append(
        f"× no-work: the page's worker CPU over the no-work view's ({noop_ms:.2f} ms, the mean "
        f"of its two runs). Budget: at most {max_ratio:g}× for the nurse pages.{note}\n"
    )
    return "\n".join(lines)


def print_profile(page: Page) -> None:
    path = PROFILE_DIR / f"{page.slug}.prof"
    if not path.exists():
        return
    print(f"\n===== {page.name} =====")
    stats = pstats.Stats(str(path))
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> int:
    reps = int(os.environ.get("PAGECOST_REQUESTS", "200"))
    warmup = int(os.environ.get("PAGECOST_WARMUP", "10"))
    max_ratio = float(os.environ.get("PAGECOST_MAX_RATIO", "8"))
    profile = os.environ.get("PAGECOST_PROFILE", "") == "1"
    source_url = os.environ["DATABASE_URL"]
    db_url = os.environ.get("PAGECOST_DATABASE_URL", "") or source_url
    if db_url != source_url:
        copy_database(source_url, db_url, fresh=os.environ.get("PAGECOST_FRESH_COPY") == "1")
        os.environ["DATABASE_URL"] = db_url
        # the copy follows the code measured (main may have added a migration since)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
            check=True,
        )
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    urls = choose()
    from bench.scale import PASSWORD  # after django.setup() in choose()

    pages = pages_for(urls)
    env = {**os.environ, "PAGECOST_PROFILE_DIR": str(PROFILE_DIR)}
    app = "bench.profiled_wsgi:application" if profile else "buurtzorg.wsgi:application"
    if profile:
        for old in PROFILE_DIR.glob("*.prof"):
            old.unlink()
    port = free_port()
    base = f"http://{HOST}:{port}"
    load = os.getloadavg()[0]
    gunicorn = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", app, "--bind", f"{HOST}:{port}",
            "--workers", "1", "--threads", "1", "--worker-class", "gthread",
            "--keep-alive", "30", "--log-level", "warning", "--timeout", "120", "--preload",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        wait_until_up(base, gunicorn)
        (worker,) = psutil.Process(gunicorn.pid).children()
        session = requests.Session()
        csrf = log_in(session, base, urls, PASSWORD)
        pid = backend_pid(db_url, worker)
        backend = psutil.Process(pid) if pid else None
        for page in pages:
            print(f"{page.name}: {page.method} {page.path}", flush=True)
            measure(page, session, base, csrf, worker, backend, warmup, reps, profile)
            print(f"  worker CPU {page.cpu_ms:.2f} ms/req, wall p50 "
                  f"{statistics.median(page.walls) * 1000:.1f} ms", flush=True)  # fmt: skip
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=15)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    if profile:
        for page in pages:
            print_profile(page)
        return 0
    first, last = pages[0].cpu_ms, pages[-1].cpu_ms
    noop_ms = (first + last) / 2
    note = ""
    if abs(first - last) > 0.15 * noop_ms:
        note = (
            f" The no-work view's two runs differ by more than 15 % ({first:.2f} and "
            f"{last:.2f} ms): the machine was busy, measure again."
        )
    setup = (
        f"gunicorn (1 worker x 1 thread, gthread, DEBUG off) on the `generate_scale` database "
        f"({db_url.rsplit('/', 1)[-1]}), logged in through the form as {urls['username']} of "
        f"{urls['team']}; {warmup} untimed then {reps} timed requests per row, one after the "
        f"other; {os.cpu_count()}-core machine, load average {load:.1f} at the start."
    )
    REPORT.write_text(report(pages, noop_ms, setup, max_ratio, note))
    print(REPORT.read_text())
    over = [p.name for p in pages if p.nurse_page and p.cpu_ms > max_ratio * noop_ms]
    if over:
        print(f"PAGECOST BUDGET BROKEN: {', '.join(over)} over {max_ratio:g}x the no-work view")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
