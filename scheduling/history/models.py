"""Change history of clinical and billing data, written by PostgreSQL triggers (django-pghistory).

Why triggers rather than signals or service code: a history kept in Python misses bulk
updates, `queryset.update()`, raw SQL, migrations and the shell. A row trigger sees every
INSERT, UPDATE and DELETE, whatever wrote it. django-pghistory generates those triggers (via
django-pgtrigger), stores a snapshot of the tracked fields per change, and links each event
to a context row holding the request's user id and URL (`pghistory.context`, set by
`buurtzorg.audit.middleware.HistoryContextMiddleware`). Diffs ("which field from what to
what") come from consecutive snapshots (see `scheduling.history.selectors`).

Rules for this module:

* The tracked models belong to other apps; their owners need do nothing. Event models live
  here, so the migrations are ours (`makemigrations history`).
* Every tracker lists its fields explicitly. A field an owner adds later is not tracked until
  it is added here (with a migration); listing "all fields" would make this app's migrations
  drift whenever an owner changes a model.
* Triggers are not part of any migration (PGTRIGGER_MIGRATIONS = False): pgtrigger installs
  them after every `migrate` (PGTRIGGER_INSTALL_ON_MIGRATE), and only on PostgreSQL. On the
  embedded SQLite set-up nothing is tracked, and nothing breaks.
"""

from typing import Any

import pghistory
import pgtrigger

from clients import models as clients
from scheduling import models as scheduling


def _event_base(model: type, fields: list[str], *, untracked_updates: tuple[str, ...] = ()) -> type:
    # Insert, update and delete are all kept: a deleted row's last state is evidence too.
    # (Fresh tracker objects per model: pghistory binds each to its model's fields.)
    # `untracked_updates`: fields still stored in every snapshot, but an UPDATE that changes
    # only those writes no event (pghistory fills in the other tracked fields).
    update = (
        pghistory.UpdateEvent(condition=pgtrigger.AnyChange(exclude=list(untracked_updates)))
        if untracked_updates
        else pghistory.UpdateEvent()
    )
    return pghistory.create_event_model(
        model,
        pghistory.InsertEvent(),
        update,
        pghistory.DeleteEvent(),
        fields=fields,
        # No database constraint and no reverse accessor on the owner's model: an event
        # outlives its row, and the owner's model stays as its owner wrote it.
        obj_field=pghistory.ObjForeignKey(related_name="+", db_constraint=False),
        app_label="history",
    )


# Each event model's abstract base is made by pghistory at import time, which a type checker
# cannot follow (a base class must be a name it knows): the bases are held in names typed Any.
_ClientEventBase: Any = _event_base(
    clients.Client,
    [
        "public_id",
        "first_name",
        "last_name",
        "date_of_birth",
        "bsn",
        "street",
        "house_number",
        "postcode",
        "city",
        "phone",
        "key_safe_note",
        "allergies",
        "alarm_note",
        "insurer",
        "policy_number",
        "gp_name",
        "gp_agb",
        "team",
        "status",
        "admitted_on",
        "discharged_on",
        "discharge_reason",
    ],
)


class ClientEvent(_ClientEventBase):
    pass


_CareIndicationEventBase: Any = _event_base(
    clients.CareIndication,
    ["public_id", "client", "hours_per_week", "products", "valid_from", "valid_until"],
)


class CareIndicationEvent(_CareIndicationEventBase):
    pass


_NetworkContactEventBase: Any = _event_base(
    clients.NetworkContact,
    ["public_id", "client", "name", "relation", "phone", "helps_with", "available_when"],
)


class NetworkContactEvent(_NetworkContactEventBase):
    pass


_ClientProblemEventBase: Any = _event_base(
    clients.ClientProblem,
    [
        "public_id",
        "client",
        "problem",
        "scope",
        "severity",
        "priority",
        "status",
        "identified_on",
        "resolved_on",
        "identified_by",
    ],
)


class ClientProblemEvent(_ClientProblemEventBase):
    pass


_ClientProblemSignEventBase: Any = _event_base(
    clients.ClientProblemSign,
    ["public_id", "client_problem", "sign", "other_text", "other_reason"],
)


class ClientProblemSignEvent(_ClientProblemSignEventBase):
    pass


_InterventionEventBase: Any = _event_base(
    clients.Intervention,
    [
        "public_id",
        "client_problem",
        "category",
        "target",
        "target_other_text",
        "description",
        "frequency",
        "is_active",
        "created_by",
    ],
)


class InterventionEvent(_InterventionEventBase):
    pass


_OutcomeRatingEventBase: Any = _event_base(
    clients.OutcomeRating,
    [
        "public_id",
        "client_problem",
        "rated_on",
        "moment",
        "knowledge",
        "behavior",
        "status",
        "expected_knowledge",
        "expected_behavior",
        "expected_status",
        "rated_by",
        "note",
    ],
)


class OutcomeRatingEvent(_OutcomeRatingEventBase):
    pass


# --- scheduling and billing -------------------------------------------------------------------


_VisitEventBase: Any = _event_base(
    scheduling.Visit,
    [
        "public_id",
        "client",
        "team",
        "nurse",
        "starts_at",
        "ends_at",
        "planned_minutes",
        "status",
        "notes",
        "service",
        "started_at",
        "ended_at",
        "logged_minutes",
        "logged_by",
        "log_note",
        "deviation_reason",
        "not_done_reason",
        "billed_at",
        "corrects",
    ],
    # A billing run stamps billed_at on every visit of the month (1.5 million rows at
    # national scale). That stamp is not a change to the care given: the run and its
    # invoice lines are the record of it. Any other change still snapshots billed_at.
    untracked_updates=("billed_at",),
)


class VisitEvent(_VisitEventBase):
    pass


_VisitServiceEventBase: Any = _event_base(scheduling.VisitService, ["visit", "service", "minutes"])


class VisitServiceEvent(_VisitServiceEventBase):
    pass


# Invoice lines are not tracked here. They are written once per billing run (over 100,000 a
# month at national scale), never edited in place: a change after a period is closed becomes
# credit and new debit lines in the next run (scheduling.billing.services), and a draft run's
# lines are replaced as a whole. The run, its lines and its files are their own record.
