"""Invoice lines per DATE of care: one service record (04) per client, service and day.

`service_date` is added empty: lines made before were month lines (the whole month in one
record) and stay so; a finalised run is read-only (0006) and re-exports byte for byte. The
unique rule now includes the date, with NULL as a value of its own (a month line is unique too).

Reversible on a database without per-day lines of the same client, service, month and rate in
one run (the old unique rule would refuse them): rebuild or delete such draft runs first.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0010_tariff_validity_dates"),
        ("clients", "0008_client_key_info"),
        ("scheduling", "0009_visit_not_done"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="invoiceline",
            name="invoiceline_no_duplicate",
        ),
        migrations.AddField(
            model_name="invoiceline",
            name="service_date",
            field=models.DateField(
                blank=True,
                help_text="Date of care; empty on a month line made before lines were per day",
                null=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="invoiceline",
            constraint=models.UniqueConstraint(
                fields=(
                    "run",
                    "client",
                    "service",
                    "period",
                    "service_date",
                    "kind",
                    "hourly_rate",
                ),
                name="invoiceline_no_duplicate",
                nulls_distinct=False,
            ),
        ),
        migrations.AddConstraint(
            model_name="invoiceline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("service_date__isnull", True),
                    models.Q(
                        ("service_date__month", models.F("period__month")),
                        ("service_date__year", models.F("period__year")),
                    ),
                    _connector="OR",
                ),
                name="invoiceline_date_in_period",
            ),
        ),
    ]
