"""Plain data handed to every billing file writer (CSV, PDF, declaration exporters).

The writers never touch the ORM: a billing run turns its stored invoice lines into one
`InsurerInvoice` per insurer and each writer is a pure function of it. That is what makes a
re-export of a finalised period byte-identical, and lets the writers be tested on plain data.

Rounding rule (documented here because three writers and the aggregation rely on it):
minutes are summed per client, service and DAY of care first (one service record a day, see
docs/declaration-file.md); the total is then rounded to
5-minute units, to the NEAREST multiple of 5 (remainder 1-2 rounds down, 3-4 rounds up; integer
minutes have no ties). `units = (minutes + 2) // 5`. The amount of a line is
`units * 5 / 60 * hourly tariff`, rounded half-up to whole cents. Totals are sums of the line
amounts, never re-rounded, so every file adds up to the same cents.
"""

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol, runtime_checkable

UNIT_MINUTES = 5
CENT = Decimal("0.01")


def minutes_to_units(minutes: int) -> int:
    """Nearest whole number of 5-minute units (see module docstring)."""
    if minutes <= 0:
        return 0
    return (minutes + UNIT_MINUTES // 2) // UNIT_MINUTES


def line_amount(*, units: int, hourly_rate: Decimal) -> Decimal:
    """Amount in euros for `units` 5-minute units at `hourly_rate`, half-up to cents."""
    return (Decimal(units * UNIT_MINUTES) * hourly_rate / Decimal(60)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


class LineKind:
    DEBIT = "debit"
    CREDIT = "credit"


@dataclass(frozen=True, slots=True)
class DeclarationLine:
    """One service line: one client, one service, one day of care (a month for a line made
    before lines were per day: `service_date` None).

    `units` and `amount` are positive for a debit and negative for a credit, so plain sums
    give the net total.
    """

    line_number: int
    client_ref: str  # the client's public id: never the internal key
    bsn: str
    policy_number: str
    date_of_birth: dt.date | None
    client_name: str
    service_code: str
    service_name: str
    period: dt.date  # first day of the month the care was given in
    service_date: dt.date | None  # the day of care; None: a month line (before per-day lines)
    minutes: int
    units: int
    hourly_rate: Decimal
    amount: Decimal
    kind: str = LineKind.DEBIT
    visit_count: int = 0
    # REFERENTIENUMMER of this service record, and for a credit the reference of the debit
    # record it reverses (see `line_reference`).
    reference: str = ""
    reverses: str = ""

    @property
    def last_day(self) -> dt.date:
        """Last day of the month of care."""
        return (self.period.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
            days=1
        )

    @property
    def begin(self) -> dt.date:
        """The service record's begin date: the day of care (a month line: the 1st)."""
        return self.service_date or self.period

    @property
    def end(self) -> dt.date:
        """The service record's end date: the day of care (a month line: the last day)."""
        return self.service_date or self.last_day

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.units * UNIT_MINUTES) / Decimal(60)).quantize(CENT)


def line_reference(invoice_number: str, line_number: int) -> str:
    """The reference number of a service record: invoice number + line number (20 characters
    at most). Unique per insurer, stable across re-exports, and enough to find the line again
    when the insurer's return message cites it."""
    return f"{invoice_number}{line_number:08d}"


def line_reference_sql(line_number: str) -> str:
    """`line_reference` as SQL, the invoice number its parameter (NULL past 8 digits)."""
    return f"%s || CASE WHEN {line_number} < 100000000 THEN lpad({line_number}::text, 8, '0') END"


@runtime_checkable
class LinesInDatabase(Protocol):
    """An invoice's lines kept in the database (a billing run's month on PostgreSQL): besides
    giving the lines, it can have the database write their text, many lines at once.

    A writer hands it the SQL of ONE line's text, over the columns `LINE_SQL_COLUMNS`, that
    is NULL wherever the database might not write what Python writes; the lines of such a
    block or client come back with None, and the writer writes them in Python (`between`).
    """

    def __iter__(self) -> Iterator[DeclarationLine]: ...

    def between(self, first: int, last: int) -> Iterator[DeclarationLine]:
        """The lines numbered `first` to `last`."""
        ...

    def text_blocks(
        self,
        line_sql: str,
        params: list[Any],
        *,
        columns: Sequence[tuple[str, str, list[Any]]] = (),
    ) -> Iterator[tuple[int, int, Decimal, str | None]]:
        """(first line, last line, sum of their amounts, their texts joined or None), in file
        order, a block of lines at a time. `columns`: (name, SQL, parameters) of values that
        `line_sql` reads by name besides the line's columns, each worked out once a line."""
        ...

    def client_runs(self) -> Iterator[tuple["ClientHead", int]]:
        """(the client's fields, line number) where the client changes from one line to the
        next, in file order."""
        ...


@dataclass(frozen=True, slots=True)
class ClientHead:
    """What an insured record takes from a client's first line (as DeclarationLine has it)."""

    client_ref: str
    bsn: str
    policy_number: str
    date_of_birth: dt.date | None
    client_name: str


