"""Demo clients: a few insurers and eight clients per demo team, each with an Omaha record.

Everything is written through the services (so the demo obeys every rule) and keyed on the
BSN, so loading twice changes nothing. Names, BSNs and policy numbers are invented; the BSNs
pass the 11-test but belong to nobody we know of. The insurers' UZOVI codes look real and are
marked as demo data.
"""

import datetime as dt
import random
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from clients import services
from clients.models import BSN_WEIGHTS, Client, Insurer, RatingMoment
from clients.services import SignInput
from omaha.models import Severity, SignSymptom
from teams.models import Team, User
from teams.names import Sex, name_display

DEMO_INSURERS = [
    ("Zilveren Kruis (demo)", "3311"),
    ("VGZ (demo)", "7095"),
    ("CZ (demo)", "9018"),
    ("Menzis (demo)", "3332"),
]

# team, nurse who records, postcodes (the team's neighbourhood areas), street names
DEMO_TEAMS = [
    (
        "Team Oost",
        "nurse",
        ["1091", "1092", "1093"],
        ["Dapperstraat", "Javastraat", "Linnaeusstraat"],
    ),
    (
        "Team Noord",
        "nurse4",
        ["1021", "1022"],
        ["Meeuwenlaan", "Buikslotermeerplein", "Nieuwendammerdijk"],
    ),
]

# (initials, roepnaam, tussenvoegsel, achternaam, sex): Dutch names as the records hold them.
DEMO_PEOPLE = [
    ("J.M.", "Johanna", "de", "Jong", Sex.FEMALE),
    ("W.H.", "Willem", "", "Jansen", Sex.MALE),
    ("M.C.", "Maria", "van den", "Berg", Sex.FEMALE),
    ("H.", "Hendrik", "de", "Vries", Sex.MALE),
    ("C.J.", "Cornelia", "", "Bakker", Sex.FEMALE),
    ("P.", "Pieter", "van der", "Heijden", Sex.MALE),
    ("G.A.", "Geertruida", "", "Visser", Sex.FEMALE),
    ("J.", "Jan", "", "Smit", Sex.MALE),
    ("A.", "Aaltje", "ter", "Horst", Sex.FEMALE),
    ("G.", "Gerrit", "", "Meijer", Sex.MALE),
    ("F.", "Fatma", "", "Yilmaz", Sex.FEMALE),
    ("M.", "Mohamed", "", "El Idrissi", Sex.MALE),
    ("H.M.", "Riet", "van", "Dijk", Sex.FEMALE),  # roepnaam Riet, voorletters from Hendrika Maria
    ("C.", "Kees", "de", "Groot", Sex.MALE),  # Cornelis, called Kees
    ("S.", "Sientje", "in 't", "Veld", Sex.FEMALE),
    ("A.", "Ahmed", "", "Bos", Sex.MALE),
]
# My day's key-info line (issue 18).
DEMO_KEY_SAFES = [
    "Sleutelkluis links van de voordeur, code 4821",
    "Sleutel bij de buurvrouw op nummer 12",
    "",
    "Sleutelkluis bij de achterdeur, code 1937",
]
DEMO_ALLERGIES = ["Penicilline", "", "Latex (pleisters)", "", ""]
DEMO_ALARMS = ["", "Halsalarm; de meldkamer belt de dochter", "", "Inbraakalarm: code 2580"]
RELATIVES = ["Anneke", "Marco", "Ingrid", "Erik", "Monique", "Ruud", "Sandra", "Bas"]

