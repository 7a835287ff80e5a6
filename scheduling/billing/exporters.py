"""Declaration file exporters: one interface, one implementation per country or standard.

An exporter turns an `InsurerInvoice` (plain data, see `declaration.py`) into the bytes of
the file an insurer receives. Add a country by subclassing `DeclarationExporter`, decorating
it with `@register` and naming its `code` in the `BILLING_DECLARATION_EXPORTER` setting
(default `nl-wv`).

The Dutch exporter writes the Vektis EI declaration for district nursing, AW319: records of
310 positions (01 lead, 02 insured person, 04 service, 99 closing), laid out by the table in
`scheduling.billing.vektis.layout` (its docstring names the source and what is unverified).
Every file is checked by the validator built from the same table before it leaves the
exporter: a file that breaks its layout raises `DeclarationInvalid` naming the record and
field, and the billing run fails instead of storing it.

What goes where:
- 01: UZOVI, our AGB as institution code, declaration period (first and last day of the
  billed month), invoice number and date, currency EUR, payee 03 (the provider);
- 02: one per client, before that client's 04 records: BSN, UZOVI, policy number, date of
  birth, sex (COD046), last name with its prefix separately, initials, postcode and house
  number;
- 04: one per client, service code and DAY of care: begin date = end date = that day (a month
  line made before lines were per day: first and last day of its month), code list and
  service code, number of 5-minute units of that day (time unit COD218 07: five minutes),
  hourly tariff and amount in cents with D or C, and the record's reference
  (invoice number + line number); a credit names the reference of the debit it reverses;
- 99: counts of 02/03/04/98 records, detail records, the net total with D or C.
"""

import dataclasses
import datetime as dt
import io
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.conf import settings

from clients.models import POLICY_NUMBER_LENGTH
from scheduling.billing.declaration import (
    ClientHead,
    DeclarationLine,
    InsuredPerson,
    InsurerInvoice,
    LineKind,
    LinesInDatabase,
    line_reference_sql,
)
from scheduling.billing.vektis import codes
from scheduling.billing.vektis.layout import (
    AW319,
    ENCODING,
    MESSAGE_CODE_AW319,
    NEWLINE,
    RECORD_LENGTH,
    STANDARD_SUBVERSION,
    STANDARD_VERSION,
    field,
)
from scheduling.billing.vektis.records import (
    AW319_DRAFT_VALIDATOR,
    AW319_VALIDATOR,
    DeclarationInvalid,
    FieldOverflow,
    FileCheck,
    FileProblem,
    RecordSql,
    RecordWriter,
    Sql,
    record_sql,
)

__all__ = ["FieldOverflow", "FileProblem"]

DEFAULT_EXPORTER = "nl-wv"


class DeclarationExporter(ABC):
    """Turns one insurer's invoice into a declaration file. Must be deterministic."""

    code: str = ""
    label: str = ""
    file_extension: str = "txt"
    content_type: str = "text/plain"

    @abstractmethod
    def render(self, invoice: InsurerInvoice) -> bytes:
        """The complete file. Same invoice in, same bytes out."""

    def write(self, invoice: InsurerInvoice, out: BinaryIO) -> None:
        """Write the file to `out` (the same bytes as `render`). Exporters whose files get
        big write them in blocks; this default renders them whole."""
        out.write(self.render(invoice))

    def filename(self, invoice: InsurerInvoice) -> str:
        return f"declaration-{invoice.uzovi}-{invoice.period:%Y%m}.{self.file_extension}"


_REGISTRY: dict[str, type[DeclarationExporter]] = {}


def _fit_policy_number(value: str) -> str:
    """Cut to the declaration field in a draft rather than fail the month: the pre-flight flags
    such a number (selectors.declaration_field_overflows) and finalising stays blocked until it
    is corrected and the run rebuilt. The database refuses longer numbers for new input."""
    return value[:POLICY_NUMBER_LENGTH]


def register(cls: type[DeclarationExporter]) -> type[DeclarationExporter]:
    """Class decorator adding an exporter to the registry under its `code`."""
    if not cls.code:
        raise ValueError(f"{cls.__name__} needs a code")
    _REGISTRY[cls.code] = cls
    return cls


