"""bench/loadtest.py's arithmetic and report (the load test itself: `make loadtest`)."""

from bench.loadtest import cpu_spent, next_user_count, report, seconds


def _run(users: int, p95: float, failures: int = 0) -> dict:
    return {
        "users": users,
        "requests": 100 * users,
        "rps": users * 0.98,
        "failures": failures,
        "work_p50": 40.0,
        "work_p95": p95,
        "work_p99": p95 * 2,
        "load_start": 0.4,
        "load_end": 1.9,
        "cpu": {
            "app_ms_per_request": 31.0,
            "app_cores": 0.6,
            "locust_cores": 0.1,
            "postgres_cores": 0.3,
            "machine_cores": 1.1,
        },
        "rows": [
            {
                "name": "nurse: My day",
                "method": "GET",
                "requests": 50 * users,
                "failures": 0,
                "rps": users / 2,
                "p50": 40,
                "p95": p95,
                "p99": p95 * 2,
            },
        ],  # fmt: skip
        "errors": [],
    }


def test_durations_in_locust_spelling() -> None:
    assert [seconds(d) for d in ("90", "90s", "2m", "1.5m", "1h")] == [90, 90, 120, 90, 3600]


def test_cpu_of_processes_that_came_and_went() -> None:
    # pid 1 used 2 s more, pid 2 ended (not seen: never negative), pid 3 started (counts whole)
    assert cpu_spent({1: 10.0, 2: 5.0}, {1: 12.0, 3: 0.5}) == 2.5


def test_report_names_the_highest_user_count_within_budget_with_load_and_cpu() -> None:
    day = [_run(20, 90), _run(40, 140), _run(60, 210)]
    text = report(day, None, 40, "setup", 150)
    assert "**Sustained: 40 users, 39.2 req/s**" in text
    assert "| 60 | 6000 | 58.8 | 40 | 210 | 420 | 0 | no | 0.4 → 1.9 |" in text
    assert "gunicorn 31 ms CPU per request (0.60 cores), locust 0.10" in text


def test_report_without_a_sustained_count_says_none() -> None:
    text = report([_run(20, 400)], None, None, "setup", 150)
    assert "**Sustained: none**" in text


def test_knee_search_halves_the_gap_between_kept_and_broken_counts() -> None:
    # none kept the budget: search below the lowest count, down from 0..20
    assert next_user_count([_run(20, 340), _run(40, 2000)], 150, 5) == 10
    # 10 kept it, 20 broke it: try 15; 15 kept it too: the gap is one step, the knee is found
    day = [_run(10, 90), _run(20, 340), _run(40, 2000)]
    assert next_user_count(day, 150, 5) == 15
    assert next_user_count([*day, _run(15, 120)], 150, 5) is None
    # a failed request breaks the budget as a slow p95 does
    assert next_user_count([_run(20, 90), _run(40, 100, failures=3)], 150, 5) == 30
    # every count kept it: nothing to search between
    assert next_user_count([_run(20, 90), _run(40, 140)], 150, 5) is None
    # a gap of one step is not searched
    assert next_user_count([_run(5, 340)], 150, 5) is None
