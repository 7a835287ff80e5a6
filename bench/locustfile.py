"""Locust users for `make loadtest` (bench/loadtest.py starts gunicorn and runs this headless).

Two scenarios (LOADTEST_SCENARIO):

- `day` (default): the working day's mix. The share of requests per role follows the
  organisation's head count times each role's habits (requests per person per working day):
  about 10,000 nurses, 18 coaches and 45 back-office staff, see `HEAD_COUNT` and
  `REQUESTS_PER_DAY`, which makes nurses about 97 % of the requests, coaches about 1 % and back
  office about 2 %. Within a role the tasks are weighted by habit too: a nurse mostly opens My
  day, her clients' records and logs visits; CSV downloads are rare. Every simulated user
  sends one request a second (`Person`: a unit of load, standing for hundreds of people, not
  one person's pace), so a role's share of simulated users is its share of requests and N
  users offer N req/s. Everyone starts logged in, with a session prepared before the run (see
  below): a person logs in once a day, the burst scenario measures that. The figures count
  from LOADTEST_WARMUP seconds after the last user started (`_measure_after_warm_up`).
- `burst`: 07:00, when the early shift starts: every simulated user is a nurse who arrives,
  logs in through the login form (CSRF and the password hash included: Argon2id, see
  `_password_hashes_current`), opens My day and the first client of the day, then the next
  nurse arrives on that phone (after 0.5-1.5 s).

No database connection per simulated user: locust runs users as gevent greenlets, and Django
gives every greenlet its own connection, so an ORM call in a user held one PostgreSQL
connection per simulated user for the whole run (80 users plus gunicorn's passed PostgreSQL's
100 and a third of the requests failed). Everything a user needs (who she is, her visits of
today, her clients' URLs, a logged-in session) is read and made here, at import, through the
one connection of the main greenlet, which is closed before the first user starts. Users only
speak HTTP, with locust's FastHttpUser (geventhttpclient): several times less CPU per request
than its requests-based HttpUser by locust's own account, which matters when the load
generator shares the 2 cores with the server it measures. Static files are not in the mix:
their names carry a content hash, WhiteNoise serves them as immutable and the app's service
worker keeps them, so a working day's page view fetches none from the server.

Budgets, checked when the run ends (the process exits 1 when one is broken): p95 under
LOADTEST_P95_MS over the work requests (the login form is reported apart: a person logs in
once a day, and a password hash is costly on purpose) and no failed request. The last line
starting with LOADTEST_JSON carries the figures per request type for bench/loadtest.py.
"""

import itertools
import json
import os
import random
import re
import time
from http.cookiejar import Cookie
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

import django
import gevent

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connections  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from locust import between, constant_throughput, events, task  # noqa: E402
from locust.contrib.fasthttp import FastHttpUser  # noqa: E402

from bench.scale import PASSWORD  # noqa: E402
from buurtzorg.audit.middleware import LOGIN_AT_KEY, SEEN_AT_KEY  # noqa: E402
from buurtzorg.audit.twofactor import OTP_STATE_KEY, otp_state_for  # noqa: E402
from teams.models import Membership, Role, User  # noqa: E402

SCENARIO = os.environ.get("LOADTEST_SCENARIO", "day")
USERS = int(os.environ.get("LOADTEST_USERS", "80"))
P95_MS = float(os.environ.get("LOADTEST_P95_MS", "150"))
WARMUP = float(os.environ.get("LOADTEST_WARMUP", "0"))
LOGIN = "login"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# The organisation (issue 22): head counts, and requests per person per working day. A nurse
# opens My day about 20 times, logs about 8 visits, opens about 15 records, her client list and
# her week a few times (the task weights below); a coach reads her dashboard and spaces a few
# hundred times; back office works on billing all day.
HEAD_COUNT = {"nurse": 10_000, "coach": 18, "back_office": 45}
REQUESTS_PER_DAY = {"nurse": 48, "coach": 300, "back_office": 200}
SHARE = {role: HEAD_COUNT[role] * REQUESTS_PER_DAY[role] for role in HEAD_COUNT}


