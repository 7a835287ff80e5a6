"""Reads that decide who may see which space, thread, post and file.

One rule for every page, API view and download: nurses see their own team's space and the
organisation-wide channel; coaches see the spaces of the teams they coach and the channel;
back office and administrators see no space at all (their pages answer 404).
"""

from typing import Any
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from buurtzorg.compiled import Statement
from coaching.models import (
    Attachment,
    Mention,
    Notification,
    Post,
    ReadState,
    Space,
    SpaceKind,
    Thread,
)
from omaha.models import Problem
from teams.models import Role, Team, User, membership_active_q

SPACE_ROLES = (Role.NURSE, Role.COACH)


def visible_team_ids(*, user: User) -> QuerySet:
    """Ids of the teams whose space `user` may enter (a subquery, not a list)."""
    return Team.objects.visible_to(user).values("id")


def space_list_visible(*, user: User) -> QuerySet[Space]:
    if not user.is_authenticated or user.role not in SPACE_ROLES:
        return Space.objects.none()
    return Space.objects.select_related("team").filter(
        Q(kind=SpaceKind.ORGANISATION) | Q(team_id__in=visible_team_ids(user=user))
    )


def organisation_space_get() -> Space | None:
    """The organisation-wide channel (made by migration 0005; None only before it ran)."""
    return Space.objects.filter(kind=SpaceKind.ORGANISATION).first()


def space_get_visible(*, user: User, public_id: UUID) -> Space:
    return get_object_or_404(space_list_visible(user=user), public_id=public_id)


def can_see_space(*, user: User, space: Space) -> bool:
    return space_list_visible(user=user).filter(pk=space.pk).exists()


def space_members(*, space: Space) -> QuerySet[User]:
    """People who can see `space`, so may be mentioned in it."""
    people = User.objects.filter(is_active=True)
    if space.kind == SpaceKind.ORGANISATION:
        return people.filter(role__in=SPACE_ROLES)
    return people.filter(
        Q(
            membership_active_q(prefix="memberships__"),
            role=Role.NURSE,
            memberships__team_id=space.team_id,
        )
        | Q(role=Role.COACH, coach_assignments__team_id=space.team_id)
    ).distinct()


def _last_read_id(*, user: User, thread_ref: str = "pk") -> Coalesce:
    last = ReadState.objects.filter(person=user, thread=OuterRef(thread_ref)).values(
        "last_read_post_id"
    )[:1]
    return Coalesce(Subquery(last, output_field=IntegerField()), Value(0))


def _unread_posts(*, user: User) -> QuerySet[Post]:
    """Posts by others in visible spaces that come after the reader's last-read post."""
    seen = ReadState.objects.filter(
        person=user, thread=OuterRef("thread"), last_read_post_id__gte=OuterRef("pk")
    )
    return (
        Post.objects.filter(thread__space__in=space_list_visible(user=user))
        .exclude(author=user)
        .exclude(Exists(seen))
    )


def unread_total(*, user: User) -> int:
    """Unread posts for the navigation badge: one query, on every page a nurse or coach opens.

    Counted fresh each time (nothing to invalidate), with the statement the ORM builds from
    `_unread_posts`, built once per process for each role: building it (three nested
    subqueries) cost about 4 ms of the worker's CPU per page, several times PostgreSQL's work.
    """
    if not user.is_authenticated or user.role not in SPACE_ROLES:
        return 0
    sql, params = _unread_count_sql(role=user.role, is_active=user.is_active)
    person = _PERSON_PLACEHOLDER
    with connections[router.db_for_read(Post)].cursor() as cursor:
        cursor.execute(sql, [user.pk if value == person else value for value in params])
        row = cursor.fetchone()
    return int(row[0])


# Stands for the reader's id in the compiled badge count; no real id is negative.
_PERSON_PLACEHOLDER = -7_301_946_215
_unread_count_sqls: dict[tuple[str, bool], tuple[str, tuple[Any, ...]]] = {}


