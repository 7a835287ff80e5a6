"""Every write to the messaging space goes through here.

Each service checks everything (access, text, mentions, files) before it writes anything, and
runs in one transaction, so a refused post leaves no thread, mention, notification or file row.
"""

import os
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, BinaryIO, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import format_lazy, get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coaching.filetypes import (
    ALLOWED_DESCRIPTION,
    IMAGES,
    MAX_IMAGE_PIXELS,
    image_within_limits,
    sniff_file,
)
from coaching.models import (
    MAX_ATTACHMENT_BYTES,
    MAX_BODY_LENGTH,
    MAX_SUBJECT_LENGTH,
    Attachment,
    Mention,
    Notification,
    NotificationKind,
    Post,
    ReadState,
    Space,
    SpaceKind,
    Thread,
)
from coaching.selectors import can_see_space, space_members
from teams.models import Team, User

if TYPE_CHECKING:  # django-stubs' name for "a str or a lazy translation"; no runtime import
    from django_stubs_ext import StrOrPromise

# Stored as the channel's name (data): pages show it translated through Space.title.
ORGANISATION_SPACE_NAME = "All teams"

# Messages (tests import these). Lazy: translated when raised or shown, in the reader's language;
# `.format(...)` on one gives a str in the language active then.
EMPTY_POST = _("Write a message before posting.")
EMPTY_SUBJECT = _("Give the thread a subject.")
POST_TOO_LONG = format_lazy(
    _("A message can be at most {limit} characters."), limit=MAX_BODY_LENGTH
)
SUBJECT_TOO_LONG = format_lazy(
    _("A subject can be at most {limit} characters."), limit=MAX_SUBJECT_LENGTH
)
SPACE_NOT_YOURS = _("You cannot post in this space: it belongs to another team.")
MENTION_STRANGER = _("{names} cannot see this space, so cannot be mentioned here.")
FILE_TOO_BIG = _("{name} is larger than {limit} MB.")
FILE_EMPTY = _("{name} is empty.")
FILE_TYPE_REFUSED = _("{name} is not a {types} file (checked by its content).")
IMAGE_TOO_LARGE = _(
    "{name} is not an image that can be opened, or has more than {limit} million pixels."
)
TOO_MANY_FILES = _("Attach at most {limit} files to one message.")
QUESTION_ONLY_IN_CHANNEL = _("Questions to all teams go in the organisation-wide channel.")
NOT_A_TEAM_SPACE = _("Only a team space can hold team decisions.")
SYSTEM_POST_NOT_DECISION = _("A system notice cannot be a decision.")

MAX_FILES_PER_POST = 5

# "@username" not preceded by a word character (so e-mail addresses are not mentions).
MENTION_RE = re.compile(r"(?<![\w@])@([\w.+-]+)")


def parse_mentions(body: str) -> list[str]:
    """Usernames named in `body`, in order, without duplicates or trailing punctuation."""
    names: list[str] = []
    for raw in MENTION_RE.findall(body):
        name = raw.rstrip(".-+")
        if name and name.lower() not in (n.lower() for n in names):
            names.append(name)
    return names


@transaction.atomic
def space_for_team(*, team: Team) -> Space:
    """The team's space, created on first use (one per team: a unique column)."""
    space, _created = Space.objects.get_or_create(
        team=team, defaults={"kind": SpaceKind.TEAM, "name": team.name}
    )
    return space


@transaction.atomic
def organisation_space() -> Space:
    space, _created = Space.objects.get_or_create(
        kind=SpaceKind.ORGANISATION, defaults={"name": ORGANISATION_SPACE_NAME}
    )
    return space


def spaces_ensure(*, teams: Iterable[Team]) -> None:
    """Create missing spaces for `teams` and the channel in two statements; safe to repeat."""
    Space.objects.bulk_create(
        [Space(kind=SpaceKind.TEAM, team=team, name=team.name) for team in teams]
        + [Space(kind=SpaceKind.ORGANISATION, name=ORGANISATION_SPACE_NAME)],
        ignore_conflicts=True,
    )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [EMPTY_POST]}, code="empty")
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError({"body": [POST_TOO_LONG]}, code="too_long")
    return body


