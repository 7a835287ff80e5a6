"""What `make bench` measures: baselines, pages and jobs, against the generated scale data.

A page whose URL name does not exist (yet) is reported as not available and skipped, so the
list can name pages before the app that serves them has landed.
"""

import calendar
import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.measure import (
    BILLING_MAX_MB,
    BILLING_MAX_RATIO,
    BILLING_MAX_S,
    PDF_MAX_S,
    Row,
    in_child,
    timed,
)
from teams.models import CoachAssignment, Membership, Role, Team, User


class NotAvailable(Exception):
    """The page or job needs a model or service that has not landed."""


def model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError as exc:
        raise NotAvailable(label) from exc


def _busiest_nurse(team: Team, day: dt.date, *, most: bool) -> User:
    """The team's nurse with the most (or fewest, but some) visits on `day`, so that the big
    and the small data set both have rows: an empty list skips prefetch queries, which would
    make the query counts differ for a reason that is not an N+1."""
    members = Membership.objects.filter(team=team, ended_on__isnull=True).select_related("nurse")
    try:
        visit = model("scheduling.Visit")
    except NotAvailable:
        return members.order_by("seat").first().nurse
    counts = dict(
        visit.objects.filter(team=team, starts_at__date=day)
        .values_list("nurse_id")
        .annotate(n=Count("id"))
        .values_list("nurse_id", "n")
    )
    ranked = sorted(
        (m for m in members if counts.get(m.nurse_id)),
        key=lambda m: counts[m.nurse_id],
        reverse=most,
    )
    return (ranked[0] if ranked else members.order_by("seat").first()).nurse


@dataclass
class Context:
    """Users and records the benchmarks use: each with a big and a small variant."""

    admin: User
    back_office: User
    coach_big: User
    coach_small: User
    nurse_big: User
    nurse_small: User
    team_big: Team
    team_small: Team
    month_start: dt.date
    month_end: dt.date  # exclusive
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Context":
        teams = Team.objects.annotate(
            n=Count("memberships", filter=Q(memberships__ended_on__isnull=True))
        )
        team_big = teams.filter(n=12).order_by("pk").first() or teams.order_by("-n").first()
        team_small = teams.order_by("n", "pk").first()
        if team_big is None:
            raise SystemExit("No teams: run `manage.py generate_scale --teams N` first.")
        coach_big = (
            User.objects.filter(role=Role.COACH)
            .annotate(n=Count("coach_assignments"))
            .order_by("-n", "pk")
            .first()
        )
        coach_small, _ = User.objects.get_or_create(
            username="bench-coach-small", defaults={"role": Role.COACH}
        )
        for team in Team.objects.order_by("pk")[:2]:
            CoachAssignment.objects.get_or_create(coach=coach_small, team=team)
        today = dt.date.today()
        first = today.replace(day=1)
        month_start = (first - dt.timedelta(days=1)).replace(day=1)
        days = calendar.monthrange(month_start.year, month_start.month)[1]
        ctx = cls(
            admin=User.objects.get(username="scale-admin"),
            back_office=User.objects.get(username="scale-backoffice1"),
            coach_big=coach_big,
            coach_small=coach_small,
            nurse_big=_busiest_nurse(team_big, today, most=True),
            nurse_small=_busiest_nurse(team_small, today, most=False),
            team_big=team_big,
            team_small=team_small,
            month_start=month_start,
            month_end=month_start + dt.timedelta(days=days),
        )
        ctx.counts = {
            "teams": Team.objects.count(),
            "nurses": User.objects.filter(role=Role.NURSE).count(),
        }
        for label, key in [("clients.Client", "clients"), ("scheduling.Visit", "visits")]:
            try:
                ctx.counts[key] = model(label).objects.count()
            except NotAvailable:
                pass
        return ctx

    def describe(self) -> str:
        return ", ".join(f"{value:,} {key}" for key, value in self.counts.items()) + (
            f"; billing month {self.month_start:%Y-%m}"
        )

    def coverage_url(self, team: Team, days: int = 7) -> str:
        today = dt.date.today()
        monday = today - dt.timedelta(days=today.weekday())
        start = dt.datetime.combine(monday, dt.time(), tzinfo=dt.UTC)
        end = start + dt.timedelta(days=days)
        base = reverse("api-team-coverage", args=[team.public_id])
        return f"{base}?start={start.isoformat()}&end={end.isoformat()}".replace("+", "%2B")

    def client_with_record(self, team: Team, *, most: bool) -> Any:
        """The team's client with the most (or fewest, but some) problems and ratings, so the
        big and small client page differ in record size, not only in team."""
        ratings = model("clients.OutcomeRating")
        sizes = (
            ratings.objects.filter(client_problem__client__team=team)
            .values("client_problem__client")
            .annotate(n=Count("id"))
            .order_by("-n" if most else "n", "client_problem__client")
        )
        first = sizes.first()
        if first is None:
            raise NotAvailable("no rated clients")
        return model("clients.Client").objects.get(pk=first["client_problem__client"])

    def client_with_care(self, team: Team, *, most: bool) -> Any:
        """Issue 17's record: the team's client with medication and the most wound assessments
        and measurements, vs one with medication and no wound, so the two client pages differ
        in the medication, wound and measurement sections, not only in team."""
        clients = model("clients.Client").objects.filter(team=team, medications__isnull=False)
        if most:
            chosen = (
                clients.filter(wounds__isnull=False)
                .annotate(
                    n=Count("wounds__assessments", distinct=True)
                    + Count("measurements", distinct=True)
                )
                .order_by("-n", "pk")
                .first()
            )
        else:
            chosen = clients.filter(wounds__isnull=True).distinct().order_by("pk").first()
        if chosen is None:
            raise NotAvailable("no client with medication and wounds")
        return chosen


