"""Write, check and read EI records from the layout table (`layout.py`).

The writer and the validator are compiled once per record type from the same fields: the
writer joins formatted values in field order, the validator matches each record against one
regular expression built from the fields (format and mandatory flags) and only walks the
fields one by one to NAME the first wrong field of a record that does not match. So a
national file (~300,000 records) is checked with one regex match per record, not 30 Python
calls.
"""

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from scheduling.billing.vektis.layout import (
    AW319,
    ENCODING,
    NEWLINE,
    RECORD_NAMES,
    Field,
    record_length,
)

Layout = dict[str, tuple[Field, ...]]


class Readable(Protocol):
    """Anything with read(n) -> bytes: an open file, a stored FieldFile."""

    def read(self, size: int = ..., /) -> bytes: ...


class FieldOverflow(ValueError):
    """A value does not fit its field: refusing beats silently truncating an amount."""


def plain(text: str) -> str:
    """Strip accents (é -> e) so every character is one byte and means the same everywhere."""
    if text.isascii():
        return text  # most names and codes: no need to decompose
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and ord(c) < 128)


def _format(f: Field, value: Any, truncate: bool) -> str:
    """One field's text: the reference the compiled formatters (`_formatter`) must equal."""
    return _formatter(f, truncate)(value)


def _formatter(f: Field, truncate: bool) -> Callable[[Any], str]:
    """A function formatting values of `f`, with what the field's layout says worked out once
    (width, padding, the largest number that fits), so a national file's ~50 million field
    values cost one small call each instead of a walk through the layout's rules."""
    n = f.length
    if f.format == "D":
        zeros = "0" * n
        dates: dict[Any, str] = {}  # a month has some 30 days: each is formatted once

        def date_text(value: Any) -> str:
            if not value:
                return zeros
            text = dates.get(value)
            if text is None:
                text = dates[value] = f"{value:%Y%m%d}"
            return text

        return date_text
    if f.format == "N":
        largest = 10**n - 1
        pattern = f"{{:0{n}d}}".format

        def number_text(value: Any) -> str:
            number = int(value or 0)
            if number < 0 or number > largest:
                raise FieldOverflow(
                    f"{f.record} {f.name}: {value} does not fit in {n} unsigned digits"
                )
            return pattern(number)

        return number_text
    label = f.name.replace("_", " ")

    def text_text(value: Any) -> str:
        text = value if type(value) is str else str(value or "")
        if not text.isascii() or "\r" in text or "\n" in text:
            text = plain(text).replace("\r", " ").replace("\n", " ")
        if len(text) > n:
            if not truncate:
                raise FieldOverflow(
                    f"the {label} '{value}' is longer than the {n} "
                    "characters the declaration file allows"
                )
            text = text[:n]
        return text.ljust(n)

    return text_text


class RecordWriter:
    """Formats one record type. Call with the fields' names; missing ones are empty.

    Each field's formatter is made once (`_formatter`), and a field left empty is the same
    text in every record, so it is formatted once too."""

    def __init__(self, layout: Layout, record: str, *, truncate: frozenset[str] = frozenset()):
        self.record = record
        self.fields = layout[record]
        self.names = frozenset(f.name for f in self.fields)
        self.truncate = truncate
        if self.fields[0].name != "record_type":
            raise ValueError(f"record {record} does not start with its record type")
        formatters = [(f.name, _formatter(f, f.name in truncate)) for f in self.fields[1:]]
        self._compiled = tuple((name, fmt, fmt(None)) for name, fmt in formatters)
        self._type = _formatter(self.fields[0], False)(record)

    def __call__(self, **values: Any) -> str:
        if not self.names.issuperset(values):
            unknown = set(values) - self.names
            raise KeyError(f"record {self.record} has no field(s) {sorted(unknown)}")
        get = values.get
        parts = [self._type]
        for name, fmt, empty in self._compiled:
            value = get(name)
            parts.append(empty if value is None else fmt(value))
        parts.append(NEWLINE)
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class Sql:
    """A field's value as an SQL expression (with its %s parameters) over the columns of the
    query that writes the records (see `record_sql`)."""

    expression: str
    params: tuple[Any, ...] = ()
    # True: the expression gives the field's text itself (or NULL), for values whose rule is
    # cheaper to say for the one field (a BSN already of 9 digits) than in general
    formatted: bool = False


