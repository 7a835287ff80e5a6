"""Reads of the billing app: who sees runs and files, and the pre-flight check of a run.

Billing data (BSNs, policy numbers, amounts) is for the back office only: everyone else gets
404 from these selectors, on pages, in the API and for downloads alike.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractYear, Length, TruncDate
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from buurtzorg.l10n import format_number
from clients.models import POLICY_NUMBER_LENGTH, CareIndication, Client, Insurer
from scheduling.billing import aggregation
from scheduling.billing.models import (
    BillingRun,
    Contract,
    InvoiceLine,
    LineKind,
    RunFile,
    RunStatus,
    Tariff,
)
from scheduling.billing.vektis.codes import service_code_for
from scheduling.models import CareService, Visit, VisitService, VisitStatus
from teams.models import Role, User
from teams.selectors import organisation_details

BILLING_ROLES = (Role.BACK_OFFICE,)
EXAMPLES_PER_CHECK = 20


def user_bills(*, user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in BILLING_ROLES)


def billing_run_list_visible(*, user: User) -> QuerySet[BillingRun]:
    runs = BillingRun.objects.select_related("insurer", "requested_by", "finalised_by")
    return runs if user_bills(user=user) else runs.none()


def billing_run_get_visible(*, user: User, public_id: UUID | str) -> BillingRun:
    return get_object_or_404(billing_run_list_visible(user=user), public_id=public_id)


def run_file_get_visible(*, user: User, public_id: UUID | str) -> RunFile:
    files = RunFile.objects.select_related("run", "insurer")
    if not user_bills(user=user):
        files = files.none()
    return get_object_or_404(files, public_id=public_id)


def run_files(*, run: BillingRun) -> QuerySet[RunFile]:
    return run.files.select_related("insurer").order_by("insurer__name", "kind")


# Insurers and care services: what billing and the client register need, kept by the back
# office and administrators (organisation set-up); not client data.
CATALOGUE_ROLES = (Role.BACK_OFFICE, Role.ADMIN)


def user_keeps_catalogue(*, user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in CATALOGUE_ROLES)


def insurer_list_visible(*, user: User) -> QuerySet[Insurer]:
    insurers = Insurer.objects.order_by("name", "uzovi")
    return insurers if user_keeps_catalogue(user=user) else insurers.none()


def insurer_get_visible(*, user: User, public_id: UUID | str) -> Insurer:
    return get_object_or_404(insurer_list_visible(user=user), public_id=public_id)


def care_service_list_visible(*, user: User) -> QuerySet[CareService]:
    services = CareService.objects.order_by("code")
    return services if user_keeps_catalogue(user=user) else services.none()


def care_service_get_visible(*, user: User, pk: int) -> CareService:
    return get_object_or_404(care_service_list_visible(user=user), pk=pk)


@dataclass(frozen=True)
class CareServiceRow:
    """A care service with what the official code list says of its code this year."""

    service: CareService
    code_list: int | None  # AANDUIDING PRESTATIECODELIJST, None: not in the list this year
    official_name: str


def care_service_rows(services: QuerySet[CareService], *, year: int) -> list[CareServiceRow]:
    rows = []
    for service in services:
        listed = service_code_for(service.code, year)
        rows.append(
            CareServiceRow(
                service=service,
                code_list=listed.code_list if listed else None,
                official_name=listed.name if listed else "",
            )
        )
    return rows


def contract_list_visible(*, user: User) -> QuerySet[Contract]:
    contracts = Contract.objects.select_related("insurer").prefetch_related(
        "tariffs__service", "tariffs__set_by"
    )
    # Contracts and tariffs are set-up data (no client in them): back office and administrators.
    return contracts if user_keeps_catalogue(user=user) else contracts.none()


def contract_get_visible(*, user: User, public_id: UUID | str) -> Contract:
    return get_object_or_404(contract_list_visible(user=user), public_id=public_id)


def contract_tariff_history(*, contract: Contract) -> QuerySet[Tariff]:
    """Every tariff of the contract, old ones too: per service, in the order they applied."""
    return contract.tariffs.select_related("service", "set_by").order_by(
        "service__code", "valid_from"
    )


def run_service_summary(*, run: BillingRun) -> list[dict]:
    """Totals per insurer, service and kind for the run page: kept on the run since it was
    built; grouped from the lines (SQL) for a run built before it kept them."""
    if run.summary or not run.line_count:
        return [{**row, "amount": Decimal(row["amount"])} for row in run.summary]
    return [
        dict(row)
        for row in run.lines.values("insurer__name", "insurer__uzovi", "service_code", "kind")
        .annotate(lines=Count("id"), units=Sum("units"), amount=Sum("amount"))
        .order_by("insurer__name", "kind", "service_code")
    ]


# --- pre-flight -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing to fix before the run can be finalised, in plain language, with a link."""

    code: str
    message: str
    link: str = ""
    link_label: str = ""
    blocking: bool = True


