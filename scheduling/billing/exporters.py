"""Declaration file exporters: one interface, one implementation per country or standard.

An exporter turns an `InsurerInvoice` (plain data, see `declaration.py`) into the bytes of
the file an insurer receives. Add a country by subclassing `DeclarationExporter`, decorating
it with `@register` and naming its `code` in the `BILLING_DECLARATION_EXPORTER` setting
(default `nl-wv`).

The Dutch exporter below is SHAPED LIKE the Vektis EI district-nursing declaration
(wijkverpleging): fixed-width records with a lead record, a record per insured person, a
record per service line and a closing record whose counts and totals must add up. The
official Vektis specification is not shipped with this project, so positions, lengths and
the message code are our own and documented here; map them to the current Vektis standard
before sending files to a real insurer.

Record layout ("nl-wv", version 01). Every record is exactly 120 characters followed by CRLF,
ISO-8859-1. N = numeric, right-aligned, zero-padded. A = alphanumeric, left-aligned,
space-padded. Positions are 1-based and inclusive.

01 Lead record (one, first)
     1-  2  N  2   record type "01"
     3-  8  N  6   serial number of the record in the file (1, 2, 3, ...)
     9- 11  A  3   message code "WV1"
    12- 13  N  2   format version "01"
    14- 21  N  8   sender AGB code (care provider)
    22- 25  N  4   UZOVI code of the insurer
    26- 31  N  6   billed period YYYYMM
    32- 43  A 12   invoice number
    44- 51  N  8   invoice date YYYYMMDD
    52-120  A 69   filler (spaces)

02 Insured person (one per client, directly before that client's 04 records)
     1-  2  N  2   record type "02"
     3-  8  N  6   serial number
     9- 17  N  9   BSN (citizen service number)
    18- 21  N  4   UZOVI code
    22- 36  A 15   policy number with the insurer
    37- 44  N  8   date of birth YYYYMMDD (zeros when unknown)
    45- 69  A 25   surname and initials (no clinical information, ever)
    70-120  A 51   filler

04 Service line (one per client, service and month of care)
     1-  2  N  2   record type "04"
     3-  8  N  6   serial number
     9- 17  N  9   BSN of the insured person of the preceding 02 record
    18- 23  N  6   month of care YYYYMM (earlier than the billed period for corrections)
    24- 29  A  6   service (prestatie) code, as configured by the back office
    30- 35  N  6   number of 5-minute units (absolute value)
    36- 43  N  8   hourly tariff in euro cents
    44- 53  N 10   amount in euro cents (absolute value)
    54      A  1   "D" debit or "C" credit
    55- 66  N 12   line number within this invoice (reference for corrections)
    67-120  A 54   filler

99 Closing record (one, last)
     1-  2  N  2   record type "99"
     3-  8  N  6   serial number
     9- 14  N  6   number of 02 records
    15- 20  N  6   number of 04 records
    21- 26  N  6   total number of records including 01 and 99
    27- 38  N 12   sum of the debit amounts in cents
    39- 50  N 12   sum of the credit amounts in cents (absolute value)
    51- 62  N 12   net amount in cents (absolute value) = debit - credit
    63      A  1   "D" when the net amount is >= 0, else "C"
    64-120  A 57   filler
"""

import datetime as dt
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from scheduling.billing.declaration import DeclarationLine, InsurerInvoice, LineKind

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

    def filename(self, invoice: InsurerInvoice) -> str:
        return f"declaration-{invoice.uzovi}-{invoice.period:%Y%m}.{self.file_extension}"


_REGISTRY: dict[str, type[DeclarationExporter]] = {}


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


# --- fixed-width helpers ---------------------------------------------------------------------

RECORD_LENGTH = 120
NEWLINE = "\r\n"


class FieldOverflow(ValueError):
    """A value does not fit its field: refusing beats silently truncating an amount."""


def _ascii(text: str) -> str:
    """Strip accents (é -> e) so every character is one byte and means the same everywhere."""
    if text.isascii():
        return text  # most names and codes: no need to decompose (a fifth of a national run)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and ord(c) < 128)


def num(value: int, length: int) -> str:
    if value < 0:
        raise FieldOverflow(f"negative value {value} in an unsigned numeric field")
    text = str(value)
    if len(text) > length:
        raise FieldOverflow(f"{value} does not fit in {length} digits")
    return text.rjust(length, "0")


def _bsn(value: str) -> str:
    """A line's BSN as 9 digits. A client without one (an erased record) gives zeros in a
    draft file: the pre-flight reports it and finalising is refused, so no such file is sent."""
    return num(int(value or 0), 9)


def alnum(value: str, length: int, *, truncate: bool = False, what: str = "value") -> str:
    text = _ascii(value or "").replace("\r", " ").replace("\n", " ")
    if len(text) > length:
        if not truncate:
            raise FieldOverflow(
                f"the {what} '{value}' is longer than the {length} characters the "
                "declaration file allows"
            )
        text = text[:length]
    return text.ljust(length, " ")


def cents(amount: Decimal) -> int:
    return int((abs(amount) * 100).to_integral_value())


def yyyymm(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}"  # (strftime costs 5x as much, per line)


