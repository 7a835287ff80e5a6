"""The pages: reports from the visit page, the timeline, changing a report, the handover and
My day's "new since your last visit"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent
from clients.measurements.services import measurement_record, normal_range_set
from clients.models import OutcomeRating
from scheduling.carenotes.models import TEXT_MAX, CareReport, HandoverRead
from scheduling.models import VisitStatus
from tests.carenotes.conftest import report
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    InterventionFactory,
    MedicationFactory,
    VisitFactory,
)
from tests.factories.clients import problem_by_code

pytestmark = pytest.mark.django_db


def timeline_url(world) -> str:
    return reverse("carenotes:timeline", args=[world.client_record.public_id])


def create_url(world, visit=None) -> str:
    url = reverse("carenotes:report-create", args=[world.client_record.public_id])
    return url + (f"?visit={visit.public_id}" if visit else "")


# --- writing from the visit page ---------------------------------------------------------------


def test_visit_page_offers_a_report_per_problem_and_a_general_note(client, world) -> None:
    visit = VisitFactory(client=world.client_record, nurse=world.nurse)
    client.force_login(world.nurse)
    page = client.get(reverse("scheduling:visit-log", args=[visit.public_id])).content.decode()
    assert f'id="text-{world.problem.public_id}"' in page
    assert 'id="text-general"' in page
    assert f'id="knowledge-{world.problem.public_id}-5"' in page


def test_report_and_rating_from_the_visit_page_are_stored(client, world) -> None:
    visit = VisitFactory(client=world.client_record, nurse=world.nurse)
    client.force_login(world.nurse)
    response = client.post(
        create_url(world),
        {
            "visit": str(visit.public_id),
            "client_problem": str(world.problem.public_id),
            "text": "Pain lower after new dressing.",
            "for_handover": "on",
            "knowledge": "3",
            "behavior": "4",
            "status": "4",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("scheduling:visit-log", args=[visit.public_id])
    saved = CareReport.objects.get()
    assert (saved.visit, saved.client_problem, saved.for_handover) == (visit, world.problem, True)
    assert OutcomeRating.objects.get().behavior == 4


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": ""}, "text", "an empty report is not stored"),
        ({"text": "x" * (TEXT_MAX + 5)}, "text", f"at most {TEXT_MAX} characters"),
        (
            {"text": "Typed text stays", "written_at": "2999-01-01T10:00"},
            "written_at",
            "cannot be dated in the future",
        ),
        ({"text": "Typed text stays", "knowledge": "7"}, "knowledge", "valid choice"),
    ],
)
def test_bad_input_shows_the_message_at_the_field_keeps_the_text_and_stores_nothing(
    client, world, data, field, message
) -> None:
    client.force_login(world.nurse)
    post = {"client_problem": str(world.problem.public_id), "behavior": "3", "status": "3", **data}
    response = client.post(create_url(world), post)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    # the message sits in the field's own block, right after its input
    at = page.index(f'name="{field}"')
    block = page[at : at + len(data["text"]) + 1500]
    assert '<p class="error" role="alert">' in block
    assert message in block.split("</div>")[0] + block.split("</fieldset>")[0]
    if data["text"]:
        assert data["text"][:50] in page
    assert not CareReport.objects.exists()
    assert not OutcomeRating.objects.exists()


def test_someone_elses_visit_is_not_found(client, world) -> None:
    visit = VisitFactory(client=world.client_record, nurse=world.colleague)
    client.force_login(world.nurse)
    response = client.post(create_url(world), {"visit": str(visit.public_id), "text": "Hi"})
    assert response.status_code == 404
    assert not CareReport.objects.exists()


# --- the timeline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("nurse", 200),
        ("coach", 200),
        ("other_nurse", 404),
        ("back_office", 404),
        ("admin", 404),
    ],
)
def test_timeline_is_read_like_the_clinical_record(client, world, who, status) -> None:
    report(world)
    client.force_login(getattr(world, who))
    AccessEvent.objects.all().delete()
    response = client.get(timeline_url(world))
    assert response.status_code == status
    assert AccessEvent.objects.filter(part="timeline").count() == (1 if status == 200 else 0)


def test_timeline_is_newest_first_and_shows_the_history(client, world, old_report) -> None:
    from scheduling.carenotes.services import care_report_revise

    newer = care_report_revise(report=old_report, actor=world.nurse, text="Pain 6/10 actually.")
    client.force_login(world.coach)
    page = client.get(timeline_url(world)).content.decode()
    assert page.index("Pain 6/10 actually.") < page.index("Slept well, pain 3/10.")
    assert f'href="#report-{newer.public_id}"' in page  # the old entry points at its correction


def test_timeline_filters_by_problem_nurse_period_and_words(client, world) -> None:
    general = report(world, text="Daughter visits on Sundays.")
    on_problem = report(world, client_problem=world.problem, text="Dressing changed.")
    by_colleague = report(world, author=world.colleague, text="Evening: restless.")
    old = report(world, ago=dt.timedelta(days=40), text="Admission talk.")
    client.force_login(world.nurse)

    def shown(**params) -> set[int]:
        page = client.get(timeline_url(world), params).content.decode()
        return {r.pk for r in (general, on_problem, by_colleague, old) if r.text in page}

    assert shown(problem=str(world.problem.public_id)) == {on_problem.pk}
    assert shown(problem="general") == {general.pk, by_colleague.pk, old.pk}
    assert shown(author=str(world.colleague.public_id)) == {by_colleague.pk}
    start = (timezone.localdate() - dt.timedelta(days=41)).isoformat()
    end = (timezone.localdate() - dt.timedelta(days=39)).isoformat()
    assert shown(start=start, end=end) == {old.pk}
    assert shown(q="restless") == {by_colleague.pk}


def test_timeline_pages_by_key_and_costs_the_same_however_long(
    client, world, django_assert_max_num_queries
) -> None:
    for i in range(45):
        report(world, ago=dt.timedelta(hours=i + 1), text=f"Entry number {i:02d}.")
    client.force_login(world.nurse)
    with django_assert_max_num_queries(12):
        first = client.get(timeline_url(world))
    assert "Entry number 00." in first.content.decode()
    assert "Entry number 44." not in first.content.decode()
    older = first.context["older_query"]
    second = client.get(f"{timeline_url(world)}?{older}").content.decode()
    assert "Entry number 44." in second
    assert "Entry number 00." not in second


def test_record_page_links_to_the_timeline(client, world) -> None:
    client.force_login(world.nurse)
    page = client.get(world.client_record.get_absolute_url()).content.decode()
    assert timeline_url(world) in page


# --- changing a report ------------------------------------------------------------------------


def test_change_page_says_a_late_change_is_a_new_entry(client, world, old_report) -> None:
    url = reverse(
        "carenotes:report-edit", args=[world.client_record.public_id, old_report.public_id]
    )
    client.force_login(world.nurse)
    assert "becomes a new entry" in client.get(url).content.decode()
    response = client.post(url, {"text": "Pain 4/10."})
    assert response.status_code == 302
    assert CareReport.objects.get(replaces=old_report).text == "Pain 4/10."


def test_colleague_cannot_change_my_report(client, world, old_report) -> None:
    url = reverse(
        "carenotes:report-edit", args=[world.client_record.public_id, old_report.public_id]
    )
    client.force_login(world.colleague)
    response = client.post(url, {"text": "Overwritten."})
    assert response.status_code == 200
    assert "Only the author" in response.content.decode()
    assert CareReport.objects.count() == 1


# --- the handover -----------------------------------------------------------------------------


def test_handover_shows_what_changed_since_the_shift_began(client, world) -> None:
    # given, within the last 24 hours: a marked report, an unmarked one, a new intervention,
    # a new problem, a cancelled and a missed visit, and the same in another team
    marked = report(world, text="Fell last night, bruise on the hip.", for_handover=True)
    report(world, text="Routine, nothing special.")
    InterventionFactory(client_problem=world.problem, description="Check the hip twice daily")
    ClientProblemFactory(client=world.client_record, problem=problem_by_code("21"))
    now = timezone.now()
    VisitFactory(
        client=world.client_record,
        nurse=world.colleague,
        starts_at=now - dt.timedelta(hours=3),
        ends_at=now - dt.timedelta(hours=2, minutes=30),
    )
    cancelled = VisitFactory(
        client=world.client_record,
        nurse=world.colleague,
        starts_at=now + dt.timedelta(hours=3),
        ends_at=now + dt.timedelta(hours=3, minutes=30),
    )
    cancelled.status = VisitStatus.CANCELLED
    cancelled.save()
    stranger = ClientFactory(team=world.other_team, last_name="Elsewhere-Zyx")
    report(world, client=stranger, author=world.other_nurse, text="Other team.", for_handover=True)
    client.force_login(world.nurse)
    AccessEvent.objects.all().delete()
    # when
    response = client.get(reverse("carenotes:handover"))
    # then
    page = response.content.decode()
    assert marked.text in page
    assert "Routine, nothing special." not in page
    assert "Check the hip twice daily" in page
    assert "New problem" in page
    assert "Visit cancelled" in page
    assert "Visit missed" in page
    assert "Other team." not in page
    assert "Elsewhere-Zyx" not in page
    assert AccessEvent.objects.filter(part="handover").count() == 1
    assert AccessEvent.objects.count() == 1


def test_handover_starts_at_the_shift_and_the_since_selector_widens_it(client, world) -> None:
    from tests.factories import ShiftFactory

    now = timezone.now()
    shift_start = now - dt.timedelta(hours=2)
    ShiftFactory(
        team=world.team,
        nurse=world.nurse,
        starts_at=shift_start,
        ends_at=shift_start + dt.timedelta(hours=8),
    )
    report(world, ago=dt.timedelta(hours=5), text="Before my shift.", for_handover=True)
    report(world, ago=dt.timedelta(hours=1), text="During my shift.", for_handover=True)
    client.force_login(world.nurse)
    page = client.get(reverse("carenotes:handover")).content.decode()
    assert "During my shift." in page
    assert "Before my shift." not in page
    page = client.get(reverse("carenotes:handover"), {"since": "24h"}).content.decode()
    assert "Before my shift." in page


def test_mark_read_is_one_tap_and_per_nurse(client, world) -> None:
    marked = report(world, text="Read me.", for_handover=True)
    key = f"report:{marked.public_id}"
    client.force_login(world.nurse)
    response = client.post(
        reverse("carenotes:handover-read"), {"key": key}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert HandoverRead.objects.filter(nurse=world.nurse, item_key=key).exists()
    assert key in client.get(reverse("carenotes:handover")).context["handover"].read_keys
    client.force_login(world.colleague)
    assert key not in client.get(reverse("carenotes:handover")).context["handover"].read_keys


def extra_source(*, team, since, user):  # noqa: ANN001, ANN201
    client_record = team.clients.first()
    return [
        {
            "kind": "measurement",
            "client": client_record,
            "when": timezone.now(),
            "text": "Blood pressure 190/110",
            "url": "/x/",
        }
    ]


def test_other_apps_plug_sources_into_the_handover(client, world, settings) -> None:
    settings.HANDOVER_SOURCES = [*settings.HANDOVER_SOURCES, f"{__name__}.extra_source"]
    client.force_login(world.nurse)
    assert "Blood pressure 190/110" in client.get(reverse("carenotes:handover")).content.decode()


@pytest.mark.parametrize("who", ["coach", "back_office", "admin"])
def test_handover_is_a_nurses_page(client, world, who) -> None:
    client.force_login(getattr(world, who))
    assert client.get(reverse("carenotes:handover")).status_code == 404


def test_handover_query_count_does_not_grow_with_the_items(client, world) -> None:
    # given the page with nothing to hand over
    client.force_login(world.nurse)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("carenotes:handover"))
    # when every source has items: reports, care-plan changes, the world's new problem, missed
    # and cancelled visits, overdue doses (due 3 hours ago, covered by the missed visits) and
    # out-of-range measurements, about several clients
    nurse = world.nurse
    three_hours_ago = (timezone.localtime() - dt.timedelta(hours=3)).replace(
        second=0, microsecond=0
    )
    normal_range_set(
        client=world.client_record, actor=nurse, kind="pulse", low=Decimal(50), high=Decimal(90)
    )
    for i in range(30):
        report(world, ago=dt.timedelta(minutes=i + 1), text=f"Marked {i}.", for_handover=True)
        InterventionFactory(client_problem=world.problem, description=f"New {i}")
    for i in range(5):
        other = ClientFactory(team=world.team)
        MedicationFactory(
            client=other,
            times_of_day=[f"{three_hours_ago:%H:%M}"],
            starts_on=three_hours_ago.date() - dt.timedelta(days=1),
        )
        at = {"day": three_hours_ago.date(), "at": three_hours_ago.time()}
        VisitFactory(client=other, nurse=nurse if i == 0 else None, **at)
        VisitFactory(client=other, status=VisitStatus.CANCELLED, **at)
        measurement_record(
            client=world.client_record, actor=nurse, kind="pulse", value=Decimal(120 + i)
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("carenotes:handover"))
    # then the same few queries (one for all the sources' rows but the doses, one for those)
    assert len(many.captured_queries) == len(few.captured_queries) <= 10
    handover = response.context["handover"]
    assert {item.kind for item in handover.items} == {
        "report",
        "care-plan",
        "problem",
        "visit",
        "medication-overdue",
        "measurement",
    }
    # 30 reports, 32 interventions (the world's two are new too), its problem, 5 missed and 5
    # cancelled visits, 5 overdue doses, 5 measurements
    assert len(handover.items) == handover.total == 83


# --- My day -----------------------------------------------------------------------------------


@override_settings(TIME_ZONE="Europe/Amsterdam")
def test_my_day_card_counts_reports_since_her_last_visit(
    client, world, django_assert_max_num_queries
) -> None:
    today = timezone.localdate()
    VisitFactory(
        client=world.client_record,
        nurse=world.nurse,
        day=today - dt.timedelta(days=2),
        status=VisitStatus.DONE,
        logged_minutes=30,
        logged_at=timezone.now() - dt.timedelta(days=2),
    )
    VisitFactory(client=world.client_record, nurse=world.nurse, day=today, at=dt.time(23, 0))
    report(world, author=world.colleague, ago=dt.timedelta(days=3), text="Before my visit.")
    report(world, author=world.colleague, ago=dt.timedelta(hours=20), text="After it, 1.")
    report(world, author=world.colleague, ago=dt.timedelta(minutes=20), text="After it, 2.")
    report(world, ago=dt.timedelta(minutes=10), text="My own.")
    client.force_login(world.nurse)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("scheduling:my-day")).content.decode()
    assert '<span class="badge">2</span> new reports since your last visit' in page
    assert timeline_url(world) in page
