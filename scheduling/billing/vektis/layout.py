"""The AW319 / AW320 record layouts, as data.

SOURCE. Vektis does not publish its EI specifications in a machine-readable form that we
could ship. The positions below follow the AW319 version 1.4 record classes of a public
open-source EI reader/writer written in TypeScript (files `ei_flat_file.ts`,
`invoice_metadata`, `patient`, `prestatie_record`, `commentaar_record`, `sluit_record`;
each file cites https://www.vektis.nl/standaardisatie/standaarden/AW319-1.4), cross-checked
with the common EI lead-record layout (COD001 record type, COD002 message code, NUM001 /
NUM309 version and sub-version) of github.com/olmeca/vektor (`vektor-data/doctypes.json`).
Where that source disagrees with itself we took the writer's widths and made every record add
up to 310 positions:
- 04: BTW percentage 4 N, declaration amount 8 N (its reader says 3 and 9; same 12 positions);
- 99: reserve 265 AN (its writer says 234, which would make a 279-character record).
The MANDATORY flags are ours (what an intake check can refuse us for); check them, the
message code (COD002) and the AW320 return-code positions against the current Vektis
publication before the first real file is sent. See README "Declaration file (Vektis EI)".

Formats: N numeric, right-aligned, zero-filled; AN alphanumeric, left-aligned,
space-filled; D a date CCYYMMDD (N 8; zeros when empty and optional). Positions are 1-based.
"""

from dataclasses import dataclass

RECORD_LENGTH = 310
NEWLINE = "\r\n"
ENCODING = "iso-8859-1"

# Unverified (see module docstring): the EI message code of AW319 and AW320 in COD002.
MESSAGE_CODE_AW319 = 188
MESSAGE_CODE_AW320 = 189
STANDARD_VERSION = 1
STANDARD_SUBVERSION = 4


@dataclass(frozen=True, slots=True)
class Field:
    record: str  # record type "01", "02", ...
    name: str  # our name, used by the writer, the validator's messages and the parser
    label: str  # the Vektis name of the data element
    start: int  # 1-based
    length: int
    format: str  # "N", "AN" or "D"
    mandatory: bool

    @property
    def slice(self) -> slice:
        return slice(self.start - 1, self.start - 1 + self.length)