# ---- pages ---------------------------------------------------------------------------------


@dataclass
class PageSpec:
    name: str
    url: Callable[[Context], str]
    user: Callable[[Context], User] | None
    small_user: Callable[[Context], User] | None = None
    small_url: Callable[[Context], str] | None = None
    headers: dict[str, str] | None = None
    note: str = ""
    # run with the page's user before each timed request, untimed (e.g. to empty a cache)
    before: Callable[[User], None] | None = None


PAGES = [
    PageSpec("login page", lambda c: reverse("login"), None, note="anonymous"),
    PageSpec(
        "team list",
        lambda c: reverse("teams:team-list"),
        lambda c: c.admin,
        note="administrator, all teams, 50 a page",
    ),
    PageSpec(
        "team list (coach)",
        lambda c: reverse("teams:team-list"),
        lambda c: c.coach_big,
        small_user=lambda c: c.coach_small,
        note="coach of 50 teams vs 2",
    ),
    PageSpec(
        "team page",
        lambda c: c.team_big.get_absolute_url(),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        small_url=lambda c: c.team_small.get_absolute_url(),
        note="nurse, 12 vs 8 nurses",
    ),
    PageSpec(
        "nurse My day",
        lambda c: reverse("scheduling:my-day"),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
    ),
    PageSpec(
        "client list",
        lambda c: reverse("clients:client-list"),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        note="nurse, own team (active + discharged), 25 a page",
    ),
    PageSpec(
        "client list, status filter",
        lambda c: reverse("clients:client-list") + "?status=discharged",
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        note="nurse, discharged clients",
    ),
    PageSpec(
        "client list, search",
        lambda c: reverse("clients:client-list") + "?q=de&status=active",
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        note='nurse, "de" among active clients',
    ),
    PageSpec(
        "client list (back office)",
        lambda c: reverse("clients:client-list"),
        lambda c: c.back_office,
        note="back office, all clients, 25 a page",
    ),
    PageSpec(
        "client list, search (back office)",
        lambda c: reverse("clients:client-list") + "?q=jans",
        lambda c: c.back_office,
        note='back office, "jans" among all clients',
    ),
    PageSpec(
        "client page",
        lambda c: c.client_with_record(c.team_big, most=True).get_absolute_url(),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        small_url=lambda c: c.client_with_record(c.team_small, most=False).get_absolute_url(),
        note="nurse, the team's biggest record vs a smallest (problems + ratings)",
    ),
    PageSpec(
        "client page, medication and wounds",
        lambda c: c.client_with_care(c.team_big, most=True).get_absolute_url(),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        small_url=lambda c: c.client_with_care(c.team_small, most=False).get_absolute_url(),
        note="nurse, the client with most wound assessments + measurements vs medication only",
    ),
    PageSpec(
        "team planning week",
        lambda c: reverse("scheduling:planning"),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
    ),
    PageSpec(
        "team rota with coverage check",
        lambda c: reverse("scheduling:rota"),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        note="nurse, this week",
    ),
    PageSpec(
        "coverage check API",
        lambda c: c.coverage_url(c.team_big),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        small_url=lambda c: c.coverage_url(c.team_small),
        note="nurse, one week, JSON",
    ),
    PageSpec(
        "coverage check API, 28 days",
        lambda c: c.coverage_url(c.team_big, days=28),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        small_url=lambda c: c.coverage_url(c.team_small, days=28),
        note="nurse, issue #4's budget: one team over 28 days, JSON",
    ),
    PageSpec(
        "rota gaps page, next 28 days",
        lambda c: reverse("scheduling:coverage"),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        note="nurse",
    ),
    PageSpec(
        "visits API",
        lambda c: reverse("api-visit-list"),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        note="nurse, JSON, first page",
    ),
    PageSpec(
        "coach dashboard",
        lambda c: reverse("coaching:dashboard"),
        lambda c: c.coach_big,
        small_user=lambda c: c.coach_small,
        note="coach of 50 teams vs 2; figures cached since her last view",
    ),
    PageSpec(
        "coach dashboard, figures not cached",
        lambda c: reverse("coaching:dashboard"),
        lambda c: c.coach_big,
        small_user=lambda c: c.coach_small,
        note="the first view after a summary refresh: its figures as the refresh finished them",
        before=lambda user: _forget_dashboard_figures(user),  # (defined below)
    ),
    PageSpec(
        "team figures",
        lambda c: reverse("coaching:team-dashboard"),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
    ),
    PageSpec(
        "audit-log list",
        lambda c: reverse("audit:log"),
        lambda c: c.admin,
        note="administrator",
    ),
    PageSpec(
        "API client list",
        lambda c: reverse("api-client-list"),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        note="nurse, JSON, first page of 50",
    ),
    PageSpec(
        "API client list (back office)",
        lambda c: reverse("api-client-list") + "?status=active",
        lambda c: c.back_office,
        note="back office, all active clients, JSON",
    ),
    PageSpec(
        "billing runs",
        lambda c: reverse("billing:run-list"),
        lambda c: c.back_office,
        note="back office",
    ),
    PageSpec(
        "billing run page",
        lambda c: _national_run(c).get_absolute_url(),
        lambda c: c.back_office,
        note="back office, the month's run for all insurers (kept pre-flight list)",
    ),
    PageSpec(
        "reports",
        lambda c: reverse("reports:report-list"),
        lambda c: c.back_office,
        note="back office",
    ),
    PageSpec(
        "client reports timeline",
        lambda c: _timeline_url(c.team_big, most=True),
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        small_url=lambda c: _timeline_url(c.team_small, most=False),
        note="nurse, the long-stay client's 2 years of reports vs a client with a few",
    ),
    PageSpec(
        "handover",
        lambda c: reverse("carenotes:handover") + "?since=24h",
        lambda c: c.nurse_big,
        small_user=lambda c: c.nurse_small,
        note="nurse, her team's last 24 hours",
    ),
]