def _field_sql(f: Field) -> str:
    """SQL (the value is `@v`) giving what `_formatter(f, truncate=False)` gives for that value,
    or NULL where the two might differ: a number outside the field, a text longer than the
    field, not ASCII or with a CR or LF (`plain` and the overflow message are Python's), a
    NULL value. A number's value must be a whole number (integer or bigint)."""
    n = f.length
    if f.format == "D":
        return "to_char(@v, 'YYYYMMDD')"
    if f.format == "N":
        return f"CASE WHEN @v BETWEEN 0 AND {10**n - 1} THEN lpad(@v::text, {n}, '0') END"
    # ASCII (one byte a character in UTF-8) without CR or LF: what Python writes unchanged
    return (
        f"CASE WHEN length(@v) <= {n} AND octet_length(@v) = length(@v) "
        f"AND strpos(@v, E'\\r') = 0 AND strpos(@v, E'\\n') = 0 THEN rpad(@v, {n}) END"
    )


@dataclass(frozen=True)
class RecordSql:
    """One record as SQL (see `record_sql`): `text` over the columns `columns`, each value
    given once as (name, SQL, parameters) so the database works it out once, not once for
    each time the field's rule names it."""

    text: str
    params: list[Any]
    columns: list[tuple[str, str, list[Any]]]


def record_sql(layout: Layout, record: str, values: dict[str, Any]) -> RecordSql:
    """One `record` of `layout` written by the database: the same text as
    `RecordWriter(layout, record)(**values)` (without the CR LF), or NULL where a value is one
    the database does not write exactly as Python does (the caller then writes that record
    with RecordWriter, which also names an overflowing field).

    A value is an `Sql` expression (a number, date or text, by the field's format) or a Python
    value, formatted here once; a field not named is empty. For a national month's ~1.4
    million service records: one expression per record in the database instead of ~30 Python
    calls per record."""
    writer = RecordWriter(layout, record)
    unknown = set(values) - writer.names
    if unknown:
        raise KeyError(f"record {record} has no field(s) {sorted(unknown)}")
    parts: list[str] = []
    params: list[Any] = []
    columns: list[tuple[str, str, list[Any]]] = []
    constant = writer._type
    for f, (name, fmt, empty) in zip(writer.fields[1:], writer._compiled, strict=True):
        value = values.get(name)
        if not isinstance(value, Sql):
            constant += empty if value is None else fmt(value)
            continue
        if constant:
            parts.append("%s::text")
            params.append(constant)
            constant = ""
        column = f"field_{name}"
        columns.append((column, value.expression, list(value.params)))
        template = (
            f"CASE WHEN length(@v) = {f.length} THEN @v END" if value.formatted else _field_sql(f)
        )
        parts.append(template.replace("@v", column))
    if constant:
        parts.append("%s::text")
        params.append(constant)
    return RecordSql("(" + " || ".join(parts) + ")", params, columns)


# --- validation --------------------------------------------------------------------------------

_AN = r"[\x20-\x7e]"  # what the writer produces: printable ASCII


def _field_pattern(f: Field) -> str:
    n = f.length
    if f.format in ("N", "D"):
        body = rf"\d{{{n}}}"
        if f.mandatory and f.format == "D":
            body = rf"(?!0{{{n}}})\d{{{n}}}"
    else:
        body = rf"{_AN}{{{n}}}"
        if f.mandatory:
            body = rf"(?! {{{n}}}){_AN}{{{n}}}"
    return f"(?P<{f.name}>{body})"


