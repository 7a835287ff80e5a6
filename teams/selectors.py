"""Reads that decide who may see which team."""

from uuid import UUID

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from teams.models import Membership, Neighbourhood, Organisation, Role, Team, User


def team_list_visible(*, user: User) -> QuerySet[Team]:
    """Teams `user` may see: admins and back office all, coaches theirs, nurses their own.

    `active_nurses` is a correlated subquery, not a JOIN + GROUP BY: a page of 50 teams in
    name order then reads 50 teams by the name index and counts their seats (about 4 ms at
    1,000 teams), where grouping first counted every membership in the country (about 40
    ms, growing with the data), and the paginator's COUNT stays a plain count of teams.
    """
    active_nurses = (
        Membership.objects.active()
        .filter(team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    teams = (
        Team.objects.select_related("neighbourhood")
        .order_by("name")
        .annotate(active_nurses=Coalesce(Subquery(active_nurses), 0))
    )
    if user.is_authenticated and user.role in (Role.ADMIN, Role.BACK_OFFICE):
        return teams  # they run the organisation: every team's page, none of its care data
    return teams.visible_to(user)


def team_get_visible(*, user: User, public_id: UUID) -> Team:
    return get_object_or_404(team_list_visible(user=user), public_id=public_id)


def team_for_nurse(*, nurse: User) -> Team | None:
    """The nurse's one active team, or None."""
    membership = Membership.objects.active().filter(nurse=nurse).select_related("team").first()
    return membership.team if membership else None


def team_members(*, team: Team) -> QuerySet[Membership]:
    """Current members first, each group by last name ("de Jong" under J)."""
    return team.memberships.select_related("nurse").order_by(
        "ended_on", "nurse__last_name", "nurse__first_name", "nurse__id"
    )


def neighbourhood_list() -> QuerySet[Neighbourhood]:
    return Neighbourhood.objects.prefetch_related(
        Prefetch("postcode_areas"), Prefetch("teams")
    ).order_by("name")


def nurses_without_team() -> QuerySet[User]:
    active = Membership.objects.active().values("nurse_id")
    return User.objects.filter(role=Role.NURSE, is_active=True).exclude(pk__in=active)


def organisation_details() -> Organisation:
    """The organisation's own details (one row); an unsaved blank one before the first save,
    so callers never handle None and every "not set" shows as an empty field."""
    return Organisation.objects.select_related("updated_by").first() or Organisation()


def organisation_document_author() -> str:
    """The organisation's name as the author of the PDFs the app makes ("" while not set).
    Registered in settings.DOCUMENT_AUTHOR_PROVIDER: the kernel's PDF template tag calls it
    without importing teams."""
    return organisation_details().name
