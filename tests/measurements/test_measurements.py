"""Measurements: impossible values refused at the field (pages, API, database), the client's
normal range flags, charts on the record, the handover item, exports and access."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from buurtzorg.audit.models import AccessEvent
from clients.export import client_record_fhir
from clients.measurements.handover import out_of_range
from clients.measurements.models import Measurement
from clients.measurements.services import measurement_record, normal_range_set
from scheduling.privacy.reads import client_data
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(access_world):  # noqa: ANN001, ANN201
    return ClientFactory(team=access_world.team_a)


def _post_form(client, access_world, record, **data):  # noqa: ANN001, ANN003, ANN202
    client.force_login(access_world.nurse_a)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return client.post(
        reverse("measurements:add", args=[record.public_id]), {"measured_at": now, **data}
    )


def test_a_pulse_of_400_is_refused_at_the_field_with_the_input_kept(
    client, access_world, record
) -> None:
    # when
    response = _post_form(client, access_world, record, kind="pulse", value="400")
    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert "is not a possible Pulse" in form.errors["value"][0]
    assert 'value="400"' in response.content.decode()
    assert not Measurement.objects.exists()


def test_fifty_degrees_is_not_a_temperature() -> None:
    with pytest.raises(ValidationError, match="not a possible Temperature"):
        measurement_record(
            client=ClientFactory(),
            actor=None,  # type: ignore[arg-type]
            kind="temperature",
            value=Decimal(50),
        )
    assert not Measurement.objects.exists()


def test_a_measurement_in_the_future_is_refused_at_its_field(client, access_world, record) -> None:
    later = (timezone.localtime() + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    client.force_login(access_world.nurse_a)
    response = client.post(
        reverse("measurements:add", args=[record.public_id]),
        {"kind": "pulse", "value": "72", "measured_at": later},
    )
    assert "in the future" in response.context["form"].errors["measured_at"][0]
    assert not Measurement.objects.exists()


def test_blood_pressure_needs_a_lower_diastolic(access_world, record) -> None:
    with pytest.raises(ValidationError, match="Enter the diastolic value"):
        measurement_record(client=record, actor=access_world.nurse_a, kind="bp", value=Decimal(130))
    with pytest.raises(ValidationError, match="must be lower than the systolic"):
        measurement_record(
            client=record,
            actor=access_world.nurse_a,
            kind="bp",
            value=Decimal(80),
            value2=Decimal(120),
        )
    bp = measurement_record(
        client=record, actor=access_world.nurse_a, kind="bp", value=Decimal(130), value2=Decimal(85)
    )
    assert bp.display_value == "130/85 mmHg"


def test_the_database_refuses_an_impossible_value_whatever_writes_it(access_world, record) -> None:
    with pytest.raises(IntegrityError, match="measurement_value_plausible"), transaction.atomic():
        Measurement.objects.create(
            client=record,
            kind="pulse",
            value=Decimal(400),
            measured_at=timezone.now(),
            measured_by=access_world.nurse_a,
        )


def test_the_database_refuses_a_measurement_in_the_future(access_world, record) -> None:
    with pytest.raises(IntegrityError, match="measurement_not_in_future"), transaction.atomic():
        Measurement.objects.create(
            client=record,
            kind="pulse",
            value=Decimal(70),
            measured_at=timezone.now() + dt.timedelta(days=1),
            measured_by=access_world.nurse_a,
        )


def test_values_outside_the_clients_normal_range_are_stored_and_flagged(
    access_world, record
) -> None:
    # given
    nurse = access_world.nurse_a
    normal_range_set(client=record, actor=nurse, kind="pulse", low=Decimal(50), high=Decimal(90))
    # when
    high = measurement_record(client=record, actor=nurse, kind="pulse", value=Decimal(120))
    normal = measurement_record(client=record, actor=nurse, kind="pulse", value=Decimal(70))
    # then
    assert (high.out_of_range, normal.out_of_range) == (True, False)
    assert Measurement.objects.count() == 2


def test_a_normal_range_must_be_low_below_high_and_plausible(access_world, record) -> None:
    with pytest.raises(ValidationError, match="lowest normal value must be below"):
        normal_range_set(
            client=record,
            actor=access_world.nurse_a,
            kind="pulse",
            low=Decimal(90),
            high=Decimal(50),
        )
    with pytest.raises(ValidationError, match="not a possible Pulse"):
        normal_range_set(
            client=record,
            actor=access_world.nurse_a,
            kind="pulse",
            low=Decimal(50),
            high=Decimal(400),
        )


def test_an_out_of_range_value_is_a_handover_item_for_its_team_only(access_world, record) -> None:
    # given
    nurse = access_world.nurse_a
    normal_range_set(client=record, actor=nurse, kind="spo2", low=Decimal(94), high=Decimal(100))
    flagged = measurement_record(client=record, actor=nurse, kind="spo2", value=Decimal(88))
    measurement_record(client=record, actor=nurse, kind="spo2", value=Decimal(97))
    since = timezone.now() - dt.timedelta(hours=8)
    # when
    items = list(out_of_range(team=access_world.team_a, since=since, user=nurse))
    other = list(out_of_range(team=access_world.team_b, since=since, user=access_world.nurse_b))
    # then
    assert [item["key"] for item in items] == [f"measurement:{flagged.public_id}"]
    item = items[0]
    assert item["client"] == record
    assert item["kind"] == "measurement"
    assert "88 %: outside the normal range" in item["text"]
    assert item["url"].startswith(reverse("measurements:list", args=[record.public_id]))
    assert other == []


def test_the_record_shows_a_chart_per_kind_with_the_last_value(
    client, access_world, record
) -> None:
    nurse = access_world.nurse_a
    for value in (72, 80, 76):
        measurement_record(client=record, actor=nurse, kind="pulse", value=Decimal(value))
    client.force_login(access_world.coach_a)
    before = AccessEvent.objects.count()
    response = client.get(record.get_absolute_url())
    html = response.content.decode()
    assert 'id="measurements"' in html
    assert "last 76 /min" in html
    assert html.count("<polyline") >= 1
    assert AccessEvent.objects.count() == before + 1  # the record's one row


def test_coaches_read_but_do_not_record_and_back_office_sees_nothing(access_world, record) -> None:
    api = APIClient()
    url = reverse("api-client-measurements", args=[record.public_id])
    measurement_record(client=record, actor=access_world.nurse_a, kind="pulse", value=Decimal(70))
    api.force_authenticate(access_world.coach_a)
    assert api.get(url).json()[0]["value"] == "70.0"
    assert api.post(url, {"kind": "pulse", "value": "70"}).status_code == 404
    api.force_authenticate(access_world.back_office)
    assert api.get(url).status_code == 404
    api.force_authenticate(access_world.nurse_b)
    assert api.get(url).status_code == 404


def test_the_api_refuses_an_impossible_value_at_its_field(access_world, record) -> None:
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    url = reverse("api-client-measurements", args=[record.public_id])
    response = api.post(url, {"kind": "pulse", "value": "400"}, format="json")
    assert response.status_code == 400
    assert "not a possible Pulse" in str(response.json())
    created = api.post(url, {"kind": "weight", "value": "71.5"}, format="json")
    assert created.status_code == 201
    assert created.json()["unit"] == "kg"
    assert Measurement.objects.count() == 1


def test_fhir_observations_carry_loinc_codes(access_world, record) -> None:
    nurse = access_world.nurse_a
    measurement_record(client=record, actor=nurse, kind="pulse", value=Decimal(70))
    measurement_record(
        client=record, actor=nurse, kind="bp", value=Decimal(130), value2=Decimal(85)
    )
    bundle = client_record_fhir(client=record)
    observations = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    ]
    codes = {o["code"]["coding"][0]["code"] for o in observations}
    assert {"8867-4", "85354-9"} <= codes
    bp = next(o for o in observations if o["code"]["coding"][0]["code"] == "85354-9")
    assert [c["code"]["coding"][0]["code"] for c in bp["component"]] == ["8480-6", "8462-4"]
    assert bp["component"][0]["valueQuantity"]["code"] == "mm[Hg]"


def test_the_gdpr_copy_holds_measurements_and_normal_ranges(access_world, record) -> None:
    nurse = access_world.nurse_a
    normal_range_set(client=record, actor=nurse, kind="pulse", low=Decimal(50), high=Decimal(90))
    measurement_record(client=record, actor=nurse, kind="pulse", value=Decimal(95))
    data = client_data(client=record)
    assert [Decimal(m["value"]) for m in data["measurements"]] == [Decimal(95)]
    assert data["measurements"][0]["out_of_range"] is True
    assert Decimal(data["measurement_normal_ranges"][0]["high"]) == Decimal(90)
