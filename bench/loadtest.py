"""`make loadtest`: gunicorn on 127.0.0.1 serving the bench database, locust headless against it.

The working day's mix (bench/locustfile.py, scenario `day`) runs once per user count in
LOADTEST_USERS (default 20,40,60,80), LOADTEST_TIME each (default 2m), then up to
LOADTEST_SEARCH (3) more user counts that halve the gap between the highest count that kept
the p95 budget (0 when none did) and the lowest that broke it, on multiples of
LOADTEST_RESOLUTION (5) users, so the report names the knee, not only "none"; then the 07:00 burst
(scenario `burst`: LOADTEST_BURST_USERS nurses, default 60, all arriving at once, logging in
through the form and opening My day) for LOADTEST_BURST_TIME (default 1m; 0 users skips it).
The same gunicorn serves every run. Loopback only and bounded in time; stops by itself.

Writes bench/loadtest.md: per run req/s, p50/p95/p99 per request type and the failures, and
the highest user count the box sustains (p95 of the work requests under LOADTEST_P95_MS, 150,
and no failed request). Exits 1 when a request failed or no user count met the p95 budget.
gunicorn runs the production settings with DEBUG off (bench.settings: plain-HTTP cookies
only; sessions and cache in Redis as in production).

gunicorn runs as production does (gunicorn.conf.py: 4 sync workers, which says why);
LOADTEST_WORKERS, LOADTEST_THREADS (threads > 1 means gthread) and LOADTEST_WORKER_CLASS
compare another worker model on the same data.

Each run starts measuring LOADTEST_WARMUP (15s) after the last simulated user has started;
the report gives the load average at the start and end of each run and the CPU that gunicorn,
locust, PostgreSQL and the whole machine used in the measured part, so a figure taken on a
busy machine says so.
"""

import json
import os
import runpy
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil
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


def seconds(duration: str) -> int:
    """`90`, `90s`, `2m` or `1h` in seconds (locust's --run-time spelling)."""
    units = {"s": 1, "m": 60, "h": 3600}
    if duration[-1:] in units:
        return int(float(duration[:-1]) * units[duration[-1]])
    return int(duration)


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    """CPU seconds (user + system) so far, per process id."""
    seen = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        seen[process.pid] = times.user + times.system
    return seen


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two samples by the processes alive at the second (one that
    started in between counts whole; one that ended in between is not seen, never negative)."""
    return sum(max(spent - before.get(pid, 0.0), 0.0) for pid, spent in after.items())


def busy_seconds() -> float:
    """CPU seconds the machine's cores have been busy since boot (all processes)."""
    t = psutil.cpu_times()
    return float(t.user + t.nice + t.system + t.irq + t.softirq + t.steal)


def postgres_processes() -> list[psutil.Process]:
    """PostgreSQL's processes on this machine (all databases: on a shared machine that
    includes other people's queries)."""
    return [p for p in psutil.process_iter(["name"]) if p.info["name"] in {"postgres"}]