def _unread_count_sql(*, role: str, is_active: bool) -> tuple[str, tuple[Any, ...]]:
    """`_unread_posts(...).count()` as SQL and parameters for any reader of `role`, her id
    standing as `_PERSON_PLACEHOLDER`. The statement depends on nothing else of hers (her
    team is a subquery, not a value), so the count is the ORM's, for every reader."""
    key = (role, is_active)
    compiled = _unread_count_sqls.get(key)
    if compiled is None:
        reader = User(pk=_PERSON_PLACEHOLDER, role=role, is_active=is_active)
        reader._state.adding = False  # a saved person as far as filters go: only her id is used
        rows = _unread_posts(user=reader).order_by().values("pk")
        sql, params = rows.query.sql_with_params()
        if _PERSON_PLACEHOLDER not in params:
            raise ImproperlyConfigured("the unread count no longer names its reader")
        # the ORM's own statement, with its values as parameters: nothing of a request's in it
        compiled = (f"SELECT COUNT(*) FROM ({sql}) AS unread", tuple(params))  # noqa: S608
        _unread_count_sqls[key] = compiled
    return compiled


def _unread_in_space(*, user: User) -> Coalesce:
    per_space = (
        _unread_posts(user=user)
        .filter(thread__space=OuterRef("pk"))
        .values("thread__space")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_space, output_field=IntegerField()), Value(0))