def exporter_codes() -> list[str]:
    return sorted(_REGISTRY)


def get_exporter(code: str | None = None) -> DeclarationExporter:
    """The configured exporter (setting BILLING_DECLARATION_EXPORTER) or the one named."""
    code = code or str(getattr(settings, "BILLING_DECLARATION_EXPORTER", DEFAULT_EXPORTER))
    try:
        return _REGISTRY[code]()
    except KeyError:
        raise LookupError(
            f"No declaration exporter '{code}'; known: {', '.join(exporter_codes())}"
        ) from None


# --- the Dutch AW319 exporter ------------------------------------------------------------------

# Characters written (and checked) per block: ~10,000 records, so a national file never sits
# in memory whole.
WRITE_BLOCK = 3_000_000
PAYEE_PROVIDER = 3  # IDENTIFICATIECODE BETALING AAN: the care provider (unverified code)
_lead = RecordWriter(AW319, "01")
_insured = RecordWriter(AW319, "02", truncate=frozenset({"last_name"}))
_service = RecordWriter(AW319, "04")
_closing = RecordWriter(AW319, "99")


def cents(amount: Decimal) -> int:
    return int((abs(amount) * 100).to_integral_value())


def _bsn(value: str) -> int:
    """A line's BSN as a number. A client without one (an erased record) gives zeros in a
    draft file: the pre-flight reports it and finalising is refused, so no such file is sent."""
    return int(value or 0)


