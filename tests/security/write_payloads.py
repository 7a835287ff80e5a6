"""A valid write per API write route, and who may perform it (issue 20, "the permission matrix
with valid write payloads").

tests/security/test_write_matrix.py sends each entry's payload as every role: the roles in
`allowed` must succeed (2xx) and the change must really be in PostgreSQL (`effect`, read in
the same savepoint before it is rolled back); every other role must be refused and store
nothing. The payload is valid for team A's objects (tests/security/world.py), so a refusal
cannot hide behind a validation error: only who asks differs.

WHEN YOU ADD AN API ROUTE WITH A WRITE METHOD, add an entry here (or to NO_VALID_WRITE, with
the reason); the completeness test walks the URL resolver and the OpenAPI schema.

- Without `allowed`, the roles come from the route's row in access_table.py (the roles whose
  expected status there is 2xx); that works where the row already asks this method with a
  valid body. Otherwise `allowed` names the roles and `why` says where the rule lives.
- `audited` (default: the table row's) says whether a served write logs one access row.
- `in_body` names the fields of a create that name team-A objects (a client, a team, a
  space): for a role that may not see them the id resolves like one that exists nowhere, so
  the refusal may be a 400 AT ONE OF THOSE FIELDS ("not yours" and "does not exist" answer
  alike); a 400 about anything else is no refusal.
- Builders run once, before any request (objects made inside a rolled-back request would be
  gone for the next one); `effect(world, role, body)` only reads.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security.access_table import ROWS
from tests.security.world import ROLES, World

REFUSED = frozenset({401, 403, 404, 405})

Body = dict[str, Any] | None


@dataclass(frozen=True)
class Write:
    route: str
    method: str
    payload: Callable[[World], dict[str, Any]]
    effect: Callable[[World, str, Body], bool]
    allowed: tuple[str, ...] | None = None  # None: from the access table's row
    why: str = ""
    kwargs: Callable[[World], dict[str, Any]] | None = None  # default: the table row's kwargs
    success: frozenset[int] = frozenset({200, 201, 202, 204})
    in_body: tuple[str, ...] = ()
    multipart: bool = False
    # One access row per served write (it changes client data), or none. Default: the
    # route's row in the access table (`audited`), which may be the GET of the same URL.
    audited: bool | None = None

    @property
    def key(self) -> str:
        return f"{self.route} {self.method.upper()}"

    def roles_allowed(self) -> tuple[str, ...]:
        if self.allowed is not None:
            return self.allowed
        row = ROWS[self.route]
        assert row.method == self.method, f"{self.key}: the table's row asks {row.method}"
        return tuple(r for r in ROLES if any(200 <= c < 300 for c in row.expected(r)))

    def is_audited(self) -> bool:
        return ROWS[self.route].audited if self.audited is None else self.audited

    def refusals(self) -> frozenset[int]:
        return REFUSED | {400} if self.in_body else REFUSED

    def refused_at_field(self, errors: object) -> bool:
        """A 400 refuses only when it names a field that names the team-A object."""
        return isinstance(errors, dict) and any(name in errors for name in self.in_body)

    def url_kwargs(self, world: World) -> dict[str, Any] | None:
        if self.kwargs is not None:
            return self.kwargs(world)
        row = ROWS[self.route]
        return row.kwargs(world) if row.kwargs else None


# --- extra team-A objects only this matrix needs (made once, before the requests) --------


def _dose_visit(w: World) -> Any:
    """Nurse A's visit the day after visit_a, at medication_a's 09:00: a dose is due and
    none is signed yet."""
    if "dose_visit" not in w.__dict__:
        from tests.factories import VisitFactory

        w.medication_a  # noqa: B018 - made before the visit, so its dose is due there
        w.__dict__["dose_visit"] = VisitFactory(
            client=w.client_a, nurse=w.nurse_a, day=dt.date(2026, 6, 16)
        )
    return w.__dict__["dose_visit"]


def _spare_nurse(w: World) -> Any:
    """A nurse in no team yet: the administrator may add her to team A."""
    if "spare_nurse" not in w.__dict__:
        from tests.factories import NurseFactory

        w.__dict__["spare_nurse"] = NurseFactory()
    return w.__dict__["spare_nurse"]


def _bsn(w: World) -> str:
    if "new_bsn" not in w.__dict__:
        from tests.factories import make_bsn

        w.__dict__["new_bsn"] = make_bsn()
    return w.__dict__["new_bsn"]


def _billing_run(w: World, month: int, *, finalised: bool) -> Any:
    """A built run of team A's client for a month of 2026 and an insurer of its own (so no
    other run of the world shares its month): a draft, or finalised like one already sent."""
    key = f"billing_run_{month}"
    if key not in w.__dict__:
        from scheduling.billing import services
        from tests.factories import (
            CareIndicationFactory,
            CareServiceFactory,
            ClientFactory,
            ContractFactory,
            InsurerFactory,
            OrganisationFactory,
            TariffFactory,
            billed_visit,
        )

        insurer = InsurerFactory(name=f"Matrix Verzekeraar {month}")
        service = CareServiceFactory(code=f"M{month:03d}", name="Nursing (matrix)")
        contract = ContractFactory(insurer=insurer, year=2026)
        TariffFactory(contract=contract, service=service, hourly_rate=Decimal("78.35"))
        client_record = ClientFactory(team=w.team_a, insurer=insurer)
        CareIndicationFactory(client=client_record)
        billed_visit(client_record, dt.date(2026, month, 3), {service: 45})
        OrganisationFactory()  # (its AGB code set: a declaration can be finalised)
        period = dt.date(2026, month, 1)
        run = services.billing_run_request(period=period, insurer=insurer, actor=w.back_office)
        built = services.billing_run_build(billing_run_id=run.run.pk)  # (the task, run here)
        assert built is not None
        assert built.status == "draft", built.error
        if finalised:
            built = services.billing_run_finalise(run=built, actor=w.back_office)
        else:  # checked once already: a fresh check clears the time until the worker is done
            type(built).objects.filter(pk=built.pk).update(preflight_at=dt.datetime.now(dt.UTC))
        w.__dict__[key] = built
    return w.__dict__[key]


def _draft_run(w: World) -> Any:
    return _billing_run(w, 3, finalised=False)


def _sent_run(w: World) -> Any:
    return _billing_run(w, 2, finalised=True)


def _return_message(w: World) -> SimpleUploadedFile:
    """The insurer's AW320 for the sent run's declaration: every record accepted ("0001")."""
    from scheduling.billing.models import FileKind
    from scheduling.billing.vektis.layout import NEWLINE
    from tests.billing.aw320 import aw320_file

    row = _sent_run(w).files.get(kind=FileKind.DECLARATION)
    with row.file.open("rb") as handle:
        records = handle.read().decode("iso-8859-1").split(NEWLINE)[:-1]
    content = aw320_file(records)
    return SimpleUploadedFile("retour.txt", content, content_type="text/plain")


def _photo(w: World) -> SimpleUploadedFile:
    from tests.factories.wounds import jpeg_bytes

    return SimpleUploadedFile("wound.jpg", jpeg_bytes(), content_type="image/jpeg")


# --- effects: the change, read back from PostgreSQL --------------------------------------


def _current_teams(user: Any) -> Any:
    """The team she is a member of today (a nurse who moved: her new one only)."""
    from teams.models import Membership

    return Membership.objects.active().filter(nurse=user).values("team")


def _exists(model_path: str, **lookup: Any) -> bool:
    from django.apps import apps

    app_label, model_name = model_path.split(".")
    return apps.get_model(app_label, model_name).objects.filter(**lookup).exists()


def _by_id(model_path: str) -> Callable[[World, str, Body], bool]:
    """The response names the new row's id: it is there."""
    return lambda w, role, body: (
        isinstance(body, dict) and "id" in body and _exists(model_path, public_id=body["id"])
    )