def url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _session_for(user: User) -> str:
    """A session as a login through the form leaves it, stored by the configured engine
    (cached_db on Redis, as in production); its key, for the session cookie."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LOGIN_AT_KEY] = session[SEEN_AT_KEY] = time.time()
    session[OTP_STATE_KEY] = otp_state_for(user)
    session.create()
    return str(session.session_key)


def _password_hashes_current(usernames: list[str]) -> None:
    """The arriving nurses' passwords hashed as the app hashes them now (Argon2id).

    A database generated before the switch from PBKDF2 holds PBKDF2 hashes, which the app
    replaces at each nurse's first login (PBKDF2 check, Argon2id hash, UPDATE): that happens
    once per person, on the first morning after the switch, not every 07:00. The burst
    measures an ordinary morning, so the hashes are brought up to date before it, as those
    first logins would have done (the same password; generate_scale writes such hashes now).
    """
    from django.contrib.auth.hashers import get_hasher, identify_hasher, make_password

    preferred = get_hasher()
    stale = [
        user.pk
        for user in User.objects.filter(username__in=usernames).only("pk", "password")
        if identify_hasher(user.password).algorithm != preferred.algorithm
        or preferred.must_update(user.password)
    ]
    if stale:
        User.objects.filter(pk__in=stale).update(password=make_password(PASSWORD))


def _prepare() -> dict[str, list[Any]]:
    """Who the simulated people are, with what they need, read in this one connection.

    Nurses: those with visits still planned today, each with those visits, up to 20 client
    pages of her team and (day scenario) a session. More nurses than simulated users are
    prepared, so a user whose nurse has logged all her visits carries on as the next one.
    """
    from django.utils import timezone

    from clients.models import Client
    from scheduling.models import Visit, VisitStatus

    rng = random.Random(2026)  # noqa: S311 (a load test's choice, not a secret)
    today = timezone.localdate()
    todo: dict[str, list[str]] = {}
    rows = (
        Visit.objects.filter(
            starts_at__date=today,
            status=VisitStatus.PLANNED,
            nurse__username__startswith="scale-n",
        )
        .order_by("nurse_id", "starts_at")
        .values_list("nurse__username", "public_id")[:200_000]
    )
    for username, public_id in rows:
        todo.setdefault(username, []).append(str(public_id))
    names = sorted(todo)
    rng.shuffle(names)
    names = names[: max(8 * USERS, 50)]
    if SCENARIO == "burst":
        _password_hashes_current(names)
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    teams = dict(
        Membership.objects.filter(ended_on__isnull=True, nurse__username__in=names).values_list(
            "nurse__username", "team_id"
        )
    )
    pages: dict[int, list[str]] = {}
    for team_id, public_id in Client.objects.filter(team_id__in=set(teams.values())).values_list(
        "team_id", "public_id"
    ):
        pages.setdefault(team_id, []).append(url("clients:client-detail", public_id) or "")
    nurses = []
    for name in names:
        if name not in teams:
            continue
        team_pages = pages.get(teams[name], [])
        nurses.append(
            {
                "username": name,
                "visits": todo[name],
                "clients": rng.sample(team_pages, min(20, len(team_pages))),
                "session": _session_for(users[name]) if SCENARIO == "day" else "",
            }
        )
    coaches = [
        {"username": u.username, "session": _session_for(u)}
        for u in User.objects.filter(role=Role.COACH, username__startswith="scale-")
    ]
    back_office = [
        {"username": u.username, "session": _session_for(u)}
        for u in User.objects.filter(role=Role.BACK_OFFICE, username__startswith="scale-")
    ]
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


PEOPLE = _prepare()
# The main greenlet's connection is not needed any more; the users never open one.
connections.close_all()
NURSES = itertools.cycle(PEOPLE["nurses"] or [None])


def _cookie(name: str, value: str, host: str) -> Cookie:
    """A cookie for `host` as the server would have set it (no Domain attribute)."""
    return Cookie(
        version=0, name=name, value=value, port=None, port_specified=False, domain=host,
        domain_specified=False, domain_initial_dot=False, path="/", path_specified=True,
        secure=False, expires=None, discard=True, comment=None, comment_url=None, rest={},
    )  # fmt: skip


class Person(FastHttpUser):
    """A phone or desk that sends one request a second while the run lasts.

    A nurse makes about 48 requests in a working day, one every ten minutes; a simulated user
    stands for hundreds of them, so its pace is a unit of load, not a person's: N users offer
    N requests a second (constant_throughput: the pause shrinks by the time the answer took),
    and the run's req/s says how much of that the server kept up with. A fixed offered load
    keeps a slow server from being measured at a lower load than asked (which a fixed pause
    after each answer does: the slower the answers, the fewer the requests).
    """

    abstract = True
    wait_time = constant_throughput(1)
    csrf = ""

    def resume(self, person: dict[str, Any]) -> None:
        """Carry on as `person`, logged in earlier today (her prepared session)."""
        self.client.cookiejar.clear()
        host = urlsplit(self.host).hostname or ""
        self.client.cookiejar.set_cookie(
            _cookie(settings.SESSION_COOKIE_NAME, person["session"], host)
        )

    def get(self, path: str | None, name: str) -> Any:
        if path:
            page = self.client.get(path, name=name)
            token = CSRF_INPUT.search(page.text)
            if token:
                self.csrf = token.group(1)
            return page
        return None


class Nurse(Person):
    weight = SHARE["nurse"]

    def on_start(self) -> None:
        self.next_nurse()

    def next_nurse(self) -> None:
        nurse = next(NURSES)
        if nurse is None:
            raise RuntimeError("no nurse with visits planned today in the bench database")
        self.visits = list(nurse["visits"])
        self.clients = nurse["clients"]
        self.resume(nurse)
        self.get(url("scheduling:my-day"), "nurse: My day")

    @task(20)
    def my_day(self) -> None:
        self.get(url("scheduling:my-day"), "nurse: My day")

    @task(8)
    def log_visit(self) -> None:
        """One tap "done as planned" on a visit of today (htmx: only the card comes back)."""
        if not self.visits:
            # her round is logged: the phone is handed to the next nurse of the day
            self.next_nurse()
            return
        public_id = self.visits.pop(0)
        self.client.post(
            url("scheduling:visit-done", public_id),
            data={"csrfmiddlewaretoken": self.csrf},
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf},
            name="nurse: log visit (done)",
        )

    @task(15)
    def client_page(self) -> None:
        if self.clients:
            self.get(random.choice(self.clients), "nurse: client page")  # noqa: S311

    @task(3)
    def client_list(self) -> None:
        self.get(url("clients:client-list"), "nurse: client list")

    @task(2)
    def planning(self) -> None:
        self.get(url("scheduling:planning"), "nurse: planning week")


class Coach(Person):
    weight = SHARE["coach"]

    def on_start(self) -> None:
        self.resume(random.choice(PEOPLE["coaches"]))  # noqa: S311

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
    weight = SHARE["back_office"]

    def on_start(self) -> None:
        self.resume(random.choice(PEOPLE["back_office"]))  # noqa: S311

    @task(8)
    def billing(self) -> None:
        self.get(url("billing:run-list"), "back office: billing runs")

    @task(6)
    def run_page(self) -> None:
        if PEOPLE["runs"]:
            self.get(random.choice(PEOPLE["runs"]), "back office: billing run")  # noqa: S311

    @task(6)
    def clients(self) -> None:
        self.get(url("clients:client-list"), "back office: client list")

    @task(1)
    def download(self) -> None:
        """Rare: a run's CSV is downloaded once or twice a month per insurer."""
        if PEOPLE["files"]:
            self.get(random.choice(PEOPLE["files"]), "back office: download CSV")  # noqa: S311


