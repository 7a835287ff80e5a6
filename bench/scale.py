"""National-scale data: `manage.py generate_scale --teams N` (seeded, so every run is the same).

Per team: a neighbourhood with its own postcode area, 8-12 nurses (seats 1..n), about 60
clients with an insurer, a care indication, 2-4 Omaha problems (signs for actual ones), a care
plan and outcome ratings, and about 43 clients discharged over the past five years (resolved
problems, rated at discharge too); a space in coaching; coverage rules and shifts for 24/7 cover
(3 early, 2 late, 1 night nurse a day); and visits: last calendar month in full (completed,
with the services billing counts) plus the current week (completed up to yesterday, planned
from today). One coach per 50 teams, a back office and an administrator.

Rows go in with PostgreSQL COPY in chunks of teams, one transaction per chunk, so memory stays
flat whatever N is. Parts whose models have not landed (yet) are skipped, and the summary
says so. Meant for an empty database (`make bench` makes `bz_bench` afresh): it refuses to
run twice on the same one.
"""

import calendar
import datetime as dt
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from bench.copy import CopyWriter
from teams.models import CoachAssignment, Membership, Neighbourhood, PostcodeArea, Role, Team, User
from teams.names import Sex, initials_from_first_name

PASSWORD = "bench-password-2026"
TEAMS_PER_COACH = 50
TZ = ZoneInfo("Europe/Amsterdam")

FEMALE_NAMES = (
    "Anna Emma Sophie Julia Lotte Sanne Eva Lisa Fleur Iris Noor Anouk Femke Maud Lieke Roos "
    "Marieke Ingrid Yvonne Petra Monique Saskia Ria Truus Annie Mien Corrie Joke Greet Fatima "
    "Aicha Priya Mei"
).split()
MALE_NAMES = "Dirk Jan Piet Kees Henk Gerrit Willem Cor Johan Ahmed Mohamed Yusuf Sven".split()
FIRST_NAMES = FEMALE_NAMES + MALE_NAMES
# Surnames without their tussenvoegsel (teams.names): about one Dutch surname in five has one.
LAST_NAMES = (
    "Jong|Jansen|Vries|Berg|Dijk|Bakker|Janssen|Visser|Smit|Meijer|Boer|Mulder|Groot|Bos|Vos|"
    "Peters|Hendriks|Leeuwen|Dekker|Brouwer|Wit|Dijkstra|Smits|Graaf|Meer|Linden|Kok|Jacobs|"
    "Haan|Vermeulen|Heuvel|Veen|Broek|Bruijn|Bruin|Heijden|Schouten|Beek|Willems|Vliet|Ven|"
    "Hoekstra|Maas|Verhoeven|Koster|Dam|Prins|Blom|Huisman|Peeters"
).split("|")
NAME_PREFIXES = ("de", "de", "de", "van", "van", "van den", "van der", "van de", "ter", "'t")
NAME_PREFIX_SHARE = 0.2


def _person(rng: random.Random) -> tuple[str, str, str, str, str]:
    """(initials, first name, name prefix, last name, sex) of a made-up Dutch person."""
    female = rng.random() < 0.75  # most district nurses, and most clients, are women
    first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    prefix = rng.choice(NAME_PREFIXES) if rng.random() < NAME_PREFIX_SHARE else ""
    sex = Sex.FEMALE if female else Sex.MALE
    return initials_from_first_name(first), first, prefix, rng.choice(LAST_NAMES), sex


CITIES = (
    "Amsterdam Rotterdam Utrecht Eindhoven Groningen Tilburg Almere Breda Nijmegen Apeldoorn "
    "Haarlem Arnhem Enschede Amersfoort Zaanstad Zwolle Leiden Maastricht Dordrecht Ede Delft "
    "Alkmaar Venlo Deventer Helmond Almelo Hengelo Leeuwarden Emmen Assen Hoorn Gouda Oss"
).split()
DISTRICTS = "Noord Oost Zuid West Centrum Buiten Dorp Haven Park Veld Hoog Laag".split()
STREETS = "Dorpsstraat Kerkstraat Molenweg Schoolstraat Julianalaan Beatrixstraat Lindelaan".split()
INSURERS = [
    ("Zilveren Kruis (scale)", "9101"),
    ("VGZ (scale)", "9102"),
    ("CZ (scale)", "9103"),
    ("Menzis (scale)", "9104"),
    ("DSW (scale)", "9105"),
    ("ONVZ (scale)", "9106"),
    ("Zorg en Zekerheid (scale)", "9107"),
    ("Salland (scale)", "9108"),
]
INSURER_WEIGHTS = [30, 25, 20, 12, 5, 3, 3, 2]
CARE_SERVICES = [
    ("SC-PV", "Persoonlijke verzorging (example)", True),
    ("SC-VP", "Verpleging (example)", True),
    ("SC-IB", "Indicatiestelling (example)", True),
    ("SC-NB", "Niet-billable coordination (example)", False),
]
SERVICE_WEIGHTS = [55, 35, 5, 5]
# Visits a week per client: about 26 a month on average (1.5 million a month at 1,000 teams).
FREQUENCIES = [3, 5, 5, 7, 7, 7, 7]
INTERVENTION_TEXT = [
    "Wondzorg volgens protocol, wond fotograferen bij elke wissel",
    "Steunkousen aantrekken en huid controleren",
    "Medicatie klaarzetten in baxter en inname controleren",
    "Hulp bij douchen, zelfredzaamheid stimuleren",
    "Bloedsuiker meten en insuline toedienen",
    "Mantelzorger instrueren over tilhulp",
    "Valrisico bespreken, drempels en verlichting nalopen",
]
DISCHARGE_REASONS = [
    "Doelen bereikt, zelfredzaam",
    "Opgenomen in verpleeghuis",
    "Verhuisd buiten het werkgebied",
    "Overleden",
    "Zorg overgedragen aan mantelzorg",
]
# My day's key-info line (issue 18): taken by the client's id, not drawn from the seeded
# generator, so adding them left every other generated value as it was.
KEY_SAFE_NOTES = [
    "Sleutelkluis naast de voordeur, code 4821",
    "",
    "Sleutel bij de buren op nummer 12",
    "Sleutelkluis achterom, code 1937",
    "",
]
ALLERGIES = ["", "Penicilline", "", "Latex (pleisters)", "", "Jodium", ""]
ALARM_NOTES = ["", "", "Halsalarm; meldkamer belt de dochter", "", "Inbraakalarm: code 2580", ""]


