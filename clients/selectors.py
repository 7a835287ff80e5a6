"""Reads that decide who may see which client record, and how much of it.

- A nurse reads and edits the clients of her own active team.
- A coach reads the clients of the teams she coaches; she never edits.
- Back office reads administrative fields only (name, BSN, insurer, policy, indications) of
  every client, for billing; no clinical content (problems, care plan, ratings, network).
- An administrator manages the system but is not a clinician: no client records at all.

Everything else answers 404 (never 403), so a record's existence does not leak. Every page,
API view and export reaches rows only through these functions.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any, TypedDict
from uuid import UUID

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import CharField, F, Model, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast, JSONObject
from django.http import Http404
from django.shortcuts import get_object_or_404

from buurtzorg.compiled import Statement
from clients.models import (
    CareIndication,
    Client,
    ClientProblem,
    ClientProblemSign,
    ClientStatus,
    Insurer,
    Intervention,
    NetworkContact,
    OutcomeRating,
    ProblemStatus,
)
from teams.models import PostcodeArea, Role, Team, User


def user_reads_clinical(*, user: User) -> bool:
    """Nurses and coaches read clinical content; back office and administrators never do."""
    return user.is_authenticated and user.role in (Role.NURSE, Role.COACH)


def user_edits_clients(*, user: User) -> bool:
    """Only nurses change records, and only those `client_list_visible` gives them."""
    return user.is_authenticated and user.role == Role.NURSE


def client_list_visible(*, user: User) -> QuerySet[Client]:
    """Clients `user` may see at all (rows, not yet which parts of them): the rule is
    `Client.objects.visible_to`."""
    return Client.objects.visible_to(user).select_related("team", "insurer")


def client_get_visible(*, user: User, public_id: UUID | str) -> Client:
    return get_object_or_404(client_list_visible(user=user), public_id=public_id)


def client_get_editable(*, user: User, public_id: UUID | str) -> Client:
    """A record `user` may change. Coaches and back office get 404 here, like strangers."""
    if not user_edits_clients(user=user):
        return get_object_or_404(Client.objects.none(), public_id=public_id)
    return client_get_visible(user=user, public_id=public_id)


def client_get_clinical(*, user: User, public_id: UUID | str) -> Client:
    """A client whose clinical content (Omaha record, care plan, ratings, the record's export)
    `user` may read. Back office and administrators get 404 here, like strangers."""
    if not user_reads_clinical(user=user):
        return get_object_or_404(Client.objects.none(), public_id=public_id)
    return client_get_visible(user=user, public_id=public_id)


def client_search(
    *,
    user: User,
    query: str = "",
    status: str = "",
    problem_code: str = "",
) -> QuerySet[Client]:
    """The client list with its filters. Filtering on problems is clinical: ignored for others."""
    clients = client_list_visible(user=user)
    query = query.strip()
    if query:
        words = query.split()
        for word in words:
            condition = Q(first_name__icontains=word) | Q(last_name__icontains=word)
            condition |= Q(name_prefix__icontains=word)  # "de jong" finds "de" + "Jong"
            condition |= Q(postcode__istartswith=word) | Q(city__icontains=word)
            if word.isdigit() and len(word) == 9:
                condition |= Q(bsn=word)
            clients = clients.filter(condition)
    if status in ClientStatus.values:
        clients = clients.filter(status=status)
    if problem_code and user_reads_clinical(user=user):
        clients = clients.filter(
            pk__in=ClientProblem.objects.filter(
                problem__code=problem_code, status=ProblemStatus.ACTIVE
            ).values("client_id")
        )
    if query:
        # Same order, but NULLS FIRST (last_name has no NULLs) so that the planner cannot walk
        # the client_name_order index and filter row by row: matches cluster by name ("jans"
        # sits mid-alphabet, ~175 ms past 12,000 rows at 60,000 clients). It then combines the
        # trigram indexes and sorts the few thousand matches (~10 ms).
        return clients.order_by(F("last_name").asc(nulls_first=True), "first_name", "id")
    return clients.order_by("last_name", "first_name", "id")


def _folds() -> bool:
    """Whether child rows can fold into the parent's query (PostgreSQL array subqueries).

    The embedded SQLite mode has no array subquery; there each kind of child row comes in
    one extra query instead (`_unfold`), with the same shape. Query budgets are PostgreSQL's.
    """
    return connection.vendor == "postgresql"


def _fold(parents: QuerySet, attr: str, children: QuerySet, *, link: str, value: Any) -> QuerySet:
    """`parents` with `attr`: the list of `value` over each parent's `children`, in order."""
    if not _folds():
        return parents
    rows = children.filter(**{link: OuterRef("pk")}).values(v=value)
    return parents.annotate(**{attr: ArraySubquery(rows)})


def _unfold(
    parents: Sequence[Model], attr: str, children: QuerySet, *, link: str, value: Any
) -> None:
    """Where `_fold` could not (SQLite): set `attr` on each parent from one query."""
    if _folds() or not parents:
        return
    found: dict[int, list[Any]] = defaultdict(list)
    rows = children.filter(**{f"{link}__in": [p.pk for p in parents]}).values_list(link, value)
    for parent_id, item in rows:
        found[parent_id].append(item)
    for parent in parents:
        setattr(parent, attr, found[parent.pk])


def _folded(parent: Model, attr: str) -> list[Any]:
    """The list `_fold` or `_unfold` put on `parent` as `attr` (NULL: no children)."""
    return getattr(parent, attr) or []


class _Children(TypedDict):
    """What `_fold`/`_unfold` read for each parent: `children` by `link`, as `value`."""

    children: QuerySet[Any]
    link: str
    value: Any


ACTIVE_PROBLEM_NAMES: _Children = {
    "children": ClientProblem.objects.filter(status=ProblemStatus.ACTIVE).order_by(
        "problem__number"
    ),
    "link": "client",
    "value": F("problem__name"),
}


def client_list_with_problem_names(*, clients: QuerySet[Client]) -> QuerySet[Client]:
    """`clients`, each with `active_problem_names` (in printed order) from the same query.

    A correlated array subquery rather than a second query for the page: PostgreSQL computes
    it only for the rows that survive ORDER BY ... LIMIT (an expensive select-list expression
    is postponed past the sort), so it costs 25 index look-ups whatever the team's size.
    Call `client_rows_problem_names` on the page's rows afterwards (a no-op on PostgreSQL).
    """
    return _fold(clients, "active_problem_names", **ACTIVE_PROBLEM_NAMES)


def client_rows_problem_names(*, rows: list[Client]) -> None:
    _unfold(rows, "active_problem_names", **ACTIVE_PROBLEM_NAMES)


def client_problems(*, client: Client) -> QuerySet[ClientProblem]:
    """The whole Omaha record of one client, in a fixed number of queries."""
    return (
        client.problems.select_related("problem", "problem__domain")
        .prefetch_related(
            Prefetch(
                "signs",
                queryset=ClientProblemSign.objects.select_related("sign").order_by(
                    "sign__number", "id"
                ),
            ),
            Prefetch(
                "interventions",
                queryset=Intervention.objects.select_related("category", "target").order_by(
                    "-is_active", "category__number", "target__number", "id"
                ),
            ),
            Prefetch(
                "ratings",
                queryset=OutcomeRating.objects.select_related("rated_by").order_by(
                    "rated_on", "id"
                ),
            ),
        )
        .order_by("status", "problem__number", "-identified_on", "id")
    )


def _namespaces(
    items: list[dict[str, Any]], *, dates: tuple[str, ...] = ()
) -> list[SimpleNamespace]:
    """JSON rows from an array subquery as objects, so templates read them like model rows."""
    rows = []
    for item in items:
        values: dict[str, Any] = {
            key: SimpleNamespace(**value) if isinstance(value, dict) else value
            for key, value in item.items()
        }
        for key in dates:
            if values.get(key):
                values[key] = dt.date.fromisoformat(values[key])
        if values.get("public_id"):  # SQLite keeps a UUID as 32 hex digits, without dashes
            values["public_id"] = UUID(values["public_id"])
        rows.append(SimpleNamespace(**values))
    return rows


INDICATION_JSON = JSONObject(
    hours_per_week=Cast("hours_per_week", CharField()),
    products="products",
    valid_from="valid_from",
    valid_until="valid_until",
)
NETWORK_JSON = JSONObject(
    public_id="public_id",
    name="name",
    relation="relation",
    phone="phone",
    helps_with="helps_with",
    available_when="available_when",
)
SIGN_JSON = JSONObject(
    sign=JSONObject(name="sign__name", is_other="sign__is_other"),
    other_text="other_text",
    other_reason="other_reason",
)
INTERVENTION_JSON = JSONObject(
    public_id="public_id",
    category=JSONObject(name="category__name"),
    target=JSONObject(name="target__name"),
    target_other_text="target_other_text",
    description="description",
    frequency="frequency",
    is_active="is_active",
)

RECORD_INDICATIONS: _Children = {
    "children": CareIndication.objects.order_by("-valid_from", "id"),
    "link": "client",
    "value": INDICATION_JSON,
}
RECORD_NETWORK: _Children = {
    "children": NetworkContact.objects.order_by("name", "id"),
    "link": "client",
    "value": NETWORK_JSON,
}


# Stand for the values of the record page's compiled statements: no id is negative, no
# public id this small.
_USER = (-6_102_385_701, -6_102_385_702)
_CLIENT = (-6_102_385_703, -6_102_385_704)
_PUBLIC_ID = (UUID(int=1), UUID(int=2))
NO_CLIENT = f"No {Client._meta.object_name} matches the given query."


def _stand_in(user_id: int, role: str) -> User:
    """A user for building a statement: her role picks its shape, only her id reaches the SQL."""
    user = User(pk=user_id, role=role, is_active=True)
    user._state.adding = False
    return user


def _record_client(*, user: User, public_id: UUID) -> QuerySet[Client]:
    """The record page's client as `client_list_visible` gives it to `user`, with its care
    indications (everyone who sees the record) and informal network (clinical roles only)
    folded in as JSON arrays."""
    clients = client_list_visible(user=user).filter(public_id=public_id)
    clients = _fold(clients, "indication_json", **RECORD_INDICATIONS)
    if user_reads_clinical(user=user):
        clients = _fold(clients, "network_json", **RECORD_NETWORK)
    return clients


def _record_client_statement(role: str) -> Statement[Client]:
    def build(*, user_id: int, public_id: UUID) -> QuerySet[Client]:
        return _record_client(user=_stand_in(user_id, role), public_id=public_id)

    build.__qualname__ = f"_record_client[{role}]"
    return Statement(Client, build, user_id=_USER, public_id=_PUBLIC_ID)


# Nurses and coaches, whose rule names them; back office (every client) and the rest go
# through the ORM (their pages are few).
_RECORD_CLIENT: dict[str, Statement[Client]] = {
    role: _record_client_statement(role) for role in (Role.NURSE, Role.COACH)
}


def client_record_get_visible(*, user: User, public_id: UUID | str) -> Client:
    """`client_get_visible` with the record page's short lists read in the same query.

    Care indications (everyone who sees the record) and the informal network (clinical roles
    only) come as `indication_rows` and `network_rows`: display-only rows, folded into the
    client's own query as JSON arrays so the page's query count does not grow with them.
    For a nurse or a coach the statement (the visibility rule with its subquery, the two
    array subqueries) is compiled once per process (buurtzorg.compiled): building it through
    the ORM cost the worker more than PostgreSQL spends running it, on every record page.
    """
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise Http404(NO_CLIENT) from None
    statement = _RECORD_CLIENT.get(user.role) if user.is_authenticated and user.is_active else None
    if statement is None:
        found = list(_record_client(user=user, public_id=public_id))
    else:
        found = statement.instances(user_id=user.pk, public_id=public_id)
    if not found:
        raise Http404(NO_CLIENT)
    (client,) = found
    clinical = user_reads_clinical(user=user)
    _unfold([client], "indication_json", **RECORD_INDICATIONS)
    if clinical:
        _unfold([client], "network_json", **RECORD_NETWORK)
    dates = ("valid_from", "valid_until")
    client.indication_rows = _namespaces(_folded(client, "indication_json"), dates=dates)
    client.network_rows = _namespaces(_folded(client, "network_json")) if clinical else []
    return client


RECORD_SIGNS: _Children = {
    "children": ClientProblemSign.objects.order_by("sign__number", "id"),
    "link": "client_problem",
    "value": SIGN_JSON,
}
RECORD_INTERVENTIONS: _Children = {
    "children": Intervention.objects.order_by(
        "-is_active", "category__number", "target__number", "id"
    ),
    "link": "client_problem",
    "value": INTERVENTION_JSON,
}


def _record_problems(*, client_id: int) -> QuerySet[ClientProblem]:
    problems = ClientProblem.objects.filter(client_id=client_id).select_related(
        "problem", "problem__domain"
    )
    problems = _fold(problems, "sign_json", **RECORD_SIGNS)
    problems = _fold(problems, "intervention_json", **RECORD_INTERVENTIONS)
    return problems.order_by("status", "problem__number", "-identified_on", "id")


def _record_ratings(*, client_id: int) -> QuerySet[OutcomeRating]:
    return (
        OutcomeRating.objects.filter(client_problem__client_id=client_id)
        .select_related("rated_by")
        .order_by("rated_on", "id")
    )


_RECORD_PROBLEMS = Statement(ClientProblem, _record_problems, client_id=_CLIENT)
_RECORD_RATINGS = Statement(OutcomeRating, _record_ratings, client_id=_CLIENT)


def client_record_problems(*, client: Client) -> list[ClientProblem]:
    """The Omaha record for the client page: problems, signs and care plan in one query, and
    the ratings (the chart data) in a second, whatever the number of problems or ratings.

    Signs and interventions are display-only here, so they come as JSON arrays on each
    problem (`sign_rows`, `intervention_rows`); ratings stay model rows (`rating_list`, in
    date order) for the chart and the table. Both statements are compiled once per process
    (buurtzorg.compiled), as My day's are. The API and the export use `client_problems`
    (model rows).
    """
    rows = _RECORD_PROBLEMS.instances(client_id=client.pk)
    _unfold(rows, "sign_json", **RECORD_SIGNS)
    _unfold(rows, "intervention_json", **RECORD_INTERVENTIONS)
    ratings: dict[int, list[OutcomeRating]] = defaultdict(list)
    for rating in _RECORD_RATINGS.instances(client_id=client.pk):
        ratings[rating.client_problem_id].append(rating)
    for cp in rows:
        cp.client = client
        cp.sign_rows = _namespaces(_folded(cp, "sign_json"))
        cp.intervention_rows = _namespaces(_folded(cp, "intervention_json"))
        cp.rating_list = ratings[cp.pk]
    return rows


def client_problem_get_visible(
    *, user: User, client: Client, public_id: UUID | str
) -> ClientProblem:
    """One problem of a client the caller already may see; clinical roles only."""
    if not user_reads_clinical(user=user):
        return get_object_or_404(ClientProblem.objects.none(), public_id=public_id)
    return get_object_or_404(
        client.problems.select_related("problem", "client"), public_id=public_id
    )


def client_indications(*, client: Client) -> QuerySet[CareIndication]:
    return client.indications.order_by("-valid_from", "id")


def client_network(*, client: Client) -> QuerySet[NetworkContact]:
    return client.network.order_by("name", "id")


def client_interventions(*, client: Client) -> QuerySet[Intervention]:
    return (
        Intervention.objects.filter(client_problem__client=client)
        .select_related("client_problem__problem", "category", "target")
        .order_by("client_problem__problem__number", "-is_active", "category__number", "id")
    )


def client_ratings(*, client: Client) -> QuerySet[OutcomeRating]:
    return (
        OutcomeRating.objects.filter(client_problem__client=client)
        .select_related("client_problem__problem", "rated_by")
        .order_by("client_problem__problem__number", "rated_on", "id")
    )


def team_suggest_for_postcode(*, postcode: str) -> Team | None:
    """The active team serving the neighbourhood that holds the postcode's 4-digit area."""
    area = (
        PostcodeArea.objects.filter(code=(postcode or "")[:4])
        .select_related("neighbourhood")
        .first()
    )
    if area is None:
        return None
    return area.neighbourhood.teams.filter(is_active=True).order_by("name").first()


def insurer_list() -> QuerySet[Insurer]:
    return Insurer.objects.order_by("name")
