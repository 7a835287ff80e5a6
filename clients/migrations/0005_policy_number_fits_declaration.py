"""A client's policy number fits the declaration file's field (15 characters).

A longer one used to stop the whole month's billing run when the declaration file was written.
The check constraint refuses it whatever path writes. Existing longer numbers are not cut
short (a wrong policy number is worse than none): the migration stops and names the clients
(by public id) whose number must be corrected first.
"""

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models
from django.db.models.functions import Length

LIMIT = 15


def refuse_longer_numbers(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    too_long = (
        Client.objects.using(schema_editor.connection.alias)
        .annotate(policy_length=Length("policy_number"))
        .filter(policy_length__gt=LIMIT)
    )
    found = list(too_long.values_list("public_id", flat=True)[:50])
    if found:
        count = too_long.count()
        listed = ", ".join(str(public_id) for public_id in found)
        raise RuntimeError(
            f"{count} client(s) have a policy number longer than {LIMIT} characters, which the "
            f"declaration file cannot hold. Correct them first (nothing was changed): {listed}"
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0004_dutch_names")]

    operations = [
        migrations.RunPython(refuse_longer_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="client",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("policy_number"), 15
                ),
                name="client_policy_number_fits_declaration",
                violation_error_message=(
                    "A policy number has at most 15 characters (the field in the insurer's "
                    "declaration file)."
                ),
            ),
        ),
    ]