def _record_regex(fields: tuple[Field, ...]) -> re.Pattern[str]:
    return re.compile("".join(_field_pattern(f) for f in fields) + r"\Z")


# The records between the file's first (01) and last (99): checked a block at a time.
DETAIL_RECORDS = ("02", "03", "04", "98")


def _block_field_pattern(f: Field) -> str:
    """`_field_pattern` for a block already known to be printable ASCII (`_printable`): any
    character for text, an ASCII digit for numbers. (Checking "printable" for the whole block
    at once and not per character of every text field makes the block's match ~3x faster.)"""
    n = f.length
    if f.format in ("N", "D"):
        body = f"[0-9]{{{n}}}"
        if f.mandatory and f.format == "D":
            body = f"(?!0{{{n}}}){body}"
    else:
        body = f".{{{n}}}"
        if f.mandatory:
            body = f"(?! {{{n}}}){body}"
    return body


def _details_regex(layout: Layout) -> re.Pattern[str]:
    """A block of printable detail records, each followed by CR LF: each record's fields as
    its own regex checks them (`_block_field_pattern`), its record type spelled out."""
    alternatives = [
        re.escape(record) + "".join(_block_field_pattern(f) for f in fields[1:])
        for record, fields in layout.items()
        if record in DETAIL_RECORDS
    ]
    # (CR LF as itself: escaped, the same expression matched ~2.5x slower)
    return re.compile(f"(?s)(?:(?:{'|'.join(alternatives)}){NEWLINE})*")


_PRINTABLE = bytes(range(0x20, 0x7F))
_NEWLINE_BYTES = NEWLINE.encode("ascii")


def _printable(body: str, records: int) -> bool:
    """Whether `records` records with their CR LF are printable ASCII but for the CR LFs."""
    try:
        data = body.encode("ascii")
    except UnicodeEncodeError:
        return False
    return data.translate(None, _PRINTABLE) == _NEWLINE_BYTES * records


@dataclass(frozen=True, slots=True)
class FileProblem:
    record_number: int  # 1-based position of the record in the file (0: the whole file)
    record_type: str
    field: str  # our field name, "" for the record or the file
    message: str

    def __str__(self) -> str:
        where = f"record {self.record_number}" if self.record_number else "file"
        kind = RECORD_NAMES.get(self.record_type, self.record_type)
        if self.record_type:
            where += f" ({self.record_type} {kind})"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


class DeclarationInvalid(ValueError):
    """The file breaks its layout; `problems` says which record and field."""

    def __init__(self, problems: list[FileProblem]):
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"The declaration file does not pass its layout check: {shown}{more}")


def _field_problem(number: int, f: Field, value: str) -> FileProblem | None:
    """Why `value` is wrong for `f` (None when it is right)."""
    message = ""
    if f.format in ("N", "D") and not value.isdigit():
        message = f"'{value}' is not {f.length} digits"
    elif f.format == "AN" and not re.fullmatch(f"{_AN}*", value):
        message = "contains characters outside printable ASCII"
    elif f.mandatory and (not value.strip() or (f.format == "D" and set(value) == {"0"})):
        message = "is mandatory and empty"
    elif f.format == "D" and set(value) != {"0"}:
        try:
            dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            message = f"'{value}' is not a date CCYYMMDD"
    if not message:
        return None
    return FileProblem(number, f.record, f.name, f"{f.label}: {message}")


