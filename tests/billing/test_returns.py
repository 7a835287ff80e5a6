"""Return messages (AW320): rejections kept with their reasons, fed to the pre-flight, and
declared again once fixed; and a declaration that fails its layout is never stored."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clients.models import Client
from scheduling.billing import services
from scheduling.billing.exporters import DutchDistrictNursingExporter
from scheduling.billing.models import (
    FileKind,
    LineKind,
    Rejection,
    RejectionStatus,
    RunStatus,
)
from scheduling.billing.selectors import billing_run_preflight
from scheduling.billing.vektis import returns
from scheduling.billing.vektis.layout import AW319, NEWLINE, field
from tests.billing.aw320 import aw320_file
from tests.billing.conftest import APRIL, MARCH

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    """Request a run and let its task run eagerly on commit (as in test_runs)."""

    def start(period=MARCH, insurer=None, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            result = services.billing_run_request(period=period, insurer=insurer, actor=actor)
        result.run.refresh_from_db()
        return result

    return start


def _declaration(run, uzovi: str) -> list[str]:
    row = run.files.get(insurer__uzovi=uzovi, kind=FileKind.DECLARATION)
    with row.file.open("rb") as handle:
        return handle.read().decode("iso-8859-1").split(NEWLINE)[:-1]


def _return_file(records: list[str], codes: dict[int, str]) -> bytes:
    """The insurer's AW320 (370 positions): "0001" (accepted) or the code in RETOURCODE (01)."""
    return aw320_file(records, codes)


def _at(record: str, name: str) -> str:
    return record[field(AW319, record[:2], name).slice].strip()


def _store(run, data: bytes, actor):
    return returns.return_file_store(
        run=run,
        filename="retour.txt",
        content=data,
        actor=actor,
        number_for=services.invoice_number,
    )


@pytest.fixture
def march_sent(billing_world, run_now, access_world):
    run = run_now(actor=access_world.back_office).run
    services.billing_run_finalise(run=run, actor=access_world.back_office)
    records = _declaration(run, "3311")
    bram = next(
        i
        for i, r in enumerate(records)
        if r[:2] == "04" and _at(r, "bsn") == billing_world.bram.bsn
    )
    return run, records, bram


def test_a_rejected_record_is_kept_listed_fixed_and_declared_again(
    billing_world,
    march_sent,
    run_now,
    access_world,
) -> None:
    w, back_office = billing_world, access_world.back_office
    march, records, bram = march_sent
    rejected_reference = _at(records[bram], "reference")
    # when: the insurer rejects Bram's record (insured person unknown)
    stored = _store(march, _return_file(records, {bram: "0012"}), back_office)
    # then: one rejection, with the insurer's code, on Bram's line
    rejection = Rejection.objects.get()
    assert (stored.rejected_count, stored.record_count) == (1, len(records))
    assert rejection.codes == ["0012"]
    assert rejection.reference == rejected_reference
    assert rejection.line.client == w.bram
    assert rejection.status == RejectionStatus.OPEN
    # and the next run's pre-flight lists it with the reason, in plain words
    april = run_now(period=APRIL).run
    listed = [p for p in billing_run_preflight(run=april) if p.code == "rejected_by_insurer"]
    assert len(listed) == 1
    assert "Insured person unknown to the insurer" in listed[0].message
    assert rejected_reference in listed[0].message
    # when: back office fixes the policy number and marks it fixed; April runs again
    Client.objects.filter(pk=w.bram.pk).update(policy_number="FIXED-42")
    returns.rejection_mark_ready(rejection=rejection, actor=back_office)
    april = run_now(period=APRIL).run
    assert april.status == RunStatus.DRAFT, april.error
    # then: April declares Bram's March nursing again: a new debit, corrected data, same money
    again = april.lines.get(client=w.bram)
    assert (again.kind, again.period, again.service_code) == (LineKind.DEBIT, MARCH, "1001")
    assert (again.units, again.amount, again.policy_number) == (6, Decimal("39.18"), "FIXED-42")
    # and its record cites the rejected record's reference; the file passes the validator
    data = april.files.get(insurer=w.zilveren, kind=FileKind.DECLARATION).file.read()
    assert DutchDistrictNursingExporter.check(data) == []
    text = data.decode("iso-8859-1").split(NEWLINE)
    service = next(r for r in text if r[:2] == "04" and _at(r, "policy_number") == "FIXED-42")
    assert _at(service, "previous_reference") == rejected_reference
    assert _at(service, "reference") != rejected_reference
    # when April is finalised, the rejection is closed, naming April
    services.billing_run_finalise(run=april, actor=back_office)
    rejection.refresh_from_db()
    assert (rejection.status, rejection.redeclared_in) == (RejectionStatus.REDECLARED, april)
    assert not [p for p in billing_run_preflight(run=april) if p.code == "rejected_by_insurer"]