# Typical home-care problems: (problem code, severity, interventions as (category, target, what))
PROBLEM_SETS = [
    [
        (
            "26",
            Severity.ACTUAL,
            [
                ("02", "14", "Open been (ulcus cruris) reinigen en verbinden"),
                ("04", "51", "Wondranden en huid rond de wond controleren"),
            ],
        ),
        ("24", Severity.ACTUAL, [("04", "50", "Bij elk bezoek de pijnscore (0-10) vragen")]),
    ],
    [
        (
            "42",
            Severity.ACTUAL,
            [
                ("02", "33", "Avondmedicatie geven"),
                ("01", "32", "Bijwerkingen van de nieuwe plastablet uitleggen"),
            ],
        ),
        (
            "07",
            Severity.POTENTIAL,
            [("03", "60", "Kennis laten maken met de koffieochtend in de buurt")],
        ),
    ],
    [
        (
            "38",
            Severity.ACTUAL,
            [
                ("02", "41", "Helpen met douchen"),
                ("01", "41", "Aankleden oefenen met de steunkousenaantrekker"),
            ],
        ),
        (
            "27",
            Severity.ACTUAL,
            [("03", "78", "Verwijzen naar de fysiotherapeut voor looptraining")],
        ),
    ],
    [
        (
            "23",
            Severity.ACTUAL,
            [
                ("04", "49", "Letten op verwardheid in de avond"),
                ("03", "12", "Dagbesteding twee keer per week regelen"),
            ],
        ),
        ("35", Severity.HEALTH_PROMOTION, [("01", "67", "Bespreken: genoeg eiwit en vocht")]),
    ],
]


def demo_bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, BSN_WEIGHTS[:8], strict=True)) % 11
        if check <= 9 and any(digits):
            return "".join(map(str, digits)) + str(check)


def _signs(problem_code: str, count: int) -> list[SignInput]:
    keys = SignSymptom.objects.filter(problem__code=problem_code, is_other=False).order_by(
        "number"
    )[:count]
    return [SignInput(s.key) for s in keys]


def _record(client: Client, nurse: User, problem_set: list, today: dt.date, step: int) -> None:
    for code, severity, interventions in problem_set:
        identified = client.admitted_on
        client_problem = services.client_problem_add(
            client=client,
            actor=nurse,
            problem=code,
            scope="individual",
            severity=severity,
            identified_on=identified,
            signs=_signs(code, 2) if severity == Severity.ACTUAL else [],
        )
        for category, target, what in interventions:
            services.intervention_add(
                client_problem=client_problem,
                actor=nurse,
                category=category,
                target=target,
                description=what,
                frequency="elk bezoek" if category == "04" else "dagelijks",
            )
        # Admission rating, then interim ratings every ~4 weeks showing (mostly) progress.
        k, b, s = 2, 2, 2 + (step % 2)
        services.outcome_rating_add(
            client_problem=client_problem,
            actor=nurse,
            rated_on=identified,
            moment=RatingMoment.ADMISSION,
            knowledge=k,
            behavior=b,
            status=s,
            expected_knowledge=4,
            expected_behavior=4,
            expected_status=4,
            today=today,
        )
        rated_on = identified + dt.timedelta(days=28)
        while rated_on <= today:
            k, b, s = min(k + 1, 5), min(b + (rated_on.day % 2), 5), min(s + 1, 4)
            services.outcome_rating_add(
                client_problem=client_problem,
                actor=nurse,
                rated_on=rated_on,
                moment=RatingMoment.INTERIM,
                knowledge=k,
                behavior=b,
                status=s,
                today=today,
            )
            rated_on += dt.timedelta(days=28)


def _fill_key_info(client: Client, nurse: User, key_info: dict[str, str]) -> int:
    """A demo client made before My day's key-info line (issue 18) has none: give it the key
    info a new one gets, through the service like any edit. Only a client with no key info at
    all, so a rerun, or key info a demo user typed, changes nothing. Returns 1 if it filled."""
    if client.has_key_info or not any(key_info.values()):
        return 0
    services.client_update(client=client, actor=nurse, **key_info)
    return 1