def _client_link(client_public_id: UUID) -> str:
    """The client's page, where the back office corrects administrative data."""
    try:
        return reverse("clients:client-detail", args=[client_public_id])
    except NoReverseMatch:  # the clients pages are not installed
        return ""


def _visit_link(visit: Visit) -> str:
    getter = getattr(visit, "get_absolute_url", None)
    try:
        return getter() if getter else ""
    except Exception:  # noqa: BLE001 - a missing page must not break the check
        return ""


def _more(code: str, total: int, what: str) -> list[Problem]:
    """`what` is a translated phrase ("clients without a BSN")."""
    if total <= EXAMPLES_PER_CHECK:
        return []
    message = gettext("… and %(count)s more %(what)s.") % {
        "count": total - EXAMPLES_PER_CHECK,
        "what": what,
    }
    return [Problem(code=code, message=message)]


def _scope_visits(run: BillingRun) -> QuerySet[Visit]:
    start, end = aggregation.month_bounds(run.period)
    return Visit.objects.effective().filter(
        aggregation.scope_filter(run.insurer),
        starts_at__gte=start,
        starts_at__lt=end,
    )


def _billable_scope_visits(run: BillingRun) -> QuerySet[Visit]:
    billable = VisitService.objects.filter(visit=OuterRef("pk"), service__is_billable=True)
    return _scope_visits(run).filter(Exists(billable))