def test_an_open_rejection_is_not_declared_again(
    billing_world,
    march_sent,
    run_now,
    access_world,
) -> None:
    march, records, bram = march_sent
    _store(march, _return_file(records, {bram: "0012"}), access_world.back_office)
    april = run_now(period=APRIL).run
    assert not april.lines.filter(client=billing_world.bram).exists()


def test_a_code_on_the_lead_record_rejects_every_service_record(march_sent, access_world) -> None:
    march, records, _ = march_sent
    stored = _store(march, _return_file(records, {0: "0901"}), access_world.back_office)
    services_count = sum(1 for r in records if r[:2] == "04")
    assert stored.rejected_count == services_count
    assert all(r.codes == ["0901"] for r in Rejection.objects.all())


def test_the_same_return_file_twice_is_refused(march_sent, access_world) -> None:
    march, records, bram = march_sent
    data = _return_file(records, {bram: "0012"})
    _store(march, data, access_world.back_office)
    with pytest.raises(ValidationError, match="uploaded already"):
        _store(march, data, access_world.back_office)
    assert Rejection.objects.count() == 1


def test_a_return_file_citing_an_unknown_reference_stores_nothing(march_sent, access_world) -> None:
    march, records, bram = march_sent
    reference = field(AW319, "04", "reference")
    bad = (
        records[bram][: reference.start - 1]
        + "NOT-OURS".ljust(20)
        + records[bram][reference.slice.stop :]
    )
    records = [*records[:bram], bad, *records[bram + 1 :]]
    with pytest.raises(ValidationError, match=f"Record {bram + 1} cites reference 'NOT-OURS'"):
        _store(march, _return_file(records, {bram: "0012"}), access_world.back_office)
    assert not march.return_files.exists()
    assert not Rejection.objects.exists()


def test_the_return_codes_are_read_from_the_insurers_part_of_370_position_records(
    march_sent, access_world
) -> None:
    # given: the insurer's AW320 for our file, rejecting Bram's record
    march, records, bram = march_sent
    data = _return_file(records, {bram: "0012"})
    lines = data.decode("iso-8859-1").split(NEWLINE)[:-1]
    assert {len(line) for line in lines} == {370}
    assert lines[bram][328:332] == "0012"  # RETOURCODE (01) of a 04 record: positions 329-332
    assert lines[0][2:5] == "429"
    # when / then: read and kept
    stored = _store(march, data, access_world.back_office)
    assert stored.rejected_count == 1
    assert Rejection.objects.get().codes == ["0012"]


def test_a_code_on_the_insured_record_rejects_that_persons_records(
    billing_world, march_sent, access_world
) -> None:
    march, records, bram = march_sent
    insured = max(i for i, r in enumerate(records[:bram]) if r[:2] == "02")
    stored = _store(march, _return_file(records, {insured: "0013"}), access_world.back_office)
    rejections = list(Rejection.objects.select_related("line"))
    assert stored.rejected_count == len(rejections) > 0
    assert {r.line.client for r in rejections} == {billing_world.bram}
    assert all(r.codes == ["0013"] for r in rejections)


def test_our_own_310_position_records_are_not_a_return_message(march_sent, access_world) -> None:
    # given: our declaration with a code in its last positions (the shape we used to read)
    march, records, bram = march_sent
    codes = {i: "0012" if i == bram else "0001" for i in range(len(records))}
    old_shape = [r[:298] + codes[i] + 8 * " " for i, r in enumerate(records)]
    data = (NEWLINE.join(old_shape) + NEWLINE).encode("iso-8859-1")
    with pytest.raises(ValidationError, match=r"record 1 \('01'\) .* not 370 characters"):
        _store(march, data, access_world.back_office)
    assert not march.return_files.exists()
    assert not Rejection.objects.exists()