def _last_day(period: dt.date) -> dt.date:
    return (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class ParsedClosing:
    """The closing record's figures, plus the debit and credit sums of the 04 records."""

    insured_records: int
    line_records: int
    total_records: int
    debit_cents: int
    credit_cents: int
    net_cents: int
    net_sign: str


class _FileState:
    """The running serial number, counts and net total of one declaration being written."""

    def __init__(self, invoice: InsurerInvoice, uzovi: int):
        self.invoice, self.uzovi = invoice, uzovi
        self.serial = self.insured_count = self.service_count = self.net = 0
        self.current_client: str | None = None
        self.code_cache: dict[tuple[str, int], codes.ServiceCode | None] = {}

    def insured_record(self, line: DeclarationLine | ClientHead) -> str:
        """The 02 record of the client of `line` (its first line)."""
        self.current_client = line.client_ref
        person = self.invoice.insured.get(line.client_ref) or InsuredPerson(
            last_name=line.client_name
        )
        self.serial += 1
        self.insured_count += 1
        return _insured(
            serial=self.serial,
            bsn=_bsn(line.bsn),
            uzovi=self.uzovi,
            policy_number=_fit_policy_number(line.policy_number),
            date_of_birth=line.date_of_birth,
            sex=person.sex,
            name_use_1=1,  # own name
            last_name=person.last_name,
            name_prefix=person.name_prefix,
            initials=person.initials.replace(".", "").replace(" ", "")[:6],
            postcode=person.postcode,
            house_number=person.house_number,
            house_addition=person.house_addition,
            country="NL",
        )

    def detail_records(self, lines: Iterable[DeclarationLine]) -> Iterator[str]:
        """The 02 and 04 records of `lines` (in file order), one by one."""
        for line in lines:
            if line.client_ref != self.current_client:
                yield self.insured_record(line)
            key = (line.service_code, line.begin.year)
            if key not in self.code_cache:
                self.code_cache[key] = codes.service_code_for(*key)
            listed = self.code_cache[key]
            amount = cents(line.amount)
            sign = "C" if line.kind == LineKind.CREDIT else "D"
            self.net += -amount if sign == "C" else amount
            self.serial += 1
            self.service_count += 1
            yield _service(
                serial=self.serial,
                bsn=_bsn(line.bsn),
                uzovi=self.uzovi,
                policy_number=_fit_policy_number(line.policy_number),
                service_start=line.begin,
                service_end=line.end,
                # a code outside the table keeps list 0: the pre-flight names it
                code_list=listed.code_list if listed else 0,
                service_code=line.service_code,
                quantity=abs(line.units),
                time_unit=codes.TIME_UNIT_5_MINUTES,
                tariff=cents(line.hourly_rate),
                calculated_amount=amount,
                calculated_sign=sign,
                amount=amount,
                amount_sign=sign,
                reference=line.reference,
                previous_reference=line.reverses,
            )

    def database_records(self, lines: LinesInDatabase, record: RecordSql) -> Iterator[str]:
        """The 02 and 04 records of lines kept in the database: the 04 records as blocks of
        text written there, cut where an 02 record goes between them (where the client
        changes); a block the database could not write whole is written by `detail_records`."""
        width = RECORD_LENGTH + len(NEWLINE)
        runs = lines.client_runs()
        run = next(runs, None)
        blocks = lines.text_blocks(record.text, record.params, columns=record.columns)
        for first, last, amount, text in blocks:
            if text is None:
                yield from self.detail_records(lines.between(first, last))
                while run is not None and run[1] <= last:
                    run = next(runs, None)
                continue
            start = first
            while start <= last:
                if run is not None and run[1] == start:
                    yield self.insured_record(run[0])
                    run = next(runs, None)
                end = last if run is None or run[1] > last else run[1] - 1
                yield text[(start - first) * width : (end - first + 1) * width]
                self.serial += end - start + 1
                start = end + 1
            self.service_count += last - first + 1
            self.net += cents(amount) if amount >= 0 else -cents(amount)


def _cents_sql(column: str) -> str:
    """`cents` as SQL (NULL for an amount with more than two decimals)."""
    return f"CASE WHEN {column} = round({column}, 2) THEN (abs({column}) * 100)::bigint END"


def _service_record_sql(invoice: InsurerInvoice, uzovi: int) -> RecordSql:
    """The SQL of one line's 04 record and its CR LF, as `_FileState.detail_records` writes it
    (see LinesInDatabase for the columns)."""
    begin = "coalesce(service_date, period)"
    sign = Sql(f"CASE WHEN kind = '{LineKind.CREDIT}' THEN 'C' ELSE 'D' END", formatted=True)
    number = invoice.invoice_number
    reference_width = field(AW319, "04", "reference").length
    reference = Sql(line_reference_sql("line_number"), (number,))
    if number.isascii() and number.isprintable() and len(number) + 8 <= reference_width:
        reference = Sql(f"rpad({reference.expression}, {reference_width})", (number,), True)
    record = record_sql(
        AW319,
        "04",
        {
            "serial": Sql("serial"),
            # `_bsn` of a 9-digit BSN is itself (the rest, rare, is written in Python)
            "bsn": Sql("CASE WHEN bsn ~ '^[0-9]{9}$' THEN bsn END", formatted=True),
            "uzovi": uzovi,
            "policy_number": Sql(f"left(policy_number, {POLICY_NUMBER_LENGTH})"),
            "service_start": Sql(begin),
            "service_end": Sql(
                "coalesce(service_date, (period + interval '1 month' - interval '1 day')::date)"
            ),
            "code_list": Sql(
                f"lpad(({codes.code_list_sql('service_code', begin)})::text, 3, '0')",
                formatted=True,
            ),
            "service_code": Sql("service_code"),
            "quantity": Sql("abs(units)"),
            "time_unit": codes.TIME_UNIT_5_MINUTES,
            "tariff": Sql(_cents_sql("hourly_rate")),
            "calculated_amount": Sql(_cents_sql("amount")),
            "calculated_sign": sign,
            "amount": Sql(_cents_sql("amount")),
            "amount_sign": sign,
            "reference": reference,
            "previous_reference": Sql("reverses"),
        },
    )
    return dataclasses.replace(
        record, text=f"{record.text} || %s", params=[*record.params, NEWLINE]
    )


@register
class DutchDistrictNursingExporter(DeclarationExporter):
    """Vektis EI AW319, district nursing (see the module docstring)."""

    code = "nl-wv"
    label = "Netherlands: district nursing declaration (Vektis EI AW319)"
    file_extension = "txt"
    content_type = "text/plain; charset=iso-8859-1"

    def records(self, invoice: InsurerInvoice) -> Iterator[str]:
        """The file's records; lines kept in the database come as the text of each client's
        service records, written there (`_service_record_sql`), except a client with a line
        the database cannot write exactly (a credit citing the record it reverses, a value
        that does not fit), whose records are written here."""
        uzovi = int(invoice.uzovi)
        yield _lead(
            message_code=MESSAGE_CODE_AW319,
            version=STANDARD_VERSION,
            subversion=STANDARD_SUBVERSION,
            message_kind="P",
            uzovi=uzovi,
            institution_agb=int(invoice.sender_agb),
            payee=PAYEE_PROVIDER,
            period_start=invoice.period,
            period_end=_last_day(invoice.period),
            invoice_number=invoice.invoice_number,
            invoice_date=invoice.invoice_date,
            currency="EUR",
        )
        file = _FileState(invoice, uzovi)
        lines = invoice.lines
        if isinstance(lines, LinesInDatabase):
            yield from file.database_records(lines, _service_record_sql(invoice, uzovi))
        else:
            yield from file.detail_records(lines)
        yield _closing(
            insured_count=file.insured_count,
            service_count=file.service_count,
            detail_count=file.serial,
            total=abs(file.net),
            total_sign="C" if file.net < 0 else "D",
        )

    def render(self, invoice: InsurerInvoice) -> bytes:
        """The file, checked against its layout (DeclarationInvalid when it fails)."""
        out = io.BytesIO()
        self.write(invoice, out)
        return out.getvalue()

    def write(self, invoice: InsurerInvoice, out: BinaryIO) -> None:
        """Write the file in blocks of WRITE_BLOCK characters, each checked as it is written.

        Checked as a draft (records.DRAFT_TOLERATED): finalising checks the stored file
        again with every mandatory field (vektis.checks.declaration_final_problems). When the
        check fails, DeclarationInvalid is raised after the last record: what was written to
        `out` must then be thrown away (the caller writes to a temporary file)."""
        check = AW319_DRAFT_VALIDATOR.start()
        block: list[str] = []
        size = 0
        for records in self.records(invoice):  # a record, or a client's service records
            block.append(records)
            size += len(records)
            if size >= WRITE_BLOCK:
                self._write_block(block, out, check)
                block, size = [], 0
        self._write_block(block, out, check)
        problems = check.finish()
        if problems:
            raise DeclarationInvalid(problems)

    @staticmethod
    def _write_block(block: list[str], out: BinaryIO, check: FileCheck) -> None:
        if not block:
            return
        text = "".join(block)
        out.write(text.encode(ENCODING))
        check.feed_text(text)

    @staticmethod
    def parse_closing(data: bytes) -> ParsedClosing:
        """The closing record's counts and total, and the 04 records' debit and credit sums."""
        records = data.decode(ENCODING).split(NEWLINE)[:-1]
        last = records[-1]
        amount_at, sign_at = field(AW319, "04", "amount").slice, field(AW319, "04", "amount_sign")
        f99 = {f.name: f.slice for f in AW319["99"]}
        debit = credit = 0
        for record in records:
            if record[:2] == "04":
                amount = int(record[amount_at])
                if record[sign_at.start - 1] == "C":
                    credit += amount
                else:
                    debit += amount
        return ParsedClosing(
            insured_records=int(last[f99["insured_count"]]),
            line_records=int(last[f99["service_count"]]),
            total_records=len(records),
            debit_cents=debit,
            credit_cents=credit,
            net_cents=int(last[f99["total"]]),
            net_sign=last[f99["total_sign"]],
        )

    @staticmethod
    def check(data: bytes) -> list[str]:
        """Every layout problem of a file, as sentences; [] when it is right."""
        return [str(problem) for problem in AW319_VALIDATOR.validate(data)]


def line_sort_key(line: DeclarationLine) -> tuple:
    """File order: per client, credits before debits (credit first, then resubmit)."""
    return (
        line.client_ref,
        line.kind != LineKind.CREDIT,
        line.period,
        line.service_code,
        line.service_date or dt.date.min,
    )
