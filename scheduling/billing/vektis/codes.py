"""Code lists as data: district-nursing service codes and the insurer's return codes.

SERVICE CODES. District nursing (wijkverpleging, Zvw) is declared with the prestaties of the
NZa "Prestatie- en tariefbeschikking verpleging en verzorging" (e.g. TB/REG-24619-01 for
2024, https://puc.overheid.nl/nza/doc/PUC_741183_22/1/), under the prestatiecodelijst named
in the 04 record (AANDUIDING PRESTATIECODELIJST). We could NOT read bijlage 1 of that
beschikking from here, so every code below is marked `verified=False`: the codes and the
code-list indicator are placeholders in the official shape until the back office checks
them against the beschikking of the year. The pre-flight names any service code that is not
in this table for the year of care (`scheduling.billing.vektis.checks`).

TIME UNIT. The 04 record's TIJDSEENHEID ZORGPERIODE is a code of list COD218 (Vektis); the
quantity counts in that unit. COD218 as carried by github.com/realDragonium/madeko
(`src/lib/domain/vektis/code.ts` at 4315b9e, citing
https://www.vektis.nl/standaardisatie/codelijsten/COD218-VEKT): 01 minute, 02 quarter of an
hour, 04 hour, 07 five minutes, 08 ten minutes, ... (no 05). We declare 5-minute units: 07.

RETURN CODES. The AW320 carries Vektis return codes (COD954) per record. The texts below are
our own plain descriptions of the common reasons (also unverified); a code not in the table
is shown with its number and "unknown return code", never dropped.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class ServiceCode:
    code: str  # PRESTATIECODE (5 AN)
    code_list: int  # AANDUIDING PRESTATIECODELIJST (3 N)
    name: str
    valid_from: int  # first year of care it may be declared for
    valid_until: int | None  # last year, None: still valid
    verified: bool  # checked against the NZa beschikking of those years


# Placeholder code list indicator for wijkverpleging (unverified, see module docstring).
WIJKVERPLEGING_CODE_LIST = 77

SERVICE_CODES: tuple[ServiceCode, ...] = (
    ServiceCode("1000", WIJKVERPLEGING_CODE_LIST, "Persoonlijke verzorging", 2015, None, False),
    ServiceCode("1001", WIJKVERPLEGING_CODE_LIST, "Verpleging", 2015, None, False),
    ServiceCode("1002", WIJKVERPLEGING_CODE_LIST, "Verpleging speciaal", 2015, 2018, False),
    ServiceCode("1004", WIJKVERPLEGING_CODE_LIST, "Verpleging en verzorging", 2019, None, False),
    ServiceCode(
        "1005", WIJKVERPLEGING_CODE_LIST, "Verpleging en verzorging aan kinderen", 2019, None, False
    ),
    ServiceCode("1008", WIJKVERPLEGING_CODE_LIST, "Casemanagement dementie", 2015, None, False),
    ServiceCode("1009", WIJKVERPLEGING_CODE_LIST, "Inzet thuiszorgtechnologie", 2020, None, False),
)

_BY_CODE: dict[str, list[ServiceCode]] = {}
for _code in SERVICE_CODES:
    _BY_CODE.setdefault(_code.code, []).append(_code)


def service_code_for(code: str, year: int) -> ServiceCode | None:
    """The code-list entry of `code` valid in `year`, or None."""
    for entry in _BY_CODE.get(code, []):
        if entry.valid_from <= year and (entry.valid_until is None or year <= entry.valid_until):
            return entry
    return None


# COD218 (see module docstring): the quantity of a 04 record is a number of 5-minute units.
def code_list_sql(code: str, day: str) -> str:
    """`service_code_for(code, day.year).code_list` (0 for a code not in the table) as SQL
    over the expressions `code` and `day` (the table's first entry that fits, as in Python)."""
    cases = []
    for entry in SERVICE_CODES:
        if not entry.code.isalnum():
            raise ValueError(f"service code {entry.code!r} is not alphanumeric")
        until = (
            f" AND {day} < '{int(entry.valid_until) + 1:04d}-01-01'" if entry.valid_until else ""
        )
        cases.append(
            f"WHEN {code} = '{entry.code}' AND {day} >= '{int(entry.valid_from):04d}-01-01'{until} "
            f"THEN {int(entry.code_list)}"
        )
    return f"CASE {' '.join(cases)} ELSE 0 END"


TIME_UNIT_5_MINUTES = 7

# Return codes (COD954), unverified descriptions. "0001" means the record was accepted.
ACCEPTED = "0001"
RETURN_CODES: dict[str, Promise] = {
    ACCEPTED: _("Accepted."),
    "0012": _("Insured person unknown to the insurer (BSN / policy number)."),
    "0013": _("Not insured with this insurer on the date of care."),
    "0031": _("Date of birth does not match the insurer's records."),
    "0101": _("Service code not valid on the date of care."),
    "0102": _("No contract for this service with this provider."),
    "0202": _("Tariff higher than agreed."),
    "0301": _("Duplicate: this record was declared before."),
    "0302": _("The record to be credited cannot be found (previous reference)."),
    "0401": _("No valid indication for the date of care."),
    "0901": _("Totals in the closing record do not add up."),
}
UNKNOWN_RETURN_CODE = _("Unknown return code.")


def return_code_text(code: str) -> Promise:
    return RETURN_CODES.get(code, UNKNOWN_RETURN_CODE)
