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
import time
from importlib import import_module
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from locust import HttpUser, between, events, task  # noqa: E402

from bench.scale import PASSWORD  # noqa: E402
from buurtzorg.audit.middleware import LOGIN_AT_KEY, SEEN_AT_KEY  # noqa: E402
from buurtzorg.audit.twofactor import OTP_STATE_KEY, otp_state_for  # noqa: E402
from teams.models import Membership, Role, User  # noqa: E402

MIN_RPS = float(os.environ.get("LOADTEST_MIN_RPS", "50"))
P95_MS = float(os.environ.get("LOADTEST_P95_MS", "150"))
LOGIN = "login"
FORM_LOGINS = float(os.environ.get("LOADTEST_FORM_LOGINS", "0.1"))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _people() -> dict[str, list[Any]]:
    """Nurses with visits still to log today (and those visits), coaches, back office."""
    from django.utils import timezone

    from scheduling.models import Visit, VisitStatus

    today = timezone.localdate()
    todo: dict[str, list[str]] = {}
    rows = (
        Visit.objects.filter(
            starts_at__date=today,
            status=VisitStatus.PLANNED,
            nurse__username__startswith="scale-n",
        )
        .order_by("nurse_id", "starts_at")
        .values_list("nurse__username", "public_id")[:60_000]
    )
    for username, public_id in rows:
        todo.setdefault(username, []).append(str(public_id))
    teams = dict(
        Membership.objects.filter(
            ended_on__isnull=True, nurse__username__in=list(todo)
        ).values_list("nurse__username", "team_id")
    )
    nurses = [(name, teams[name], visits) for name, visits in todo.items() if name in teams]
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
    files: list[str] = []
    runs: list[str] = []
    try:
        from scheduling.billing.models import BillingRun, RunFile

        files = [f.get_absolute_url() for f in RunFile.objects.filter(kind="csv")[:50]]
        runs = [r.get_absolute_url() for r in BillingRun.objects.all()[:10]]
    except ImportError:
        pass
    return {
        "nurses": nurses,
        "coaches": coaches,
        "back_office": back_office,
        "files": files,
        "runs": runs,
    }


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
        """Most people logged in earlier in the day: by default (LOADTEST_FORM_LOGINS=0.1)
        one simulated person in ten logs in through the form (CSRF and the deliberately slow
        password hash included); the others start with a session made for them here, as
        Django's own login would make it."""
        if random.random() < FORM_LOGINS:
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
            return
        user = User.objects.get(username=self.username)
        # The configured engine (cached_db on Redis, as in production), holding what a login
        # through the form leaves in the session, so the first page does not write it again.
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[LOGIN_AT_KEY] = session[SEEN_AT_KEY] = time.time()
        session[OTP_STATE_KEY] = otp_state_for(user)
        session.create()
        self.client.cookies.set(settings.SESSION_COOKIE_NAME, session.session_key)

    def get(self, path: str | None, name: str) -> None:
        if path:
            self.client.get(path, name=name)


class Nurse(Person):
    weight = 70

    def on_start(self) -> None:
        self.username, team_id, visits = random.choice(PEOPLE["nurses"])
        self.visits = list(visits)
        self.clients = team_clients(team_id)
        self.log_in()
        page = self.client.get(url("scheduling:my-day"), name="nurse: My day")
        token = CSRF_INPUT.search(page.text)
        self.csrf = token.group(1) if token else ""

    @task(5)
    def my_day(self) -> None:
        self.get(url("scheduling:my-day"), "nurse: My day")

    @task(2)
    def log_visit(self) -> None:
        """One tap "done as planned" on a visit of today (htmx: only the card comes back)."""
        if not self.visits:
            return
        public_id = self.visits.pop(0)
        self.client.post(
            url("scheduling:visit-done", public_id),
            data={"csrfmiddlewaretoken": self.csrf},
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf},
            name="nurse: log visit (done)",
        )

    @task(2)
    def client_list(self) -> None:
        self.get(url("clients:client-list"), "nurse: client list")

    @task(3)
    def client_page(self) -> None:
        if self.clients:
            self.get(random.choice(self.clients), "nurse: client page")

    @task(1)
    def planning(self) -> None:
        self.get(url("scheduling:planning"), "nurse: planning week")


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

    @task(2)
    def run_page(self) -> None:
        if PEOPLE["runs"]:
            self.get(random.choice(PEOPLE["runs"]), "back office: billing run")

    @task(2)
    def download(self) -> None:
        if PEOPLE["files"]:
            self.get(random.choice(PEOPLE["files"]), "back office: download CSV")


@events.quitting.add_listener
def check_budgets(environment: Any, **_: Any) -> None:
    stats = environment.stats
    work = [entry for (name, _method), entry in stats.entries.items() if name != LOGIN]
    requests = sum(entry.num_requests for entry in work)
    failures = stats.total.num_failures
    elapsed = max(stats.total.last_request_timestamp - stats.total.start_time, 1e-9)
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
