"""Reads that decide who may see which client record, and how much of it.

- A nurse reads and edits the clients of her own active team.
- A coach reads the clients of the teams she coaches; she never edits.
- Back office reads administrative fields only (name, BSN, insurer, policy, indications) of
  every client, for billing; no clinical content (problems, care plan, ratings, network).
- An administrator manages the system but is not a clinician: no client records at all.

Everything else answers 404 (never 403), so a record's existence does not leak. Every page,
API view and export reaches rows only through these functions.
"""

from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

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
    """Clients `user` may see at all (rows, not yet which parts of them)."""
    clients = Client.objects.select_related("team", "insurer")
    if not (user.is_authenticated and user.is_active):
        return clients.none()
    if user.role == Role.NURSE:
        # A nurse has at most one active membership (a database constraint), so no duplicates.
        return clients.filter(
            team__memberships__nurse=user, team__memberships__ended_on__isnull=True
        )
    if user.role == Role.COACH:
        return clients.filter(team__coach_assignments__coach=user)
    if user.role == Role.BACK_OFFICE:
        return clients
    return clients.none()


def client_get_visible(*, user: User, public_id: UUID | str) -> Client:
    return get_object_or_404(client_list_visible(user=user), public_id=public_id)


def client_get_editable(*, user: User, public_id: UUID | str) -> Client:
    """A record `user` may change. Coaches and back office get 404 here, like strangers."""
    if not user_edits_clients(user=user):
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
    return clients.order_by("last_name", "first_name", "id")


def client_problems_for_list(*, clients: list[Client]) -> dict[int, list[str]]:
    """Active problem names per client for one page of the list, in one query."""
    names: dict[int, list[str]] = {c.pk: [] for c in clients}
    rows = (
        ClientProblem.objects.filter(client__in=clients, status=ProblemStatus.ACTIVE)
        .order_by("problem__number")
        .values_list("client_id", "problem__name")
    )
    for client_id, name in rows:
        names[client_id].append(name)
    return names


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