def _timeline_url(team: Team, *, most: bool) -> str:
    """The timeline of the team's client with the most (or fewest, but some) reports."""
    reports = model("carenotes.CareReport")
    sizes = (
        reports.objects.filter(client__team=team)
        .values("client")
        .annotate(n=Count("id"))
        .order_by("-n" if most else "n", "client")
    )
    first = sizes.first()
    if first is None:
        raise NotAvailable("no reports")
    client = model("clients.Client").objects.get(pk=first["client"])
    return reverse("carenotes:timeline", args=[client.public_id])


def _forget_dashboard_figures(coach: User) -> None:
    """Empty the cache of the coach's teams' figures for the dashboard's default period."""
    from django.core.cache import cache
    from django.utils import timezone

    from coaching.figures import default_period, figures_cache_keys
    from coaching.selectors import figures_team_list_visible

    today = timezone.localdate()
    teams = figures_team_list_visible(user=coach)
    start, end = default_period(today)
    cache.delete_many(list(figures_cache_keys(teams, start, end, today).values()))


# ---- baselines -----------------------------------------------------------------------------


@dataclass
class Baseline:
    name: str
    fn: Callable[[Context], Row]

    def run(self, ctx: Context) -> Row:
        try:
            return self.fn(ctx)
        except NotAvailable as exc:
            return Row(self.name, "baseline", note=f"not available: {exc}")