def key_info(client: int) -> tuple[str, str, str]:
    """(key safe, allergies, alarm) of a generated client."""
    return (
        KEY_SAFE_NOTES[client % len(KEY_SAFE_NOTES)],
        ALLERGIES[client % len(ALLERGIES)],
        ALARM_NOTES[client % len(ALARM_NOTES)],
    )


SHIFT_SLOTS = [("early", 7, 8), ("early", 7, 8), ("early", 7, 8), ("late", 15, 8), ("late", 15, 8)]
NIGHT = ("night", 23, 8)
# medication (issue 17): (name, ATC, strength, form, dose, unit, route, high risk, times).
MEDICINES = [
    ("Metformine", "A10BA02", "500 mg", "tablet", 1, "tablet", "oral", False, ["08:00", "18:00"]),
    ("Paracetamol", "N02BE01", "500 mg", "tablet", 2, "tablet", "oral", False, ["08:00", "12:30"]),
    ("Insuline aspart", "A10AB05", "100 E/ml", "injection", 8, "E", "subcutaneous", True,
     ["08:00", "18:00"]),
    ("Acenocoumarol", "B01AA07", "1 mg", "tablet", 1, "tablet", "oral", True, ["18:00"]),
    ("Furosemide", "C03CA01", "40 mg", "tablet", 1, "tablet", "oral", False, ["08:00"]),
    ("Omeprazol", "A02BC01", "20 mg", "capsule", 1, "capsule", "oral", False, ["08:00"]),
    ("Oxycodon", "N02AA05", "5 mg", "tablet", 1, "tablet", "oral", True, ["08:00", "20:00"]),
    ("Latanoprost", "S01EE01", "50 microg/ml", "drops", 1, "drop", "eye", False, ["21:00"]),
]  # fmt: skip
MEDICATION_FIELDS = [
    "id", "client", "name", "code", "strength", "form", "dose_amount", "dose_unit", "route",
    "times_of_day", "starts_on", "high_risk", "created_by",
]  # fmt: skip
SIGNOFF_FIELDS = [
    "id", "medication", "due_at", "outcome", "high_risk", "signed_by", "second_signer", "visit",
]  # fmt: skip
DOSE_MARGIN = dt.timedelta(minutes=60)  # settings.MEDICATION_DOSE_MARGIN_MINUTES' default
# Visit columns the generator fills when the model has them (others get their defaults).
# Reports per done visit, and the days of history of each team's long-stay client.
REPORTS_PER_VISIT = [1, 1, 2, 3]
REPORT_HISTORY_DAYS = 730
REPORT_TEXT = [
    "Wond schoon, verband verwisseld. Geen tekenen van infectie.",
    "Cliënt sliep slecht, pijn 5/10; paracetamol gegeven volgens afspraak.",
    "Mobiliteit gaat vooruit, liep met rollator naar de keuken.",
    "Dochter aanwezig; besproken hoe de medicatie klaargezet wordt.",
    "Huid rond stoma rood; nieuw plakmateriaal geprobeerd.",
    "Bloedsuiker 11,2 voor het ontbijt; huisarts gebeld, wacht op terugbel.",
    "Rustige dag. Eetlust goed, voldoende gedronken.",
    "Cliënt verward in de avond; familie gevraagd vaker te bellen.",
]
VISIT_FIELDS = [
    "id", "client", "team", "nurse", "starts_at", "ends_at", "planned_minutes", "status",
    "service", "started_at", "ended_at", "logged_minutes", "logged_at", "logged_by",
]  # fmt: skip
COVERAGE = [
    (dt.time(7), dt.time(15), 3),
    (dt.time(15), dt.time(23), 2),
    (dt.time(23), dt.time(7), 1),
]


# Incident reports per team in the generated month (issue 16, item 4).
INCIDENTS_PER_TEAM_MONTH = 3


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _has(model: type[models.Model] | None, *names: str) -> bool:
    if model is None:
        return False
    fields = {f.name for f in model._meta.get_fields()}
    return all(name in fields for name in names)


def bsn_from(base: int) -> str | None:
    """A BSN passing the 11-test from an 8-digit base, or None when no check digit fits."""
    digits = f"{base:08d}"
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
    check = total % 11
    return None if check == 10 else digits + str(check)


@dataclass
class Ids:
    """In-memory id counters, seeded from each table's sequence (see CopyWriter.reserve_ids)."""

    writer: CopyWriter
    next: dict[type[models.Model], int] = field(default_factory=dict)

    def take(self, model: type[models.Model]) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value

    def start(self, model: type[models.Model], block: int) -> None:
        self.next[model] = self.writer.reserve_ids(model, block)


@dataclass
class Plan:
    teams: int
    seed: int = 2026
    today: dt.date = field(default_factory=dt.date.today)
    chunk: int = 20

    @property
    def month_start(self) -> dt.date:
        first = self.today.replace(day=1)
        return (first - dt.timedelta(days=1)).replace(day=1)

    @property
    def days(self) -> list[dt.date]:
        """Last calendar month plus the current ISO week."""
        start = self.month_start
        last = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        week_start = self.today - dt.timedelta(days=self.today.weekday())
        days = {start + dt.timedelta(days=i) for i in range((last - start).days + 1)}
        days |= {week_start + dt.timedelta(days=i) for i in range(7)}
        return sorted(days)


