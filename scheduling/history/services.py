"""The one write the app makes to change history: erasing a client's snapshots (GDPR)."""

from django.db import connection

from scheduling.history import models as history


def history_erase_client(*, client_id: int, problem_ids: list[int]) -> None:
    """Delete every snapshot of one client (record, network, indications, visits, problems).

    On PostgreSQL through the SECURITY DEFINER function of migration 0005: the app's role has
    no DELETE on history tables, the function (owned by the migration role) deletes exactly
    these rows. On SQLite (no roles) the same deletes run here.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT history_erase_client(%s, %s::bigint[])", [client_id, problem_ids]
            )
        return
    history.ClientEvent.objects.filter(pgh_obj_id=client_id).delete()
    for event_model in (
        history.NetworkContactEvent,
        history.CareIndicationEvent,
        history.VisitEvent,
    ):
        event_model.objects.filter(client_id=client_id).delete()
    for event_model in (
        history.ClientProblemSignEvent,
        history.InterventionEvent,
        history.OutcomeRatingEvent,
    ):
        event_model.objects.filter(client_problem_id__in=problem_ids).delete()