# (name, Vektis label, length, format, mandatory): positions follow from the order.
_AW319: dict[str, list[tuple[str, str, int, str, bool]]] = {
    "01": [
        ("record_type", "KENMERK RECORD", 2, "N", True),
        ("message_code", "CODE EXTERNE-INTEGRATIEBERICHT", 3, "N", True),
        ("version", "VERSIENUMMER BERICHTSTANDAARD", 2, "N", True),
        ("subversion", "SUBVERSIENUMMER BERICHTSTANDAARD", 2, "N", True),
        ("message_kind", "SOORT BERICHT (P productie, T test)", 1, "AN", True),
        ("software_code", "CODE INFORMATIESYSTEEM SOFTWARELEVERANCIER", 6, "N", False),
        ("software_version", "VERSIEAANDUIDING INFORMATIESYSTEEM", 10, "AN", False),
        ("uzovi", "UZOVI-NUMMER", 4, "N", True),
        ("submitter_agb", "CODE SERVICEBUREAU", 8, "N", False),
        ("provider_agb", "ZORGVERLENERSCODE", 8, "N", False),
        ("practice_agb", "PRAKTIJKCODE", 8, "N", False),
        ("institution_agb", "INSTELLINGSCODE", 8, "N", True),
        ("payee", "IDENTIFICATIECODE BETALING AAN", 2, "N", True),
        ("period_start", "BEGINDATUM DECLARATIEPERIODE", 8, "D", True),
        ("period_end", "EINDDATUM DECLARATIEPERIODE", 8, "D", True),
        ("invoice_number", "FACTUURNUMMER DECLARANT", 12, "AN", True),
        ("invoice_date", "DAGTEKENING FACTUUR", 8, "D", True),
        ("vat_number", "BTW-IDENTIFICATIENUMMER", 14, "AN", False),
        ("currency", "VALUTACODE", 3, "AN", True),
        ("reserve", "RESERVE", 193, "AN", False),
    ],
    "02": [
        ("record_type", "KENMERK RECORD", 2, "N", True),
        ("serial", "IDENTIFICATIE DETAILRECORD", 12, "N", True),
        ("bsn", "BURGERSERVICENUMMER (BSN) VERZEKERDE", 9, "N", True),
        ("uzovi", "UZOVI-NUMMER", 4, "N", True),
        ("policy_number", "VERZEKERDENNUMMER (INSCHRIJVINGSNUMMER, RELATIENUMMER)", 15, "AN", True),
        ("patient_id", "PATIENT(IDENTIFICATIE)NUMMER", 11, "AN", False),
        ("date_of_birth", "DATUM GEBOORTE VERZEKERDE", 8, "D", True),
        ("sex", "CODE GESLACHT VERZEKERDE (COD046)", 1, "N", True),
        ("name_use_1", "NAAMCODE/NAAMGEBRUIK (01)", 1, "N", True),
        ("last_name", "NAAM VERZEKERDE (01)", 25, "AN", True),
        ("name_prefix", "VOORVOEGSEL VERZEKERDE (01)", 10, "AN", False),
        ("name_use_2", "NAAMCODE/NAAMGEBRUIK (02)", 1, "N", False),
        ("last_name_2", "NAAM VERZEKERDE (02)", 25, "AN", False),
        ("name_prefix_2", "VOORVOEGSEL VERZEKERDE (02)", 10, "AN", False),
        ("initials", "VOORLETTERS VERZEKERDE", 6, "AN", False),
        ("name_use_3", "NAAMCODE/NAAMGEBRUIK (03)", 1, "N", False),
        ("postcode", "POSTCODE (HUISADRES) VERZEKERDE", 6, "AN", True),
        ("postcode_abroad", "POSTCODE BUITENLAND", 9, "AN", False),
        ("house_number", "HUISNUMMER (HUISADRES) VERZEKERDE", 5, "N", True),
        ("house_addition", "HUISNUMMERTOEVOEGING (HUISADRES) VERZEKERDE", 6, "AN", False),
        ("country", "CODE LAND VERZEKERDE", 2, "AN", False),
        ("debtor_number", "DEBITEURNUMMER", 11, "AN", False),
        ("deceased", "INDICATIE CLIENT OVERLEDEN", 1, "N", False),
        ("indication_body", "CODE INDICATIEORGAAN", 4, "N", False),
        ("indication_client", "CLIENTNUMMER INDICATIEORGAAN", 20, "AN", False),
        ("reserve", "RESERVE", 105, "AN", False),
    ],
    "04": [
        ("record_type", "KENMERK RECORD", 2, "N", True),
        ("serial", "IDENTIFICATIE DETAILRECORD", 12, "N", True),
        ("bsn", "BURGERSERVICENUMMER (BSN) VERZEKERDE", 9, "N", True),
        ("uzovi", "UZOVI-NUMMER", 4, "N", True),
        ("policy_number", "VERZEKERDENNUMMER (INSCHRIJVINGSNUMMER, RELATIENUMMER)", 15, "AN", True),
        ("authorisation", "MACHTIGINGSNUMMER ZORGVERZEKERAAR", 15, "AN", False),
        ("forwarding", "DOORSTUREN TOEGESTAAN", 1, "N", False),
        ("indication_body", "CODE INDICATIEORGAAN", 4, "N", False),
        ("indication_client", "CLIENTNUMMER INDICATIEORGAAN", 20, "AN", False),
        ("indication_request", "AANVRAAGNUMMER INDICATIE", 9, "N", False),
        ("indication_answer", "BESLUITNUMMER INDICATIE", 9, "N", False),
        ("function_code", "FUNCTIECODE", 2, "N", False),
        ("care_package", "ZORGZWAARTEPAKKETCODE", 3, "N", False),
        ("service_start", "BEGINDATUM PRESTATIE", 8, "D", True),
        ("service_end", "EINDDATUM PRESTATIE", 8, "D", True),
        ("code_list", "AANDUIDING PRESTATIECODELIJST", 3, "N", True),
        ("service_code", "PRESTATIECODE", 5, "AN", True),
        ("quantity", "AANTAL UITGEVOERDE PRESTATIES", 4, "N", True),
        ("unit_minutes", "TIJDSDUUR PRESTATIE (MINUTEN PER EENHEID)", 2, "N", False),
        ("performer_agb", "ZORGVERLENERSCODE BEHANDELAAR/UITVOERDER", 8, "N", False),
        ("performer_specialism", "SPECIALISME BEHANDELAAR/UITVOERDER", 4, "N", False),
        ("referrer_agb", "ZORGVERLENERSCODE VOORSCHRIJVER/VERWIJZER", 8, "N", False),
        ("referrer_specialism", "SPECIALISME VOORSCHRIJVER/VERWIJZER", 4, "N", False),
        ("percentage", "VERREKENPERCENTAGE", 5, "N", False),
        ("tariff", "TARIEF PRESTATIE (INCL. BTW)", 8, "N", True),
        ("calculated_amount", "BEREKEND BEDRAG (INCL. BTW)", 8, "N", True),
        ("calculated_sign", "INDICATIE DEBET/CREDIT (01)", 1, "AN", True),
        ("vat_percentage", "BTW-PERCENTAGE DECLARATIEBEDRAG", 4, "N", False),
        ("amount", "DECLARATIEBEDRAG (INCL. BTW)", 8, "N", True),
        ("amount_sign", "INDICATIE DEBET/CREDIT (02)", 1, "AN", True),
        ("reference", "REFERENTIENUMMER DIT PRESTATIERECORD", 20, "AN", True),
        (
            "previous_reference",
            "REFERENTIENUMMER VOORGAANDE GERELATEERDE PRESTATIERECORD",
            20,
            "AN",
            False,
        ),
        ("reserve", "RESERVE", 76, "AN", False),
    ],
    "98": [
        ("record_type", "KENMERK RECORD", 2, "N", True),
        ("serial", "IDENTIFICATIE DETAILRECORD", 12, "N", True),
        ("line_number", "REGELNUMMER VRIJE TEKST", 4, "N", True),
        ("text", "VRIJE TEKST", 140, "AN", True),
        ("reserve", "RESERVE", 152, "AN", False),
    ],
    "99": [
        ("record_type", "KENMERK RECORD", 2, "N", True),
        ("insured_count", "AANTAL VERZEKERDENRECORDS", 6, "N", True),
        ("debtor_count", "AANTAL DEBITEURRECORDS", 6, "N", True),
        ("service_count", "AANTAL PRESTATIERECORDS", 6, "N", True),
        ("comment_count", "AANTAL COMMENTAARRECORDS", 6, "N", True),
        ("detail_count", "TOTAAL AANTAL DETAILRECORDS", 7, "N", True),
        ("total", "TOTAAL DECLARATIEBEDRAG", 11, "N", True),
        ("total_sign", "INDICATIE DEBET/CREDIT", 1, "AN", True),
        ("reserve", "RESERVE", 265, "AN", False),
    ],
}

