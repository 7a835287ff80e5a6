"""Test helper: the insurer's AW320 return message for one of our AW319 files.

Built from the layout table (`vektis.layout.AW320`, 370-position records): each of our
records followed by the insurer's part, the amounts granted in full, "0001" (accepted) or the
given return code in RETOURCODE (01).
"""

from scheduling.billing.vektis.layout import AW319, AW320, NEWLINE, Field, field, record_length
from scheduling.billing.vektis.records import RecordWriter


def _put(record: str, f: Field, value: str) -> str:
    assert len(value) == f.length, (f.name, value)
    return record[: f.start - 1] + value + record[f.start - 1 + f.length :]


def aw320_record(record: str, code: str = "0001") -> str:
    kind = record[:2]
    if kind == "99":  # the closing record has its own layout in the AW320
        values = {f.name: record[f.slice] for f in AW319["99"] if f.name != "reserve"}
        values |= {"granted_total": int(values["total"]), "granted_sign": values["total_sign"]}
        values = {k: v for k, v in values.items() if k != "record_type"}
        return RecordWriter(AW320, "99")(**values)[: -len(NEWLINE)]
    out = record.ljust(record_length(AW320))
    if kind == "04":
        amount = record[field(AW319, "04", "amount").slice]
        sign = record[field(AW319, "04", "amount_sign").slice]
        for name, value in (
            ("insurer_amount", amount),
            ("insurer_amount_sign", sign),
            ("granted_amount", amount),
            ("granted_sign", sign),
        ):
            out = _put(out, field(AW320, "04", name), value)
    if kind == "01":
        out = _put(out, field(AW320, "01", "message_code"), "429")
        out = _put(out, field(AW320, "01", "insurer_reference"), "ZV-RETOUR-1".ljust(24))
        out = _put(out, field(AW320, "01", "return_date"), "20260415")
    return _put(out, field(AW320, kind, "return_code_1"), code)


def aw320_file(records: list[str], codes: dict[int, str] | None = None) -> bytes:
    """`records`: our AW319 records without CR LF; `codes`: record index -> return code."""
    codes = codes or {}
    out = [aw320_record(record, codes.get(index, "0001")) for index, record in enumerate(records)]
    return (NEWLINE.join(out) + NEWLINE).encode("iso-8859-1")
