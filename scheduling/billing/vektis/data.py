"""What the declaration file needs beyond the invoice lines, read in two queries.

- the insured record's data of each client (name split, sex, address): one row per client,
  never per line, so a national month keeps ~100,000 small tuples, not 160,000 copies;
- for each credit line, the reference of the debit record it reverses: the latest debit
  line of the same client, service, day of care (a month line: the same month line) and rate
  in a finalised run.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from clients.models import Client
from scheduling.billing.declaration import InsuredPerson, line_reference
from scheduling.billing.models import InvoiceLine, LineKind, RunStatus

_HOUSE = re.compile(r"^\s*(\d{1,5})\s*[-/ ]?\s*(.*)$")


def _split_house_number(value: str) -> tuple[int, str]:
    match = _HOUSE.match(value or "")
    if not match:
        return 0, (value or "").strip()[:6]
    return int(match[1]), match[2].strip()[:6]


def _initials(first_name: str) -> str:
    return "".join(part[0] for part in (first_name or "").split() if part)


def insured_people(client_ids: Iterable[int]) -> dict[int, InsuredPerson]:
    ids = set(client_ids)
    if not ids:
        return {}
    clients = Client.objects.all() if len(ids) > 20_000 else Client.objects.filter(pk__in=ids)
    people: dict[int, InsuredPerson] = {}
    columns = ["pk", "last_name", "name_prefix", "initials", "first_name", "sex"]
    columns += ["postcode", "house_number"]
    for row in clients.values(*columns).iterator(chunk_size=10_000):
        if row["pk"] not in ids:
            continue
        number, addition = _split_house_number(row["house_number"])
        people[row["pk"]] = InsuredPerson(
            last_name=row["last_name"],
            name_prefix=row["name_prefix"],
            # initials are optional on the client: the roepnaam's first letter then
            initials=row["initials"] or _initials(row["first_name"]),
            sex=row["sex"],
            postcode=(row["postcode"] or "").replace(" ", "").upper(),
            house_number=number,
            house_addition=addition,
        )
    return people


LineKey = tuple[int, int, dt.date, dt.date | None]  # client, service, month, day (None: month)


def line_key(line: Any) -> LineKey:
    return (line.client_id, line.service_id, line.period, line.service_date)


def reversed_references(
    lines: Iterable[Any], *, number_for: Callable[..., str]
) -> dict[tuple[LineKey, Decimal], str]:
    """(client, service, month, day of care; hourly rate) -> reference of the debit record a
    credit reverses: the latest finalised debit of that day (a month line: that month line)."""
    keys = {(line_key(ln), Decimal(ln.hourly_rate)) for ln in lines if ln.kind == LineKind.CREDIT}
    if not keys:
        return {}
    found: dict[tuple[LineKey, Decimal], str] = {}
    rows = (
        InvoiceLine.objects.filter(
            kind=LineKind.DEBIT,
            run__status=RunStatus.FINALISED,
            client_id__in={k[0][0] for k in keys},
            period__in={k[0][2] for k in keys},
        )
        .order_by("run__finalised_at", "line_number")
        .values_list(
            "client_id",
            "service_id",
            "period",
            "service_date",
            "hourly_rate",
            "run__period",
            "insurer__uzovi",
            "line_number",
        )
    )
    for client_id, service_id, period, day, rate, run_period, uzovi, line_number in rows:
        key = ((client_id, service_id, period, day), rate)
        if key in keys:  # the latest one wins
            found[key] = line_reference(number_for(period=run_period, uzovi=uzovi), line_number)
    return found