def noop_view(ctx: Context) -> Row:
    client = Client()
    url = reverse("bench-noop")
    row = Row("view that makes no query", "baseline", note="anonymous")
    row.times = timed(lambda: client.get(url), 200, 20)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    row.queries = len(captured)
    return row


def _month_sql(ctx: Context) -> str:
    return f"starts_at >= '{ctx.month_start.isoformat()}' AND starts_at < '{ctx.month_end}'"


@contextmanager
def worker_parallelism() -> Iterator[None]:
    """The raw baselines run as background jobs do, with PostgreSQL's parallel workers (web
    connections start without: buurtzorg.celery.batch_database_settings)."""
    workers = str(settings.DB_BATCH_PARALLEL_WORKERS_PER_GATHER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('max_parallel_workers_per_gather', %s, false)", [workers])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")


def copy_visits(ctx: Context) -> Row:
    table = model("scheduling.Visit")._meta.db_table
    row = Row("raw COPY of the month's visits TO STDOUT", "baseline")
    size = 0

    def copy() -> None:
        nonlocal size
        size = 0
        with connection.cursor() as cursor:
            sql = f'COPY (SELECT * FROM "{table}" WHERE {_month_sql(ctx)}) TO STDOUT'  # noqa: S608
            with cursor.cursor.copy(sql) as copy:
                for block in copy:
                    size += len(block)

    with worker_parallelism():
        row.times = timed(copy, 3, 1)
    row.note = f"{size / 2**20:,.0f} MB"
    return row


def billing_aggregate_sql(ctx: Context) -> str:
    visit = model("scheduling.Visit")._meta.db_table
    service = model("scheduling.VisitService")._meta.db_table
    client = model("clients.Client")._meta.db_table
    return f"""
        SELECT c.insurer_id, vs.service_id, count(*), sum(vs.minutes)
        FROM "{service}" vs
        JOIN "{visit}" v ON v.id = vs.visit_id
        JOIN "{client}" c ON c.id = v.client_id
        WHERE v.{_month_sql(ctx)}
        GROUP BY c.insurer_id, vs.service_id
    """  # noqa: S608


def billing_aggregate(ctx: Context) -> Row:
    sql = billing_aggregate_sql(ctx)
    row = Row("raw SQL aggregate behind billing", "baseline", note="all insurers, one month")

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()

    with worker_parallelism():
        row.times = timed(run, 3, 1)
    return row


def static_table_html(pages: int = 50) -> str:
    rows = "".join(
        f"<tr><td>{i}</td><td>Client {i}</td><td>2026-10-{i % 28 + 1:02d}</td>"
        f"<td>SC-PV</td><td>{15 + i % 30}</td><td>{(15 + i % 30) * 1.1:.2f}</td></tr>"
        for i in range(pages * 33)
    )
    return (
        "<html><head><style>@page{size:A4;margin:15mm} body{font:9pt sans-serif}"
        "td,th{border-bottom:1px solid #ccc;padding:1.6mm 2mm}</style></head><body>"
        "<h1>Static table</h1><table><thead><tr><th>#</th><th>Client</th><th>Date</th>"
        "<th>Service</th><th>Minutes</th><th>Amount</th></tr></thead><tbody>"
        f"{rows}</tbody></table></body></html>"
    )


