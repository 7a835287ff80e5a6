"""The month added up, priced and numbered in PostgreSQL (scheduling.billing.staging) gives
the same lines, totals and documents as the lines made one by one in Python (the path a
database other than PostgreSQL takes), corrections, credits and a mid-month rate change
included."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from clients.models import Client
from scheduling.billing import aggregation, services
from scheduling.billing.exporters import get_exporter
from scheduling.billing.files import invoice_csv_bytes, invoice_pdf_context
from scheduling.billing.models import BillingRun, LineKind, Tariff
from scheduling.models import CareService
from tests.billing.conftest import APRIL, MARCH
from tests.factories import billed_visit

pytestmark = pytest.mark.django_db

LINE_COLUMNS = [c for c in services.LINE_FIELDS]


def _both(run: BillingRun) -> tuple[services.BuiltLines, services.BuiltLines]:
    pairs = aggregation.correction_pairs(period=run.period, insurer=run.insurer)

    def inputs() -> tuple:
        return (
            aggregation.correction_groups(pairs=pairs),
            aggregation.billed_net(pairs=pairs),
            aggregation.unbilled_visits_of_pairs(pairs),
        )

    return services._build_in_memory(run, *inputs()), services._build_staged(run, *inputs())


def _documents(run: BillingRun, built: services.BuiltLines) -> list:
    exporter = get_exporter()
    documents = []
    for invoice in built.invoices(run):
        context = invoice_pdf_context(invoice)
        documents.append(
            (
                invoice.uzovi,
                invoice_csv_bytes(invoice),
                exporter.render(invoice),
                context["summary"],
                context["appendix_pages"],
                context["line_count"],
                context["insured_count"],
                invoice.total,
                invoice.total_debit,
                invoice.total_credit,
                invoice.total_units,
            )
        )
    return documents


def _stored(run: BillingRun, built: services.BuiltLines) -> list[tuple]:
    with transaction.atomic():
        run.lines.all().delete()
        services._store_lines(run, built)
    return list(run.lines.order_by("insurer_id", "line_number").values_list(*LINE_COLUMNS))


def test_the_staged_month_gives_the_same_lines_and_documents_as_the_python_path(
    billing_world, access_world, django_capture_on_commit_callbacks
) -> None:
    # given: March billed and finalised, then one of its visits corrected (a credit and a
    # re-billing of Anna's March in April), April's own visits, and nursing's rate changed
    # on 10 April
    w = billing_world
    with django_capture_on_commit_callbacks(execute=True):
        march = services.billing_run_request(period=MARCH, insurer=None, actor=None).run
    march.refresh_from_db()
    services.billing_run_finalise(run=march, actor=access_world.back_office)
    billed_visit(w.anna, dt.date(2026, 3, 3), {w.nursing: 30, w.care: 50}, corrects=w.anna_visit_1)
    billed_visit(w.bram, dt.date(2026, 4, 9), {w.nursing: 47})
    billed_visit(w.bram, dt.date(2026, 4, 14), {w.nursing: 52, w.care: 3})
    billed_visit(w.cees, dt.date(2026, 4, 15), {w.nursing: 1})
    nursing = Tariff.objects.get(contract__insurer=w.zilveren, service=w.nursing)
    services.tariff_set(
        contract=nursing.contract,
        service=w.nursing,
        hourly_rate=Decimal("91.15"),
        valid_from=dt.date(2026, 4, 10),
        actor=access_world.back_office,
    )
    april = BillingRun.objects.create(period=APRIL)
    # when: the April lines made both ways
    in_memory, staged = _both(april)
    try:
        # then: the same totals, counts and summary
        assert staged.groups_total == in_memory.groups_total
        assert staged.unpriced == in_memory.unpriced
        assert staged.balances() == in_memory.balances()
        assert staged.counts() == in_memory.counts()
        assert staged.summary_rows() == in_memory.summary_rows()
        # the same documents, byte for byte, and the same figures on the PDF
        assert _documents(april, staged) == _documents(april, in_memory)
        # and the same stored lines
        assert _stored(april, staged) == _stored(april, in_memory)
    finally:
        staged.close()
    kinds = list(april.lines.values_list("kind", flat=True))
    assert LineKind.CREDIT in kinds
    assert set(april.lines.values_list("hourly_rate", flat=True)) >= {
        Decimal("78.35"),
        Decimal("91.15"),
    }


@pytest.mark.parametrize(
    ("last_name", "policy_number", "service_name"),
    [
        # a formula start, a comma and quotes: the CSV cells the database neutralises and quotes
        ('=Jansen, "de" Vries', "P-1;=2", 'Nursing, "at home"'),
        # not ASCII: the declaration's fields written in Python (plain), the CSV in SQL
        ("Müller-Lüdenscheidt", "PÖ1", "@care +plus"),
        # a tab, CR and LF: those lines written in Python
        ("Visser", "P1\r\n2", "Care\tat home"),
    ],
)
def test_unusual_text_gives_the_same_files_both_ways(
    billing_world, last_name: str, policy_number: str, service_name: str
) -> None:
    # given: March with a client and a service whose texts need care in a CSV or EI record
    w = billing_world
    Client.objects.filter(pk=w.anna.pk).update(last_name=last_name, policy_number=policy_number)
    CareService.objects.filter(pk=w.nursing.pk).update(name=service_name)
    march = BillingRun.objects.create(period=MARCH)
    # when: the files made from the lines held in Python and from the staged month
    in_memory, staged = _both(march)
    try:
        # then: the same bytes
        assert _documents(march, staged) == _documents(march, in_memory)
    finally:
        staged.close()
