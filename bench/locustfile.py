"""Locust users for `make loadtest` (bench/loadtest.py starts gunicorn and runs this headless).

Nurses 70 / coaches 20 / back office 10 (locust user weights). Each simulated person logs in
once through the real login form (CSRF included), then works: nurses open My day, their
clients and client pages and log visits; coaches read their dashboard and team spaces; back
office opens billing and downloads files. The URLs and the people come from the bench
database (Django is set up in this process only to read them), so no id is guessed.

Budgets, checked when the run ends (the process exits 1 when one is broken): at least
LOADTEST_MIN_RPS requests/s, p95 under LOADTEST_P95_MS over the work requests (logins are
reported apart: a person logs in once a day, and the password hash is deliberately slow),
and no failed request.
"""

import os
import random
import re
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.urls import NoReverseMatch, reverse  # noqa: E402
from locust import HttpUser, between, events, task  # noqa: E402

from bench.scale import PASSWORD  # noqa: E402
from teams.models import Membership, Role, User  # noqa: E402

MIN_RPS = float(os.environ.get("LOADTEST_MIN_RPS", "50"))
P95_MS = float(os.environ.get("LOADTEST_P95_MS", "150"))
LOGIN = "login"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _people() -> dict[str, list[Any]]:
    nurses = list(
        Membership.objects.filter(ended_on__isnull=True, nurse__username__startswith="scale-n")
        .order_by("?")
        .values_list("nurse__username", "team_id")[:2000]
    )
    coaches = list(
        User.objects.filter(role=Role.COACH, username__startswith="scale-").values_list(
            "username", flat=True
        )
    )
    back_office = list(
        User.objects.filter(role=Role.BACK_OFFICE, username__startswith="scale-").values_list(
            "username", flat=True
        )
    )
    return {"nurses": nurses, "coaches": coaches, "back_office": back_office}


PEOPLE = _people()


def team_clients(team_id: int) -> list[str]:
    try:
        from clients.models import Client
    except ImportError:
        return []
    return [c.get_absolute_url() for c in Client.objects.filter(team_id=team_id).order_by("?")[:20]]


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    username = ""

    def log_in(self) -> None:
        page = self.client.get(reverse("login"), name=LOGIN)
        token = CSRF_INPUT.search(page.text)
        self.client.post(
            reverse("login"),
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name=LOGIN,
        )

    def get(self, path: str | None, name: str) -> None:
        if path:
            self.client.get(path, name=name)


class Nurse(Person):
    weight = 70

    def on_start(self) -> None:
        self.username, team_id = random.choice(PEOPLE["nurses"])
        self.clients = team_clients(team_id)
        self.log_in()

    @task(5)
    def my_day(self) -> None:
        self.get(url("scheduling:my-day"), "nurse: My day")

    @task(2)
    def client_list(self) -> None:
        self.get(url("clients:client-list"), "nurse: client list")

    @task(4)
    def client_page(self) -> None:
        if self.clients:
            self.get(random.choice(self.clients), "nurse: client page")

    @task(1)
    def team_page(self) -> None:
        self.get(url("teams:team-list"), "nurse: my team")


class Coach(Person):
    weight = 20

    def on_start(self) -> None:
        self.username = random.choice(PEOPLE["coaches"])
        self.log_in()

    @task(4)
    def dashboard(self) -> None:
        self.get(url("coaching:dashboard"), "coach: dashboard")

    @task(2)
    def spaces(self) -> None:
        self.get(url("coaching:space-list"), "coach: spaces")

    @task(1)
    def teams(self) -> None:
        self.get(url("teams:team-list"), "coach: teams")


class BackOffice(Person):
    weight = 10

    def on_start(self) -> None:
        self.username = random.choice(PEOPLE["back_office"])
        self.log_in()

    @task(3)
    def billing(self) -> None:
        self.get(url("billing:run-list"), "back office: billing runs")

    @task(1)
    def teams(self) -> None:
        self.get(url("teams:team-list"), "back office: teams")


TASK_HOOKS: list[Callable[..., None]] = []


@events.quitting.add_listener
def check_budgets(environment: Any, **_: Any) -> None:
    stats = environment.stats
    work = [entry for (name, _method), entry in stats.entries.items() if name != LOGIN]
    requests = sum(entry.num_requests for entry in work)
    failures = stats.total.num_failures
    elapsed = max(stats.total.last_request_timestamp - stats.start_time, 1e-9)
    rps = stats.total.num_requests / elapsed
    # p95 over the work requests: merge their response-time histograms.
    merged: dict[int, int] = {}
    for entry in work:
        for rounded, count in entry.response_times.items():
            merged[rounded] = merged.get(rounded, 0) + count
    p95 = 0.0
    seen = 0
    for rounded in sorted(merged):
        seen += merged[rounded]
        if seen >= 0.95 * requests:
            p95 = rounded
            break
    problems = []
    if rps < MIN_RPS:
        problems.append(f"{rps:.1f} req/s < {MIN_RPS:.0f}")
    if p95 >= P95_MS:
        problems.append(f"p95 {p95:.0f} ms >= {P95_MS:.0f}")
    if failures:
        problems.append(f"{failures} failed requests")
    summary = (
        f"LOADTEST: {stats.total.num_requests} requests in {elapsed:.0f} s = {rps:.1f} req/s; "
        f"work requests p95 {p95:.0f} ms, median "
        f"{stats.total.get_response_time_percentile(0.5):.0f} ms; {failures} failures"
    )
    print(summary)
    environment.loadtest_summary = summary
    if problems:
        print("LOADTEST BUDGET BROKEN: " + "; ".join(problems))
        environment.process_exit_code = 1
    else:
        environment.process_exit_code = 0