def _resolve_mentions(*, space: Space, body: str, author: User | None) -> list[User]:
    names = parse_mentions(body)
    if not names:
        return []
    query = Q()
    for name in names:
        query |= Q(username__iexact=name)
    found = {u.username.lower(): u for u in space_members(space=space).filter(query)}
    strangers = [f"@{n}" for n in names if n.lower() not in found]
    if strangers:
        raise ValidationError(
            {"body": [MENTION_STRANGER.format(names=", ".join(strangers))]}, code="stranger"
        )
    return [u for u in found.values() if author is None or u.pk != author.pk]


def _check_files(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Size and type of every file, decided before anything is written."""
    if len(files) > MAX_FILES_PER_POST:
        raise ValidationError({"files": [TOO_MANY_FILES.format(limit=MAX_FILES_PER_POST)]})
    checked, errors = [], []
    for upload in files:
        name = os.path.basename(upload.name or "file")
        if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
            errors.append(FILE_TOO_BIG.format(name=name, limit=MAX_ATTACHMENT_BYTES // 2**20))
            continue
        if not upload.size:
            errors.append(FILE_EMPTY.format(name=name))
            continue
        content_type = sniff_file(cast(BinaryIO, upload))  # an UploadedFile is file-like
        if content_type is None:
            errors.append(FILE_TYPE_REFUSED.format(name=name, types=ALLOWED_DESCRIPTION))
            continue
        if content_type in IMAGES and not image_within_limits(cast(BinaryIO, upload), content_type):
            errors.append(IMAGE_TOO_LARGE.format(name=name, limit=MAX_IMAGE_PIXELS // 10**6))
            continue
        checked.append((upload, content_type))
    if errors:
        raise ValidationError({"files": errors}, code="file")
    return checked


def _check_can_post(*, space: Space, author: User) -> None:
    if not can_see_space(user=author, space=space):
        raise ValidationError({"space": [SPACE_NOT_YOURS]}, code="not_yours")


def _save_post(
    *,
    thread: Thread,
    author: User | None,
    body: str,
    mentioned: list[User],
    files: list[tuple[UploadedFile, str]],
) -> Post:
    now = timezone.now()
    post = Post(thread=thread, author=author, body=body, is_system=author is None)
    post.full_clean(exclude=["thread"])
    post.save()
    Mention.objects.bulk_create([Mention(post=post, person=person) for person in mentioned])
    Notification.objects.bulk_create(
        [
            Notification(recipient=person, post=post, kind=NotificationKind.MENTION)
            for person in mentioned
        ],
        ignore_conflicts=True,
    )
    for upload, content_type in files:
        original = get_valid_filename(os.path.basename(upload.name or "file"))[:150] or "file"
        attachment = Attachment(
            post=post, original_name=original, content_type=content_type, size=upload.size or 0
        )
        attachment.file.save(original, upload, save=False)  # through the storage API
        attachment.save()
    updates: dict = {"last_post_at": now}
    if (
        thread.is_question
        and thread.answered_at is None
        and author is not None
        and author.pk != thread.author_id
    ):
        updates["answered_at"] = now
    Thread.objects.filter(pk=thread.pk).update(**updates)
    for field, value in updates.items():
        setattr(thread, field, value)
    if author is not None:
        _mark_read(thread=thread, person=author, post=post)
    return post


@transaction.atomic
def thread_start(
    *,
    space: Space,
    author: User,
    subject: str,
    body: str,
    is_question: bool = False,
    problems: Iterable = (),
    files: Sequence[UploadedFile] = (),
) -> Thread:
    """Open a thread with its first post. Questions (optionally tagged with Omaha problems)
    belong in the organisation-wide channel, where every team can answer them."""
    _check_can_post(space=space, author=author)
    errors: dict[str, Sequence[StrOrPromise]] = {}
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = [EMPTY_SUBJECT]
    elif len(subject) > MAX_SUBJECT_LENGTH:
        errors["subject"] = [SUBJECT_TOO_LONG]
    problems = list(problems)
    mentioned: list[User] = []
    checked: list[tuple[UploadedFile, str]] = []
    if (is_question or problems) and space.kind != SpaceKind.ORGANISATION:
        errors["is_question"] = [QUESTION_ONLY_IN_CHANNEL]
    try:
        body = _clean_body(body)
        mentioned = _resolve_mentions(space=space, body=body, author=author)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        checked = _check_files(files)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    thread = Thread(space=space, author=author, subject=subject, is_question=is_question)
    thread.full_clean()
    thread.save()
    if problems:
        thread.problems.set(problems)
    _save_post(thread=thread, author=author, body=body, mentioned=mentioned, files=checked)
    return thread


@transaction.atomic
def post_reply(
    *, thread: Thread, author: User, body: str, files: Sequence[UploadedFile] = ()
) -> Post:
    """Add a post to a thread the author can see; mentions notify, files are type-checked."""
    space = thread.space
    _check_can_post(space=space, author=author)
    errors: dict[str, Sequence[StrOrPromise]] = {}
    mentioned: list[User] = []
    try:
        body = _clean_body(body)
        mentioned = _resolve_mentions(space=space, body=body, author=author)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    checked: list[tuple[UploadedFile, str]] = []
    try:
        checked = _check_files(files)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    thread = Thread.objects.select_for_update().select_related("space").get(pk=thread.pk)
    return _save_post(thread=thread, author=author, body=body, mentioned=mentioned, files=checked)


@transaction.atomic
def post_set_decision(*, post: Post, actor: User, is_decision: bool = True) -> Post:
    """Mark (or unmark) a post as a team decision, so agreements are findable later."""
    post = Post.objects.select_for_update().select_related("thread__space").get(pk=post.pk)
    _check_can_post(space=post.thread.space, author=actor)
    if post.is_system:
        raise ValidationError(SYSTEM_POST_NOT_DECISION)
    if post.thread.space.kind != SpaceKind.TEAM:
        raise ValidationError(NOT_A_TEAM_SPACE)
    post.is_decision = is_decision
    post.decided_by = actor if is_decision else None
    post.decided_at = timezone.now() if is_decision else None
    post.full_clean(exclude=["thread"])
    post.save(update_fields=["is_decision", "decided_by", "decided_at", "updated_at"])
    return post


def _mark_read(*, thread: Thread, person: User, post: Post) -> None:
    """Move the read marker forward only (a stale tab never makes old posts unread again)."""
    updated = ReadState.objects.filter(
        person=person, thread=thread, last_read_post_id__lt=post.pk
    ).update(last_read_post=post, updated_at=timezone.now())
    if not updated:
        ReadState.objects.bulk_create(
            [ReadState(person=person, thread=thread, last_read_post=post)],
            ignore_conflicts=True,
        )


@transaction.atomic
def thread_mark_read(*, thread: Thread, person: User) -> None:
    """Everything in `thread` up to now is read by `person`; her mention notices too."""
    last = thread.posts.order_by("-id").first()
    if last is None:
        return
    _mark_read(thread=thread, person=person, post=last)
    Notification.objects.filter(recipient=person, post__thread=thread, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def space_post_system_notice(*, team: Team, subject: str, body: str, key: str = "") -> Post:
    """Post a system notice (no author) into `team`'s space.

    With `key` (e.g. "rota-gaps"), every notice goes to the one system thread of the space
    that carries that key, found by the key and not by its subject, so a nightly check whose
    text changes from night to night (a different number of gaps) adds a post to one thread
    instead of opening a thread each night. Without a key, notices with the same subject
    gather in one thread.

    Idempotent: when the latest post of that thread already says `body`, nothing new is
    written and that post is returned, so a nightly job that runs twice does not warn twice.
    """
    space = space_for_team(team=team)
    Space.objects.select_for_update().filter(pk=space.pk).first()  # serialise notice writers
    # The caller writes subject and body in the team's language (a nightly task has no
    # request); the fallback subject is stored too, so it follows the organisation's language.
    with translation.override(settings.LANGUAGE_CODE):
        fallback = gettext("Notice")
    subject = (subject or "").strip()[:MAX_SUBJECT_LENGTH] or fallback
    body = _clean_body(body)
    threads = Thread.objects.filter(space=space, is_system=True)
    if key:
        thread = threads.filter(system_key=key).first()
    else:
        thread = threads.filter(system_key="", subject=subject).first()
    if thread is None:
        thread = Thread(space=space, subject=subject, is_system=True, system_key=key)
        thread.full_clean()
        thread.save()
    else:
        latest = thread.posts.order_by("-id").first()
        if latest is not None and latest.is_system and latest.body == body:
            return latest
    return _save_post(thread=thread, author=None, body=body, mentioned=[], files=[])