class Validator:
    """Checks a whole EI file against `layout` (see `validate`)."""

    MAX_PROBLEMS = 50

    def __init__(self, layout: Layout = AW319, *, tolerate: frozenset[str] = frozenset()):
        # `tolerate`: mandatory fields that may be empty here (in a draft, see DRAFT_TOLERATED)
        layout = {
            record: tuple(
                dataclasses.replace(f, mandatory=False) if f.name in tolerate else f for f in fields
            )
            for record, fields in layout.items()
        }
        self.layout = layout
        self.length = record_length(layout)
        self.regexes = {record: _record_regex(fields) for record, fields in layout.items()}
        self.dates = {
            record: [f for f in fields if f.format == "D"] for record, fields in layout.items()
        }
        self._good_dates: set[str] = {"0" * 8}
        self.details = _details_regex(layout)
        # where the block check reads each detail record's serial, BSN, signs, amount, dates
        self.slices = {
            record: {f.name: (f.start - 1, f.start - 1 + f.length) for f in fields}
            for record, fields in layout.items()
            if record in DETAIL_RECORDS
        }
        # (it reads every detail record's serial, and the 02's and 04's BSN, at one place)
        for name, records in (("serial", self.slices), ("bsn", ("02", "04"))):
            if len({self.slices[r][name] for r in records if r in self.slices}) != 1:
                raise ValueError(f"the detail records' {name} fields are not at one place")

    def _bad_dates(self, number: int, kind: str, match: re.Match[str]) -> list[FileProblem]:
        """The regex checks digits only; a date's calendar is checked here (cached)."""
        problems = []
        for f in self.dates[kind]:
            value = match[f.name]
            if value in self._good_dates:
                continue
            problem = _field_problem(number, f, value)
            if problem:
                problems.append(problem)
            else:
                self._good_dates.add(value)
        return problems

    def _check_fields(self, number: int, record: str, text: str) -> list[FileProblem]:
        problems = []
        for f in self.layout[record]:
            problem = _field_problem(number, f, text[f.slice])
            if problem:
                problems.append(problem)
        return problems or [FileProblem(number, record, "", "does not match its layout")]

    def validate(self, data: bytes) -> list[FileProblem]:
        """Every layout problem of the file, at most MAX_PROBLEMS; [] when it is right.

        Record lengths, record types and their order, every field's format and mandatory
        flag, serial numbers of the detail records, the 04 records' BSN against their 02,
        and the counts and total of the closing record.
        """
        try:
            text = data.decode(ENCODING)
        except UnicodeDecodeError:
            return [FileProblem(0, "", "", "is not ISO-8859-1 text")]
        if not text.endswith(NEWLINE):
            return [FileProblem(0, "", "", "does not end with CR LF after its last record")]
        check = self.start()
        check.feed_text(text)
        return check.finish()

    def start(self) -> "FileCheck":
        """An incremental check: feed it the records (without CR LF) in order, then finish.

        The file never has to be in memory at once: a national declaration (1.5 million
        service records, ~470 MB) is checked block by block while it is written."""
        return FileCheck(self)

    def validate_stream(self, handle: Readable, *, block: int = 1 << 22) -> list[FileProblem]:
        """`validate` for a file read from `handle` in blocks (a stored declaration)."""
        check = self.start()
        rest = b""
        while chunk := handle.read(block):
            data = rest + chunk
            cut = data.rfind(NEWLINE.encode(ENCODING))
            if cut < 0:
                rest = data
                continue
            rest = data[cut + len(NEWLINE) :]
            check.feed_text(data[: cut + len(NEWLINE)].decode(ENCODING))
            if check.full:
                break
        if rest and not check.full:
            return [FileProblem(0, "", "", "does not end with CR LF after its last record")]
        return check.finish()

    @staticmethod
    def _check_closing(
        number: int, match: re.Match[str], counts: dict[str, int], total_cents: int
    ) -> list[FileProblem]:
        expected = {
            "insured_count": counts["02"],
            "debtor_count": counts["03"],
            "service_count": counts["04"],
            "comment_count": counts["98"],
            "detail_count": sum(counts.values()),
            "total": abs(total_cents),
        }
        problems = [
            FileProblem(number, "99", name, f"says {int(match[name])}, the file has {value}")
            for name, value in expected.items()
            if int(match[name]) != value
        ]
        sign = "C" if total_cents < 0 else "D"
        if match["total_sign"] != sign:
            problems.append(
                FileProblem(
                    number, "99", "total_sign", f"says {match['total_sign']}, expected {sign}"
                )
            )
        return problems


