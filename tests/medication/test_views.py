"""Medication pages: the visit's doses, one tap, bad input at the field, the record's list."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from buurtzorg.audit.models import AccessEvent
from scheduling.medication.models import DoseSignoff, Medication
from tests.medication.conftest import DAY, PASSWORD, MedWorld, at

pytestmark = pytest.mark.django_db


def test_the_visit_log_page_lists_the_doses_due_with_one_tap(client, med: MedWorld) -> None:
    client.force_login(med.nurse)
    response = client.get(reverse("scheduling:visit-log", args=[med.visit.public_id]))
    html = response.content.decode()
    assert "Metformine" in html
    assert "Insuline aspart" in html
    assert reverse("medication:visit-all-given", args=[med.visit.public_id]) in html
    assert AccessEvent.objects.count() == 1  # the page's own read covers its doses


def test_all_given_is_one_post_and_leaves_the_high_risk_dose(client, med: MedWorld) -> None:
    client.force_login(med.nurse)
    response = client.post(reverse("medication:visit-all-given", args=[med.visit.public_id]))
    assert response.status_code == 302
    assert list(DoseSignoff.objects.values_list("medication__name", "outcome")) == [
        ("Metformine", "given")
    ]


def test_a_refused_sign_off_shows_the_message_at_the_field_and_keeps_the_input(
    client, med: MedWorld
) -> None:
    client.force_login(med.nurse)
    response = client.post(
        reverse("medication:visit-doses", args=[med.visit.public_id]),
        {
            "medication": med.insulin.public_id,
            "due_at": at(8).isoformat(),
            "outcome": "given",
            "second_username": med.colleague.username,
            "second_password": "wrong password",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "username or password is not right" in html
    assert f'value="{med.colleague.username}"' in html
    assert not DoseSignoff.objects.exists()


def test_a_high_risk_dose_is_signed_with_the_second_nurses_password(client, med: MedWorld) -> None:
    client.force_login(med.nurse)
    response = client.post(
        reverse("medication:visit-doses", args=[med.visit.public_id]),
        {
            "medication": med.insulin.public_id,
            "due_at": at(8).isoformat(),
            "outcome": "given",
            "second_username": med.colleague.username,
            "second_password": PASSWORD,
        },
    )
    assert response.status_code == 302
    signoff = DoseSignoff.objects.get()
    assert signoff.second_signer == med.colleague


def test_not_given_without_a_reason_is_refused_at_the_reason(client, med: MedWorld) -> None:
    client.force_login(med.nurse)
    response = client.post(
        reverse("medication:visit-doses", args=[med.visit.public_id]),
        {"medication": med.tablet.public_id, "due_at": at(8).isoformat(), "outcome": "not_given"},
    )
    assert "Say why the dose was not given" in response.content.decode()
    assert not DoseSignoff.objects.exists()


def test_a_dose_that_is_not_due_is_refused_on_the_page(client, med: MedWorld) -> None:
    client.force_login(med.nurse)
    response = client.post(
        reverse("medication:visit-doses", args=[med.visit.public_id]),
        {"medication": med.tablet.public_id, "due_at": at(14).isoformat(), "outcome": "given"},
    )
    assert "not due at this visit" in response.content.decode()
    assert not DoseSignoff.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"dose_unit": ""}, "A dose needs its unit"),
        ({"times_of_day": ""}, "Give at least one time of day"),
        ({"ends_on": "2026-05-01"}, "cannot be before the start date"),
        ({"times_of_day": "8 uur"}, "Write times of day as 08:00"),
    ],
)
def test_bad_medication_input_keeps_what_was_typed(
    client, med: MedWorld, change: dict, message: str
) -> None:
    client.force_login(med.nurse)
    data = {
        "name": "Furosemide",
        "strength": "40 mg",
        "form": "tablet",
        "route": "oral",
        "dose_amount": "1",
        "dose_unit": "tablet",
        "times_of_day": "08:00",
        "starts_on": "2026-06-01",
        "prescriber": "Dr. Visser",
    } | change
    before = Medication.objects.count()
    response = client.post(reverse("medication:create", args=[med.client_record.public_id]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Furosemide"' in html
    assert 'value="Dr. Visser"' in html
    assert Medication.objects.count() == before


def test_a_nurse_adds_a_medicine_on_the_page(client, med: MedWorld) -> None:
    client.force_login(med.nurse)
    response = client.post(
        reverse("medication:create", args=[med.client_record.public_id]),
        {
            "name": "Furosemide",
            "form": "tablet",
            "route": "oral",
            "times_of_day": "20:00, 8:00",
            "weekdays": ["0", "3"],
            "starts_on": "2026-06-01",
        },
    )
    assert response.status_code == 302
    added = Medication.objects.get(name="Furosemide")
    assert added.times_of_day == ["08:00", "20:00"]
    assert added.weekdays == 0b1001


def test_the_record_shows_the_medication_list_in_constant_queries(
    client, med: MedWorld, django_assert_max_num_queries
) -> None:
    client.force_login(med.nurse)
    url = reverse("clients:client-detail", args=[med.client_record.public_id])
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for n in range(10):
        Medication.objects.create(
            client=med.client_record,
            name=f"Extra {n}",
            form="tablet",
            route="oral",
            times_of_day=["12:00"],
            starts_on=dt.date(2026, 1, 1),
            created_by=med.nurse,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Extra 9" in response.content.decode()
    assert "Insuline aspart" in response.content.decode()


def test_my_day_shows_overdue_doses(client, med: MedWorld, settings) -> None:
    client.force_login(med.nurse)
    response = client.get(reverse("scheduling:my-day") + "?day=2026-06-02")
    html = response.content.decode()
    assert "Overdue medication" in html
    assert "Insuline aspart" in html


def test_a_coach_reads_the_list_but_cannot_add(client, med: MedWorld) -> None:
    client.force_login(med.coach)
    assert (
        client.get(reverse("medication:list", args=[med.client_record.public_id])).status_code
        == 200
    )
    assert (
        client.get(reverse("medication:create", args=[med.client_record.public_id])).status_code
        == 404
    )
    assert client.get(reverse("medication:history", args=[med.tablet.public_id])).status_code == 200


def test_my_day_with_medication_costs_two_queries_more_whatever_the_round(
    client, med: MedWorld, django_assert_max_num_queries
) -> None:
    from tests.factories import MedicationFactory, VisitFactory

    # given her round without any medication
    Medication.objects.all().delete()
    client.force_login(med.nurse)
    url = reverse("scheduling:my-day") + "?day=2026-06-02"
    client.get(url)
    with django_assert_max_num_queries(40) as bare:
        client.get(url)
    # when her clients get medication and the round grows
    for hour in (9, 10, 11, 12):
        other = VisitFactory(client__team=med.team, nurse=med.nurse, day=DAY, at=dt.time(hour))
        MedicationFactory(client=other.client, times_of_day=[f"{hour:02d}:00", "20:00"])
    MedicationFactory(client=med.client_record)
    # then My day reads at most two queries more (medication with signed times, visits)
    with django_assert_max_num_queries(len(bare.captured_queries) + 2):
        response = client.get(url)
    assert "Overdue medication" in response.content.decode()


@pytest.mark.parametrize("page", ["medication:list", "clients:client-detail"])
def test_each_row_of_the_medication_table_links_its_own_medicine(
    client, med: MedWorld, page: str
) -> None:
    # given a client's insulin stopped, her tablet current, and a nurse reading in Dutch
    Medication.objects.filter(pk=med.insulin.pk).update(
        stopped_at=at(9), stopped_by=med.nurse, stop_reason="arts"
    )
    med.nurse.language = "nl"
    med.nurse.save(update_fields=["language"])
    client.force_login(med.nurse)
    # when she opens the page with the medication table
    html = client.get(reverse(page, args=[med.client_record.public_id])).content.decode()
    # then each medicine links its own history, only the current one its edit and stop forms
    for kind in ("history", "edit", "stop"):
        assert f'href="{reverse(f"medication:{kind}", args=[med.tablet.public_id])}"' in html
    assert f'href="{reverse("medication:history", args=[med.insulin.public_id])}"' in html
    for kind in ("edit", "stop"):
        assert reverse(f"medication:{kind}", args=[med.insulin.public_id]) not in html
    # and form and route are in her language, as get_FOO_display gives them
    with translation.override("nl"):
        insulin = Medication.objects.get(pk=med.insulin.pk)
        assert f"· {insulin.get_form_display()} · {insulin.get_route_display()}</td>" in html
    assert 'class="pill">gestopt</span>' in html


@pytest.mark.parametrize("page", ["medication:list", "clients:client-detail"])
def test_a_medicine_on_some_weekdays_shows_them(client, med: MedWorld, page: str) -> None:
    # given her tablet on Monday and Thursday only
    Medication.objects.filter(pk=med.tablet.pk).update(weekdays=0b1001)
    client.force_login(med.nurse)
    # when a nurse opens the client's medication (the weekdays' names are lazy translations)
    response = client.get(reverse(page, args=[med.client_record.public_id]))
    # then the page answers, with the days in her language
    assert response.status_code == 200
    assert "(Mon/Thu)" in response.content.decode()