def load(stdout: TextIO) -> None:
    insurers = []
    for name, uzovi in DEMO_INSURERS:
        insurer, _ = Insurer.objects.get_or_create(
            uzovi=uzovi, defaults={"name": name, "is_demo": True}
        )
        insurers.append(insurer)
    today = timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 - reproducible demo data, not security
    created = filled = 0
    for team_index, (team_name, username, postcodes, streets) in enumerate(DEMO_TEAMS):
        team = Team.objects.filter(name=team_name).first()
        nurse = User.objects.filter(username=username).first()
        if team is None or nurse is None:
            stdout.write(f"clients: {team_name} or {username} missing; skipped.\n")
            continue
        for i in range(8):
            bsn = demo_bsn(rng)
            # Draw every random value even when the client exists, so reruns stay in step.
            letters = "".join(rng.choice("ABCDEFGHJKLMNPRTVWXZ") for _ in range(2))
            # Team Oost gets the even entries, Team Noord the odd ones: sixteen different people.
            person = DEMO_PEOPLE[(i * 2 + team_index) % len(DEMO_PEOPLE)]
            initials, first, prefix, last, sex = person
            key_info = {
                "key_safe_note": DEMO_KEY_SAFES[i % len(DEMO_KEY_SAFES)],
                "allergies": DEMO_ALLERGIES[i % len(DEMO_ALLERGIES)],
                "alarm_note": DEMO_ALARMS[i % len(DEMO_ALARMS)],
            }
            existing = Client.objects.filter(bsn=bsn).first()
            if existing is not None:
                filled += _fill_key_info(existing, nurse, key_info)
                continue
            admitted = today - dt.timedelta(days=20 + 17 * i)
            client = services.client_register(
                actor=nurse,
                initials=initials,
                first_name=first,
                name_prefix=prefix,
                last_name=last,
                sex=sex,
                date_of_birth=dt.date(1930 + i * 3, 1 + i, 3 + i * 2),
                bsn=bsn,
                street=streets[i % len(streets)],
                house_number=str(10 + i * 7),
                postcode=f"{postcodes[i % len(postcodes)]} {letters}",
                city="Amsterdam",
                phone=f"020-55501{team_index}{i}",
                insurer=insurers[i % len(insurers)],
                policy_number=f"DEMO-{team_index}{i:03d}-{bsn[-4:]}",
                gp_name=f"Huisartsenpraktijk {streets[0].split('straat')[0]}",
                gp_agb=f"0101{team_index}{i:03d}",
                key_safe_note=key_info["key_safe_note"],
                allergies=key_info["allergies"],
                alarm_note=key_info["alarm_note"],
                admitted_on=admitted,
            )
            assert isinstance(client, Client), "demo BSNs are new: never an intake request"
            services.care_indication_add(
                client=client,
                actor=nurse,
                hours_per_week=Decimal(str(3 + (i % 4) * 1.5)),
                products="persoonlijke verzorging, verpleging" if i % 2 else "verpleging",
                valid_from=admitted,
                valid_until=admitted + dt.timedelta(days=365),
            )
            services.network_contact_add(
                client=client,
                actor=nurse,
                name=name_display(RELATIVES[i % len(RELATIVES)], prefix, last),
                relation="dochter" if i % 2 else "zoon",
                phone=f"06-1234{team_index}{i:03d}",
                helps_with="boodschappen en afspraken",
                available_when="in het weekend" if i % 3 else "doordeweeks 's avonds",
            )
            if i % 3 == 0:
                services.network_contact_add(
                    client=client,
                    actor=nurse,
                    name="Buurvrouw Els",
                    relation="buurvrouw",
                    helps_with="houdt een oogje in het zeil, heeft een sleutel",
                    available_when="bijna elke dag",
                )
            _record(client, nurse, PROBLEM_SETS[i % len(PROBLEM_SETS)], today, i)
            created += 1
    stdout.write(
        f"clients: {created} demo clients created, key info filled in for {filled} "
        f"({len(insurers)} demo insurers).\n"
    )