class ScaleGenerator:
    def __init__(self, plan: Plan, stdout: TextIO) -> None:
        self.plan = plan
        self.out = stdout
        self.rng = random.Random(plan.seed)
        self.now = dt.datetime.combine(plan.today, dt.time(12), tzinfo=TZ)
        self.writer = CopyWriter(rng=self.rng, now=self.now)
        self.ids = Ids(self.writer)
        self.password = make_password(PASSWORD)
        self.bsn_base = 10_000_000
        # Discharged clients: own random stream and BSN range (see `_clients`).
        self.history_rng = random.Random(plan.seed + 1)
        self.history_bsn_base = 50_000_000
        self.skipped: list[str] = []
        # Optional parts: present once the owning app has landed its models.
        self.Insurer = _model("clients.Insurer")
        self.Client = _model("clients.Client")
        self.CareIndication = _model("clients.CareIndication")
        self.ClientProblem = _model("clients.ClientProblem")
        self.ClientProblemSign = _model("clients.ClientProblemSign")
        self.Intervention = _model("clients.Intervention")
        self.OutcomeRating = _model("clients.OutcomeRating")
        self.Space = _model("coaching.Space")
        self.Shift = _model("scheduling.Shift")
        self.CoverageRule = _model("scheduling.CoverageRule")
        self.CareService = _model("scheduling.CareService")
        self.Visit = _model("scheduling.Visit")
        self.VisitService = _model("scheduling.VisitService")
        self.Medication = _model("medication.Medication")
        self.DoseSignoff = _model("medication.DoseSignoff")
        # Medication draws from its own stream, so everything else stays as it was.
        self.med_rng = random.Random(plan.seed + 2)
        # Reports (carenotes): their own random stream, so adding them changes no other data.
        self.CareReport = _model("carenotes.CareReport")
        self.report_rng = random.Random(plan.seed + 3)
        self.Incident = _model("incidents.Incident")

    def say(self, message: str) -> None:
        self.out.write(message + "\n")
        self.out.flush()

    # ---- set-up shared by all teams -------------------------------------------------------

    def check_empty(self) -> None:
        if Team.objects.filter(name__startswith="Scale ").exists():
            raise RuntimeError(
                "This database already holds generated teams; generate_scale wants a fresh "
                "database (make bench creates bz_bench anew)."
            )
        if self.plan.teams > 8999:
            raise RuntimeError("At most 8,999 teams: each gets its own 4-digit postcode area.")

    def setup(self) -> None:
        self.check_empty()
        self.insurers: list[Any] = []
        if self.Insurer is not None:
            for name, uzovi in INSURERS:
                insurer, _ = self.Insurer.objects.get_or_create(
                    uzovi=uzovi, defaults={"name": name}
                )
                self.insurers.append(insurer.pk)
        self.services: list[tuple[int, bool]] = []
        if self.CareService is not None:
            for code, name, billable in CARE_SERVICES:
                service, _ = self.CareService.objects.get_or_create(
                    code=code, defaults={"name": name, "is_billable": billable}
                )
                self.services.append((service.pk, billable))
        omaha_problem = _model("omaha.Problem")
        omaha_sign = _model("omaha.SignSymptom")
        self.problems = list(omaha_problem.objects.values_list("pk", flat=True))
        self.signs: dict[int, list[int]] = {}
        for pk, problem_id in omaha_sign.objects.filter(is_other=False).values_list(
            "pk", "problem_id"
        ):
            self.signs.setdefault(problem_id, []).append(pk)
        self.categories = list(
            _model("omaha.InterventionCategory").objects.values_list("pk", flat=True)
        )
        self.targets = list(
            _model("omaha.InterventionTarget")
            .objects.filter(is_other=False)
            .values_list("pk", flat=True)
        )
        self.coaches = []
        for i in range(1, (self.plan.teams - 1) // TEAMS_PER_COACH + 2):
            initials, first, prefix, last, sex = _person(self.rng)
            self.coaches.append(
                User.objects.create(
                    username=f"scale-coach{i:03d}",
                    initials=initials,
                    first_name=first,
                    name_prefix=prefix,
                    last_name=last,
                    sex=sex,
                    role=Role.COACH,
                    password=self.password,
                ).pk
            )
        for i in range(1, 4):
            User.objects.create(
                username=f"scale-backoffice{i}", role=Role.BACK_OFFICE, password=self.password
            )
        admin = User.objects.create(username="scale-admin", role=Role.ADMIN, password=self.password)
        self._contracts(admin)

    def _contracts(self, actor: User) -> None:
        """A contract with tariffs per insurer for the billed year, so billing prices lines."""
        try:
            from scheduling.billing.services import contract_create, tariff_set
        except ImportError:
            self.skipped.append("billing contracts (scheduling.billing not present)")
            return
        if self.CareService is None:
            return
        services = list(self.CareService.objects.filter(pk__in=[pk for pk, _ in self.services]))
        for insurer in self.Insurer.objects.filter(pk__in=self.insurers):
            for year in sorted({self.plan.month_start.year, self.plan.today.year}):
                contract = contract_create(insurer=insurer, year=year, actor=actor)
                for service in services:
                    if service.is_billable:
                        rate = Decimal(self.rng.choice([68, 72, 75, 79, 84])) + Decimal("0.50")
                        tariff_set(
                            contract=contract,
                            service=service,
                            hourly_rate=rate,
                            valid_from=dt.date(year, 1, 1),
                            actor=actor,
                        )
                        # Insurers change rates during a year too: a new rate from 1 July
                        # (billing prices each visit at the tariff of its date of service).
                        tariff_set(
                            contract=contract,
                            service=service,
                            hourly_rate=rate + Decimal("1.25"),
                            valid_from=dt.date(year, 7, 1),
                            actor=actor,
                        )

    # ---- one chunk of teams --------------------------------------------------------------

    def run(self) -> dict[str, int]:
        started = time.monotonic()
        with transaction.atomic():
            self.setup()
        blocks = self._blocks()
        for model, block in blocks.items():
            self.ids.start(model, block)
        fast = self._foreign_key_triggers_off()
        indexes = self._drop_secondary_indexes() if fast else []
        try:
            done = 0
            while done < self.plan.teams:
                size = min(self.plan.chunk, self.plan.teams - done)
                with transaction.atomic():
                    self.chunk(range(done, done + size))
                done += size
                if done % 100 == 0 or done == self.plan.teams:
                    self.say(f"  {done} teams, {time.monotonic() - started:.0f} s")
        finally:
            if fast:
                with connection.cursor() as cursor:
                    cursor.execute("SET session_replication_role = DEFAULT")
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '256MB'")
                for definition in indexes:
                    cursor.execute(definition)
        if indexes:
            self.say(f"  {len(indexes)} indexes rebuilt, {time.monotonic() - started:.0f} s")
        if fast:
            self.check_foreign_keys()
            self.say(f"  foreign keys checked, {time.monotonic() - started:.0f} s")
        with connection.cursor() as cursor:
            for label in self.writer.counts:
                cursor.execute(f'ANALYZE "{apps.get_model(label)._meta.db_table}"')
        return self.writer.counts

    def _foreign_key_triggers_off(self) -> bool:
        """Skip the per-row foreign-key triggers while loading, when the role may (superuser).

        PostgreSQL checks a foreign key with a trigger per row and constraint (here about 12
        million look-ups at 1,000 teams). With `session_replication_role = replica` those
        triggers do not fire; CHECK, UNIQUE and exclusion constraints still do. Every foreign
        key of every table written is then verified set-wise in `check_foreign_keys`, so the
        data is proven as consistent as the triggers would have made it.
        """
        if connection.in_atomic_block:
            return False  # e.g. inside a test transaction: keep the ordinary checks
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            (is_super,) = cursor.fetchone()
            if is_super:
                cursor.execute("SET session_replication_role = replica")
        return bool(is_super)

    BIG_TABLES = (
        "clients.Client",  # four trigram indexes for the list search
        "scheduling.Visit",
        "scheduling.VisitService",
        "scheduling.Shift",
        "clients.OutcomeRating",
        "clients.Intervention",
        "clients.ClientProblemSign",
        "clients.ClientProblem",
        "carenotes.CareReport",
    )

    def _drop_secondary_indexes(self) -> list[str]:
        """Drop the big tables' plain indexes for the load; returns the SQL that rebuilds them.

        Indexes behind a constraint (primary key, unique, exclusion) stay, so every rule is
        still enforced row by row; the others (foreign-key and lookup indexes) are rebuilt in
        one sorted pass each after the load, which is much cheaper than maintaining ~10 of
        them for each of millions of rows.
        """
        tables = [m._meta.db_table for label in self.BIG_TABLES if (m := _model(label))]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                  WHERE c.conindid = (quote_ident(i.indexname))::regclass)
                """,
                [tables],
            )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _, definition in found]

    def check_foreign_keys(self) -> None:
        """One anti-join per foreign key of every generated table; raises on a dangling row."""
        with connection.cursor() as cursor:
            for label in self.writer.counts:
                model = apps.get_model(label)
                for fk in model._meta.concrete_fields:
                    if not fk.is_relation or not fk.db_constraint:
                        continue
                    parent = fk.related_model._meta
                    target = fk.target_field.column
                    cursor.execute(
                        f'SELECT count(*) FROM "{model._meta.db_table}" c '  # noqa: S608
                        f'LEFT JOIN "{parent.db_table}" p ON p."{target}" = c."{fk.column}" '
                        f'WHERE c."{fk.column}" IS NOT NULL AND p."{target}" IS NULL'
                    )
                    (dangling,) = cursor.fetchone()
                    if dangling:
                        raise RuntimeError(f"{dangling} rows of {label}.{fk.name} point nowhere")

    def _blocks(self) -> dict[type[models.Model], int]:
        """Upper bounds of rows per table, reserved from the sequences up front."""
        n = self.plan.teams
        active = n * 66
        clients = active + n * 49  # and the discharged ones
        problems = clients * 4
        visits = active * 2 * len(self.plan.days) + n * 10
        blocks: dict[type[models.Model] | None, int] = {
            Neighbourhood: n,
            PostcodeArea: n,
            Team: n,
            User: n * 12,
            Membership: n * 12,
            CoachAssignment: n,
            self.Client: clients,
            self.CareIndication: clients,
            self.ClientProblem: problems,
            self.ClientProblemSign: problems * 2,
            self.Intervention: problems * 3,
            self.OutcomeRating: problems * 4,
            self.Space: n,
            self.CoverageRule: n * 3,
            self.Shift: n * 6 * len(self.plan.days),
            self.Visit: visits,
            self.VisitService: visits,
            self.Medication: active * 3,
            self.DoseSignoff: visits * 3,
            self.CareReport: visits * REPORTS_PER_VISIT[-1] + n * REPORT_HISTORY_DAYS * 2,
            self.Incident: n * INCIDENTS_PER_TEAM_MONTH,
        }
        return {model: size for model, size in blocks.items() if model is not None}

    def chunk(self, numbers: range) -> None:
        rng, take = self.rng, self.ids.take
        rows: dict[str, list[tuple]] = {}

        def add(key: str, row: tuple) -> None:
            rows.setdefault(key, []).append(row)

        team_nurses: dict[int, list[int]] = {}
        team_clients: dict[int, list[tuple[int, int]]] = {}
        for number in numbers:
            city = CITIES[number % len(CITIES)]
            district = DISTRICTS[(number // len(CITIES)) % len(DISTRICTS)]
            label = f"{city}-{district} {number + 1:04d}"
            nbh = take(Neighbourhood)
            add("nbh", (nbh, label, rng.randint(4000, 9800)))
            area = str(1000 + number)
            add("pc", (take(PostcodeArea), area, nbh))
            team = take(Team)
            add("team", (team, f"Scale {label}", nbh, True))
            add("coach", (take(CoachAssignment), self.coaches[number // TEAMS_PER_COACH], team))
            nurses = []
            for seat in range(1, rng.randint(8, 12) + 1):
                nurse = take(User)
                add(
                    "user",
                    (
                        nurse,
                        f"scale-n{number + 1:04d}-{seat:02d}",
                        *_person(rng),
                        f"n{number + 1}.{seat}@scale.example",
                        Role.NURSE,
                        self.password,
                        self.now,
                    ),
                )
                add(
                    "member",
                    (
                        take(Membership),
                        team,
                        nurse,
                        seat,
                        self.plan.month_start - dt.timedelta(days=rng.randint(30, 900)),
                        Decimal(rng.choice([16, 20, 24, 28, 32])),
                    ),
                )
                nurses.append(nurse)
            team_nurses[team] = nurses
            if self.Space is not None:
                add("space", (take(self.Space), "team", team, f"Scale {label}"))
            if self.CoverageRule is not None:
                for start, end, minimum in COVERAGE:
                    add("rule", (take(self.CoverageRule), team, start, end, minimum))
            if self.Client is not None:
                team_clients[team] = self._clients(team, area, nurses, add)

        self.writer.copy(Neighbourhood, ["id", "name", "population_estimate"], rows["nbh"])
        self.writer.copy(PostcodeArea, ["id", "code", "neighbourhood"], rows["pc"])
        self.writer.copy(Team, ["id", "name", "neighbourhood", "is_active"], rows["team"])
        self.writer.copy(
            User,
            [
                "id",
                "username",
                "initials",
                "first_name",
                "name_prefix",
                "last_name",
                "sex",
                "email",
                "role",
                "password",
                "date_joined",
            ],
            rows["user"],
        )
        self.writer.copy(
            Membership,
            ["id", "team", "nurse", "seat", "started_on", "contracted_hours"],
            rows["member"],
        )
        self.writer.copy(CoachAssignment, ["id", "coach", "team"], rows["coach"])
        if "space" in rows:
            self.writer.copy(self.Space, ["id", "kind", "team", "name"], rows["space"])
        if "rule" in rows:
            self.writer.copy(
                self.CoverageRule,
                ["id", "team", "starts_at", "ends_at", "min_nurses"],
                rows["rule"],
            )
        if self.Client is not None:
            self._write_clients(rows)
        if self.Shift is not None:
            self._shifts_and_visits(team_nurses, team_clients)
        if self.Incident is not None and self.Client is not None:
            self._incidents(team_nurses, team_clients)

    def _incidents(
        self, team_nurses: dict[int, list[int]], team_clients: dict[int, list[tuple[int, int]]]
    ) -> None:
        """A few incident reports per team in last month (issue 16): some about a client, some
        closed, some filed without the author's name shown."""
        rng, take = self.rng, self.ids.take
        start = self.plan.month_start
        last_day = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        kinds = ["fall", "medication", "aggression", "safeguarding", "complaint", "other"]
        rows = []
        for team, nurses in team_nurses.items():
            clients = team_clients.get(team, [])
            for _ in range(INCIDENTS_PER_TEAM_MONTH):
                day = start + dt.timedelta(days=rng.randint(0, (last_day - start).days))
                author = rng.choice(nurses)
                closed = rng.random() < 0.6
                rows.append(
                    (
                        take(self.Incident),
                        team,
                        rng.choice(clients)[0] if clients and rng.random() < 0.7 else None,
                        author,
                        rng.random() < 0.8,
                        rng.choice(kinds),
                        day,
                        "Generated report: what happened, who was there, first care given.",
                        "closed" if closed else "open",
                        self.now if closed else None,
                        author if closed else None,
                    )
                )
        self.writer.copy(
            self.Incident,
            [
                "id", "team", "client", "reported_by", "show_author", "kind", "occurred_on",
                "description", "status", "closed_at", "closed_by",
            ],
            rows,
        )  # fmt: skip

    # ---- clients and their Omaha record ---------------------------------------------------

    def _next_bsn(self, *, history: bool = False) -> str:
        while True:
            if history:
                self.history_bsn_base += 1
                bsn = bsn_from(self.history_bsn_base)
            else:
                self.bsn_base += 1
                bsn = bsn_from(self.bsn_base)
            if bsn:
                return bsn

    def _clients(
        self, team: int, area: str, nurses: list[int], add: Callable[[str, tuple], None]
    ) -> list[tuple[int, int]]:
        """The team's active clients (returned, with their visit frequency) and its history.

        History: 38-48 clients discharged over the past five years, each with a closed
        indication and resolved problems rated at admission, in between and at discharge, so a
        team's list filters by status over a real mix (100,000+ clients at 1,000 teams). They
        draw from their own random stream, so the active clients and the visits are the same
        as without them.
        """
        rng = self.rng
        clients = []
        month_start = self.plan.month_start
        for _ in range(rng.randint(55, 65)):
            client = self.ids.take(self.Client)
            admitted = month_start - dt.timedelta(days=rng.randint(1, 720))
            self._client(client, team, area, nurses, add, rng=rng, admitted=admitted)
            clients.append((client, rng.choice(FREQUENCIES)))
        history = self.history_rng
        for _ in range(history.randint(38, 48)):
            discharged = month_start - dt.timedelta(days=history.randint(1, 5 * 365))
            admitted = discharged - dt.timedelta(days=history.randint(14, 720))
            self._client(
                self.ids.take(self.Client),
                team,
                area,
                nurses,
                add,
                rng=history,
                admitted=admitted,
                discharged=discharged,
            )
        return clients

    def _client(
        self,
        client: int,
        team: int,
        area: str,
        nurses: list[int],
        add: Callable[[str, tuple], None],
        *,
        rng: random.Random,
        admitted: dt.date,
        discharged: dt.date | None = None,
    ) -> None:
        """One client with an indication and an Omaha record; closed when `discharged`."""
        take = self.ids.take
        # Ratings stop a month before the visits start (active) or at discharge.
        rated_until = discharged or self.plan.month_start
        add(
            "client",
            (
                client,
                *_person(rng),
                dt.date(rng.randint(1925, 1965), rng.randint(1, 12), rng.randint(1, 28)),
                self._next_bsn(history=discharged is not None),
                rng.choice(STREETS),
                str(rng.randint(1, 250)),
                f"{area} {chr(65 + rng.randint(0, 25))}{chr(65 + rng.randint(0, 25))}",
                "Scale",
                rng.choices(self.insurers, INSURER_WEIGHTS)[0],
                f"P{rng.randint(10**8, 10**9 - 1)}",
                team,
                "discharged" if discharged else "active",
                admitted,
                discharged,
                rng.choice(DISCHARGE_REASONS) if discharged else "",
                *key_info(client),
            ),
        )
        add(
            "indication",
            (
                take(self.CareIndication),
                client,
                Decimal(rng.choice([2, 3, 4, 5, 7, 10, 14])),
                "persoonlijke verzorging, verpleging",
                admitted,
                discharged,
            ),
        )
        for problem in rng.sample(self.problems, rng.randint(2, 4)):
            cp = take(self.ClientProblem)
            severity = rng.choices(["actual", "potential", "health_promotion"], [80, 15, 5])[0]
            add(
                "problem",
                (
                    cp,
                    client,
                    problem,
                    "individual",
                    severity,
                    "high",
                    "resolved" if discharged else "active",
                    admitted,
                    discharged,
                    nurses[0],
                ),
            )
            if severity == "actual" and self.signs.get(problem):
                for sign in rng.sample(
                    self.signs[problem], min(len(self.signs[problem]), rng.randint(1, 2))
                ):
                    add("sign", (take(self.ClientProblemSign), cp, sign))
            for _ in range(rng.randint(1, 3)):
                add(
                    "intervention",
                    (
                        take(self.Intervention),
                        cp,
                        rng.choice(self.categories),
                        rng.choice(self.targets),
                        rng.choice(INTERVENTION_TEXT),
                        rng.choice(["dagelijks", "2x per week", "bij elke zorgmoment"]),
                    ),
                )
            k, b, s = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
            add("rating", (take(self.OutcomeRating), cp, admitted, "admission", k, b, s, nurses[0]))
            rated = admitted
            while rated + dt.timedelta(days=60) < rated_until and rng.random() < 0.6:
                rated += dt.timedelta(days=rng.randint(30, 90))
                k, b, s = (min(5, v + rng.randint(0, 1)) for v in (k, b, s))
                add(
                    "rating",
                    (take(self.OutcomeRating), cp, rated, "interim", k, b, s, rng.choice(nurses)),
                )
            if discharged:
                k, b, s = (min(5, v + rng.randint(0, 1)) for v in (k, b, s))
                add(
                    "rating",
                    (take(self.OutcomeRating), cp, discharged, "discharge", k, b, s, nurses[0]),
                )

    def _write_clients(self, rows: dict[str, list[tuple]]) -> None:
        w = self.writer
        w.copy(
            self.Client,
            [
                "id", "initials", "first_name", "name_prefix", "last_name", "sex", "date_of_birth",
                "bsn", "street", "house_number", "postcode", "city", "insurer", "policy_number",
                "team", "status", "admitted_on", "discharged_on", "discharge_reason",
                "key_safe_note", "allergies", "alarm_note",
            ],
            rows.get("client", []),
        )  # fmt: skip
        w.copy(
            self.CareIndication,
            ["id", "client", "hours_per_week", "products", "valid_from", "valid_until"],
            rows.get("indication", []),
        )
        w.copy(
            self.ClientProblem,
            [
                "id", "client", "problem", "scope", "severity", "priority", "status",
                "identified_on", "resolved_on", "identified_by",
            ],
            rows.get("problem", []),
        )  # fmt: skip
        w.copy(self.ClientProblemSign, ["id", "client_problem", "sign"], rows.get("sign", []))
        w.copy(
            self.Intervention,
            ["id", "client_problem", "category", "target", "description", "frequency"],
            rows.get("intervention", []),
        )
        w.copy(
            self.OutcomeRating,
            [
                "id", "client_problem", "rated_on", "moment", "knowledge", "behavior", "status",
                "rated_by",
            ],
            rows.get("rating", []),
        )  # fmt: skip

    # ---- rota and visits -----------------------------------------------------------------

    @staticmethod
    def _visits_on(day: dt.date, frequency: int) -> int:
        weekday = day.weekday()
        if frequency >= 14:
            return 2
        if frequency >= 10:
            return 2 if weekday in (0, 2, 4) else 1
        if frequency >= 7:
            return 1
        if frequency >= 5:
            return 1 if weekday < 5 else 0
        return 1 if weekday in (0, 2, 4) else 0

    def _shifts_and_visits(
        self, team_nurses: dict[int, list[int]], team_clients: dict[int, list[tuple[int, int]]]
    ) -> None:
        rng, take = self.rng, self.ids.take
        shifts: list[tuple] = []
        visits: list[tuple] = []
        services: list[tuple] = []
        done_visits: list[tuple[int, int, int, dt.datetime]] = []
        visit_ok = _has(self.Visit, "client", "team", "nurse", "starts_at", "planned_minutes")
        if self.Visit is not None and not visit_ok:
            self.skipped.append("scheduling.Visit (fields differ from the contract)")
        visit_fields = [
            name
            for name in VISIT_FIELDS
            if visit_ok and name in {f.name for f in self.Visit._meta.concrete_fields}
        ]
        status_field = self.Visit._meta.get_field("status") if visit_ok else None
        statuses = {value for value, _ in (status_field.choices or [])} if status_field else set()
        done = "done" if "done" in statuses else "completed"
        today = self.plan.today
        billable = [pk for pk, _ in self.services] or [None]
        meds = self._medications(team_nurses, team_clients) if visit_ok else {}
        signoffs: list[tuple] = []
        signed: set[tuple[int, dt.datetime]] = set()
        for team, nurses in team_nurses.items():
            clients = team_clients.get(team, [])
            for index, day in enumerate(self.plan.days):
                slots = [*SHIFT_SLOTS, NIGHT]
                on_duty: list[tuple[int, dt.datetime, int]] = []
                for s, (kind, hour, hours) in enumerate(slots):
                    nurse = nurses[(index * len(slots) + s) % len(nurses)]
                    start = dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)
                    end = start + dt.timedelta(hours=hours)
                    shifts.append((take(self.Shift), nurse, team, start, end, kind))
                    if kind != "night":
                        on_duty.append((nurse, start, hours * 60))
                if not visit_ok:
                    continue
                todays = [c for c, f in clients for _ in range(self._visits_on(day, f))]
                rng.shuffle(todays)
                per_nurse = -(-len(todays) // len(on_duty)) if todays else 0
                for n, (nurse, start, minutes) in enumerate(on_duty):
                    mine = todays[n * per_nurse : (n + 1) * per_nurse]
                    if not mine:
                        continue
                    slot = minutes // len(mine)
                    for k, client in enumerate(mine):
                        planned = min(rng.choice([15, 20, 25, 30, 45]), slot - 5)
                        starts = start + dt.timedelta(minutes=k * slot)
                        visit = take(self.Visit)
                        ends = starts + dt.timedelta(minutes=planned)
                        row = {
                            "id": visit,
                            "client": client,
                            "team": team,
                            "nurse": nurse,
                            "starts_at": starts,
                            "ends_at": ends,
                            "planned_minutes": planned,
                            "status": "planned",
                        }
                        if day < today:
                            logged = max(5, planned + rng.randint(-5, 10))
                            service = rng.choices(billable, SERVICE_WEIGHTS[: len(billable)])[0]
                            row.update(
                                status=done,
                                started_at=starts,
                                ended_at=starts + dt.timedelta(minutes=logged),
                                logged_minutes=logged,
                                logged_at=starts + dt.timedelta(minutes=logged),
                                logged_by=nurse,
                                service=service,
                            )
                            if self.VisitService is not None and service is not None:
                                services.append((take(self.VisitService), visit, service, logged))
                            for med, times, high_risk in meds.get(client, []):
                                self._sign_doses(
                                    signoffs, signed, (visit, nurse, starts, ends, nurses),
                                    (med, times, high_risk),
                                )  # fmt: skip
                            done_visits.append((visit, client, nurse, row["ended_at"]))
                        visits.append(tuple(row.get(name) for name in visit_fields))
        self.writer.copy(
            self.Shift, ["id", "nurse", "team", "starts_at", "ends_at", "kind"], shifts
        )
        if self.CareReport is not None:
            self._reports(done_visits, team_nurses, team_clients)
        if visit_ok and visits:
            self.writer.copy(self.Visit, visit_fields, visits)
            if services:
                self.writer.copy(self.VisitService, ["id", "visit", "service", "minutes"], services)
            if signoffs:
                self.writer.copy(self.DoseSignoff, SIGNOFF_FIELDS, signoffs)

    def _medications(
        self, team_nurses: dict[int, list[int]], team_clients: dict[int, list[tuple[int, int]]]
    ) -> dict[int, list[tuple[int, list[dt.time], bool]]]:
        """One to three medicines per active client (a few high-risk), written now; returns
        each client's (medication id, times, high risk) for the visits' sign-offs."""
        if self.Medication is None or self.DoseSignoff is None:
            return {}
        rng, out, rows = self.med_rng, {}, []
        for team, clients in team_clients.items():
            for client, _frequency in clients:
                mine = []
                for name, code, strength, form, dose, unit, route, risky, times in rng.sample(
                    MEDICINES, rng.randint(1, 3)
                ):
                    med = self.ids.take(self.Medication)
                    nurse = rng.choice(team_nurses[team])
                    started = self.plan.month_start - dt.timedelta(days=rng.randint(1, 400))
                    rows.append(
                        (med, client, name, code, strength, form, Decimal(dose), unit, route,
                         json.dumps(times), started, risky, nurse)
                    )  # fmt: skip
                    mine.append((med, [dt.time.fromisoformat(t) for t in times], risky))
                out[client] = mine
        self.writer.copy(self.Medication, MEDICATION_FIELDS, rows)
        return out

    def _sign_doses(
        self,
        signoffs: list[tuple],
        signed: set[tuple[int, dt.datetime]],
        visit: tuple[int, int, dt.datetime, dt.datetime, list[int]],
        medication: tuple[int, list[dt.time], bool],
    ) -> None:
        """Sign the doses a done visit covers (its window +- the margin), each dose once: most
        given, a few refused; a high-risk dose given has a second nurse of the team."""
        visit_id, nurse, starts, ends, nurses = visit
        med, times, high_risk = medication
        for t in times:
            due = dt.datetime.combine(starts.date(), t, tzinfo=TZ)
            if not (starts - DOSE_MARGIN <= due < ends + DOSE_MARGIN) or (med, due) in signed:
                continue
            signed.add((med, due))
            outcome = "given" if self.med_rng.random() < 0.95 else "refused"
            second = None
            if high_risk and outcome == "given":
                second = next((n for n in nurses if n != nurse), None)
                if second is None:
                    outcome = "refused"
            signoffs.append(
                (self.ids.take(self.DoseSignoff), med, due, outcome, high_risk, nurse, second,
                 visit_id)
            )  # fmt: skip

    def _reports(
        self,
        done_visits: list[tuple[int, int, int, dt.datetime]],
        team_nurses: dict[int, list[int]],
        team_clients: dict[int, list[tuple[int, int]]],
    ) -> None:
        """Reports (rapportage): a few per visit-day per client (1-3 per done visit, about one
        in ten marked for handover), general notes; and per team one long-stay client with
        two years of reports (two a day), the record the bench's timeline page reads."""
        rng, take = self.report_rng, self.ids.take
        fields = ["id", "client", "visit", "author", "written_at", "text", "for_handover"]
        rows: list[tuple] = []
        for visit, client, nurse, ended in done_visits:
            for k in range(rng.choice(REPORTS_PER_VISIT)):
                rows.append(
                    (
                        take(self.CareReport),
                        client,
                        visit,
                        nurse,
                        ended + dt.timedelta(minutes=k),
                        rng.choice(REPORT_TEXT),
                        rng.random() < 0.1,
                    )
                )
        start = dt.datetime.combine(self.plan.month_start, dt.time(9), tzinfo=TZ)
        for team, nurses in team_nurses.items():
            clients = team_clients.get(team)
            if not clients:
                continue
            long_stay = clients[0][0]
            for day in range(1, REPORT_HISTORY_DAYS + 1):
                for hour in (0, 9):
                    rows.append(
                        (
                            take(self.CareReport),
                            long_stay,
                            None,
                            rng.choice(nurses),
                            start - dt.timedelta(days=day) + dt.timedelta(hours=hour),
                            rng.choice(REPORT_TEXT),
                            rng.random() < 0.1,
                        )
                    )
        if rows:
            self.writer.copy(self.CareReport, fields, rows)


def finish_sequences() -> None:
    """Set every sequence to its table's max(id): unused reserved ids are given back."""
    with connection.cursor() as cursor:
        for model in apps.get_models():
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField):
                continue
            table = model._meta.db_table
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
            (sequence,) = cursor.fetchone()
            if sequence:
                top = f'COALESCE((SELECT max("{pk.column}") FROM "{table}"), 0) + 1'
                cursor.execute(f"SELECT setval(%s, {top}, false)", [sequence])