def unread_latest_posts(*, user: User, limit: int = 5) -> list[Post]:
    """The newest unread post of each thread with unread posts for `user`, newest first: the
    Messages page answers them in place (issue 18: the coach's question in three taps)."""
    if not user.is_authenticated or user.role not in SPACE_ROLES:
        return []
    if connections[router.db_for_read(Post)].vendor == "postgresql":
        latest = (
            _unread_posts(user=user)
            .order_by("thread_id", "-created_at", "-pk")
            .distinct("thread_id")
            .values("pk")
        )
    else:  # no DISTINCT ON (the SQLite of make run): no newer unread post in its thread
        newer = _unread_posts(user=user).filter(
            Q(created_at__gt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk")),
            thread_id=OuterRef("thread_id"),
        )
        latest = _unread_posts(user=user).filter(~Exists(newer)).values("pk")
    return list(
        Post.objects.filter(pk__in=Subquery(latest))
        .select_related("thread", "author")
        .order_by("-created_at", "-pk")[:limit]
    )


def space_list_with_unread(*, user: User) -> QuerySet[Space]:
    return (
        space_list_visible(user=user)
        .annotate(unread=_unread_in_space(user=user), thread_count=Count("threads", distinct=True))
        .order_by("kind", "name")
    )


def unread_per_space(*, user: User) -> list[tuple[int | None, UUID, int]]:
    """(team id, space public id, unread posts) of each space `user` sees (team id None: the
    organisation-wide one).

    The coach dashboard's badges and links, without the space list's thread counts and rows.
    For a coach, through the statement compiled once per process (see `_COACH_READS`).
    """
    if _is_coach(user):
        return [tuple(row) for row in _COACH_UNREAD_PER_SPACE.rows(coach_id=user.pk)]
    return list(_unread_per_space(user=user))


def _unread_per_space(*, user: User) -> QuerySet[Space, tuple[int | None, UUID, int]]:
    return (
        space_list_visible(user=user)
        .annotate(unread=_unread_in_space(user=user))
        .values_list("team_id", "public_id", "unread")
        .order_by()
    )


def thread_list_visible(*, user: User) -> QuerySet[Thread]:
    return Thread.objects.select_related("space", "space__team", "author").filter(
        space__in=space_list_visible(user=user)
    )


def thread_list_for_space(*, user: User, space: Space) -> QuerySet[Thread]:
    """Threads of one (already visible) space with post and unread counts for `user`."""
    return (
        thread_list_visible(user=user)
        .filter(space=space)
        .annotate(
            post_count=Count("posts"),
            unread=Count(
                "posts",
                filter=Q(posts__id__gt=_last_read_id(user=user)) & ~Q(posts__author=user),
            ),
        )
        .prefetch_related("problems")
        .order_by("-last_post_at", "-id")
    )


def thread_get_visible(*, user: User, public_id: UUID) -> Thread:
    return get_object_or_404(thread_list_visible(user=user), public_id=public_id)


def post_list_for_thread(*, thread: Thread, after_id: int = 0) -> QuerySet[Post]:
    return (
        thread.posts.filter(id__gt=after_id)
        .select_related("author", "decided_by")
        .prefetch_related(
            "attachments",
            Prefetch("mentions", queryset=Mention.objects.select_related("person")),
        )
        .order_by("id")
    )


def post_get_visible(*, user: User, public_id: UUID) -> Post:
    return get_object_or_404(
        Post.objects.select_related("thread", "thread__space").filter(
            thread__space__in=space_list_visible(user=user)
        ),
        public_id=public_id,
    )


def decision_list_for_space(*, space: Space) -> QuerySet[Post]:
    return (
        Post.objects.filter(thread__space=space, is_decision=True)
        .select_related("author", "thread", "decided_by")
        .order_by("-decided_at", "-id")
    )


def attachment_get_visible(*, user: User, public_id: UUID) -> Attachment:
    """A file is served only to those who can see the post it belongs to."""
    return get_object_or_404(
        Attachment.objects.filter(post__thread__space__in=space_list_visible(user=user)),
        public_id=public_id,
    )


def notification_list_unread(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(
        recipient=user,
        read_at__isnull=True,
        post__thread__space__in=space_list_visible(user=user),
    ).select_related("post", "post__thread", "post__author")


def answered_questions_for_problem(*, problem: Problem, limit: int = 10) -> QuerySet[Thread]:
    """Answered questions in the organisation channel tagged with `problem` ("who solved this
    before?"). The channel is open to every nurse and coach, so no per-user filter is needed
    beyond the caller's own role gate (client pages are for nurses and coaches only)."""
    return (
        Thread.objects.filter(
            space__kind=SpaceKind.ORGANISATION,
            is_question=True,
            answered_at__isnull=False,
            problems=problem,
        )
        .select_related("space", "author")
        .annotate(post_count=Count("posts"))
        .order_by("-answered_at")[:limit]
    )


def figures_team_list_visible(*, user: User) -> QuerySet[Team]:
    """Teams whose figures `user` may see: a coach her teams, a nurse her own; nobody else."""
    if not user.is_authenticated or user.role not in SPACE_ROLES:
        return Team.objects.none()
    return Team.objects.filter(pk__in=visible_team_ids(user=user)).order_by("name")


def figures_teams_visible(*, user: User) -> list[Team]:
    """`figures_team_list_visible`, read: for a coach (her dashboard) through the statement
    compiled once per process (see `_COACH_READS`)."""
    if _is_coach(user):
        return _COACH_FIGURES_TEAMS.instances(coach_id=user.pk)
    return list(figures_team_list_visible(user=user))


def figures_team_get_visible(*, user: User, public_id: UUID) -> Team:
    return get_object_or_404(figures_team_list_visible(user=user), public_id=public_id)


# _COACH_READS: the coach dashboard's reads of these selectors, compiled once per process
# (`buurtzorg.compiled`). Building them through the ORM (the team rule's subquery, the unread
# count's nested subqueries) cost the worker more CPU than PostgreSQL spends running them. A
# stand-in coach builds each from the selector's own queryset, so the rule is the same; only
# her id is a value (a nurse's team rule reads today's date: her reads are built each time).
COACH_ID = (-7_301_946_401, -7_301_946_402)  # stands for the coach's id; no real id is negative


def coach_stand_in(coach_id: int) -> User:
    """An active coach for building a statement: only her id reaches the SQL."""
    coach = User(pk=coach_id, role=Role.COACH, is_active=True)
    coach._state.adding = False
    return coach


def _is_coach(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.COACH)


def _coach_figures_teams(*, coach_id: int) -> QuerySet[Team]:
    return figures_team_list_visible(user=coach_stand_in(coach_id))


def _coach_unread_per_space(*, coach_id: int) -> QuerySet[Space, tuple[int | None, UUID, int]]:
    return _unread_per_space(user=coach_stand_in(coach_id))


_COACH_FIGURES_TEAMS = Statement(Team, _coach_figures_teams, coach_id=COACH_ID)
_COACH_UNREAD_PER_SPACE = Statement(Space, _coach_unread_per_space, coach_id=COACH_ID)