def yyyymmdd(day: dt.date | None) -> str:
    return f"{day:%Y%m%d}" if day else "0" * 8


def _record(*parts: str) -> str:
    body = "".join(parts)
    if len(body) > RECORD_LENGTH:
        raise FieldOverflow(f"record is {len(body)} characters, more than {RECORD_LENGTH}")
    return body.ljust(RECORD_LENGTH, " ") + NEWLINE


@dataclass(frozen=True)
class ParsedClosing:
    insured_records: int
    line_records: int
    total_records: int
    debit_cents: int
    credit_cents: int
    net_cents: int
    net_sign: str


@register
class DutchDistrictNursingExporter(DeclarationExporter):
    """Vektis-EI-shaped district-nursing declaration (see the module docstring)."""

    code = "nl-wv"
    label = "Netherlands: district nursing declaration (Vektis-shaped, fixed width)"
    file_extension = "txt"
    content_type = "text/plain; charset=iso-8859-1"

    def records(self, invoice: InsurerInvoice) -> Iterator[str]:
        serial = 0

        def next_serial() -> str:
            nonlocal serial
            serial += 1
            return num(serial, 6)

        yield _record(
            "01",
            next_serial(),
            "WV1",
            "01",
            num(int(invoice.sender_agb), 8),
            num(int(invoice.uzovi), 4),
            yyyymm(invoice.period),
            alnum(invoice.invoice_number, 12, what="invoice number"),
            yyyymmdd(invoice.invoice_date),
        )
        insured = lines = 0
        debit = credit = 0
        current_client: str | None = None
        for line in invoice.lines:
            if line.client_ref != current_client:
                current_client = line.client_ref
                insured += 1
                yield _record(
                    "02",
                    next_serial(),
                    _bsn(line.bsn),
                    num(int(invoice.uzovi), 4),
                    # Cut to fit in a draft rather than fail the month: the pre-flight flags
                    # such a number (selectors.declaration_field_overflows) and blocks
                    # finalising until it is corrected and the run rebuilt.
                    alnum(line.policy_number, 15, truncate=True),
                    yyyymmdd(line.date_of_birth),
                    alnum(line.client_name, 25, truncate=True),
                )
            lines += 1
            amount = cents(line.amount)
            if line.kind == LineKind.CREDIT:
                credit += amount
            else:
                debit += amount
            yield _record(
                "04",
                next_serial(),
                _bsn(line.bsn),
                yyyymm(line.period),
                alnum(line.service_code, 6, what="service code"),
                num(abs(line.units), 6),
                num(cents(line.hourly_rate), 8),
                num(amount, 10),
                "C" if line.kind == LineKind.CREDIT else "D",
                num(line.line_number, 12),
            )
        net = debit - credit
        yield _record(
            "99",
            next_serial(),
            num(insured, 6),
            num(lines, 6),
            num(serial, 6),
            num(debit, 12),
            num(credit, 12),
            num(abs(net), 12),
            "D" if net >= 0 else "C",
        )

    def render(self, invoice: InsurerInvoice) -> bytes:
        return "".join(self.records(invoice)).encode("iso-8859-1")

    @staticmethod
    def parse_closing(data: bytes) -> ParsedClosing:
        """Read the closing record (used by tests and by the pre-send self-check)."""
        last = data.decode("iso-8859-1").split(NEWLINE)[-2]
        return ParsedClosing(
            insured_records=int(last[8:14]),
            line_records=int(last[14:20]),
            total_records=int(last[20:26]),
            debit_cents=int(last[26:38]),
            credit_cents=int(last[38:50]),
            net_cents=int(last[50:62]),
            net_sign=last[62],
        )

    @staticmethod
    def check(data: bytes) -> list[str]:
        """Recount a rendered file and compare with its closing record; [] when it adds up."""
        records = data.decode("iso-8859-1").split(NEWLINE)[:-1]
        problems = []
        if any(len(r) != RECORD_LENGTH for r in records):
            problems.append("a record does not have the fixed length")
        kinds = [r[:2] for r in records]
        if not kinds or kinds[0] != "01" or kinds[-1] != "99":
            return [*problems, "the file must start with 01 and end with 99"]
        closing = DutchDistrictNursingExporter.parse_closing(data)
        debit = sum(int(r[43:53]) for r in records if r[:2] == "04" and r[53] == "D")
        credit = sum(int(r[43:53]) for r in records if r[:2] == "04" and r[53] == "C")
        expected = {
            "insured records": (kinds.count("02"), closing.insured_records),
            "line records": (kinds.count("04"), closing.line_records),
            "records": (len(records), closing.total_records),
            "debit": (debit, closing.debit_cents),
            "credit": (credit, closing.credit_cents),
            "net": (abs(debit - credit), closing.net_cents),
        }
        problems += [
            f"{name}: counted {counted}, closing record says {stated}"
            for name, (counted, stated) in expected.items()
            if counted != stated
        ]
        return problems


def line_sort_key(line: DeclarationLine) -> tuple:
    """File order: per client, credits before debits (credit first, then resubmit)."""
    return (line.client_ref, line.kind != LineKind.CREDIT, line.period, line.service_code)