# AW320, the insurer's return message, repeats every AW319 record and adds, per record, up
# to three return codes (COD954, 4 AN each). UNVERIFIED: we put them in the last 12
# positions of the reserve (299-310); the rest of each record is read as AW319.
RETURN_CODE_FIELDS = ("return_code_1", "return_code_2", "return_code_3")


def _build(
    table: dict[str, list[tuple[str, str, int, str, bool]]], *, with_return_codes: bool
) -> dict[str, tuple[Field, ...]]:
    layouts: dict[str, tuple[Field, ...]] = {}
    for record, rows in table.items():
        fields: list[Field] = []
        start = 1
        for name, label, length, fmt, mandatory in rows:
            if with_return_codes and name == "reserve":
                length -= 4 * len(RETURN_CODE_FIELDS)
            fields.append(Field(record, name, label, start, length, fmt, mandatory))
            start += length
        if with_return_codes:
            for number, name in enumerate(RETURN_CODE_FIELDS, start=1):
                label = f"RETOURCODE ({number:02d})"
                fields.append(Field(record, name, label, start, 4, "AN", False))
                start += 4
        if start - 1 != RECORD_LENGTH:
            raise ValueError(f"layout {record} is {start - 1} positions, not {RECORD_LENGTH}")
        layouts[record] = tuple(fields)
    return layouts


AW319: dict[str, tuple[Field, ...]] = _build(_AW319, with_return_codes=False)
AW320: dict[str, tuple[Field, ...]] = _build(_AW319, with_return_codes=True)

RECORD_NAMES = {
    "01": "voorlooprecord",
    "02": "verzekerdenrecord",
    "04": "prestatierecord",
    "98": "commentaarrecord",
    "99": "sluitrecord",
}


def field(layout: dict[str, tuple[Field, ...]], record: str, name: str) -> Field:
    for f in layout[record]:
        if f.name == name:
            return f
    raise KeyError(f"{record}.{name}")