def run_locust(
    base: str,
    env: dict[str, str],
    scenario: str,
    users: int,
    run_time: int,
    warmup: int,
    gunicorn: subprocess.Popen,
) -> dict:
    """One headless locust run; its figures (the LOADTEST_JSON line of bench/locustfile.py),
    with the load average at its start and end and the CPU seconds that gunicorn, locust,
    PostgreSQL and the whole machine spent in the measured part (after the warm-up)."""
    spawn_rate = users if scenario == "burst" else 20
    app = psutil.Process(gunicorn.pid)
    load_start = os.getloadavg()[0]
    # locust's output goes to a file, not a pipe nobody reads while it runs (a full pipe
    # would stop it)
    log = tempfile.TemporaryFile(mode="w+")
    locust = subprocess.Popen(
        [
            sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
            "--headless", "--host", base, "--users", str(users), "--spawn-rate", str(spawn_rate),
            "--run-time", f"{warmup + run_time}s", "--stop-timeout", "5", "--only-summary",
        ],
        cwd=ROOT,
        env={
            **env, "LOADTEST_SCENARIO": scenario, "LOADTEST_USERS": str(users),
            "LOADTEST_WARMUP": str(warmup),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    # The measured part: from the end of the warm-up (spawning takes a second or two at
    # 20 users a second) to the end of the run.
    time.sleep(warmup + users / spawn_rate)
    generator = psutil.Process(locust.pid)

    def sample() -> dict[str, Any]:
        return {
            "app": cpu_seconds([app, *app.children(recursive=True)]),
            "locust": cpu_seconds([generator]),
            "postgres": cpu_seconds(postgres_processes()),
            "machine": busy_seconds(),
            "at": time.monotonic(),
        }

    before = sample()
    after: dict[str, Any] = {}
    # Sampled while the processes live: a gunicorn worker's CPU is its own until it exits.
    while locust.poll() is None:
        after = sample()
        time.sleep(1)
    log.seek(0)
    output = log.read()
    log.close()
    print(output[-6000:])
    lines = [line for line in output.splitlines() if line.startswith("LOADTEST_JSON ")]
    if not lines:
        raise SystemExit(f"locust ({scenario}, {users} users) wrote no figures")
    result = json.loads(lines[-1].removeprefix("LOADTEST_JSON "))
    result["load_start"] = load_start
    result["load_end"] = os.getloadavg()[0]
    if after:
        wall = max(after["at"] - before["at"], 1e-9)
        requests = max(result["requests"], 1)
        app_cpu = cpu_spent(before["app"], after["app"])
        result["cpu"] = {
            "app_ms_per_request": app_cpu * 1000 / requests,
            "app_cores": app_cpu / wall,
            "locust_cores": cpu_spent(before["locust"], after["locust"]) / wall,
            "postgres_cores": cpu_spent(before["postgres"], after["postgres"]) / wall,
            "machine_cores": (after["machine"] - before["machine"]) / wall,
        }
    return result


def ms(value: float) -> str:
    return f"{value:.0f}"


def per_request_table(result: dict) -> str:
    lines = [
        "| request | n | failed | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for row in result["rows"]:
        if not row["requests"]:  # a type seen only in the warm-up
            continue
        name = f"{row['name']} ({row['method']})" if row["name"] == "login" else row["name"]
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} | {row['rps']:.1f} | "
            f"{ms(row['p50'])} | {ms(row['p95'])} | {ms(row['p99'])} |"
        )
    for error in result["errors"]:
        lines.append(f"\nFailed: {error['count']} x {error['method']} {error['name']}: "
                     f"{error['error']}")  # fmt: skip
    return "\n".join(lines) + "\n"


def cpu_note(result: dict) -> str:
    cpu = result.get("cpu")
    if not cpu:
        return ""
    return (
        f"gunicorn {cpu['app_ms_per_request']:.0f} ms CPU per request "
        f"({cpu['app_cores']:.2f} cores), locust {cpu['locust_cores']:.2f}, PostgreSQL "
        f"{cpu['postgres_cores']:.2f}, the whole machine {cpu['machine_cores']:.2f} of "
        f"{os.cpu_count()} cores"
    )


def report(
    day: list[dict], burst: dict | None, sustained: int | None, setup: str, p95_budget: float
) -> str:
    out = [
        "# Load test\n",
        f"`make loadtest`: {setup}\n",
        "## Working day (realistic mix)\n",
        "Work requests (all but the login form), measured after the warm-up; the load average "
        "(1 minute) at the start and end of each run says how busy the machine was besides:\n",
        "| users | requests | req/s | p50 ms | p95 ms | p99 ms | failed | within budget "
        "| load avg start → end |",
        "|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for result in day:
        ok = within_budget(result, p95_budget)
        out.append(
            f"| {result['users']} | {result['requests']} | {result['rps']:.1f} | "
            f"{ms(result['work_p50'])} | {ms(result['work_p95'])} | {ms(result['work_p99'])} | "
            f"{result['failures']} | {'yes' if ok else 'no'} | "
            f"{result.get('load_start', 0):.1f} → {result.get('load_end', 0):.1f} |"
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
        if result.get("cpu"):
            out.append(f"CPU in the measured part: {cpu_note(result)}.\n")
        out.append(per_request_table(result))
    if burst is not None:
        out.append("## 07:00 burst\n")
        out.append(
            f"{burst['users']} nurses arriving at once, each logging in through the form and "
            f"opening My day and her first client, then the next nurse: "
            f"{burst['rps']:.1f} req/s, work requests p95 {ms(burst['work_p95'])} ms, "
            f"{burst['failures']} failed; load average {burst.get('load_start', 0):.1f} → "
            f"{burst.get('load_end', 0):.1f}"
            + (f"; CPU: {cpu_note(burst)}" if burst.get("cpu") else "")
            + ".\n"
        )
        out.append(per_request_table(burst))
    return "\n".join(out)


def within_budget(result: dict, p95_budget: float) -> bool:
    return result["work_p95"] < p95_budget and not result["failures"]


def next_user_count(day: list[dict], p95_budget: float, resolution: int) -> int | None:
    """The user count to try next in the search for the knee, or None when it is found.

    The knee lies between the highest count that kept the budget (0 when none did) and the
    lowest count above it that broke it; halve that gap, on multiples of `resolution`, until
    it is no wider than `resolution`. When every count kept the budget there is no gap to
    search: the report says the box sustains at least the highest.
    """
    kept = [r["users"] for r in day if within_budget(r, p95_budget)]
    low = max(kept, default=0)
    broke = [r["users"] for r in day if r["users"] > low and not within_budget(r, p95_budget)]
    if not broke:
        return None
    high = min(broke)
    middle = (low + high) // 2 // resolution * resolution
    if high - low <= resolution or middle <= low:
        return None
    return middle


def main() -> int:
    steps = [int(n) for n in os.environ.get("LOADTEST_USERS", "20,40,60,80").split(",") if n]
    run_time = seconds(os.environ.get("LOADTEST_TIME", "2m"))
    warmup = seconds(os.environ.get("LOADTEST_WARMUP", "15s"))
    burst_users = int(os.environ.get("LOADTEST_BURST_USERS", "60"))
    burst_time = seconds(os.environ.get("LOADTEST_BURST_TIME", "1m"))
    # production's worker model (gunicorn.conf.py) unless asked for another to compare
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    workers = os.environ.get("LOADTEST_WORKERS") or str(conf["workers"])
    threads = os.environ.get("LOADTEST_THREADS") or "1"
    worker_class = os.environ.get("LOADTEST_WORKER_CLASS") or (
        "gthread" if int(threads) > 1 else conf["worker_class"]
    )
    p95_budget = float(os.environ.get("LOADTEST_P95_MS", "150"))
    search = int(os.environ.get("LOADTEST_SEARCH", "3"))
    resolution = int(os.environ.get("LOADTEST_RESOLUTION", "5"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    # as the bench does (bench.measure.analyze_as_autovacuum_would): this machine's
    # PostgreSQL runs without autovacuum, production's would have vacuumed and analyzed the tables
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as db:
        db.execute("VACUUM (ANALYZE)")
        row = db.execute("SELECT count(*) FROM teams_team").fetchone()
        teams = row[0] if row else 0
    load = os.getloadavg()[0]
    port = free_port()
    base = f"http://{HOST}:{port}"
    gunicorn = subprocess.Popen(
        [
            python, "-m", "gunicorn", "buurtzorg.wsgi:application",
            "--bind", f"{HOST}:{port}", "--workers", workers, "--threads", threads,
            "--worker-class", worker_class,
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
            print(
                f"gunicorn on {base} ({workers}x{threads}); day mix, {users} users, "
                f"{warmup} s warm-up + {run_time} s"
            )
            day.append(run_locust(base, env, "day", users, run_time, warmup, gunicorn))
        # then look for the knee between the counts that kept the budget and those that broke it
        for _ in range(search):
            users = next_user_count(day, p95_budget, resolution)
            if users is None:
                break
            print(f"knee search: day mix, {users} users, {warmup} s warm-up + {run_time} s")
            day.append(run_locust(base, env, "day", users, run_time, warmup, gunicorn))
        day.sort(key=lambda r: r["users"])
        if burst_users:
            print(f"07:00 burst: {burst_users} nurses arriving, {burst_time} s")
            burst = run_locust(base, env, "burst", burst_users, burst_time, 0, gunicorn)
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=15)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    sustained = max((r["users"] for r in day if within_budget(r, p95_budget)), default=None)
    setup = (
        f"gunicorn ({workers} workers x {threads} threads, {worker_class}, DEBUG off) and locust "
        f"(one process, FastHttpUser) headless on the same {os.cpu_count()}-core machine "
        f"(load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end), "
        f"{warmup} s warm-up then {run_time} s measured per user count, on the "
        f"`generate_scale` database ({os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}, "
        f"{teams} teams)."
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
