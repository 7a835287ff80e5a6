"""`make loadtest`: gunicorn on 127.0.0.1 serving the bench database, locust headless against it.

The working day's mix (bench/locustfile.py, scenario `day`) runs once per user count in
LOADTEST_USERS (default 20,40,60,80), LOADTEST_TIME each (default 2m), then the 07:00 burst
(scenario `burst`: LOADTEST_BURST_USERS nurses, default 60, all arriving at once, logging in
through the form and opening My day) for LOADTEST_BURST_TIME (default 1m; 0 users skips it).
The same gunicorn serves every run. Loopback only and bounded in time; stops by itself.

Writes bench/loadtest.md: per run req/s, p50/p95/p99 per request type and the failures, and
the highest user count the box sustains (p95 of the work requests under LOADTEST_P95_MS, 150,
and no failed request). Exits 1 when a request failed or no user count met the p95 budget.
gunicorn runs the production settings with DEBUG off (bench.settings: plain-HTTP cookies
only; sessions and cache in Redis as in production).

gunicorn: LOADTEST_WORKERS (3) processes of LOADTEST_THREADS (4) threads each (gthread). A
page spends much of its time waiting for PostgreSQL, so threads keep the 2 cores busy while
requests wait, where 3 sync workers served at most 3 requests at a time and queued the
rest behind the slowest page (a coach dashboard held a worker for seconds).
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
REPORT = ROOT / "bench" / "loadtest.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz in time")


def run_locust(base: str, env: dict[str, str], scenario: str, users: int, run_time: str) -> dict:
    """One headless locust run; its figures (the LOADTEST_JSON line of bench/locustfile.py)."""
    spawn_rate = users if scenario == "burst" else 20
    locust = subprocess.run(
        [
            sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
            "--headless", "--host", base, "--users", str(users), "--spawn-rate", str(spawn_rate),
            "--run-time", run_time, "--stop-timeout", "5", "--only-summary",
        ],
        cwd=ROOT,
        env={**env, "LOADTEST_SCENARIO": scenario, "LOADTEST_USERS": str(users)},
        capture_output=True,
        text=True,
        timeout=30 * 60,
    )  # fmt: skip
    output = locust.stdout + locust.stderr
    print(output[-6000:])
    lines = [line for line in output.splitlines() if line.startswith("LOADTEST_JSON ")]
    if not lines:
        raise SystemExit(f"locust ({scenario}, {users} users) wrote no figures")
    return json.loads(lines[-1].removeprefix("LOADTEST_JSON "))


def ms(value: float) -> str:
    return f"{value:.0f}"


def per_request_table(result: dict) -> str:
    lines = [
        "| request | n | failed | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for row in result["rows"]:
        name = f"{row['name']} ({row['method']})" if row["name"] == "login" else row["name"]
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} | {row['rps']:.1f} | "
            f"{ms(row['p50'])} | {ms(row['p95'])} | {ms(row['p99'])} |"
        )
    for error in result["errors"]:
        lines.append(f"\nFailed: {error['count']} x {error['method']} {error['name']}: "
                     f"{error['error']}")  # fmt: skip
    return "\n".join(lines) + "\n"


def report(
    day: list[dict], burst: dict | None, sustained: int | None, setup: str, p95_budget: float
) -> str:
    out = [
        "# Load test\n",
        f"`make loadtest`: {setup}\n",
        "## Working day (realistic mix)\n",
        "Work requests (all but the login form), the whole run:\n",
        "| users | requests | req/s | p50 ms | p95 ms | p99 ms | failed | within budget |",
        "|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for result in day:
        ok = result["work_p95"] < p95_budget and not result["failures"]
        out.append(
            f"| {result['users']} | {result['requests']} | {result['rps']:.1f} | "
            f"{ms(result['work_p50'])} | {ms(result['work_p95'])} | {ms(result['work_p99'])} | "
            f"{result['failures']} | {'yes' if ok else 'no'} |"
        )
    out.append("")
    if sustained is None:
        out.append(f"**Sustained: none** of these user counts kept p95 < {p95_budget:.0f} ms "
                   "with no failed request.\n")  # fmt: skip
    else:
        best = next(r for r in day if r["users"] == sustained)
        out.append(
            f"**Sustained: {sustained} users, {best['rps']:.1f} req/s** (the highest user count "
            f"with p95 < {p95_budget:.0f} ms and no failed request).\n"
        )
    for result in day:
        out.append(f"### {result['users']} users\n")
        out.append(per_request_table(result))
    if burst is not None:
        out.append("## 07:00 burst\n")
        out.append(
            f"{burst['users']} nurses arriving at once, each logging in through the form and "
            f"opening My day and her first client, then the next nurse: "
            f"{burst['rps']:.1f} req/s, work requests p95 {ms(burst['work_p95'])} ms, "
            f"{burst['failures']} failed.\n"
        )
        out.append(per_request_table(burst))
    return "\n".join(out)


def main() -> int:
    steps = [int(n) for n in os.environ.get("LOADTEST_USERS", "20,40,60,80").split(",") if n]
    run_time = os.environ.get("LOADTEST_TIME", "2m")
    burst_users = int(os.environ.get("LOADTEST_BURST_USERS", "60"))
    burst_time = os.environ.get("LOADTEST_BURST_TIME", "1m")
    workers = os.environ.get("LOADTEST_WORKERS", "3")
    threads = os.environ.get("LOADTEST_THREADS", "4")
    p95_budget = float(os.environ.get("LOADTEST_P95_MS", "150"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    # as the bench does (bench.measure.analyze_as_autovacuum_would): this machine's
    # PostgreSQL runs without autovacuum, production's would have analyzed the tables
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as db:
        db.execute("ANALYZE")
        row = db.execute("SELECT count(*) FROM teams_team").fetchone()
        teams = row[0] if row else 0
    load = os.getloadavg()[0]
    port = free_port()
    base = f"http://{HOST}:{port}"
    gunicorn = subprocess.Popen(
        [
            python, "-m", "gunicorn", "buurtzorg.wsgi:application",
            "--bind", f"{HOST}:{port}", "--workers", workers, "--threads", threads,
            "--worker-class", "gthread",
            "--keep-alive", "5", "--log-level", "warning", "--timeout", "120", "--preload",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    day: list[dict] = []
    burst = None
    try:
        wait_until_up(base, gunicorn)
        for users in steps:
            print(f"gunicorn on {base} ({workers}x{threads}); day mix, {users} users, {run_time}")
            day.append(run_locust(base, env, "day", users, run_time))
        if burst_users:
            print(f"07:00 burst: {burst_users} nurses arriving, {burst_time}")
            burst = run_locust(base, env, "burst", burst_users, burst_time)
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=15)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    sustained = max(
        (r["users"] for r in day if r["work_p95"] < p95_budget and not r["failures"]),
        default=None,
    )
    setup = (
        f"gunicorn ({workers} workers x {threads} threads, gthread, DEBUG off) and locust "
        f"headless on the same {os.cpu_count()}-core machine (load average {load:.1f} at the "
        f"start), {run_time} per user count, on the `generate_scale` database "
        f"({os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}, {teams} teams)."
    )
    REPORT.write_text(report(day, burst, sustained, setup, p95_budget))
    print(f"Wrote {REPORT.relative_to(ROOT)}")
    failures = sum(r["failures"] for r in day) + (burst["failures"] if burst else 0)
    if failures or sustained is None:
        print(f"LOADTEST BUDGET BROKEN: {failures} failed requests; sustained users {sustained}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