SUMMARY_DAYS = 90  # the 12-week sparkline and the default four-week period


def fill_summaries(*, today: dt.date, stdout: TextIO) -> dict[str, int]:
    """Run the jobs that keep derived tables, as production's beat would have, so that pages
    read what they read in production (coaching's daily team summary)."""
    try:
        from coaching.summary import end_of_week, team_days_refresh
    except ImportError:
        stdout.write("  skipped: coaching summary (coaching.summary not present)\n")
        return {}
    started = time.monotonic()
    yesterday = today - dt.timedelta(days=1)
    rows = team_days_refresh(
        first=today - dt.timedelta(days=SUMMARY_DAYS),
        last=end_of_week(today),
        state_on=[yesterday, today],
        today=today,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute('ANALYZE "coaching_teamday"')
    stdout.write(f"  coaching team days: {rows:,} rows, {time.monotonic() - started:.0f} s\n")
    return {"coaching.TeamDay": rows}


# wounds and measurements (issue 17): set-based, after the visits exist, from their ids (so
# the same seed gives the same data). Every fifth done visit measured a blood pressure and the
# next fifth a pulse; a quarter of the active clients have a normal pulse range of 50-90
# (values above are flagged, as the service would); every tenth active client has an open
# wound with four fortnightly assessments, shrinking. No photo files at scale.
VITALS_SQL = [
    (
        "measurements.NormalRange",
        """INSERT INTO measurements_normalrange
             (public_id, created_at, updated_at, client_id, kind, low, high, set_by_id)
           SELECT gen_random_uuid(), now(), now(), c.id, 'pulse', 50, 90,
                  (SELECT m.nurse_id FROM teams_membership m WHERE m.team_id = c.team_id
                   ORDER BY m.seat LIMIT 1)
           FROM clients_client c
           WHERE c.status = 'active' AND c.id %% 4 = 0
             AND EXISTS (SELECT 1 FROM teams_membership m WHERE m.team_id = c.team_id)""",
    ),
    (
        "measurements.Measurement",
        """INSERT INTO measurements_measurement
             (public_id, created_at, updated_at, client_id, kind, value, value2, measured_at,
              measured_by_id, out_of_range)
           SELECT gen_random_uuid(), t, t, v.client_id, k.kind, k.value, k.value2, t,
                  v.nurse_id,
                  EXISTS (SELECT 1 FROM measurements_normalrange r WHERE r.client_id =
                          v.client_id AND r.kind = k.kind AND (k.value < r.low OR k.value > r.high))
           FROM scheduling_visit v
           CROSS JOIN LATERAL (SELECT v.starts_at + interval '10 minutes' AS t) w
           CROSS JOIN LATERAL (
             SELECT 'bp' AS kind, (110 + v.id %% 50)::numeric AS value,
                    (60 + v.id %% 25)::numeric AS value2 WHERE v.id %% 5 = 0
             UNION ALL
             SELECT 'pulse', (55 + v.id %% 50)::numeric, NULL WHERE v.id %% 5 = 1
           ) k
           WHERE v.status = 'done' AND v.nurse_id IS NOT NULL AND w.t <= now()""",
    ),
    (
        "wounds.Wound",
        """INSERT INTO wounds_wound
             (public_id, created_at, updated_at, client_id, body_site, kind, cause, started_on,
              closed_on, close_reason, created_by_id)
           SELECT gen_random_uuid(), now(), now(), c.id,
                  (ARRAY['sacrum', 'left heel', 'right lower leg', 'left foot'])[1 + c.id %% 4],
                  (ARRAY['pressure', 'venous-leg', 'diabetic-foot', 'skin-tear'])[1 + c.id %% 4],
                  '', %(started)s, NULL, '',
                  (SELECT m.nurse_id FROM teams_membership m WHERE m.team_id = c.team_id
                   ORDER BY m.seat LIMIT 1)
           FROM clients_client c
           WHERE c.status = 'active' AND c.id %% 10 = 0
             AND EXISTS (SELECT 1 FROM teams_membership m WHERE m.team_id = c.team_id)""",
    ),
    (
        "wounds.WoundAssessment",
        """INSERT INTO wounds_woundassessment
             (public_id, created_at, updated_at, wound_id, assessed_at, length_mm, width_mm,
              depth_mm, tissue, exudate, edges, pain, notes, assessed_by_id)
           SELECT gen_random_uuid(), t, t, w.id, t, 60 - 10 * g, 35 - 6 * g, 4 - g,
                  (ARRAY['slough', 'granulation', 'granulation', 'epithelial'])[1 + g],
                  (ARRAY['high', 'moderate', 'low', 'low'])[1 + g], 'attached', 4 - g, '',
                  w.created_by_id
           FROM wounds_wound w
           CROSS JOIN generate_series(0, 3) g
           CROSS JOIN LATERAL (SELECT (%(started)s::date + 14 * g + 1)::timestamptz
                               + interval '10 hours' AS t) x
           WHERE w.started_on = %(started)s""",
    ),
]


def fill_vitals(*, today: dt.date, stdout: TextIO) -> dict[str, int]:
    """Wounds and measurements for the generated clients and visits (see VITALS_SQL)."""
    counts: dict[str, int] = {}
    if connection.vendor != "postgresql" or _model("wounds.Wound") is None:
        return counts
    started = time.monotonic()
    params = {"started": today - dt.timedelta(days=60)}
    with transaction.atomic(), connection.cursor() as cursor:
        for label, sql in VITALS_SQL:
            cursor.execute(sql, params)
            counts[label] = cursor.rowcount
    with connection.cursor() as cursor:
        for label in counts:
            cursor.execute(f'ANALYZE "{apps.get_model(label)._meta.db_table}"')
    stdout.write(
        f"  wounds and measurements: {sum(counts.values()):,} rows, "
        f"{time.monotonic() - started:.0f} s\n"
    )
    return counts


def generate(*, teams: int, seed: int, today: dt.date, stdout: TextIO) -> dict[str, int]:
    generator = ScaleGenerator(Plan(teams=teams, seed=seed, today=today), stdout)
    counts = generator.run()
    finish_sequences()
    counts.update(fill_summaries(today=today, stdout=stdout))
    counts.update(fill_vitals(today=today, stdout=stdout))
    for part in generator.skipped:
        stdout.write(f"  skipped: {part}\n")
    return counts