# What the SQL of a line's text may read (see LinesInDatabase): the line's fields as in
# DeclarationLine, `kind` the stored one ('debit'/'credit'), plus `serial` (the line's detail
# record number in the declaration: its number plus the insured records before it) and
# `reverses` ('' or NULL where the line may cite an earlier record, known only to Python).
LINE_SQL_COLUMNS = (
    "line_number",
    "client_id",
    "bsn",
    "policy_number",
    "date_of_birth",
    "client_name",
    "service_code",
    "service_name",
    "period",
    "service_date",
    "minutes",
    "units",
    "hourly_rate",
    "amount",
    "kind",
    "visit_count",
    "serial",
    "reverses",
)


@dataclass(frozen=True, slots=True)
class InsuredPerson:
    """What the insured record (02) says about a client: name split, sex, home address.

    Never anything clinical. `sex` is the Vektis COD046 code ("0" unknown, "1" male,
    "2" female, "9" not specified).
    """

    last_name: str  # achternaam without the prefix
    name_prefix: str = ""  # tussenvoegsel
    initials: str = ""  # voorletters, without dots in the file
    sex: str = "0"
    postcode: str = ""
    house_number: int = 0
    house_addition: str = ""


@dataclass(frozen=True)
class ServiceSummary:
    service_code: str
    service_name: str
    hourly_rate: Decimal
    kind: str
    lines: int
    units: int
    amount: Decimal

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.units * UNIT_MINUTES) / Decimal(60)).quantize(CENT)


@dataclass(frozen=True)
class Sender:
    """The organisation's details as printed on its invoices and credit notes
    (teams.Organisation, copied when the files are made)."""

    address: str = ""
    postcode: str = ""
    city: str = ""
    kvk_number: str = ""
    iban: str = ""  # as printed: NL91 ABNA 0417 1643 00
    vat_note: str = ""
    payment_term_days: int = 30


@dataclass(frozen=True)
class InvoiceFigures:
    """An invoice's totals, added up where its lines are (the database, for a billing run's
    month): with them the invoice's `lines` may be a stream read once per file."""

    total_debit: Decimal
    total_credit: Decimal
    total_units: int
    insured_count: int
    line_count: int
    summary: list[ServiceSummary]


@dataclass(frozen=True)
class InsurerInvoice:
    """Everything one insurer's files for one run contain. Lines are in file order.

    `lines` is a list, or (with `figures`) any iterable that gives the lines again each time
    it is iterated: a billing run streams a month's lines from the database for each file.
    """

    organisation_name: str
    sender_agb: str
    insurer_name: str
    uzovi: str
    period: dt.date  # first day of the billed month
    invoice_number: str
    invoice_date: dt.date
    lines: Iterable[DeclarationLine] = field(default_factory=list)
    # The insured record of each client (by `client_ref`); a client missing here gets a
    # record with only the line's name, which the validator refuses (postcode is mandatory).
    insured: dict[str, InsuredPerson] = field(default_factory=dict)
    sender: Sender = field(default_factory=Sender)
    # The credit note's own number (CR-2026-0001) when the balance is negative.
    credit_note_number: str = ""
    figures: InvoiceFigures | None = None

    @property
    def is_credit_note(self) -> bool:
        """A negative balance is a credit note (its own document and number series), never a
        negative invoice."""
        return self.total < 0

    @property
    def document_number(self) -> str:
        """The number printed on the PDF: the credit note's, or the invoice's."""
        return self.credit_note_number if self.is_credit_note else self.invoice_number

    @property
    def due_date(self) -> dt.date:
        return self.invoice_date + dt.timedelta(days=self.sender.payment_term_days)

    @property
    def total_debit(self) -> Decimal:
        if self.figures is not None:
            return self.figures.total_debit
        return sum((ln.amount for ln in self.lines if ln.kind == LineKind.DEBIT), Decimal("0"))

    @property
    def total_credit(self) -> Decimal:
        """Sum of the credit lines (negative or zero)."""
        if self.figures is not None:
            return self.figures.total_credit
        return sum((ln.amount for ln in self.lines if ln.kind == LineKind.CREDIT), Decimal("0"))

    @property
    def total(self) -> Decimal:
        return self.total_debit + self.total_credit

    @property
    def total_units(self) -> int:
        if self.figures is not None:
            return self.figures.total_units
        return sum(ln.units for ln in self.lines)

    @property
    def insured_count(self) -> int:
        if self.figures is not None:
            return self.figures.insured_count
        return len({ln.client_ref for ln in self.lines})

    @property
    def line_count(self) -> int:
        if self.figures is not None:
            return self.figures.line_count
        return sum(1 for _ln in self.lines)

    def summary_by_service(self) -> list[ServiceSummary]:
        """Per service, tariff and kind (credits first, as they are submitted first)."""
        if self.figures is not None:
            return self.figures.summary
        groups: dict[tuple, list[DeclarationLine]] = {}
        for ln in self.lines:
            key = (ln.kind != LineKind.CREDIT, ln.service_code, ln.hourly_rate, ln.kind)
            groups.setdefault(key, []).append(ln)
        return [
            ServiceSummary(
                service_code=lines[0].service_code,
                service_name=lines[0].service_name,
                hourly_rate=lines[0].hourly_rate,
                kind=lines[0].kind,
                lines=len(lines),
                units=sum(ln.units for ln in lines),
                amount=sum((ln.amount for ln in lines), Decimal("0")),
            )
            for _, lines in sorted(groups.items(), key=lambda item: item[0])
        ]
