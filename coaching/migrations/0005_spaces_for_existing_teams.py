"""Data: spaces of existing teams and the organisation channel, and the rota-gap threads.

Before, the space list created missing spaces on GET; now a space is made with its team
(teams.services.team_create runs coaching.services.space_for_team), so teams that exist
already get theirs here, and the list page only reads. The nightly rota check used to open a
thread per night ("Rota: 3 gap(s) in the next 14 days"); it now posts to the one thread keyed
"rota-gaps", so each space's latest such thread becomes that thread. Safe to run twice.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef

ORGANISATION_SPACE_NAME = "All teams"  # coaching.services.ORGANISATION_SPACE_NAME at 0005
ROTA_KEY, ROTA_SUBJECT = "rota-gaps", "Rota gaps"


def forwards(apps, schema_editor) -> None:  # noqa: ANN001
    Team = apps.get_model("teams", "Team")
    Space = apps.get_model("coaching", "Space")
    Thread = apps.get_model("coaching", "Thread")
    missing = Team.objects.filter(~Exists(Space.objects.filter(team=OuterRef("pk"))))
    Space.objects.bulk_create(
        [Space(kind="team", team=team, name=team.name) for team in missing.iterator()]
        + [Space(kind="org", name=ORGANISATION_SPACE_NAME)],
        ignore_conflicts=True,
        batch_size=1000,
    )
    rota = Thread.objects.filter(is_system=True, system_key="", subject__startswith="Rota: ")
    keyed = set(Thread.objects.filter(system_key=ROTA_KEY).values_list("space_id", flat=True))
    for space_id, pk in rota.order_by("space_id", "-id").values_list("space_id", "pk"):
        if space_id not in keyed:  # the newest of the space's rota threads
            keyed.add(space_id)
            Thread.objects.filter(pk=pk).update(system_key=ROTA_KEY, subject=ROTA_SUBJECT)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0004_thread_system_key"),
        ("teams", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
