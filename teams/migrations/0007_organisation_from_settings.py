"""The organisation's name and AGB code moved from settings (ORGANISATION_NAME and
ORGANISATION_AGB in .env) to the Organisation row, which back office and administrators edit
on a page. An install that had them set keeps them: they become the row's initial values.
An install without them gets no row; the first save on the page creates it."""

import re

from django.conf import settings
from django.db import migrations

AGB_PLACEHOLDER = "00000000"  # teams.models.AGB_PLACEHOLDER at 0007


def forwards(apps, schema_editor) -> None:  # noqa: ANN001 - migration signature
    Organisation = apps.get_model("teams", "Organisation")
    name = str(getattr(settings, "ORGANISATION_NAME", "") or "").strip()[:120]
    agb = str(getattr(settings, "ORGANISATION_AGB", "") or "").strip()
    if not re.match(r"^[0-9]{8}$", agb) or agb == AGB_PLACEHOLDER:
        agb = ""
    if (name or agb) and not Organisation.objects.exists():
        Organisation.objects.create(key=1, name=name, agb_code=agb)


class Migration(migrations.Migration):
    dependencies = [("teams", "0006_organisation")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