class FileCheck:
    """The state of one file's check (see Validator.start). Each record is checked when the
    next one arrives (or at `finish`), so "the last record must be the 99" needs no look
    ahead at the whole file."""

    def __init__(self, validator: Validator):
        self.v = validator
        self.problems: list[FileProblem] = []
        self.counts = {"02": 0, "03": 0, "04": 0, "98": 0}
        self.total_cents = 0
        self.insured_bsn: str | None = None
        self.serial = 0
        self.number = 0
        self.held: str | None = None

    @property
    def full(self) -> bool:
        return len(self.problems) >= self.v.MAX_PROBLEMS

    def feed(self, records: Iterable[str]) -> None:
        for record in records:
            if self.full:
                return
            if self.held is not None:
                self._check(self.held, last=False)
            self.held = record

    def feed_text(self, text: str) -> None:
        """Records, each followed by CR LF: checked as `feed` checks them, and the detail
        records a block at a time (one match of `Validator.details` over the block, then one
        pass over their serial numbers, BSNs, signs, amounts and dates). A block that does not
        pass is checked record by record, which names each problem."""
        if self.full or not text:
            return
        end = len(text) - len(NEWLINE)
        cut = text.rfind(NEWLINE, 0, end)
        cut = cut + len(NEWLINE) if cut >= 0 else 0  # where the block's last record starts
        if self.held is not None:
            self._check(self.held, last=False)
            self.held = None
        body = text[:cut]
        if body and self.number == 0:  # the file's first record, on its own
            first = body.index(NEWLINE)
            self._check(body[:first], last=False)
            body = body[first + len(NEWLINE) :]
        if body and not self.full and not self._pass_block(body):
            for record in body[: -len(NEWLINE)].split(NEWLINE):
                if self.full:
                    return
                self._check(record, last=False)
        self.held = text[cut:end]

    def _pass_block(self, body: str) -> bool:
        """Whether detail records that follow the file's first record are all right; only
        then is this check's state moved past them (else it is left as it was). Each rule of
        `_check` for a detail record, on the block's columns at once."""
        v = self.v
        step, size = v.length + len(NEWLINE), len(body)
        count = size // step
        if size % step or not _printable(body, count) or v.details.fullmatch(body) is None:
            return False
        # the records' types (spelled out by the regex), by their second character
        kinds = body[1::step]
        at = v.slices
        a, b = at["04"]["serial"]
        width = b - a
        serials = [body[i : i + width] for i in range(a, size, step)]
        if serials != [f"{n:0{width}d}" for n in range(self.serial + 1, self.serial + count + 1)]:
            return False
        a, b = at["04"]["bsn"]
        bsn = self.insured_bsn
        for kind, number in zip(
            kinds, [body[i : i + b - a] for i in range(a, size, step)], strict=True
        ):
            if kind == "4":
                if number != bsn:
                    return False
            elif kind == "2":
                bsn = number
        starts = [i for i, kind in zip(range(0, size, step), kinds, strict=True) if kind == "4"]
        signs = [body[i + at["04"]["amount_sign"][0]] for i in starts]
        calculated = {body[i + at["04"]["calculated_sign"][0]] for i in starts}
        if not {*signs, *calculated} <= {"D", "C"}:
            return False
        a, b = at["04"]["amount"]
        amounts = [int(body[i + a : i + b]) for i in starts]
        total = sum(amounts) - 2 * sum(
            c for c, sign in zip(amounts, signs, strict=True) if sign == "C"
        )
        dates: set[str] = set()
        for kind, fields in v.dates.items():
            if kind in DETAIL_RECORDS and kind[1] in kinds:
                for f in fields:
                    a, b = at[kind][f.name]
                    dates.update(
                        body[i + a : i + b]
                        for i, k in zip(range(0, size, step), kinds, strict=True)
                        if k == kind[1]
                    )
        dates -= v._good_dates
        for value in dates:
            try:
                dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
            except ValueError:
                return False
        v._good_dates.update(dates)
        for kind in DETAIL_RECORDS:
            self.counts[kind] = self.counts.get(kind, 0) + kinds.count(kind[1])
        self.serial += count
        self.insured_bsn = bsn
        self.total_cents += total
        self.number += count
        return True

    def finish(self) -> list[FileProblem]:
        if self.held is not None and not self.full:
            self._check(self.held, last=True)
            self.held = None
        return self.problems[: self.v.MAX_PROBLEMS]

    def _add(self, *found: FileProblem) -> None:
        self.problems.extend(found)

    def _check(self, record: str, *, last: bool) -> None:
        self.number += 1
        number, kind = self.number, record[:2]
        if len(record) != self.v.length:
            self._add(
                FileProblem(number, kind, "", f"is {len(record)} characters, not {self.v.length}")
            )
            return
        if kind not in self.v.regexes:
            self._add(FileProblem(number, kind, "record_type", f"unknown record type '{kind}'"))
            return
        if (kind == "01") != (number == 1) or (kind == "99") != last:
            message = "the file must start with one 01 record and end with one 99 record"
            self._add(FileProblem(number, kind, "record_type", message))
            if self.full:
                return
        match = self.v.regexes[kind].match(record)
        if match is None:
            self._add(*self.v._check_fields(number, kind, record))
            return
        bad_dates = self.v._bad_dates(number, kind, match)
        if bad_dates:
            self._add(*bad_dates)
            if self.full:
                return
        if kind in self.counts:
            self.counts[kind] += 1
            self.serial += 1
            if int(match["serial"]) != self.serial:
                message = (
                    f"is {int(match['serial'])}, expected {self.serial} (one up per detail record)"
                )
                self._add(FileProblem(number, kind, "serial", message))
                if self.full:
                    return
        if kind == "02":
            self.insured_bsn = match["bsn"]
        elif kind == "04":
            if match["bsn"] != self.insured_bsn:
                message = "does not follow a 02 record of the same insured person"
                self._add(FileProblem(number, kind, "bsn", message))
                if self.full:
                    return
            sign = match["amount_sign"]
            if sign not in ("D", "C") or match["calculated_sign"] not in ("D", "C"):
                self._add(FileProblem(number, kind, "amount_sign", "must be D or C"))
                if self.full:
                    return
            cents = int(match["amount"])
            self.total_cents += -cents if sign == "C" else cents
        elif kind == "99":
            self._add(*self.v._check_closing(number, match, self.counts, self.total_cents))


