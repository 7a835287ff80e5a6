"""The AW319 / AW320 record layouts, as data.

SOURCES. Vektis does not publish its EI specifications in a machine-readable form that we
could ship, and its publication could not be read from here. What is below was checked
against two public open-source EI readers/writers (facts only, no code taken over):
- A: github.com/realDragonium/madeko at 4315b9ecbbbc2eca85b711bd5ffc5c378127af90, an AW319
  version 1.4 reader/writer in TypeScript (`src/lib/domain/invoice_metadata.ts`,
  `patient.ts`, `prestatie_record.ts`, `commentaar_record.ts`, `invoice_closing_data.ts`;
  each cites https://www.vektis.nl/standaardisatie/standaarden/AW319-1.4) and its code lists
  (`src/lib/domain/vektis/integration_message_types.ts` = COD002, `code.ts` incl. COD218);
- B: github.com/olmeca/vektor at b3901a251409cfe33969b87ec10d864d5dcb6f5f, file
  `doctypes.nim` (the JSON it embeds; removed from later commits of that repository): the
  AW319 and AW320 version 1.3 record layouts with Vektis data-element codes.
AW319: every field's position and length below is the same in A (1.4) and B (1.3). (A's
reader reads the 04 BTW percentage and declaration amount as 3 + 9 positions; its writer and
B have 4 + 8, as we do.)
Message code (COD002): A's code list has 187/188 for the Wlz/AWBZ declaration and its return
(B: AW319 v1.3 "DECLARATIE AWBZ" = 187, AW320 = 188) and 428/429 for the declaration of
wijkverpleging (district nursing), ELV, GZSP and Wzd and its return; A's AW319 1.4 writer
fills 428. We declare district nursing: 428, and expect 429 in the AW320.
AW320: only B has it (version 1.3): 370-position records, the AW319 record followed by the
insurer's part (see _AW320_TAIL). The MANDATORY flags are ours (what an intake check can
refuse us for). See docs/declaration-file.md for what is verified and what is not.

Formats: N numeric, right-aligned, zero-filled; AN alphanumeric, left-aligned,
space-filled; D a date CCYYMMDD (N 8; zeros when empty and optional). Positions are 1-based.
"""

from dataclasses import dataclass

RECORD_LENGTH = 310  # AW319
RETURN_RECORD_LENGTH = 370  # AW320 (source B)
NEWLINE = "\r\n"
ENCODING = "iso-8859-1"

# COD002, the EI message code in the 01 record (see module docstring): district nursing.
MESSAGE_CODE_AW319 = 428
MESSAGE_CODE_AW320 = 429
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
        # a code of COD218 (codes.TIME_UNIT_5_MINUTES): the unit the quantity counts in
        ("time_unit", "TIJDSEENHEID ZORGPERIODE (COD218)", 2, "N", True),
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

# AW320, the insurer's return message (source B, version 1.3): each record is the AW319
# record (310 positions) followed by the insurer's part, 370 positions in all. The 99 record
# differs: the insurer's totals follow the submitted total (_AW320_CLOSING).
RETURN_CODE_FIELDS = ("return_code_1", "return_code_2", "return_code_3")
_RETURN_CODES = [
    (name, f"RETOURCODE ({number:02d}) (COD954)", 4, "AN", False)
    for number, name in enumerate(RETURN_CODE_FIELDS, start=1)
]
_AW320_TAIL: dict[str, list[tuple[str, str, int, str, bool]]] = {
    "01": [
        ("insurer_reference", "REFERENTIENUMMER ZORGVERZEKERAAR", 24, "AN", False),
        ("return_date", "DAGTEKENING RETOURBERICHT", 8, "D", False),
        *_RETURN_CODES,
        ("reserve_2", "RESERVE", 16, "AN", False),
    ],
    "02": [*_RETURN_CODES, ("reserve_2", "RESERVE", 48, "AN", False)],
    "04": [
        ("insurer_amount", "BEREKEND BEDRAG ZORGVERZEKERAAR", 8, "N", False),
        ("insurer_amount_sign", "INDICATIE DEBET/CREDIT (03)", 1, "AN", False),
        ("granted_amount", "TOEGEKEND BEDRAG", 8, "N", False),
        ("granted_sign", "INDICATIE DEBET/CREDIT (04)", 1, "AN", False),
        *_RETURN_CODES,
        ("reserve_2", "RESERVE", 30, "AN", False),
    ],
    "98": [*_RETURN_CODES, ("reserve_2", "RESERVE", 48, "AN", False)],
}
_AW320_CLOSING = [
    *_AW319["99"][:6],
    ("total", "TOTAAL INGEDIEND DECLARATIEBEDRAG", 11, "N", True),
    ("total_sign", "INDICATIE DEBET/CREDIT (01)", 1, "AN", True),
    ("granted_total", "TOTAAL TOEGEKEND BEDRAG", 11, "N", False),
    ("granted_sign", "INDICATIE DEBET/CREDIT (02)", 1, "AN", False),
    ("reserve", "RESERVE", 313, "AN", False),
]
_AW320 = {record: rows + _AW320_TAIL.get(record, []) for record, rows in _AW319.items()}
_AW320["99"] = _AW320_CLOSING


def _build(
    table: dict[str, list[tuple[str, str, int, str, bool]]], *, length: int
) -> dict[str, tuple[Field, ...]]:
    layouts: dict[str, tuple[Field, ...]] = {}
    for record, rows in table.items():
        fields: list[Field] = []
        start = 1
        for name, label, width, fmt, mandatory in rows:
            fields.append(Field(record, name, label, start, width, fmt, mandatory))
            start += width
        if start - 1 != length:
            raise ValueError(f"layout {record} is {start - 1} positions, not {length}")
        if len({f.name for f in fields}) != len(fields):
            raise ValueError(f"layout {record} names a field twice")
        layouts[record] = tuple(fields)
    return layouts


AW319: dict[str, tuple[Field, ...]] = _build(_AW319, length=RECORD_LENGTH)
AW320: dict[str, tuple[Field, ...]] = _build(_AW320, length=RETURN_RECORD_LENGTH)

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


def record_length(layout: dict[str, tuple[Field, ...]]) -> int:
    """The length of every record of `layout` (they are all the same)."""
    last = next(iter(layout.values()))[-1]
    return last.start + last.length - 1
