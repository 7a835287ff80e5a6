"""Expected access for every route, per role. THE PERMISSION MATRIX READS THIS TABLE.

WHEN YOU ADD A ROUTE, ADD ITS ROW HERE (tests/security/test_permission_matrix.py fails for a
route without a row, and for a row whose route is gone).

A row is the expected status code for each role, in this order:

    anonymous  nurse_a  nurse_b  coach_a  coach_b  back_office  admin

nurse_a and coach_a belong to TEAM A; nurse_b and coach_b to TEAM B. Objects in URLs are
TEAM A's (made by tests/security/world.py; add a builder there for a new kind of object).
So a team-A object must answer 404 to nurse_b and coach_b (never 403: nothing leaks), and
a 200 page or list shown to them must not contain team-A data (the test checks for it).

    "app:route-name": Row(
        "302 200 404 200 404 404 404", kwargs=lambda w: {"public_id": w.shift_a.public_id}
    ),

- Write "200|302" where either is right (e.g. a form that re-renders or redirects).
- `method="post"` (with `data={...}`) for POST-only routes; each request is rolled back.
  For GET rows, `data` is the query string (for routes that need parameters).
- Anonymous: pages redirect to the login page (302); the API answers 403.
- Set the status you mean after reading the view, not what the test happens to print
  (MATRIX_PRINT=1 prints what every route answers now, with "/n" after a status when the
  request wrote n access rows).
- `audited=True` for every route that shows or changes client data (record pages, client API,
  exports, PDFs, iCal, visit pages, billing files, access-log pages): each request it serves
  must write exactly one `AccessEvent` row, and every other request (refused, or a route that
  is not audited) none. A route that logs only in some states (a per-client outcome report,
  a pre-flight list that names clients) is audited=False while the world's object shows no
  client data; say so in a comment on its row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.security.world import ROLES


@dataclass(frozen=True)
class Row:
    statuses: str
    kwargs: Callable[[Any], dict] | None = None
    method: str = "get"
    data: dict | None = None
    ends_session: bool = False  # the route logs the user out: the test logs in again
    # The route shows or changes client data: every request it serves (2xx, or a redirect
    # after a POST that worked) writes exactly one access row; refused requests write none.
    # Routes that are not audited must write no access row at all.
    audited: bool = False

    def __post_init__(self) -> None:
        assert len(self.statuses.split()) == len(ROLES), f"{self.statuses!r}: one per role"

    def raw(self, role: str) -> str:
        return self.statuses.split()[ROLES.index(role)]

    def expected(self, role: str) -> set[int]:
        return {int(code) for code in self.raw(role).split("|")}


# The Django admin (every /admin/ URL): superusers only, and no role of the app is one.
ADMIN_SITE = Row("302 302 302 302 302 302 302")
ADMIN_LOGIN = Row("200 200 200 200 200 200 200")

# Routes whose code today writes a different number of access rows than their `audited`
# value says (zero or two). The expectation in ROWS is what the view SHOULD do; the matrix
# reports these instead of failing until the audit calls have moved into the read/write
# services (issue 14), and fails once one of them logs as expected (remove it here then).
KNOWN_AUDIT_GAPS: set[str] = set()

ROWS: dict[str, Row] = {
    "home": Row("302 302 302 302 302 302 302"),
    "healthz": Row("200 200 200 200 200 200 200"),
    "manifest": Row("200 200 200 200 200 200 200"),
    "service-worker": Row("200 200 200 200 200 200 200"),
    "favicon": Row("301 301 301 301 301 301 301"),
    "login": Row("200 302 302 302 302 302 302"),
    "logout": Row("302 302 302 302 302 302 302", method="post", ends_session=True),
    "api-schema": Row("200 200 200 200 200 200 200"),
    "api-docs": Row("200 200 200 200 200 200 200"),
    "javascript-catalog": Row("200 200 200 200 200 200 200"),
    "teams:team-list": Row("302 200 200 200 200 200 200"),
    "teams:team-create": Row("302 404 404 404 404 404 200"),
    "teams:team-detail": Row(
        "302 200 404 200 404 200 200", kwargs=lambda w: {"public_id": w.team_a.public_id}
    ),
    "teams:team-edit": Row(
        "302 404 404 404 404 404 200", kwargs=lambda w: {"public_id": w.team_a.public_id}
    ),
    "teams:team-add-nurse": Row(
        "302 404 404 404 404 404 200",
        kwargs=lambda w: {"public_id": w.team_a.public_id},
        method="post",
    ),
    "teams:team-coaches": Row(
        "302 404 404 404 404 404 200",
        kwargs=lambda w: {"public_id": w.team_a.public_id},
        method="post",
    ),
    "teams:membership-end": Row(
        "302 404 404 404 404 404 302",
        kwargs=lambda w: {"public_id": w.membership_a.public_id},
        method="post",
    ),
    # the administrator's set-up checklist (scheduling/setup): no client data
    "setup:checklist": Row("302 404 404 404 404 404 200"),
    "setup:start": Row("302 404 404 404 404 404 302"),
    "api-setup-checklist": Row("403 403 403 403 403 403 200"),
    # the organisation's own details: back office and administrators (no client data)
    "teams:organisation": Row("302 404 404 404 404 200 200"),
    "api-organisation": Row("403 403 403 403 403 200 200"),
    "teams:neighbourhood-list": Row("302 404 404 404 404 404 200"),
    "teams:neighbourhood-create": Row("302 404 404 404 404 404 200"),
    "teams:neighbourhood-edit": Row(
        "302 404 404 404 404 404 200", kwargs=lambda w: {"public_id": w.neighbourhood_a.public_id}
    ),
    "teams:user-list": Row("302 404 404 404 404 404 200"),
    "teams:user-create": Row("302 404 404 404 404 404 200"),
    "teams:user-edit": Row("302 404 404 404 404 404 200", kwargs=lambda w: {"pk": w.nurse_a.pk}),
    # The language switch: anyone (the login page too); saves the choice on a signed-in user.
    "teams:language": Row(
        "302 302 302 302 302 302 302", method="post", data={"language": "en", "next": "/"}
    ),
    "api-token": Row("400 400 400 400 400 400 400", method="post"),
    "api-neighbourhood-list": Row("403 403 403 403 403 403 200"),
    "api-neighbourhood-detail": Row(
        "403 403 403 403 403 403 200", kwargs=lambda w: {"id": w.neighbourhood_a.public_id}
    ),
    "api-team-list": Row("403 200 200 200 200 200 200"),
    "api-team-detail": Row(
        "403 200 404 200 404 200 200", kwargs=lambda w: {"id": w.team_a.public_id}
    ),
    "api-team-members": Row(
        "403 200 404 200 404 403 200", kwargs=lambda w: {"id": w.team_a.public_id}
    ),
    "scheduling:rota": Row("302 200 200 200 200 404 404"),
    "scheduling:shift-create": Row("302 200 200 404 404 404 404"),
    "scheduling:shift-edit": Row(
        "302 200 404 404 404 404 404", kwargs=lambda w: {"public_id": w.shift_a.public_id}
    ),
    # GET is the "are you sure?" page; the POST is tests/scheduling/test_confirm.py
    "scheduling:shift-delete": Row(
        "302 200 404 404 404 404 404", kwargs=lambda w: {"public_id": w.shift_a.public_id}
    ),
    "scheduling:leave-create": Row("302 200 200 404 404 404 404"),
    "scheduling:leave-delete": Row(
        "302 302 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.leave_a.public_id},
        method="post",
    ),
    "scheduling:coverage-rules": Row("302 302 302 404 404 404 404", method="post"),
    "scheduling:cover-arrangements": Row("302 200 200 404 404 404 404"),
    # Team A is covered (proposed) by a third team: its nurse accepts or removes; B is no party.
    "scheduling:cover-accept": Row(
        "302 302 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.cover_a.public_id},
        method="post",
    ),
    "scheduling:cover-remove": Row(
        "302 302 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.cover_a.public_id},
        method="post",
    ),
    "scheduling:coverage": Row("302 200 200 200 200 404 404"),
    # Indication hours (issue 16, item 3): the team page lists team A's clients to its readers.
    "scheduling:team-hours": Row("302 200 200 200 200 404 404", audited=True),
    "scheduling:client-hours": Row(
        "302 200 404 200 404 404 404",
        kwargs=lambda w: {"public_id": w.client_a.public_id},
        audited=True,
    ),
    "api-team-hours": Row(
        "403 200 404 200 404 403 403", kwargs=lambda w: {"id": w.team_a.public_id}, audited=True
    ),
    "api-client-hours": Row(
        "403 200 404 200 404 403 403",
        kwargs=lambda w: {"id": w.client_a.public_id},
        audited=True,
    ),
    "api-shift-list": Row("403 200 200 200 200 403 403"),
    "api-shift-detail": Row(
        "403 200 404 200 404 403 403", kwargs=lambda w: {"id": w.shift_a.public_id}
    ),
    "api-team-coverage": Row(
        "403 200 404 200 404 403 403",
        kwargs=lambda w: {"id": w.team_a.public_id},
        data={"start": "2026-06-01T00:00:00+02:00", "end": "2026-06-02T00:00:00+02:00"},
    ),
    "scheduling:my-day": Row("302 200 200 404 404 404 404", audited=True),
    "scheduling:day-clients": Row("302 200 200 404 404 404 404", audited=True),
    "scheduling:visit-start": Row(
        "302 302 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.visit_a.public_id},
        method="post",
        audited=True,
    ),
    "scheduling:visit-done": Row(
        "302 302 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.visit_a.public_id},
        method="post",
        audited=True,
    ),
    "scheduling:visit-log": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.visit_a.public_id},
        audited=True,
    ),
    "scheduling:visit-not-done": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.visit_a.public_id},
        audited=True,
    ),
    "scheduling:visit-unplanned": Row("302 200 200 404 404 404 404", audited=True),
    "scheduling:planning": Row("302 200 200 200 200 404 404", audited=True),
    "scheduling:visit-create": Row("302 200 200 404 404 404 404", audited=True),
    "scheduling:visit-edit": Row(
        "302 200 404 200 404 404 404",
        kwargs=lambda w: {"public_id": w.visit_a.public_id},
        audited=True,
    ),
    "scheduling:visit-correct": Row(
        "302 200 404 404 404 200 404",
        kwargs=lambda w: {"public_id": w.billed_visit_a.public_id},
        audited=True,
    ),
    "scheduling:visit-assign": Row(
        "302 302 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.visit_a.public_id},
        method="post",
        audited=True,
    ),
    "scheduling:series-create": Row("302 200 200 404 404 404 404", audited=True),
    "scheduling:calendar": Row("302 200 200 404 404 404 404"),
    # Her own feed: "are you sure?" while she has one (nurse A's, once the ical-feed row made
    # it), else back to the calendar page; the POST is tests/scheduling/test_confirm.py
    "scheduling:calendar-stop": Row("302 200|302 200|302 404 404 404 404"),
    # Her own feed's new address: "are you sure?" likewise (the POST: test_confirm.py)
    "scheduling:calendar-renew": Row("302 200|302 200|302 404 404 404 404"),
    # The secret URL is the key (no login): whoever holds nurse A's token gets her feed.
    "scheduling:ical-feed": Row(
        "200 200 200 200 200 200 200", kwargs=lambda w: {"token": w.calendar_token_a}, audited=True
    ),
    "api-visit-list": Row("403 200 200 200 200 403 403", audited=True),
    "api-visit-today": Row("403 200 200 403 403 403 403", audited=True),
    "api-visit-detail": Row(
        "403 200 404 200 404 403 403", kwargs=lambda w: {"id": w.visit_a.public_id}, audited=True
    ),
    "api-visit-log": Row(
        "403 200|400 404 403 403 403 403",
        kwargs=lambda w: {"id": w.visit_a.public_id},
        method="post",
        audited=True,
    ),
    # One action from the phone's offline queue (issue 18): "done" at 09:40 on visit A's day.
    "api-visit-offline": Row(
        "403 200 404 403 403 403 403",
        kwargs=lambda w: {"id": w.visit_a.public_id},
        method="post",
        data={
            "key": "5f0c7a52-96c1-4a8e-9a59-0d4b1c5e2f11",
            "kind": "done",
            "at": "2026-06-15T09:40:00+02:00",
        },
        audited=True,
    ),
    "api-visit-correct": Row(
        "403 201 404 403 403 201 403",
        kwargs=lambda w: {"id": w.billed_visit_a.public_id},
        method="post",
        data={"minutes": 40, "reason": "counted twice"},
        audited=True,
    ),
    "api-series-list": Row("403 200 200 200 200 403 403", audited=True),
    "billing:run-list": Row("302 404 404 404 404 200 404"),
    "billing:run-start": Row("302 404 404 404 404 200|302 404", method="post"),
    # The run page and the API pre-flight log when the pre-flight list names clients; the
    # world's run has no problems, so they write no access row here.
    "billing:run-detail": Row(
        "302 404 404 404 404 200 404", kwargs=lambda w: {"public_id": w.billing_run.public_id}
    ),
    "billing:run-progress": Row(
        "302 404 404 404 404 200 404", kwargs=lambda w: {"public_id": w.billing_run.public_id}
    ),
    "billing:run-rerun": Row(
        "302 404 404 404 404 302 404",
        kwargs=lambda w: {"public_id": w.billing_run.public_id},
        method="post",
    ),
    "billing:run-check": Row(
        "302 404 404 404 404 302 404",
        kwargs=lambda w: {"public_id": w.billing_run.public_id},
        method="post",
    ),
    "billing:run-finalise": Row(
        "302 404 404 404 404 302 404",
        kwargs=lambda w: {"public_id": w.billing_run.public_id},
        method="post",
    ),
    "billing:file-download": Row(
        "302 404 404 404 404 200 404",
        kwargs=lambda w: {"public_id": w.run_file.public_id},
        audited=True,
    ),
    # Return messages: the world's run is not finalised, so an upload is refused at the field
    # (the page is shown again, naming no client); marking the world's rejection fixed
    # redirects back to its run.
    "billing:run-returns": Row(
        "302 404 404 404 404 200 404",
        kwargs=lambda w: {"public_id": w.billing_run.public_id},
        method="post",
    ),
    "billing:rejection-ready": Row(
        "302 404 404 404 404 302 404",
        kwargs=lambda w: {"public_id": w.rejection.public_id},
        method="post",
    ),
    # insurers and care services: back office and administrators (no client data)
    "billing:insurer-list": Row("302 404 404 404 404 200 200"),
    "billing:insurer-create": Row("302 404 404 404 404 200 200"),
    "billing:insurer-edit": Row(
        "302 404 404 404 404 200 200", kwargs=lambda w: {"public_id": w.client_a.insurer.public_id}
    ),
    "billing:care-service-list": Row("302 404 404 404 404 200 200"),
    "billing:care-service-create": Row("302 404 404 404 404 200 200"),
    "billing:care-service-edit": Row(
        "302 404 404 404 404 200 200", kwargs=lambda w: {"pk": w.care_service.pk}
    ),
    "api-billing-insurer-list": Row("403 404 404 404 404 200 200"),
    "api-billing-insurer-detail": Row(
        "403 404 404 404 404 200 200", kwargs=lambda w: {"id": w.client_a.insurer.public_id}
    ),
    "api-billing-care-service-list": Row("403 404 404 404 404 200 200"),
    "api-billing-care-service-detail": Row(
        "403 404 404 404 404 200 200", kwargs=lambda w: {"id": w.care_service.pk}
    ),
    "api-billing-contract-list": Row("403 404 404 404 404 200 200"),
    "api-billing-contract-detail": Row(
        "403 404 404 404 404 200 200", kwargs=lambda w: {"id": w.contract.public_id}
    ),
    "billing:contract-list": Row("302 404 404 404 404 200 200"),
    "billing:contract-create": Row("302 404 404 404 404 200 200"),
    "billing:contract-detail": Row(
        "302 404 404 404 404 200 200", kwargs=lambda w: {"public_id": w.contract.public_id}
    ),
    "api-billing-run-list": Row("403 404 404 404 404 200 404"),
    "api-billing-run-detail": Row(
        "403 404 404 404 404 200 404", kwargs=lambda w: {"id": w.billing_run.public_id}
    ),
    "api-billing-run-preflight": Row(
        "403 404 404 404 404 200 404", kwargs=lambda w: {"id": w.billing_run.public_id}
    ),
    "api-billing-run-finalise": Row(
        "403 404 404 404 404 400 404",
        kwargs=lambda w: {"id": w.billing_run.public_id},
        method="post",
    ),
    # The rejections list names clients: one access row per list served.
    "api-billing-run-returns": Row(
        "403 404 404 404 404 200 404",
        kwargs=lambda w: {"id": w.rejection.return_file.run.public_id},
        audited=True,
    ),
    "api-billing-rejection-ready": Row(
        "403 404 404 404 404 200 404",
        kwargs=lambda w: {"id": w.rejection.public_id},
        method="post",
    ),
    "api-billing-file": Row(
        "403 404 404 404 404 200 404", kwargs=lambda w: {"id": w.run_file.public_id}, audited=True
    ),
    # Outcome reports log only when they show clients (per-client reports); the world's
    # report is an aggregate, so these routes write no access row here.
    "reports:report-list": Row("302 200 200 200 200 200 200"),
    "reports:report-detail": Row(
        "302 200 404 200 404 200 200", kwargs=lambda w: {"public_id": w.report_a.public_id}
    ),
    "reports:report-progress": Row(
        "302 200 404 200 404 200 200", kwargs=lambda w: {"public_id": w.report_a.public_id}
    ),
    "reports:report-download": Row(
        "302 200 404 200 404 200 200",
        kwargs=lambda w: {"public_id": w.report_a.public_id, "kind": "csv"},
    ),
    "api-report-list": Row("403 200 200 200 200 200 200"),
    "api-report-detail": Row(
        "403 200 404 200 404 200 200", kwargs=lambda w: {"id": w.report_a.public_id}
    ),
    "coaching:dashboard": Row("302 404 404 200 200 404 404"),
    "coaching:team-dashboard": Row("302 200 200 404 404 404 404"),
    "coaching:team-figures": Row(
        "302 200 404 200 404 404 404", kwargs=lambda w: {"public_id": w.team_a.public_id}
    ),
    "coaching:space-list": Row("302 200 200 200 200 404 404"),
    # Incidents (issue 16, item 4): the team's nurses only; coaches see counts (trends).
    "incidents:list": Row("302 200 200 404 404 404 404", audited=True),
    "incidents:create": Row("302 200 200 404 404 404 404", audited=True),
    "incidents:trends": Row("302 404 404 200 200 404 404"),
    "api-incident-list": Row("403 200 200 403 403 403 403", audited=True),
    "api-incident-trends": Row("403 403 403 200 200 403 403"),
    "incidents:detail": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.incident_a.public_id},
        audited=True,
    ),
    "incidents:action-add": Row(
        "302 302 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.incident_a.public_id},
        method="post",
        data={"text": "Talked with the family; bed rail ordered."},
        audited=True,
    ),
    "incidents:close": Row(
        "302 302 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.incident_a.public_id},
        method="post",
        audited=True,
    ),
    "coaching:thread-list": Row(
        "302 200 404 200 404 404 404", kwargs=lambda w: {"public_id": w.space_a.public_id}
    ),
    "coaching:thread-create": Row(
        "302 200 404 200 404 404 404", kwargs=lambda w: {"public_id": w.space_a.public_id}
    ),
    "coaching:decision-list": Row(
        "302 200 404 200 404 404 404", kwargs=lambda w: {"public_id": w.space_a.public_id}
    ),
    "coaching:thread-detail": Row(
        "302 200 404 200 404 404 404", kwargs=lambda w: {"public_id": w.thread_a.public_id}
    ),
    "coaching:post-poll": Row(
        "302 200 404 200 404 404 404", kwargs=lambda w: {"public_id": w.thread_a.public_id}
    ),
    "coaching:post-create": Row(
        "302 200|302 404 200|302 404 404 404",
        kwargs=lambda w: {"public_id": w.thread_a.public_id},
        method="post",
    ),
    "coaching:post-decision": Row(
        "302 302 404 302 404 404 404",
        kwargs=lambda w: {"public_id": w.post_a.public_id},
        method="post",
    ),
    "coaching:problem-questions": Row(
        "302 200 200 200 200 404 404", kwargs=lambda w: {"code": w.problem_code}
    ),
    "coaching:attachment-download": Row(
        "302 200 404 200 404 404 404", kwargs=lambda w: {"public_id": w.attachment_a.public_id}
    ),
    "api-space-list": Row("403 200 200 200 200 200 200"),
    "api-thread-list": Row("403 200 200 200 200 200 200"),
    "api-team-figures": Row(
        "403 200 404 200 404 404 404",
        kwargs=lambda w: {"id": w.team_a.public_id},
        data={"start": "2026-06-01", "end": "2026-06-28"},
    ),
    "api-thread-posts": Row(
        "403 200 404 200 404 404 404", kwargs=lambda w: {"id": w.thread_a.public_id}
    ),
    # clients: nurse A edits, coach A reads, back office reads administrative fields only,
    # the administrator is not a clinician (404); team B never sees team A's records.
    "omaha:browser": Row("302 200 200 200 200 200 200"),
    "clients:client-list": Row("302 200 200 200 200 200 404", audited=True),
    "clients:client-register": Row("302 200 200 404 404 404 404"),
    "clients:client-detail": Row(
        "302 200 404 200 404 200 404",
        kwargs=lambda w: {"public_id": w.client_a.public_id},
        audited=True,
    ),
    "clients:client-export": Row(
        "302 200 404 200 404 404 404",
        kwargs=lambda w: {"public_id": w.client_a.public_id},
        audited=True,
    ),
    **{
        name: Row(
            "302 200 404 404 404 404 404",
            kwargs=lambda w: {"public_id": w.client_a.public_id},
            audited=True,
        )
        for name in (
            "clients:client-edit",
            "clients:client-discharge",
            "clients:indication-add",
            "clients:network-add",
            "clients:problem-add",
        )
    },
    # GET is the "are you sure?" page (names what goes); the POST is tests/clients/test_confirm.py
    "clients:network-remove": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {
            "public_id": w.client_a.public_id,
            "contact_id": w.network_contact_a.public_id,
        },
        audited=True,
    ),
    **{
        name: Row(
            "302 200 404 404 404 404 404",
            kwargs=lambda w: {
                "public_id": w.client_a.public_id,
                "problem_id": w.client_problem_a.public_id,
            },
            audited=True,
        )
        for name in ("clients:problem-resolve", "clients:intervention-add", "clients:rating-add")
    },
    # GET is the "are you sure?" page (names what goes); the POST is tests/clients/test_confirm.py
    "clients:intervention-stop": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {
            "public_id": w.client_a.public_id,
            "problem_id": w.client_problem_a.public_id,
            "intervention_id": w.intervention_a.public_id,
        },
        audited=True,
    ),
    "api-client-list": Row("403 200 200 200 200 200 404", audited=True),
    "api-client-detail": Row(
        "403 200 404 200 404 200 404", kwargs=lambda w: {"id": w.client_a.public_id}, audited=True
    ),
    **{
        name: Row(
            "403 200 404 200 404 404 404",
            kwargs=lambda w: {"id": w.client_a.public_id},
            audited=True,
        )
        for name in (
            "api-client-problems",
            "api-client-interventions",
            "api-client-ratings",
            "api-client-export",
        )
    },
    "api-omaha-problems": Row("403 200 200 200 200 200 200"),
    "api-omaha-targets": Row("403 200 200 200 200 200 200"),
    "api-omaha-categories": Row("403 200 200 200 200 200 200"),
    "audit:log": Row("302 404 404 404 404 404 200", audited=True),
    "audit:client-report": Row(
        "302 404 404 404 404 404 200",
        kwargs=lambda w: {"client_public_id": w.client_a.public_id},
        audited=True,
    ),
    "audit:client-report-csv": Row(
        "302 404 404 404 404 404 200",
        kwargs=lambda w: {"client_public_id": w.client_a.public_id},
        audited=True,
    ),
    "audit:client-report-pdf": Row(
        "302 404 404 404 404 404 200",
        kwargs=lambda w: {"client_public_id": w.client_a.public_id},
        audited=True,
    ),
    "privacy:export-json": Row(
        "302 200 404 200 404 404 404",
        kwargs=lambda w: {"public_id": w.client_a.public_id},
        audited=True,
    ),
    "privacy:export-pdf": Row(
        "302 200 404 200 404 404 404",
        kwargs=lambda w: {"public_id": w.client_a.public_id},
        audited=True,
    ),
    # The privacy request register (issue 21): back office and administrators only.
    "privacy:request-list": Row("302 404 404 404 404 200 200", audited=True),
    "privacy:request-detail": Row(
        "302 404 404 404 404 200 200",
        kwargs=lambda w: {"public_id": w.privacy_request_a.public_id},
        audited=True,
    ),
    # Reports and handover (issue 16): the timeline is read like the rest of the clinical
    # record (the team's nurses and coaches); only nurses write; the handover is a nurse's page
    # about her own team (team B's nurse sees B's, without A's data).
    "carenotes:timeline": Row(
        "302 200 404 200 404 404 404",
        kwargs=lambda w: {"public_id": w.care_report_a.client.public_id},
        audited=True,
    ),
    "carenotes:report-create": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.client_a.public_id},
        audited=True,
    ),
    "carenotes:report-edit": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {
            "public_id": w.client_a.public_id,
            "report_id": w.care_report_a.public_id,
        },
        audited=True,
    ),
    "carenotes:handover": Row("302 200 200 404 404 404 404", audited=True),
    "carenotes:handover-read": Row(
        "302 302 302 404 404 404 404", method="post", data={"key": "report:matrix"}
    ),
    "api-client-reports": Row(
        "403 200 404 200 404 403 403",
        kwargs=lambda w: {"id": w.care_report_a.client.public_id},
        audited=True,
    ),
    "api-client-report": Row(
        "403 200|201 404 403 403 403 403",
        kwargs=lambda w: {"id": w.client_a.public_id, "report_id": w.care_report_a.public_id},
        method="post",
        data={"text": "Changed by the matrix"},
        audited=True,
    ),
    "api-handover": Row("403 200 200 403 403 403 403", audited=True),
    "api-privacy-requests": Row("403 403 403 403 403 200 200", audited=True),
    "api-privacy-request": Row(
        "403 403 403 403 403 200 200",
        kwargs=lambda w: {"id": w.privacy_request_a.public_id},
        audited=True,
    ),
    "api-privacy-request-handle": Row(
        "403 403 403 403 403 200 200",
        kwargs=lambda w: {"id": w.privacy_request_a.public_id},
        method="post",
        data={"outcome": "done"},
        audited=True,
    ),
    "api-handover-read": Row(
        "403 204 204 403 403 403 403", method="post", data={"key": "report:matrix"}
    ),
    "audit:otp-setup": Row("302 200 200 200 200 200 200"),
    "audit:otp-verify": Row("302 200 200 200 200 200 200"),
    # Everyone signed in changes her own password (the POST needs the old one).
    "audit:password-change": Row("302 200 200 200 200 200 200"),
    "audit:password-change-done": Row("302 200 200 200 200 200 200"),
    # Intake requests (a registration whose BSN is in care elsewhere): back office only; they
    # hold a BSN and what the nurse typed, so every read and resolve writes one access row.
    "intake:list": Row("302 404 404 404 404 200 404", audited=True),
    "intake:resolve": Row(
        "302 404 404 404 404 302 404",
        method="post",
        kwargs=lambda w: {"public_id": w.intake_request_a.public_id},
        data={"resolution": "Checked with both teams"},
        audited=True,
    ),
    "api-intake-list": Row("403 404 404 404 404 200 404", audited=True),
    "api-intake-resolve": Row(
        "403 404 404 404 404 200 404",
        method="post",
        kwargs=lambda w: {"id": w.intake_request_a.public_id},
        data={"resolution": "Checked with both teams"},
        audited=True,
    ),
    # medication (issue 17): nurses and coaches of the team read, the team's nurses write,
    # signing happens at her own visit; back office and administrators nothing.
    "medication:list": Row(
        "302 200 404 200 404 404 404",
        kwargs=lambda w: {"public_id": w.client_a.public_id},
        audited=True,
    ),
    "medication:create": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.client_a.public_id},
        audited=True,
    ),
    "medication:history": Row(
        "302 200 404 200 404 404 404",
        kwargs=lambda w: {"public_id": w.medication_a.public_id},
        audited=True,
    ),
    "medication:edit": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.medication_a.public_id},
        audited=True,
    ),
    "medication:stop": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.medication_a.public_id},
        audited=True,
    ),
    "medication:visit-doses": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.visit_a.public_id},
        audited=True,
    ),
    "medication:visit-all-given": Row(
        "302 302 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.visit_a.public_id},
        method="post",
        audited=True,
    ),
    "medication:signoff-correct": Row(
        "302 200 404 404 404 404 404",
        kwargs=lambda w: {"public_id": w.signoff_a.public_id},
        audited=True,
    ),
    "api-client-medication": Row(
        "403 200 404 200 404 403 403",
        kwargs=lambda w: {"id": w.client_a.public_id},
        audited=True,
    ),
    "api-medication": Row(
        "403 200 404 200 404 403 403",
        kwargs=lambda w: {"id": w.medication_a.public_id},
        audited=True,
    ),
    "api-medication-stop": Row(
        "403 200 404 403 403 403 403",
        kwargs=lambda w: {"id": w.medication_a.public_id},
        method="post",
        data={"reason": "stopped by the GP"},
        audited=True,
    ),
    "api-visit-doses": Row(
        "403 200 404 403 403 403 403",
        kwargs=lambda w: {"id": w.visit_a.public_id},
        audited=True,
    ),
    "api-visit-doses-all-given": Row(
        "403 201 404 403 403 403 403",
        kwargs=lambda w: {"id": w.visit_a.public_id},
        method="post",
        audited=True,
    ),
    "api-signoff-correct": Row(
        "403 201 404 403 403 403 403",
        kwargs=lambda w: {"id": w.signoff_a.public_id},
        method="post",
        data={"outcome": "refused"},
        audited=True,
    ),
    # Password reset by mail: open to everyone (the form answers alike for any address).
    "audit:password-reset": Row("200 200 200 200 200 200 200"),
    "audit:password-reset-done": Row("200 200 200 200 200 200 200"),
    "audit:password-reset-confirm": Row(  # a made-up link: the "used or expired" page
        "200 200 200 200 200 200 200", kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}
    ),
    "audit:password-reset-complete": Row("200 200 200 200 200 200 200"),
    # Login lockouts: administrators only; lifting one is an audited administrator's action.
    "audit:lockout-list": Row("302 404 404 404 404 404 200"),
    "audit:lockout-lift": Row(
        "302 404 404 404 404 404 302",
        method="post",
        data={"kind": "username"},
        kwargs=lambda w: {"attempt_id": w.lockout.pk},
        audited=True,
    ),
    # Wounds and measurements (clients.wounds, clients.measurements): nurses and coaches of
    # the client's team read (coaches read-only), back office and administrators nothing;
    # every read and write writes one access row, photos included.
    **{
        name: Row(
            "302 200 404 200 404 404 404",
            kwargs=lambda w: {"public_id": w.client_a.public_id},
            audited=True,
        )
        for name in ("measurements:list", "wounds:list")
    },
    **{
        name: Row(
            "302 200 404 404 404 404 404",
            kwargs=lambda w: {"public_id": w.client_a.public_id},
            audited=True,
        )
        for name in ("measurements:add", "measurements:normal-range", "wounds:add")
    },
    "wounds:detail": Row(
        "302 200 404 200 404 404 404",
        kwargs=lambda w: {"public_id": w.wound_a.public_id},
        audited=True,
    ),
    **{
        name: Row(
            "302 200 404 404 404 404 404",
            kwargs=lambda w: {"public_id": w.wound_a.public_id},
            audited=True,
        )
        for name in ("wounds:assess", "wounds:close")
    },
    **{
        name: Row(
            "302 200 404 200 404 404 404",
            kwargs=lambda w: {"public_id": w.wound_photo_a.public_id},
            audited=True,
        )
        for name in ("wounds:photo", "wounds:photo-thumbnail")
    },
    **{
        name: Row(
            "403 200 404 200 404 404 404",
            kwargs=lambda w: {"id": w.client_a.public_id},
            audited=True,
        )
        for name in ("api-client-measurements", "api-client-wounds")
    },
    "api-wound-assessments": Row(
        "403 201 404 404 404 404 404",
        method="post",
        kwargs=lambda w: {"id": w.wound_a.public_id},
        data={
            "assessed_at": "2026-02-01T10:00:00+01:00",
            "length_mm": "30",
            "width_mm": "20",
            "depth_mm": "2",
            "tissue": "granulation",
            "exudate": "low",
            "edges": "attached",
            "pain": "3",
        },
        audited=True,
    ),
    "api-wound-close": Row(
        "403 200 404 404 404 404 404",
        method="post",
        kwargs=lambda w: {"id": w.wound_a.public_id},
        data={"closed_on": "2026-03-01", "close_reason": "healed"},
        audited=True,
    ),
    # Posted without a file: nurse A's request is refused at the field (400, nothing logged).
    "api-wound-photo-upload": Row(
        "403 400 404 404 404 404 404",
        method="post",
        kwargs=lambda w: {"id": w.wound_assessment_a.public_id},
        audited=True,
    ),
    "api-wound-photo": Row(
        "403 200 404 200 404 404 404",
        kwargs=lambda w: {"id": w.wound_photo_a.public_id},
        audited=True,
    ),
}
