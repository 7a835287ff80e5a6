"""The world the permission matrix runs in: two teams, each role, and team-A objects.

Objects are made lazily (only when a route's kwargs ask for them), so the world stays small
and a builder for an app that changed breaks only the rows that use it.
When you add a model whose objects appear in URLs, add a cached property here that makes one
for TEAM A (nurse_a's team), and use it in the route's row in access_table.py.
"""

import datetime as dt
from functools import cached_property

from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.utils import timezone

from teams.models import Team, User
from tests.factories import (
    AdminFactory,
    BackOfficeFactory,
    ClientFactory,
    CoachAssignmentFactory,
    CoachFactory,
    MembershipFactory,
    NeighbourhoodFactory,
    PostFactory,
    ShiftFactory,
    TeamFactory,
    TeamSpaceFactory,
    ThreadFactory,
)

ROLES = ("anonymous", "nurse_a", "nurse_b", "coach_a", "coach_b", "back_office", "admin")


class World:
    def __init__(self) -> None:
        self.team_a: Team = TeamFactory(name="Matrix Team A")
        self.team_b: Team = TeamFactory(name="Matrix Team B")
        # Members since long before the world's visits (the database checks membership on a
        # visit's day, issue 20 item 12).
        since = dt.date(2020, 1, 1)
        self.nurse_a: User = MembershipFactory(team=self.team_a, seat=1, started_on=since).nurse
        self.nurse_b: User = MembershipFactory(team=self.team_b, seat=1, started_on=since).nurse
        self.coach_a: User = CoachAssignmentFactory(team=self.team_a, coach=CoachFactory()).coach
        self.coach_b: User = CoachAssignmentFactory(team=self.team_b, coach=CoachFactory()).coach
        self.back_office: User = BackOfficeFactory()
        self.admin: User = AdminFactory()
        self.anonymous = None

    def user(self, role: str) -> User | None:
        return getattr(self, role)

    # --- team-A objects, made on first use -------------------------------------------
    @cached_property
    def neighbourhood_a(self):  # noqa: ANN201
        return self.team_a.neighbourhood

    @cached_property
    def spare_neighbourhood(self):  # noqa: ANN201
        return NeighbourhoodFactory()

    @cached_property
    def problem_code(self) -> str:
        from tests.factories import problem_by_code

        return problem_by_code("01").code

    @cached_property
    def membership_a(self):  # noqa: ANN201
        return self.team_a.memberships.get(nurse=self.nurse_a)

    @cached_property
    def client_a(self):  # noqa: ANN201
        # Distinctive names, so the leak check cannot match ordinary page text.
        return ClientFactory(team=self.team_a, first_name="Qwyneth", last_name="Zandvoort-Matrix")

    @cached_property
    def care_service(self):  # noqa: ANN201
        from tests.factories import CareServiceFactory

        return CareServiceFactory(code="MTX1", name="Matrix service")

    @cached_property
    def client_problem_a(self):  # noqa: ANN201
        from tests.factories import ClientProblemFactory

        return ClientProblemFactory(client=self.client_a)

    @cached_property
    def intervention_a(self):  # noqa: ANN201
        from tests.factories import InterventionFactory

        return InterventionFactory(client_problem=self.client_problem_a)

    @cached_property
    def network_contact_a(self):  # noqa: ANN201
        from tests.factories import NetworkContactFactory

        return NetworkContactFactory(client=self.client_a)

    @cached_property
    def shift_a(self):  # noqa: ANN201
        return ShiftFactory(team=self.team_a, nurse=self.nurse_a, day=dt.date(2026, 6, 1))

    @cached_property
    def visit_a(self):  # noqa: ANN201
        from tests.factories import VisitFactory

        # (after leave_a, 1 to 8 June: the database refuses a visit during her leave)
        return VisitFactory(client=self.client_a, nurse=self.nurse_a, day=dt.date(2026, 6, 15))

    @cached_property
    def billed_visit_a(self):  # noqa: ANN201
        """A billed visit of team A's client (by nurse A), which a correction may follow."""
        from django.utils import timezone

        from scheduling.models import Visit
        from tests.factories import billed_visit

        visit = billed_visit(self.client_a, dt.date(2026, 5, 12), {})
        Visit.objects.filter(pk=visit.pk).update(nurse=self.nurse_a, billed_at=timezone.now())
        return visit

    @cached_property
    def calendar_token_a(self) -> str:
        from scheduling.services.visits import calendar_token_rotate

        return calendar_token_rotate(user=self.nurse_a).token

    @cached_property
    def contract(self):  # noqa: ANN201
        from tests.factories import ContractFactory

        return ContractFactory(insurer=self.client_a.insurer)

    @cached_property
    def billing_run(self):  # noqa: ANN201
        from scheduling.billing.models import BillingRun

        return BillingRun.objects.create(
            period=dt.date(2026, 5, 1), insurer=self.client_a.insurer, requested_by=self.back_office
        )

    @cached_property
    def run_file(self):  # noqa: ANN201
        from scheduling.billing.models import RunFile

        run_file = RunFile(
            run=self.billing_run,
            insurer=self.billing_run.insurer,
            kind="csv",
            filename="x.csv",
            content_type="text/csv",
            size=3,
            sha256="0" * 64,
            invoice_number="1",
            total_amount=0,
        )
        run_file.file.save("x.csv", ContentFile(b"a,b"), save=False)
        run_file.save()
        return run_file

    @cached_property
    def rejection(self):  # noqa: ANN201
        """A rejected line of team A's client, in a return file of a finalised run."""
        from django.utils import timezone

        from scheduling.billing.models import BillingRun, InvoiceLine, Rejection, ReturnFile
        from tests.factories import CareServiceFactory

        run = BillingRun.objects.create(
            period=dt.date(2026, 4, 1),
            insurer=self.client_a.insurer,
            status="draft",
        )
        service = CareServiceFactory()
        line = InvoiceLine.objects.create(
            run=run,
            insurer=run.insurer,
            client=self.client_a,
            line_number=1,
            bsn=self.client_a.bsn or "",
            policy_number=self.client_a.policy_number,
            client_name=self.client_a.last_name,
            service=service,
            service_code=service.code,
            period=run.period,
            minutes=30,
            units=6,
            hourly_rate=60,
            amount=30,
        )
        # Finalised after its line: the database keeps a finalised run's lines read-only.
        BillingRun.objects.filter(pk=run.pk).update(
            status="finalised", finalised_by=self.back_office, finalised_at=timezone.now()
        )
        run.refresh_from_db()
        return_file = ReturnFile(
            run=run,
            insurer=run.insurer,
            filename="r.txt",
            sha256="1" * 64,
            uploaded_by=self.back_office,
        )
        return_file.file.save("r.txt", ContentFile(b"x"), save=False)
        return_file.save()
        return Rejection.objects.create(
            return_file=return_file, line=line, record_number=3, reference="R1", codes=["0012"]
        )

    @cached_property
    def report_a(self):  # noqa: ANN201
        from omaha.reports.models import OutcomeReport

        report = OutcomeReport(
            scope="team",
            team=self.team_a,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
            requested_by=self.coach_a,
        )
        report.csv_file.save("r.csv", ContentFile(b"a,b"), save=False)
        report.save()
        return report

    @cached_property
    def cover_a(self):  # noqa: ANN201
        """A third team proposes to cover team A at night: A's nurse may accept or remove it,
        team B is no party to it (404)."""
        from tests.factories import CoverArrangementFactory

        return CoverArrangementFactory(
            covering_team=TeamFactory(name="Matrix Team C"), covered_team=self.team_a, proposed=True
        )

    @cached_property
    def leave_a(self):  # noqa: ANN201
        from tests.factories import LeaveFactory

        return LeaveFactory(nurse=self.nurse_a)

    @cached_property
    def space_a(self):  # noqa: ANN201
        return TeamSpaceFactory(team=self.team_a)

    @cached_property
    def thread_a(self):  # noqa: ANN201
        return ThreadFactory(space=self.space_a, author=self.nurse_a)

    @cached_property
    def post_a(self):  # noqa: ANN201
        return PostFactory(thread=self.thread_a, author=self.nurse_a)

    @cached_property
    def attachment_a(self):  # noqa: ANN201
        from coaching.models import Attachment

        attachment = Attachment(
            post=self.post_a, original_name="note.txt", content_type="text/plain", size=5
        )
        attachment.file.save("note.txt", ContentFile(b"hello"), save=False)
        attachment.save()
        return attachment

    @cached_property
    def intake_request_a(self):  # noqa: ANN201
        """Nurse A registered a BSN that is in care with team B: back office's to check."""
        from clients.intake.models import IntakeRequest
        from tests.factories import make_bsn

        return IntakeRequest.objects.create(
            team=self.team_a,
            requested_by=self.nurse_a,
            bsn=make_bsn(),
            details={"first_name": "Matrix", "last_name": "Intake"},
            in_care_with=self.team_b,
        )

    @cached_property
    def medication_a(self):  # noqa: ANN201
        from tests.factories import MedicationFactory

        # 09:00 daily: visit_a (09:00-09:30 on its day) covers it.
        return MedicationFactory(
            client=self.client_a,
            name="Zyxomatrixol",
            times_of_day=["09:00"],
            created_by=self.nurse_a,
        )

    @cached_property
    def wound_a(self):  # noqa: ANN201
        from clients.wounds.models import Wound

        return Wound.objects.create(
            client=self.client_a,
            body_site="left heel",
            kind="pressure",
            started_on=dt.date(2026, 1, 5),
            created_by=self.nurse_a,
        )

    @cached_property
    def signoff_a(self):  # noqa: ANN201
        from scheduling.medication.models import DoseSignoff

        return DoseSignoff.objects.create(
            medication=self.medication_a,
            due_at=self.visit_a.starts_at,
            outcome="given",
            signed_by=self.nurse_a,
            visit=self.visit_a,
        )

    @cached_property
    def care_report_a(self):  # noqa: ANN201
        from scheduling.carenotes.models import CareReport

        return CareReport.objects.create(
            client=self.client_a,
            client_problem=self.client_problem_a,
            author=self.nurse_a,
            written_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC),
            text="Matrix report text Xylophone-A",
            for_handover=True,
        )

    @cached_property
    def lockout(self):  # noqa: ANN201
        """A username locked by five failed logins (the unlock page's object)."""
        return AccessAttempt.objects.create(
            username="matrix-locked-out",
            ip_address="192.0.2.99",
            user_agent="matrix",
            failures_since_start=5,
            attempt_time=timezone.now(),
            get_data="",
            post_data="",
            http_accept="",
            path_info="/accounts/login/",
        )

    @cached_property
    def wound_assessment_a(self):  # noqa: ANN201
        from tests.factories.wounds import WoundAssessmentFactory

        return WoundAssessmentFactory(wound=self.wound_a, assessed_by=self.nurse_a)

    @cached_property
    def wound_photo_a(self):  # noqa: ANN201
        from tests.factories.wounds import wound_photo

        return wound_photo(self.wound_assessment_a, self.nurse_a)

    @cached_property
    def incident_a(self):  # noqa: ANN201
        from tests.factories.incidents import IncidentFactory

        return IncidentFactory(team=self.team_a, client=self.client_a, reported_by=self.nurse_a)

    @cached_property
    def privacy_request_a(self):  # noqa: ANN201
        from scheduling.privacy.models import PrivacyRequest

        return PrivacyRequest.objects.create(
            client=self.client_a,
            kind="access",
            requested_on=dt.date(2026, 6, 1),
            due_on=dt.date(2026, 7, 1),
            recorded_by=self.back_office,
        )

    def markers(self) -> list[str]:
        """Strings that only team-A objects made so far carry: B's users must never see them."""
        found = []
        for name in (
            "client_a",
            "visit_a",
            "shift_a",
            "cover_a",
            "leave_a",
            "thread_a",
            "post_a",
            "attachment_a",
            "medication_a",
            "signoff_a",
            "care_report_a",
            "wound_a",
            "wound_assessment_a",
            "wound_photo_a",
            "incident_a",
        ):
            if name in self.__dict__:
                obj = self.__dict__[name]
                found.append(str(obj.public_id))
        if "client_a" in self.__dict__:
            found += [self.client_a.bsn, self.client_a.last_name]
        if "thread_a" in self.__dict__:
            found.append(self.thread_a.subject)
        return found