WRITES: list[Write] = [
    # --- teams -------------------------------------------------------------------------
    Write(
        "api-neighbourhood-list",
        "post",
        payload=lambda w: {
            "name": "Matrix Wijk",
            "postcodes": ["9997"],
            "population_estimate": 4000,
        },
        effect=_by_id("teams.Neighbourhood"),
        allowed=("admin",),
        why="NeighbourhoodListApi: has_role(ADMIN)",
    ),
    Write(
        "api-neighbourhood-detail",
        "put",
        payload=lambda w: {
            "name": "Matrix Wijk hernoemd",
            "postcodes": ["9996"],
            "population_estimate": 5000,
        },
        effect=lambda w, role, body: _exists(
            "teams.Neighbourhood", pk=w.neighbourhood_a.pk, name="Matrix Wijk hernoemd"
        ),
        allowed=("admin",),
        why="NeighbourhoodDetailApi: has_role(ADMIN)",
    ),
    Write(
        "api-organisation",
        "put",
        payload=lambda w: {
            "name": "Matrix Wijkzorg",
            "address": "Matrixlaan 1",
            "postcode": "1234 AB",
            "city": "Almelo",
            "kvk_number": "87654321",
            "agb_code": "12345678",
            "iban": "NL91ABNA0417164300",
            "payment_term_days": 21,
        },
        effect=lambda w, role, body: _exists(
            "teams.Organisation", name="Matrix Wijkzorg", payment_term_days=21
        ),
        allowed=("back_office", "admin"),
        why="OrganisationApi: has_role(BACK_OFFICE, ADMIN)",
    ),
    Write(
        "api-team-list",
        "post",
        payload=lambda w: {
            "name": "Matrix Team New",
            "neighbourhood": str(w.spare_neighbourhood.public_id),
        },
        effect=_by_id("teams.Team"),
        allowed=("admin",),
        why="TeamListApi.post: administrators only (403 for the other roles)",
    ),
    Write(
        "api-team-members",
        "post",
        payload=lambda w: {"nurse": str(_spare_nurse(w).public_id), "contracted_hours": "24"},
        effect=lambda w, role, body: _exists(
            "teams.Membership", team=w.team_a, nurse=_spare_nurse(w), ended_on__isnull=True
        ),
        allowed=("admin",),
        why="TeamMemberListApi.post: administrators only",
    ),
    # --- rota ----------------------------------------------------------------------------
    Write(
        "api-shift-list",
        "post",
        payload=lambda w: {
            "nurse": str(w.nurse_a.public_id),
            "team": str(w.team_a.public_id),
            "kind": "late",
            "day": "2026-06-03",
        },
        effect=_by_id("scheduling.Shift"),
        allowed=("nurse_a",),
        why="rota_can_edit: the team's own nurses plan its rota; coaches read",
        in_body=("team", "nurse"),
    ),
    Write(
        "api-shift-detail",
        "put",
        payload=lambda w: {
            "nurse": str(w.nurse_a.public_id),
            "team": str(w.team_a.public_id),
            "kind": "late",
            "day": "2026-06-01",
            "note": "Changed by the write matrix",
        },
        effect=lambda w, role, body: _exists(
            "scheduling.Shift", pk=w.shift_a.pk, note="Changed by the write matrix"
        ),
        allowed=("nurse_a",),
        why="rota_can_edit: the team's own nurses plan its rota; coaches read",
    ),
    Write(
        "api-shift-detail",
        "delete",
        payload=lambda w: {},
        effect=lambda w, role, body: not _exists("scheduling.Shift", pk=w.shift_a.pk),
        allowed=("nurse_a",),
        why="rota_can_edit: the team's own nurses plan its rota; coaches read",
    ),
    # --- visits --------------------------------------------------------------------------
    Write(
        "api-visit-list",
        "post",
        payload=lambda w: {
            "client": str(w.client_a.public_id),
            "nurse": str(w.nurse_a.public_id),
            "starts_at": "2026-06-17T14:00:00+02:00",
            "planned_minutes": 30,
        },
        effect=_by_id("scheduling.Visit"),
        allowed=("nurse_a",),
        why="visit_schedule: a nurse who is a member of the client's team plans",
        in_body=("client", "nurse"),
    ),
    Write(
        "api-visit-detail",
        "put",
        payload=lambda w: {
            "nurse": str(w.nurse_a.public_id),
            "starts_at": "2026-06-15T11:00:00+02:00",
            "planned_minutes": 45,
            "notes": "Moved by the write matrix",
        },
        effect=lambda w, role, body: _exists(
            "scheduling.Visit", pk=w.visit_a.pk, planned_minutes=45
        ),
        allowed=("nurse_a",),
        why="visit_update: a nurse who is a member of the client's team plans",
    ),
    Write(
        "api-visit-log",
        "post",
        payload=lambda w: {},
        effect=lambda w, role, body: _exists(
            "scheduling.Visit", pk=w.visit_a.pk, logged_at__isnull=False
        ),
        allowed=("nurse_a",),
        why="VisitLogApi: her own visit (visit_get_own)",
    ),
    Write(
        "api-visit-offline",
        "post",
        payload=lambda w: {
            "key": "0b9d6c1e-4f0a-4a53-9d0e-8f3c2b7a6e10",
            "kind": "done",
            "at": "2026-06-15T09:40:00+02:00",
        },
        effect=lambda w, role, body: (
            _exists("scheduling.Visit", pk=w.visit_a.pk, logged_at__isnull=False)
            and _exists("scheduling.VisitLogKey", key=(body or {})["key"], visit=w.visit_a)
        ),
    ),
    Write(
        "api-visit-correct",
        "post",
        payload=lambda w: {"minutes": 40, "reason": "counted twice"},
        effect=lambda w, role, body: _exists(
            "scheduling.Visit", corrects=w.billed_visit_a, logged_minutes=40
        ),
    ),
    Write(
        "api-series-list",
        "post",
        payload=lambda w: {
            "client": str(w.client_a.public_id),
            "nurse": str(w.nurse_a.public_id),
            "weekdays": [2, 4],
            "time_of_day": "16:00",
            "planned_minutes": 20,
            "starts_on": "2026-06-22",
            "until": "2026-07-05",
        },
        effect=_by_id("scheduling.VisitSeries"),
        allowed=("nurse_a",),
        why="series_create: a nurse who is a member of the client's team plans",
        in_body=("client", "nurse"),
    ),
    # --- clients -------------------------------------------------------------------------
    Write(
        "api-client-list",
        "post",
        payload=lambda w: {
            "first_name": "Matrixa",
            "last_name": "Nieuwkomer",
            "date_of_birth": "1940-02-03",
            "bsn": _bsn(w),
            "street": "Dorpsstraat",
            "house_number": "7",
            "postcode": "9999 ZZ",
            "city": "Matrixdorp",
            "insurer": w.client_a.insurer.uzovi,
            "policy_number": "MX123",
            "admitted_on": "2026-06-01",
        },
        effect=lambda w, role, body: _exists(
            "clients.Client", bsn=_bsn(w), team__in=_current_teams(w.user(role))
        ),
        allowed=("nurse_a", "nurse_b"),
        why="ClientListApi.post: every nurse registers a client into her own team",
    ),
    Write(
        "api-client-detail",
        "patch",
        payload=lambda w: {"phone": "0612345678"},
        effect=lambda w, role, body: _exists(
            "clients.Client", pk=w.client_a.pk, phone="0612345678"
        ),
        allowed=("nurse_a",),
        why="client_get_editable: the client's team's nurses",
    ),
    Write(
        "api-client-problems",
        "post",
        payload=lambda w: {
            "problem": "06",
            "scope": "individual",
            "severity": "potential",
            "identified_on": "2026-06-01",
        },
        effect=lambda w, role, body: _exists(
            "clients.ClientProblem", client=w.client_a, problem__code="06"
        ),
        allowed=("nurse_a",),
        why="client_get_editable: the client's team's nurses",
    ),
    Write(
        "api-client-interventions",
        "post",
        payload=lambda w: {
            "client_problem": str(w.client_problem_a.public_id),
            "category": "01",
            "target": "01",
            "description": "Matrix plan line",
        },
        effect=_by_id("clients.Intervention"),
        allowed=("nurse_a",),
        why="client_get_editable: the client's team's nurses",
    ),
    Write(
        "api-client-ratings",
        "post",
        payload=lambda w: {
            "client_problem": str(w.client_problem_a.public_id),
            "rated_on": "2026-06-02",
            "moment": "interim",
            "knowledge": 3,
            "behavior": 3,
            "status": 4,
        },
        effect=_by_id("clients.OutcomeRating"),
        allowed=("nurse_a",),
        why="client_get_editable: the client's team's nurses",
    ),
    Write(
        "api-client-measurements",
        "post",
        payload=lambda w: {
            "kind": "pulse",
            "value": "72",
            "measured_at": "2026-06-02T10:00:00+02:00",
        },
        effect=lambda w, role, body: _exists(
            "measurements.Measurement", client=w.client_a, kind="pulse", value=Decimal("72")
        ),
        allowed=("nurse_a",),
        why="measurements: the client's team's nurses write, coaches read",
    ),
    Write(
        "api-client-wounds",
        "post",
        payload=lambda w: {
            "body_site": "right elbow",
            "kind": "skin-tear",
            "started_on": "2026-06-01",
        },
        effect=lambda w, role, body: _exists(
            "wounds.Wound", client=w.client_a, body_site="right elbow"
        ),
        allowed=("nurse_a",),
        why="wounds: the client's team's nurses write, coaches read",
    ),
    Write(
        "api-wound-assessments",
        "post",
        payload=lambda w: dict(ROWS["api-wound-assessments"].data or {}),
        effect=lambda w, role, body: _exists(
            "wounds.WoundAssessment", wound=w.wound_a, length_mm=Decimal("30")
        ),
    ),
    Write(
        "api-wound-close",
        "post",
        payload=lambda w: {"closed_on": "2026-03-01", "close_reason": "healed"},
        effect=lambda w, role, body: _exists(
            "wounds.Wound", pk=w.wound_a.pk, closed_on=dt.date(2026, 3, 1)
        ),
    ),
    Write(
        "api-wound-photo-upload",
        "post",
        payload=lambda w: {"photo": _photo(w)},
        effect=_by_id("wounds.WoundPhoto"),
        allowed=("nurse_a",),
        why="wounds: the client's team's nurses write (the table's row posts no file)",
        multipart=True,
    ),
    # --- medication ------------------------------------------------------------------------
    Write(
        "api-client-medication",
        "post",
        payload=lambda w: {
            "name": "Matrixomab",
            "form": "tablet",
            "route": "oral",
            "times_of_day": ["20:00"],
            "starts_on": "2026-06-01",
        },
        effect=lambda w, role, body: _exists(
            "medication.Medication", client=w.client_a, name="Matrixomab"
        ),
        allowed=("nurse_a",),
        why="client_get_editable: the client's team's nurses",
    ),
    Write(
        "api-medication-stop",
        "post",
        payload=lambda w: {"reason": "stopped by the GP"},
        effect=lambda w, role, body: _exists(
            "medication.Medication", pk=w.medication_a.pk, stopped_at__isnull=False
        ),
    ),
    Write(
        "api-visit-doses",
        "post",
        payload=lambda w: {
            "medication": str(w.medication_a.public_id),
            "due_at": _dose_visit(w).starts_at.isoformat(),
            "outcome": "given",
        },
        effect=lambda w, role, body: _exists(
            "medication.DoseSignoff", visit=_dose_visit(w), medication=w.medication_a
        ),
        allowed=("nurse_a",),
        why="VisitDosesApi: her own visit (visit_get_own)",
        kwargs=lambda w: {"id": _dose_visit(w).public_id},
    ),
    Write(
        "api-visit-doses-all-given",
        "post",
        payload=lambda w: {},
        effect=lambda w, role, body: _exists(
            "medication.DoseSignoff", visit=_dose_visit(w), outcome="given"
        ),
        allowed=("nurse_a",),
        why="VisitAllGivenApi: her own visit (visit_get_own)",
        kwargs=lambda w: {"id": _dose_visit(w).public_id},
    ),
    Write(
        "api-signoff-correct",
        "post",
        payload=lambda w: {"outcome": "refused"},
        effect=lambda w, role, body: _exists(
            "medication.DoseSignoff", corrects=w.signoff_a, outcome="refused"
        ),
    ),
    # --- reports and handover -----------------------------------------------------------
    Write(
        "api-client-reports",
        "post",
        payload=lambda w: {"text": "Matrix report written Quokka-7"},
        effect=lambda w, role, body: _exists(
            "carenotes.CareReport", client=w.client_a, text="Matrix report written Quokka-7"
        ),
        allowed=("nurse_a",),
        why="report_form_get: the client's team's nurses write (coaches read)",
    ),
    Write(
        "api-client-report",
        "post",
        payload=lambda w: {"text": "Changed by the matrix"},
        effect=lambda w, role, body: _exists(
            "carenotes.CareReport", client=w.client_a, text="Changed by the matrix"
        ),
    ),
    Write(
        "api-handover-read",
        "post",
        payload=lambda w: {"key": "report:matrix"},
        effect=lambda w, role, body: _exists(
            "carenotes.HandoverRead", nurse=w.user(role), item_key="report:matrix"
        ),
    ),
    # --- incidents, spaces, outcome reports ----------------------------------------------
    Write(
        "api-incident-list",
        "post",
        payload=lambda w: {
            "kind": "fall",
            "occurred_on": "2026-06-02",
            "description": "Matrix fall in the hallway",
            "client": str(w.client_a.public_id),
        },
        effect=lambda w, role, body: _exists(
            "incidents.Incident", team=w.team_a, client=w.client_a, kind="fall"
        ),
        allowed=("nurse_a",),
        why="incident_file: a nurse files for her own team, about one of its clients",
        in_body=("client",),
    ),
    Write(
        "api-thread-list",
        "post",
        payload=lambda w: {
            "space": str(w.space_a.public_id),
            "subject": "Matrix thread subject",
            "body": "Who takes the Sunday?",
        },
        effect=lambda w, role, body: _exists(
            "coaching.Thread", space=w.space_a, subject="Matrix thread subject"
        ),
        allowed=("nurse_a", "coach_a"),
        why="ThreadInput: the spaces the caller may enter (her team's; her teams' for coaches)",
        in_body=("space",),
    ),
    Write(
        "api-thread-posts",
        "post",
        payload=lambda w: {"body": "Matrix reply Okapi-3"},
        effect=lambda w, role, body: _exists(
            "coaching.Post", thread=w.thread_a, body="Matrix reply Okapi-3"
        ),
        allowed=("nurse_a", "coach_a"),
        why="thread_get_visible: the space's members and its team's coaches",
    ),
    Write(
        "api-report-list",
        "post",
        payload=lambda w: {
            "scope": "team",
            "team": str(w.team_a.public_id),
            "period_start": "2026-04-01",
            "period_end": "2026-06-30",
        },
        effect=lambda w, role, body: _exists(
            "reports.OutcomeReport",
            team=w.team_a,
            period_start=dt.date(2026, 4, 1),
            requested_by=w.user(role),
        ),
        allowed=("nurse_a", "coach_a", "back_office", "admin"),
        why="report_teams_for: her own team, the coach's teams, every team for the office",
        in_body=("team",),
    ),
    # --- privacy register, intake ----------------------------------------------------------
    Write(
        "api-privacy-requests",
        "post",
        payload=lambda w: {
            "client": str(w.client_a.public_id),
            "kind": "rectification",
            "requested_on": "2026-06-03",
        },
        effect=lambda w, role, body: _exists(
            "privacy.PrivacyRequest", client=w.client_a, kind="rectification"
        ),
        allowed=("back_office", "admin"),
        why="register.REGISTER_ROLES: back office and administrators",
    ),
    Write(
        "api-privacy-request-handle",
        "post",
        payload=lambda w: {"outcome": "done"},
        effect=lambda w, role, body: _exists(
            "privacy.PrivacyRequest", pk=w.privacy_request_a.pk, outcome="done"
        ),
    ),
    Write(
        "api-intake-resolve",
        "post",
        payload=lambda w: {"resolution": "Checked with both teams"},
        effect=lambda w, role, body: _exists(
            "intake.IntakeRequest", pk=w.intake_request_a.pk, resolved_at__isnull=False
        ),
    ),
    # --- insurers and care services (back office and administrators) ------------------------
    Write(
        "api-billing-insurer-list",
        "post",
        payload=lambda w: {"name": "Matrix Verzekeraar", "uzovi": "9911"},
        effect=_by_id("clients.Insurer"),
        allowed=("back_office", "admin"),
        why="CataloguePermission: back office and administrators",
    ),
    Write(
        "api-billing-insurer-detail",
        "put",
        payload=lambda w: {
            "name": "Matrix Verzekeraar hernoemd",
            "uzovi": w.client_a.insurer.uzovi,
        },
        effect=lambda w, role, body: _exists(
            "clients.Insurer", pk=w.client_a.insurer.pk, name="Matrix Verzekeraar hernoemd"
        ),
        allowed=("back_office", "admin"),
        why="CataloguePermission: back office and administrators",
    ),
    Write(
        "api-billing-care-service-list",
        "post",
        payload=lambda w: {"code": "MTX2", "name": "Matrix dienst", "is_billable": True},
        effect=lambda w, role, body: _exists("scheduling.CareService", code="MTX2"),
        allowed=("back_office", "admin"),
        why="CataloguePermission: back office and administrators",
    ),
    Write(
        "api-billing-care-service-detail",
        "put",
        payload=lambda w: {"code": "MTX1", "name": "Matrix dienst hernoemd", "is_billable": True},
        effect=lambda w, role, body: _exists(
            "scheduling.CareService", pk=w.care_service.pk, name="Matrix dienst hernoemd"
        ),
        allowed=("back_office", "admin"),
        why="CataloguePermission: back office and administrators",
    ),
    Write(
        "api-billing-contract-list",
        "post",
        payload=lambda w: {"insurer_uzovi": w.client_a.insurer.uzovi, "year": 2033},
        effect=_by_id("billing.Contract"),
        allowed=("back_office", "admin"),
        why="CataloguePermission: back office and administrators",
    ),
    Write(
        "api-billing-contract-detail",
        "post",
        payload=lambda w: {
            "service_code": w.care_service.code,
            "hourly_rate": "81.25",
            "valid_from": f"{w.contract.year}-07-01",
        },
        effect=lambda w, role, body: _exists(
            "billing.Tariff",
            contract=w.contract,
            service=w.care_service,
            hourly_rate=Decimal("81.25"),
            valid_from=dt.date(w.contract.year, 7, 1),
        ),
        allowed=("back_office", "admin"),
        why="CataloguePermission: back office and administrators",
    ),
    # --- billing -----------------------------------------------------------------------------
    Write(
        "api-billing-run-list",
        "post",
        payload=lambda w: {"period": "2026-02", "insurer_uzovi": w.client_a.insurer.uzovi},
        effect=lambda w, role, body: _exists(
            "billing.BillingRun", period=dt.date(2026, 2, 1), insurer=w.client_a.insurer
        ),
        allowed=("back_office",),
        why="BillingPermission: back office only",
    ),
    Write(
        "api-billing-run-preflight",
        "post",
        payload=lambda w: {},
        effect=lambda w, role, body: _exists(
            "billing.BillingRun", pk=_draft_run(w).pk, preflight_at__isnull=True
        ),
        allowed=("back_office",),
        why="BillingPermission: back office only (the check itself is queued on commit)",
        kwargs=lambda w: {"id": _draft_run(w).public_id},
    ),
    Write(
        "api-billing-run-finalise",
        "post",
        payload=lambda w: {},
        effect=lambda w, role, body: _exists(
            "billing.BillingRun", pk=_draft_run(w).pk, status="finalised"
        ),
        allowed=("back_office",),
        why="BillingPermission: back office only (the table's run is not built: 400 there)",
        kwargs=lambda w: {"id": _draft_run(w).public_id},
    ),
    Write(
        "api-billing-run-returns",
        "post",
        payload=lambda w: {"file": _return_message(w)},
        effect=lambda w, role, body: _exists("billing.ReturnFile", run=_sent_run(w)),
        allowed=("back_office",),
        why="BillingPermission: back office only",
        kwargs=lambda w: {"id": _sent_run(w).public_id},
        multipart=True,
        # (the GET lists rejections by client and is audited; the upload answers counts)
        audited=False,
    ),
    Write(
        "api-billing-rejection-ready",
        "post",
        payload=lambda w: {},
        effect=lambda w, role, body: (
            _exists("billing.Rejection", pk=w.rejection.pk, status=(body or {}).get("status"))
            and (body or {}).get("status") != "open"
        ),
    ),
]

# Write routes with no valid write this matrix can send, and why.
NO_VALID_WRITE: dict[str, str] = {
    "api-token POST": "logs in by the body's username and password, not the session: every "
    "role answers alike; tests/security/test_api_tokens.py and test_login.py cover it",
}