def test_a_return_message_of_another_kind_is_refused(march_sent, access_world) -> None:
    # given: a return message whose lead record says 188 (the Wlz/AWBZ return information)
    march, records, bram = march_sent
    data = _return_file(records, {bram: "0012"}).decode("iso-8859-1")
    data = data[:2] + "188" + data[5:]
    with pytest.raises(ValidationError, match="its message code is 188, not 429"):
        _store(march, data.encode("iso-8859-1"), access_world.back_office)
    assert not Rejection.objects.exists()


def test_a_return_file_for_a_draft_run_is_refused(billing_world, run_now, access_world) -> None:
    draft = run_now().run
    records = _declaration(draft, "3311")
    with pytest.raises(ValidationError, match="finalise the run first"):
        _store(draft, _return_file(records, {}), access_world.back_office)


def test_a_run_whose_declaration_fails_the_validator_stores_no_file(
    billing_world,
    run_now,
) -> None:
    # given: a client whose last name is empty (mandatory in the insured record)
    Client.objects.filter(pk=billing_world.bram.pk).update(last_name="")
    # when
    run = run_now().run
    # then: the run failed, saying which record and field, and stored no file and no line
    assert run.status == RunStatus.FAILED
    assert "02 verzekerdenrecord), field last_name" in run.error
    assert not run.files.exists()
    assert not run.lines.exists()
    _ = dt  # (dates come from the conftest world)


def test_back_office_uploads_the_return_file_on_the_run_page_and_sees_the_reason(
    client, billing_world, march_sent, access_world
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from buurtzorg.audit.models import AccessEvent

    march, records, bram = march_sent
    client.force_login(access_world.back_office)
    upload = SimpleUploadedFile("retour.txt", _return_file(records, {bram: "0012"}))
    # when
    response = client.post(
        reverse("billing:run-returns", args=[march.public_id]), {"file": upload}, follow=True
    )
    # then: the run page lists Bram's rejected record with the insurer's code and reason
    page = response.content.decode()
    assert "0012" in page
    assert "Insured person unknown to the insurer" in page
    assert billing_world.bram.full_name in page
    # and showing it wrote one access row (it names a client)
    # (the run page after the upload)
    assert AccessEvent.objects.filter(part="billing-preflight").count() == 1
    # when: the API lists them
    api = client.get(reverse("api-billing-run-returns", args=[march.public_id]))
    assert [r["reasons"][0]["code"] for r in api.json()] == ["0012"]


def test_a_file_that_is_not_a_return_message_is_refused_at_the_field(
    client, march_sent, access_world
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    march, _, _ = march_sent
    client.force_login(access_world.back_office)
    upload = SimpleUploadedFile("notes.txt", b"hello\r\n")
    response = client.post(reverse("billing:run-returns", args=[march.public_id]), {"file": upload})
    assert response.status_code == 200
    assert "This is not a return message (AW320)" in response.content.decode()
    assert not march.return_files.exists()


def test_the_insured_record_carries_the_clients_dutch_name_sex_and_address(
    billing_world, run_now
) -> None:
    # given: Bram is B.J. de Bakker, male, at postcode 1234 AB number 7-2
    Client.objects.filter(pk=billing_world.bram.pk).update(
        initials="B.J.", name_prefix="de", sex="1", postcode="1234 AB", house_number="7-2"
    )
    # when
    run = run_now().run
    # then
    records = _declaration(run, "3311")
    bram = next(r for r in records if r[:2] == "02" and _at(r, "bsn") == billing_world.bram.bsn)
    assert (_at(bram, "last_name"), _at(bram, "name_prefix")) == ("Bakker", "de")
    assert (_at(bram, "initials"), _at(bram, "sex")) == ("BJ", "1")
    assert (_at(bram, "postcode"), _at(bram, "house_number")) == ("1234AB", "00007")
    assert _at(bram, "house_addition") == "2"