def weasyprint_static(ctx: Context) -> Row:
    from weasyprint import HTML

    html = static_table_html()
    row = Row("bare WeasyPrint render of a static 50-page table", "baseline")
    pages = 0

    def render() -> None:
        nonlocal pages
        document = HTML(string=html).render()
        pages = len(document.pages)
        document.write_pdf(io.BytesIO())

    row.times = timed(render, 1, 0)
    row.note = f"{pages} pages"
    if not 45 <= pages <= 60:
        row.problems.append(f"rendered {pages} pages, not about 50")
    if row.p50 > PDF_MAX_S:
        row.problems.append(f"{row.p50:.1f} s > {PDF_MAX_S} s")
    return row


BASELINES = [
    Baseline("view that makes no query", noop_view),
    Baseline("raw COPY of the month's visits TO STDOUT", copy_visits),
    Baseline("raw SQL aggregate behind billing", billing_aggregate),
    Baseline("bare WeasyPrint render of a static 50-page table", weasyprint_static),
]


def _national_run(ctx: Context) -> Any:
    from scheduling.billing.models import BillingRun

    run = BillingRun.objects.filter(period=ctx.month_start, insurer=None).first()
    if run is None:
        raise NotAvailable("no billing run yet (the billing job makes it)")
    return run


# ---- jobs ----------------------------------------------------------------------------------


@dataclass
class Job:
    name: str
    prepare: Callable[[Context], Callable[[], Any]]
    check: Callable[[Row, list[Row]], None] | None = None
    note: str = ""

    def run(self, ctx: Context, rows: list[Row]) -> Row | None:
        try:
            fn = self.prepare(ctx)
        except (NotAvailable, ImportError, AttributeError) as exc:
            print(f"  {self.name}: not available yet ({exc})")
            return None
        seconds, peak_mb, error = in_child(fn)
        row = Row(self.name, "job", times=[seconds], peak_mb=peak_mb, note=self.note)
        if error:
            row.problems.append(error)
        if self.check:
            self.check(row, rows)
        return row


def _baseline(rows: list[Row], prefix: str) -> float | None:
    found = next((r for r in rows if r.name.startswith(prefix) and r.times), None)
    return found.p50 if found else None


def billing_check(row: Row, rows: list[Row]) -> None:
    seconds = row.times[0]
    if seconds > BILLING_MAX_S:
        row.problems.append(f"{seconds:.1f} s > {BILLING_MAX_S} s")
    aggregate = _baseline(rows, "raw SQL aggregate")
    copy = _baseline(rows, "raw COPY")
    if aggregate is not None and copy is not None:
        ratio = seconds / (aggregate + copy)
        row.note += f"{'; ' if row.note else ''}{ratio:.1f}× (aggregate + COPY)"
        if ratio > BILLING_MAX_RATIO:
            row.problems.append(f"{ratio:.1f}× baseline > {BILLING_MAX_RATIO}×")
    if row.peak_mb and row.peak_mb > BILLING_MAX_MB:
        row.problems.append(f"{row.peak_mb:.0f} MB > {BILLING_MAX_MB} MB")


def pdf_check(row: Row, rows: list[Row]) -> None:
    if row.times[0] > PDF_MAX_S:
        row.problems.append(f"{row.times[0]:.1f} s > {PDF_MAX_S} s")


def billing_job(ctx: Context) -> Callable[[], Any]:
    from scheduling.billing.models import BillingRun
    from scheduling.billing.services import billing_run_request

    BillingRun.objects.filter(period=ctx.month_start).delete()  # a rerun starts from scratch

    def run() -> None:
        # No REDIS_URL in bench settings: the build task runs eagerly on commit, in this
        # child, so the time covers the whole run: aggregate, lines, invoices, CSV and PDF.
        # The pre-flight check it queues after is its own job (timed in the next row).
        settings.BILLING_CHECK_AFTER_BUILD = False  # (in the forked child only)
        request = billing_run_request(period=ctx.month_start, insurer=None, actor=ctx.back_office)
        request.run.refresh_from_db()
        if request.run.status not in ("draft", "done", "finalised"):
            raise RuntimeError(f"billing run ended {request.run.status}: {request.run.error}")
        print(
            f"    billing run: {request.run.visit_count:,} visits, {request.run.line_count:,} "
            f"lines, {request.run.files_total} files, total {request.run.total_amount:,}"
        )

    return run


