"""`make loadtest`: gunicorn on 127.0.0.1 serving the bench database, locust headless against it.

Loopback only, bounded in time (LOADTEST_TIME, default 2m) and users (LOADTEST_USERS); stops
by itself. Writes bench/loadtest.md with the figures and exits 1 when a budget is broken
(see bench/locustfile.py). gunicorn runs the production settings with DEBUG off
(bench.settings: plain-HTTP cookies only; sessions and cache in Redis as in production).

gunicorn: LOADTEST_WORKERS (3) processes of LOADTEST_THREADS (4) threads each (gthread). A
page spends much of its time waiting for PostgreSQL, so threads keep the 2 cores busy while
requests wait, where 3 sync workers served at most 3 requests at a time and queued the
rest behind the slowest page (a coach dashboard held a worker for seconds).
"""

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


def main() -> int:
    users = os.environ.get("LOADTEST_USERS", "80")
    run_time = os.environ.get("LOADTEST_TIME", "2m")
    workers = os.environ.get("LOADTEST_WORKERS", "3")
    threads = os.environ.get("LOADTEST_THREADS", "4")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    # as the bench does (bench.measure.analyze_as_autovacuum_would): this machine's
    # PostgreSQL runs without autovacuum, production's would have analyzed the tables
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as db:
        db.execute("ANALYZE")
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
    try:
        wait_until_up(base, gunicorn)
        print(
            f"gunicorn up on {base} ({workers} workers x {threads} threads); "
            f"locust: {users} users for {run_time}"
        )
        csv_prefix = ROOT / "bench" / "data" / "loadtest"
        csv_prefix.parent.mkdir(parents=True, exist_ok=True)
        locust = subprocess.run(
            [
                python, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                "--headless", "--host", base, "--users", users, "--spawn-rate", "20",
                "--run-time", run_time, "--stop-timeout", "5", "--only-summary",
                "--csv", str(csv_prefix),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=30 * 60,
        )  # fmt: skip
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=15)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    output = locust.stdout + locust.stderr
    print(output[-12000:])
    summary = [line for line in output.splitlines() if line.startswith("LOADTEST")]
    stats_csv = csv_prefix.with_name("loadtest_stats.csv")
    table = stats_csv.read_text() if stats_csv.exists() else "(no stats written)"
    REPORT.write_text(
        "# Load test\n\n"
        f"`make loadtest`: gunicorn ({workers} workers x {threads} threads, DEBUG off) on "
        f"{HOST}, locust "
        f"headless, {users} users (nurses 70 / coaches 20 / back office 10), {run_time}, "
        "on the `generate_scale` database.\n\n"
        + "\n".join(f"- {line}" for line in summary)
        + "\n\nPer request (locust CSV, times in ms):\n\n```\n"
        + table
        + "```\n"
    )
    print(f"Wrote {REPORT.relative_to(ROOT)}")
    return locust.returncode


if __name__ == "__main__":
    sys.exit(main())