AW319_VALIDATOR = Validator(AW319)
# A DRAFT may lack what the pre-flight reports and blocks finalising for (a client without a
# policy number): the draft is stored so the pre-flight can list it, and finalising checks
# the stored files again with the strict validator. Everything else is refused in a draft too.
DRAFT_TOLERATED = frozenset({"policy_number"})
AW319_DRAFT_VALIDATOR = Validator(AW319, tolerate=DRAFT_TOLERATED)


def validate_declaration(data: bytes, *, draft: bool = False) -> None:
    """Raise DeclarationInvalid unless `data` is a well-formed AW319 file."""
    problems = (AW319_DRAFT_VALIDATOR if draft else AW319_VALIDATOR).validate(data)
    if problems:
        raise DeclarationInvalid(problems)


def read_records(data: bytes, layout: Layout) -> Iterator[tuple[int, str, dict[str, str]]]:
    """(record number, record type, {field: stripped text}) for each record of a file.

    For small files (return messages): it builds a dict per record. Records of an unknown
    type or length are given with an empty dict, for the caller to report.
    """
    text = data.decode(ENCODING)
    length = record_length(layout)
    for number, record in enumerate(text.splitlines(), start=1):
        if not record.strip():
            continue
        kind = record[:2]
        fields = layout.get(kind)
        if fields is None or len(record) != length:
            yield number, kind, {}
            continue
        yield number, kind, {f.name: record[f.slice].strip() for f in fields}