class ArrivingNurse(FastHttpUser):
    """07:00: a nurse arrives, logs in through the form, opens My day and her first client."""

    wait_time = between(0.5, 1.5)

    @task
    def arrive(self) -> None:
        nurse = next(NURSES)
        if nurse is None:
            raise RuntimeError("no nurse with visits planned today in the bench database")
        self.client.cookiejar.clear()
        page = self.client.get(reverse("login"), name=LOGIN)
        token = CSRF_INPUT.search(page.text)
        self.client.post(
            reverse("login"),
            data={
                "username": nurse["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            allow_redirects=False,
            name=LOGIN,
        )
        self.client.get(url("scheduling:my-day"), name="nurse: My day")
        if nurse["clients"]:
            self.client.get(nurse["clients"][0], name="nurse: client page")


if SCENARIO == "burst":
    # Only the arriving nurses run (locust runs every non-abstract user class of the file).
    Nurse.abstract = Coach.abstract = BackOffice.abstract = True
else:
    ArrivingNurse.abstract = True


_ENVIRONMENT: list[Any] = []


@events.init.add_listener
def _keep_environment(environment: Any, **_: Any) -> None:
    _ENVIRONMENT.append(environment)


@events.spawning_complete.add_listener
def _measure_after_warm_up(user_count: int, **_: Any) -> None:
    """The figures count from LOADTEST_WARMUP seconds after the last user has started.

    Before then every user's first page, each gunicorn worker's first requests (templates
    compiled, connections opened) and the spawning itself run at once: a start-up, not the
    steady state that the budget is about (the burst scenario measures an arrival).
    """
    if WARMUP > 0 and _ENVIRONMENT:
        gevent.spawn_later(WARMUP, _ENVIRONMENT[0].stats.reset_all)


def _merged_percentile(entries: list[Any], fraction: float) -> float:
    """A percentile over several request types: their response-time histograms merged."""
    merged: dict[int, int] = {}
    for entry in entries:
        for rounded, count in entry.response_times.items():
            merged[rounded] = merged.get(rounded, 0) + count
    total = sum(merged.values())
    seen = 0
    for rounded in sorted(merged):
        seen += merged[rounded]
        if seen >= fraction * total:
            return float(rounded)
    return 0.0


@events.quitting.add_listener
def check_budgets(environment: Any, **_: Any) -> None:
    stats = environment.stats
    work = [entry for (name, _method), entry in stats.entries.items() if name != LOGIN]
    failures = stats.total.num_failures
    elapsed = max(stats.total.last_request_timestamp - stats.total.start_time, 1e-9)
    rps = stats.total.num_requests / elapsed
    p95 = _merged_percentile(work, 0.95)
    rows = [
        {
            "name": name,
            "method": method,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / elapsed,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
        }
        for (name, method), entry in sorted(stats.entries.items())
    ]
    result = {
        "scenario": SCENARIO,
        "users": USERS,
        "requests": stats.total.num_requests,
        "seconds": elapsed,
        "rps": rps,
        "failures": failures,
        "work_p50": _merged_percentile(work, 0.5),
        "work_p95": p95,
        "work_p99": _merged_percentile(work, 0.99),
        "rows": rows,
        "errors": [
            {"name": e.name, "method": e.method, "error": str(e.error), "count": e.occurrences}
            for e in stats.errors.values()
        ],
    }
    problems = []
    if p95 >= P95_MS:
        problems.append(f"p95 {p95:.0f} ms >= {P95_MS:.0f}")
    if failures:
        problems.append(f"{failures} failed requests")
    print(
        f"LOADTEST: {SCENARIO}, {stats.total.num_requests} requests in {elapsed:.0f} s = "
        f"{rps:.1f} req/s; work requests p95 {p95:.0f} ms; {failures} failures"
    )
    print("LOADTEST_JSON " + json.dumps(result))
    if problems:
        print("LOADTEST BUDGET BROKEN: " + "; ".join(problems))
        environment.process_exit_code = 1
    else:
        environment.process_exit_code = 0