def preflight_job(ctx: Context) -> Callable[[], Any]:
    from scheduling.billing.services import billing_run_check

    run = _national_run(ctx)

    def check() -> None:
        checked = billing_run_check(billing_run_id=run.pk)
        print(f"    pre-flight: {len(checked.preflight)} problem lines kept")

    return check


def outcome_report_job(ctx: Context) -> Callable[[], Any]:
    from omaha.reports.models import OutcomeReport, ReportScope
    from omaha.reports.services import outcome_report_request

    def run() -> None:
        report = outcome_report_request(
            actor=ctx.back_office,
            scope=ReportScope.ORGANISATION,
            period_start=ctx.month_start - dt.timedelta(days=365),
            period_end=ctx.month_end - dt.timedelta(days=1),
        )
        report = OutcomeReport.objects.get(pk=report.pk)
        if report.status in ("failed", "pending"):
            raise RuntimeError(f"outcome report ended {report.status}")

    return run


# Lines that fill 50 A4 pages of the invoice appendix (APPENDIX_ROWS_PER_PAGE = 50 a page).
INVOICE_PDF_LINES = 2_500


def invoice_pdf_job(ctx: Context) -> Callable[[], Any]:
    """Our invoice template with a 50-page appendix, rendered as the billing run renders it.

    A real invoice shows the appendix up to APPENDIX_MAX_LINES (2,500 lines, 50 pages) and
    refers to the CSV and declaration file beyond that: this is the longest invoice PDF the
    billing run makes, set beside the bare 50-page baseline.
    """
    from scheduling.billing import files
    from scheduling.billing.declaration import DeclarationLine, InsurerInvoice

    period = ctx.month_start
    lines = [
        DeclarationLine(
            line_number=i + 1,
            client_ref=f"client-{i}",
            bsn=f"{100_000_000 + i * 11:09d}",
            policy_number=f"P{i:09d}",
            date_of_birth=dt.date(1940 + i % 50, 1 + i % 12, 1 + i % 28),
            client_name=f"Jansen-de Vries {chr(65 + i % 26)}.",
            service_code="EXV1" if i % 3 else "EXP1",
            service_name="Nursing (example)" if i % 3 else "Personal care (example)",
            period=period,
            minutes=60 + i % 90,
            units=12 + i % 18,
            hourly_rate=Decimal("78.35"),
            amount=(Decimal("78.35") * (12 + i % 18) / 12).quantize(Decimal("0.01")),
        )
        for i in range(INVOICE_PDF_LINES)
    ]
    invoice = InsurerInvoice(
        organisation_name="Buurtzorg (bench)",
        sender_agb="12345678",
        insurer_name="Bench insurer",
        uzovi="3311",
        period=period,
        invoice_number="BENCH-1",
        invoice_date=files.default_invoice_date(period),
        lines=lines,
    )

    def run() -> None:
        pdf = files.invoice_pdf_bytes(invoice)
        print(f"    invoice PDF: {len(lines):,} lines, {len(pdf) / 1e6:.1f} MB")

    return run


JOBS: list[Job] = [
    Job(
        "billing run, one month, all insurers",
        billing_job,
        billing_check,
        note="eager: aggregate, lines, invoices, CSV + PDF",
    ),
    Job(
        "pre-flight check of that run",
        preflight_job,
        note="its own task after the build: every check over the whole month",
    ),
    Job("outcome report, whole organisation, 1 year", outcome_report_job),
    Job(
        "invoice PDF (WeasyPrint), 50 pages: our template",
        invoice_pdf_job,
        pdf_check,
        note=f"{INVOICE_PDF_LINES:,} appendix lines: 51 A4 pages",
    ),
]
