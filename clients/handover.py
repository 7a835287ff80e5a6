"""Handover sources that are one branch of the handover page's one query.

The handover page (`scheduling.carenotes`) lists items from every source in
`settings.HANDOVER_SOURCES`, each a callable `f(team=, since=, user=)`. A source that is a
`HandoverQuery` is such a callable too, but the page does not call it: it asks every
`HandoverQuery` for its rows as one branch of a UNION ALL, so six sources cost one query, not
six. Each branch has the same row shape (`COLUMNS`): which source, when, the object's public
id, a JSON `detail` with what the source needs for its text, and the client's columns that
the page shows (the client is joined in the branch, not looked up afterwards).

It lives in `clients` because every item is about a client, so apps of any layer above
(measurements here, scheduling, carenotes) can build their sources from it.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from django.db import connection
from django.db.models import F, IntegerField, QuerySet, Value

from clients.models import Client
from teams.models import Team, User

# Each source gives at most this many rows (its newest): the page stays bounded whatever a
# team wrote.
SOURCE_LIMIT = 100

# What of the client each row carries: what the page shows of her (her name, the link to her
# record) and her team (the page keeps only its own team's clients). Any other field is
# deferred: read on access, as with `.only()`.
CLIENT_FIELDS = ("id", "public_id", "team_id", "first_name", "name_prefix", "last_name")
COLUMNS = (
    "h_source",
    "h_at",
    "h_object",
    "h_detail",
    *(f"h_client_{name}" for name in CLIENT_FIELDS),
)


@dataclass(frozen=True)
class HandoverRow:
    """One row of a `HandoverQuery`: the item's time, its object's public id, the source's
    `detail` (a dict; datetimes in it are ISO strings, see `detail_time`) and the client."""

    client: Client
    at: dt.datetime
    object_id: UUID
    detail: Mapping[str, Any]


def detail_time(value: str) -> dt.datetime:
    """A datetime that went through the row's JSON `detail`: an ISO string with its offset on
    PostgreSQL, without one (UTC, as Django stores it) on SQLite."""
    at = dt.datetime.fromisoformat(value)
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class HandoverQuery:
    """A handover source that is one query branch.

    `rows(team=, since=, user=)` returns the source's model rows about the team's clients,
    filtered and ordered (newest first), annotated with `h_at` (the item's time), `h_object`
    (a UUID) and `h_detail` (a `JSONObject` of what `item` needs). `client` is the lookup
    path from that model to its `Client` ("client", "client_problem__client"). `item(row)`
    makes the source's item (anything the handover takes: kind, client, when, text, url, key)
    from a `HandoverRow`.
    """

    rows: Callable[..., QuerySet[Any]]
    client: str
    item: Callable[[HandoverRow], Any]

    def branch(self, *, team: Team, since: dt.datetime, user: User, tag: int = 0) -> QuerySet[Any]:
        """The source's rows in the common shape (`COLUMNS`), its newest `SOURCE_LIMIT`."""
        rows = self.rows(team=team, since=since, user=user).annotate(
            h_source=Value(tag, output_field=IntegerField()),
            **{f"h_client_{name}": F(f"{self.client}__{name}") for name in CLIENT_FIELDS},
        )
        return rows.values(*COLUMNS)[:SOURCE_LIMIT]

    def __call__(self, *, team: Team, since: dt.datetime, user: User) -> list[Any]:
        """The source on its own (one query): what the handover page gets from its branch."""
        return [self.make(raw) for raw in self.branch(team=team, since=since, user=user)]

    def make(self, raw: Mapping[str, Any], clients: dict[int, Client] | None = None) -> Any:
        """The item of one of the branch's rows; `clients` shares one `Client` per client."""
        return self.item(as_row(raw, clients))


def as_row(raw: Mapping[str, Any], clients: dict[int, Client] | None = None) -> HandoverRow:
    """A branch's row, its client a `Client` with the other fields deferred."""
    client = clients.get(raw["h_client_id"]) if clients is not None else None
    if client is None:
        # `from_db` takes the values in the model's field order
        names = [f.attname for f in Client._meta.concrete_fields if f.attname in CLIENT_FIELDS]
        client = Client.from_db(connection.alias, names, [raw[f"h_client_{n}"] for n in names])
        if clients is not None:
            clients[client.pk] = client
    return HandoverRow(
        client=client, at=raw["h_at"], object_id=raw["h_object"], detail=raw["h_detail"]
    )


def row_team_id(raw: Mapping[str, Any]) -> int:
    """The team of a branch's row's client (to keep only the page's own, unbuilt)."""
    return int(raw["h_client_team_id"])


def row_time(raw: Mapping[str, Any]) -> dt.datetime:
    return cast(dt.datetime, raw["h_at"])


def handover_query_rows(
    queries: Sequence[HandoverQuery], *, team: Team, since: dt.datetime, user: User
) -> list[list[Mapping[str, Any]]]:
    """The rows of each of `queries`, in their order, from one UNION ALL query on PostgreSQL
    (elsewhere, the SQLite demo, which cannot order and limit each branch: one per source).
    Rows, not items: the page makes items (`HandoverQuery.make`) only of the rows it shows."""
    branches = [
        query.branch(team=team, since=since, user=user, tag=tag)
        for tag, query in enumerate(queries)
    ]
    if not branches:
        return []
    raws: Iterable[Mapping[str, Any]]
    if connection.vendor == "postgresql":
        raws = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    else:
        raws = [raw for branch in branches for raw in branch]
    # Each branch keeps its own order (PostgreSQL appends the branches' sorted rows; the page
    # sorts the items by time, keeping that order between equal times, as before).
    rows: list[list[Mapping[str, Any]]] = [[] for _ in queries]
    for raw in raws:
        rows[raw["h_source"]].append(raw)
    return rows