def _fmt_day(moment: dt.datetime) -> str:
    """Date and time in the active language: "2 dec. 2026 14:30", "2 Dec 2026 14:30"."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def declaration_field_overflows(clients: QuerySet[Client]) -> list[Problem]:
    """Clients whose policy number does not fit the declaration file's field: a flag to fix
    before finalising, rather than a declaration the insurer rejects (the client record's check
    constraint refuses such numbers now; this catches any that got in another way)."""
    too_long = clients.annotate(policy_length=Length("policy_number")).filter(
        policy_length__gt=POLICY_NUMBER_LENGTH
    )
    found = list(too_long[: EXAMPLES_PER_CHECK + 1])  # one query when there are few
    total = too_long.count() if len(found) > EXAMPLES_PER_CHECK else len(found)
    return [
        Problem(
            code="policy_number_too_long",
            message=gettext(
                "%(client)s's policy number has more than %(length)s characters; the "
                "declaration file cannot hold it."
            )
            % {"client": c.full_name, "length": POLICY_NUMBER_LENGTH},
            link=_client_link(c.public_id),
            link_label=gettext("Open client"),
        )
        for c in found[:EXAMPLES_PER_CHECK]
    ] + _more("policy_number_too_long", total, gettext("clients with a too long policy number"))


def billing_run_preflight(*, run: BillingRun) -> list[Problem]:
    """Every problem that would make the declaration wrong or rejected, each with a fix link.

    A fixed number of queries, whatever the size of the month; each check lists at most
    EXAMPLES_PER_CHECK examples and then says how many more there are.
    """
    problems: list[Problem] = []
    visits = _billable_scope_visits(run).filter(billed_at__isnull=True)
    year = run.period.year
    clients = Client.objects.filter(Exists(visits.filter(client=OuterRef("pk")))).select_related(
        "insurer"
    )

    # 1. Client data an insurer needs.
    for field, code, template, what in (
        (
            "bsn",
            "missing_bsn",
            gettext("%(client)s has no BSN; the insurer will reject the line."),
            gettext("clients without a BSN"),
        ),
        (
            "policy_number",
            "missing_policy_number",
            gettext("%(client)s has no policy number; the insurer will reject the line."),
            gettext("clients without a policy number"),
        ),
    ):
        missing = clients.filter(Q(**{field: ""}) | Q(**{f"{field}__isnull": True}))
        total = missing.count()
        problems += [
            Problem(
                code=code,
                message=template % {"client": c.full_name},
                link=_client_link(c.public_id),
                link_label=gettext("Open client"),
            )
            for c in missing[:EXAMPLES_PER_CHECK]
        ] + _more(code, total, what)

    problems += declaration_field_overflows(clients)

    insurer_ids = clients.values("insurer_id")
    for insurer in Insurer.objects.filter(pk__in=insurer_ids).exclude(uzovi__regex=r"^[0-9]{4}$"):
        problems.append(
            Problem(
                code="missing_uzovi",
                message=gettext("Insurer %(insurer)s has no valid 4-digit UZOVI code.")
                % {"insurer": insurer.name},
                link=reverse("billing:contract-list"),
                link_label=gettext("Insurers and contracts"),
            )
        )

    # 2. Contracts and tariffs for every insurer and service billed, per year of care: a
    #    January run that redoes a closed December prices those lines with last year's
    #    contract, so that contract must hold a tariff for each service too, valid on the
    #    date of each visit.
    needed: dict[int, set[tuple[int, int]]] = {
        year: set(
            VisitService.objects.filter(visit__in=visits, service__is_billable=True)
            .values_list("visit__client__insurer_id", "service_id")
            .distinct()
        )
    }
    redone = _correction_months_by_year(run)
    for earlier_year, months in redone.items():
        if earlier_year == year:
            continue
        needed.setdefault(earlier_year, set()).update(
            VisitService.objects.filter(
                months,
                visit__in=Visit.objects.effective(),
                service__is_billable=True,
            )
            .values_list("visit__client__insurer_id", "service_id")
            .distinct()
        )
    years = sorted(needed)
    contracts = {
        (c.year, c.insurer_id): c
        for c in Contract.objects.filter(year__in=years).select_related("insurer")
    }
    insurers = Insurer.objects.in_bulk({i for pairs in needed.values() for i, _ in pairs})
    for care_year in years:
        for insurer_id in sorted({i for i, _ in needed[care_year]}):
            if (care_year, insurer_id) in contracts or insurer_id not in insurers:
                continue
            insurer = insurers[insurer_id]
            problems.append(
                Problem(
                    code="no_contract",
                    message=gettext(
                        "There is no %(year)s contract with %(insurer)s; its lines for care "
                        "in %(year)s cannot be priced."
                    )
                    % {"year": care_year, "insurer": insurer.name},
                    link=reverse("billing:contract-create")
                    + f"?insurer={insurer.uzovi}&year={care_year}",
                    link_label=gettext("Add contract"),
                )
            )

    problems += _visits_without_tariff(visits, redone)

    # 3. Visits that cannot be billed as they are.
    without_service = (
        _scope_visits(run)
        .filter(billed_at__isnull=True)
        .exclude(Exists(VisitService.objects.filter(visit=OuterRef("pk"))))
        .select_related("client")
        .order_by("starts_at")
    )
    problems += _visit_problems(
        without_service,
        "visit_without_service",
        gettext("The visit to %(client)s on %(when)s has no service, so its time is not billed."),
        gettext("visits without a service"),
    )
    day = TruncDate("starts_at")
    covering = CareIndication.objects.filter(
        client=OuterRef("client_id"), valid_from__lte=OuterRef("day")
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=OuterRef("day")))
    outside = (
        visits.annotate(day=day)
        .exclude(Exists(covering))
        .select_related("client")
        .order_by("starts_at")
    )
    problems += _visit_problems(
        outside,
        "outside_indication",
        gettext(
            "The visit to %(client)s on %(when)s is outside every care indication of the client."
        ),
        gettext("visits outside an indication"),
    )
    after = (
        visits.filter(client__discharged_on__isnull=False)
        .annotate(day=day)
        .filter(client__discharged_on__lt=day)
        .select_related("client")
        .order_by("starts_at")
    )
    problems += _visit_problems(
        after,
        "after_discharge",
        gettext("The visit to %(client)s on %(when)s is after the client's discharge."),
        gettext("visits after discharge"),
    )

    problems += _logging_problems(run, visits, clients)

    # 4. Lines billed twice: the same client, service and day (or month line) debited in
    #    another run (draft or finalised) without a credit in this run.
    if run.status in (RunStatus.DRAFT, RunStatus.FINALISED):
        other = InvoiceLine.objects.filter(
            client=OuterRef("client"),
            service=OuterRef("service"),
            period=OuterRef("period"),
            service_date=OuterRef("service_date"),
            kind=LineKind.DEBIT,
            run__status__in=(RunStatus.DRAFT, RunStatus.FINALISED),
            # a line the insurer rejected is not billed: declaring it again is no duplicate
            rejections__isnull=True,
        ).exclude(run=run)
        # a correction credits the month's billed lines and bills its days again
        credited = InvoiceLine.objects.filter(
            run=run,
            client=OuterRef("client"),
            service=OuterRef("service"),
            period=OuterRef("period"),
            kind=LineKind.CREDIT,
        )
        duplicates = (
            run.lines.filter(kind=LineKind.DEBIT)
            .filter(Exists(other))
            .exclude(Exists(credited))
            .select_related("client")
            .order_by("line_number")
        )
        total = duplicates.count()
        problems += [
            Problem(
                code="duplicate_line",
                message=gettext(
                    "Line %(line)s bills %(service)s for %(client)s on %(when)s, which "
                    "another run bills too."
                )
                % {
                    "line": ln.line_number,
                    "service": ln.service_code,
                    "client": ln.client.full_name,
                    "when": (
                        formats.date_format(ln.service_date)
                        if ln.service_date
                        else formats.date_format(ln.period, "YEAR_MONTH_FORMAT")
                    ),
                },
                link=_client_link(ln.client.public_id),
                link_label=gettext("Open client"),
            )
            for ln in duplicates[:EXAMPLES_PER_CHECK]
        ] + _more("duplicate_line", total, gettext("duplicate lines"))

        years = sorted({d.year for d in run.lines.values_list("period", flat=True).distinct()})
        if len(years) > 1:
            problems.append(
                Problem(
                    code="two_years",
                    message=gettext(
                        "This run holds care from %(years)s. Insurers expect one calendar year "
                        "per declaration; check the corrections for the earlier year with the "
                        "insurer."
                    )
                    % {"years": gettext(" and ").join(map(str, years))},
                    link=reverse("billing:run-detail", args=[run.public_id]) + "#lines",
                    link_label=gettext("See lines"),
                    blocking=False,
                )
            )
        if run.unpriced_count:
            problems.append(
                Problem(
                    code="unpriced",
                    message=gettext(
                        "%(count)s client/service groups were left out for want of a tariff; "
                        "add the tariffs and run again."
                    )
                    % {"count": run.unpriced_count},
                    link=reverse("billing:contract-list"),
                    link_label=gettext("Contracts"),
                )
            )
        if run.status == RunStatus.DRAFT:
            covered = run.visit_count
            now_billable = visits.count()
            if now_billable > covered:
                problems.append(
                    Problem(
                        code="stale_draft",
                        message=gettext(
                            "%(count)s visit(s) were logged after this draft was made; run it "
                            "again to include them (otherwise they follow as late entries in a "
                            "later run)."
                        )
                        % {"count": now_billable - covered},
                        link=reverse("billing:run-list"),
                        link_label=gettext("Run again"),
                        blocking=False,
                    )
                )
    # The declaration file's own rules: open rejections, service codes (billing.vektis).
    from scheduling.billing.vektis.checks import vektis_preflight  # cycle: it builds Problems

    problems += vektis_preflight(run, Problem)
    return problems


def _logging_problems(
    run: BillingRun, visits: QuerySet[Visit], clients: QuerySet[Client]
) -> list[Problem]:
    """What makes the month's care untrue or incomplete (issue 19, item 5): visits still
    planned, visits logged before they started or lying in the future, clients over their
    indicated hours, indications that ran out, and our own AGB code not set."""
    problems: list[Problem] = []
    now = timezone.now()
    tolerance = dt.timedelta(minutes=int(getattr(settings, "VISIT_DONE_TOLERANCE_MINUTES", 15)))
    start, end = aggregation.month_bounds(run.period)

    organisation = organisation_details()
    if not organisation.agb_is_set:
        problems.append(
            Problem(
                code="missing_agb",
                message=gettext(
                    "Our organisation's AGB code is not set; every declaration line needs it."
                ),
                blocking=True,
                link=reverse("teams:organisation"),
                link_label=gettext("Organisation details"),
            )
        )
    elif not organisation.is_complete:
        problems.append(
            Problem(
                code="organisation_incomplete",
                message=gettext(
                    "The organisation's details are incomplete (name, address, KvK number or "
                    "IBAN): the invoices would miss them."
                ),
                blocking=True,
                link=reverse("teams:organisation"),
                link_label=gettext("Organisation details"),
            )
        )

    not_logged = (
        Visit.objects.filter(  # never `effective()`: a planned row does not count, by definition
            aggregation.scope_filter(run.insurer),
            starts_at__gte=start,
            starts_at__lt=min(end, now),
            status__in=(VisitStatus.PLANNED, VisitStatus.IN_PROGRESS),
        )
        .select_related("client")
        .order_by("starts_at")
    )
    problems += _visit_problems(
        not_logged,
        "planned_not_logged",
        gettext(
            "The visit to %(client)s on %(when)s was planned but is not logged: log it or "
            "cancel it."
        ),
        gettext("planned visits not logged"),
        blocking=False,
    )
    ahead = (
        visits.filter(
            Q(starts_at__gt=now + tolerance) | Q(logged_at__lt=F("starts_at") - tolerance)
        )
        .select_related("client")
        .order_by("starts_at")
    )
    problems += _visit_problems(
        ahead,
        "logged_ahead",
        gettext(
            "The visit to %(client)s on %(when)s was logged before it started or lies in the "
            "future; check it with the nurse."
        ),
        gettext("visits logged ahead of time"),
    )

    # Indicated hours: the indication in force at the month's start (or the first one that
    # begins in the month), as weekly hours times the month's weeks.
    days = (end - start).days
    indication = CareIndication.objects.filter(
        client=OuterRef("pk"), valid_from__lt=end.date()
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start.date()))
    used = (
        VisitService.objects.filter(
            visit__in=_billable_scope_visits(run),
            visit__client=OuterRef("pk"),
            service__is_billable=True,
        )
        .values("visit__client")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    over = (
        clients.annotate(
            weekly_hours=Subquery(indication.order_by("valid_from").values("hours_per_week")[:1]),
            used_minutes=Subquery(used),
        )
        .filter(weekly_hours__isnull=False, used_minutes__isnull=False)
        .filter(used_minutes__gt=F("weekly_hours") * 60 * days / 7)
        .order_by("last_name", "id")
    )
    total = over.count()
    problems += [
        Problem(
            code="over_indication",
            message=gettext(
                "%(client)s received %(used)s hours this month, more than the indication "
                "allows (%(weekly)s hours a week)."
            )
            % {
                "client": c.full_name,
                "used": format_number(c.used_minutes / 60, 1),
                "weekly": format_number(c.weekly_hours, 2),
            },
            link=_client_link(c.public_id),
            link_label=gettext("Open client"),
            blocking=False,
        )
        for c in over[:EXAMPLES_PER_CHECK]
    ] + _more("over_indication", total, gettext("clients over their indication"))

    still_valid = CareIndication.objects.filter(client=OuterRef("pk")).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=(end - dt.timedelta(days=1)).date())
    )
    expired = (
        clients.filter(Exists(CareIndication.objects.filter(client=OuterRef("pk"))))
        .exclude(Exists(still_valid))
        .annotate(last_until=Max("indications__valid_until"))
        .order_by("last_name", "id")
    )
    total = expired.count()
    problems += [
        Problem(
            code="expired_indication",
            message=gettext(
                "%(client)s's indication ended on %(date)s; ask for a new indication before "
                "billing more care."
            )
            % {
                "client": c.full_name,
                "date": formats.date_format(c.last_until, "SHORT_DATE_FORMAT"),
            },
            link=_client_link(c.public_id),
            link_label=gettext("Open client"),
        )
        for c in expired[:EXAMPLES_PER_CHECK]
    ] + _more("expired_indication", total, gettext("clients with an expired indication"))
    return problems


def _correction_months_by_year(run: BillingRun) -> dict[int, Q]:
    """Closed months this run redoes, as a VisitService filter per year of care."""
    clients_by_month: dict[dt.date, list[int]] = {}
    for client_id, month in aggregation.correction_pairs(period=run.period, insurer=run.insurer):
        clients_by_month.setdefault(month, []).append(client_id)
    by_year: dict[int, Q] = {}
    for month, client_ids in sorted(clients_by_month.items()):
        start, end = aggregation.month_bounds(month)
        condition = Q(visit__client_id__in=client_ids, visit__starts_at__gte=start) & Q(
            visit__starts_at__lt=end
        )
        by_year[month.year] = by_year.get(month.year, Q()) | condition
    return by_year


def _visits_without_tariff(visits: QuerySet[Visit], redone_months: dict[int, Q]) -> list[Problem]:
    """Visits (of the month, and of the closed months the run redoes) with a billable service
    that no tariff prices: the contract of the client's insurer for the year of care exists,
    but none of its tariffs for the service is valid on the visit's date of service. Billing
    would leave that time out (aggregation prices each visit at the tariff of its date).
    Two queries, whatever the size of the month: PostgreSQL answers both EXISTS as hash
    (anti) joins on a few dozen tariffs."""
    redone = Q()
    for condition in redone_months.values():
        redone |= condition
    scope = Q(visit__in=visits)
    if redone:
        scope |= Q(redone, visit__in=Visit.objects.effective())
    tz = ZoneInfo(settings.TIME_ZONE)
    insurer, day, year = OuterRef("visit__client__insurer_id"), OuterRef("day"), OuterRef("year")
    valid = Tariff.objects.filter(
        contract__insurer=insurer,
        contract__year=year,
        service=OuterRef("service_id"),
        valid_from__lte=day,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    unpriced = (
        VisitService.objects.filter(scope, service__is_billable=True)
        .annotate(
            day=aggregation.service_day(),
            year=ExtractYear("visit__starts_at", tzinfo=tz),
        )
        # without any contract that year, "no contract" above says it once per insurer
        .filter(Exists(Contract.objects.filter(insurer=insurer, year=year)))
        .exclude(Exists(valid))
        .select_related("visit__client__insurer", "service")
        .order_by("visit__starts_at", "service__code")
    )
    total = unpriced.count()
    if not total:
        return []
    examples = list(unpriced[:EXAMPLES_PER_CHECK])
    contracts = {
        (c.insurer_id, c.year): c
        for c in Contract.objects.filter(year__in={row.day.year for row in examples})
    }
    problems = []
    for row in examples:
        visit, care_day = row.visit, row.day
        contract = contracts.get((visit.client.insurer_id, care_day.year))
        problems.append(
            Problem(
                code="no_tariff",
                message=gettext(
                    "The visit to %(client)s on %(when)s has no tariff for %(service)s valid on "
                    "that day in the %(year)s contract with %(insurer)s."
                )
                % {
                    "client": visit.client.full_name,
                    "when": _fmt_day(visit.starts_at),
                    "service": row.service,
                    "year": care_day.year,
                    "insurer": visit.client.insurer.name,
                },
                link=contract.get_absolute_url() if contract else reverse("billing:contract-list"),
                link_label=gettext("Set tariff"),
            )
        )
    return problems + _more("no_tariff", total, gettext("visits without a valid tariff"))


def _visit_problems(
    visits: QuerySet[Visit], code: str, template: str, what: str, *, blocking: bool = True
) -> list[Problem]:
    total = visits.count()
    if not total:
        return []
    return [
        Problem(
            code=code,
            message=template % {"client": v.client.full_name, "when": _fmt_day(v.starts_at)},
            link=_visit_link(v) or _client_link(v.client.public_id),
            link_label=gettext("Open visit") if _visit_link(v) else gettext("Open client"),
            blocking=blocking,
        )
        for v in visits[:EXAMPLES_PER_CHECK]
    ] + _more(code, total, what)


def stored_preflight(run: BillingRun) -> list[Problem]:
    """The run's pre-flight list as last checked (see BillingRun.preflight)."""
    return [Problem(**problem) for problem in run.preflight or []]


def preflight_blocking_count(problems: list[Problem]) -> int:
    return sum(1 for p in problems if p.blocking)


__all__ = [
    "BILLING_ROLES",
    "Problem",
    "billing_run_get_visible",
    "billing_run_list_visible",
    "billing_run_preflight",
]
