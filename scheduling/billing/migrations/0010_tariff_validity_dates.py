"""Tariffs get validity dates (issue 19): insurers change rates per year and during one.

A tariff is valid from `valid_from` up to and including `valid_until` (empty: until further
notice); a visit is priced at the tariff valid on its date of service. The one-tariff-per-
service unique constraint gives way to "no two tariffs of one service in one contract
overlap": an exclusion constraint over (contract, service, daterange) through btree_gist,
PostgreSQL only (skipped on SQLite, the embedded mode, where `tariff_set`'s check under the
contract lock applies alone).

Invoice lines are one per client, service, month and kind AND RATE: a month in which the
rate changed is billed in a line per rate.

Existing tariffs were the contract's one rate for its whole year: they become valid from the
1st of January of the contract's year, open ended. Going back is possible while each contract
still has one tariff per service; once a rate has been changed from a date, going back would
have to throw a rate (money that priced visits) away, so the reverse migration stops and lists
those contracts instead.
"""

import datetime as dt

from django.conf import settings
from django.db import migrations, models

from buurtzorg.migration_ops import PostgresOnlySQL


def from_contract_start(apps, schema_editor):  # noqa: ANN001
    tariff = apps.get_model("billing", "Tariff")
    for pk, year in tariff.objects.values_list("pk", "contract__year").iterator():
        tariff.objects.filter(pk=pk).update(valid_from=dt.date(year, 1, 1))


def refuse_to_drop_history(apps, schema_editor):  # noqa: ANN001
    tariff = apps.get_model("billing", "Tariff")
    several = (
        tariff.objects.values("contract__insurer__name", "contract__year", "service__code")
        .annotate(count=models.Count("id"))
        .filter(count__gt=1)
        .order_by("contract__year", "contract__insurer__name", "service__code")
    )
    if several:
        listing = "\n".join(
            f"  {row['contract__insurer__name']} {row['contract__year']}: "
            f"{row['count']} tariffs for {row['service__code']}"
            for row in several
        )
        raise RuntimeError(
            "These contracts have several tariffs (rates changed from a date) for one service; "
            "the old schema holds one. Delete the ones that should go, then migrate back "
            f"again:\n{listing}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0009_credit_note"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="tariff",
            name="valid_from",
            field=models.DateField(null=True, verbose_name="valid from"),
        ),
        migrations.AddField(
            model_name="tariff",
            name="valid_until",
            field=models.DateField(
                blank=True,
                help_text="Empty: until further notice",
                null=True,
                verbose_name="valid until",
            ),
        ),
        migrations.RunPython(from_contract_start, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tariff",
            name="valid_from",
            field=models.DateField(verbose_name="valid from"),
        ),
        migrations.AlterField(
            model_name="tariff",
            name="set_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Who set the rate; empty for rates set before this was recorded",
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterModelOptions(
            name="tariff",
            options={"ordering": ["contract", "service__code", "valid_from"]},
        ),
        migrations.RemoveConstraint(model_name="tariff", name="tariff_one_per_service"),
        # Backwards, this runs before the unique constraint comes back.
        migrations.RunPython(migrations.RunPython.noop, refuse_to_drop_history),
        migrations.AddConstraint(
            model_name="tariff",
            constraint=models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="tariff_until_after_from",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ),
        # A month whose rate changed is billed in a line per rate.
        migrations.RemoveConstraint(model_name="invoiceline", name="invoiceline_no_duplicate"),
        migrations.AddConstraint(
            model_name="invoiceline",
            constraint=models.UniqueConstraint(
                fields=("run", "client", "service", "period", "kind", "hourly_rate"),
                name="invoiceline_no_duplicate",
            ),
        ),
        # Created if missing, never dropped on the way back: other apps' constraints use it.
        PostgresOnlySQL(sql="CREATE EXTENSION IF NOT EXISTS btree_gist", reverse_sql=""),
        PostgresOnlySQL(
            sql=(
                "ALTER TABLE billing_tariff ADD CONSTRAINT tariff_no_overlap "
                "EXCLUDE USING gist (contract_id WITH =, service_id WITH =, "
                "daterange(valid_from, valid_until, '[]') WITH &&)"
            ),
            reverse_sql="ALTER TABLE billing_tariff DROP CONSTRAINT tariff_no_overlap",
        ),
    ]
