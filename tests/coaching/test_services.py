import datetime as dt
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from coaching import services
from coaching.filetypes import ALLOWED_DESCRIPTION
from coaching.models import (
    MAX_ATTACHMENT_BYTES,
    Attachment,
    Mention,
    Notification,
    Post,
    ReadState,
    Space,
    SpaceKind,
    Thread,
)
from coaching.selectors import _unread_posts, unread_total
from scheduling.services.rota import rota_notify_gaps
from teams.services import membership_end, team_create
from tests.factories import (
    MembershipFactory,
    NeighbourhoodFactory,
    OrganisationSpaceFactory,
    ShiftFactory,
    TeamFactory,
    TeamSpaceFactory,
    day_and_night_rules,
    nursing_team,
)

pytestmark = pytest.mark.django_db

# A real 1 x 1 PNG: images are opened (header only) for the pixel cap.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753"
    "de0000000c4944415478da63f8ffff3f0005fe02fea7359a610000000049454e44ae426082"
)
PDF = b"%PDF-1.7\n" + b"x" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_system_notice_arrives_in_team_space_once(access_world) -> None:
    # when the nightly job posts the same warning twice
    first = services.space_post_system_notice(
        team=access_world.team_a, subject="Rota gaps", body="Nobody on Tuesday morning."
    )
    second = services.space_post_system_notice(
        team=access_world.team_a, subject="Rota gaps", body="Nobody on Tuesday morning."
    )
    # then there is one system post, without an author, in Team A's space
    assert first.pk == second.pk
    assert first.is_system
    assert first.author is None
    assert first.thread.space.team == access_world.team_a
    assert Post.objects.filter(is_system=True).count() == 1
    # and it counts as unread for the team's nurse and coach, not for the other team
    assert unread_total(user=access_world.nurse_a) == 1
    assert unread_total(user=access_world.coach_a) == 1
    assert unread_total(user=access_world.nurse_b) == 0


def test_new_system_notice_text_is_added_to_the_same_thread(access_world) -> None:
    services.space_post_system_notice(team=access_world.team_a, subject="Rota gaps", body="Tue")
    services.space_post_system_notice(team=access_world.team_a, subject="Rota gaps", body="Wed")
    assert Thread.objects.get().posts.count() == 2


def test_one_space_per_team_and_one_organisation_channel(access_world) -> None:
    services.space_for_team(team=access_world.team_a)
    services.space_for_team(team=access_world.team_a)
    services.space_for_team(team=access_world.team_b)
    services.organisation_space()
    services.organisation_space()
    assert Space.objects.filter(kind=SpaceKind.TEAM).count() == 2
    assert Space.objects.filter(kind=SpaceKind.ORGANISATION).count() == 1
    with pytest.raises(IntegrityError, match="space_one_organisation_channel"):
        Space.objects.create(kind=SpaceKind.ORGANISATION, name="Second channel")


def test_reply_with_mention_notifies_the_person(access_world) -> None:
    # given a thread in Team A's space
    space = TeamSpaceFactory(team=access_world.team_a)
    thread = services.thread_start(
        space=space, author=access_world.coach_a, subject="Wound care", body="How is it going?"
    )
    # when the nurse mentions her coach
    post = services.post_reply(
        thread=thread,
        author=access_world.nurse_a,
        body=f"Better, thanks @{access_world.coach_a.username}.",
    )
    # then the coach is mentioned and notified
    assert [m.person for m in post.mentions.all()] == [access_world.coach_a]
    assert Notification.objects.get().recipient == access_world.coach_a
    assert unread_total(user=access_world.coach_a) == 1
    assert unread_total(user=access_world.nurse_a) == 0  # her own posts are read


def test_mention_of_a_stranger_saves_nothing(access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    thread = services.thread_start(
        space=space, author=access_world.nurse_a, subject="Hello", body="First"
    )
    with pytest.raises(
        ValidationError,
        match=re.escape(
            services.MENTION_STRANGER.format(names=f"@{access_world.nurse_b.username}")
        ),
    ) as exc:
        services.post_reply(
            thread=thread,
            author=access_world.nurse_a,
            body=f"@{access_world.nurse_b.username} look at this",
        )
    assert exc.value.message_dict["body"] == [
        services.MENTION_STRANGER.format(names=f"@{access_world.nurse_b.username}")
    ]
    assert Post.objects.count() == 1
    assert not Mention.objects.exists()
    assert not Notification.objects.exists()


def test_email_address_is_not_a_mention() -> None:
    assert services.parse_mentions("mail noor@example.org or @nurse2, and @nurse2.") == ["nurse2"]


def test_empty_post_is_refused(access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    with pytest.raises(ValidationError, match=re.escape(str(services.EMPTY_POST))) as exc:
        services.thread_start(space=space, author=access_world.nurse_a, subject="S", body="   ")
    assert exc.value.message_dict["body"] == [services.EMPTY_POST]
    assert not Thread.objects.exists()


def test_posting_in_another_teams_space_is_refused(access_world) -> None:
    space_b = TeamSpaceFactory(team=access_world.team_b)
    for outsider in (access_world.nurse_a, access_world.coach_a, access_world.back_office):
        with pytest.raises(ValidationError, match="belongs to another team"):
            services.thread_start(space=space_b, author=outsider, subject="S", body="Hi")
    assert not Thread.objects.exists()


def test_attachment_is_checked_by_content_not_name(access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    disguised = SimpleUploadedFile("photo.png", b"MZ\x90\x00\x03" + b"\x00" * 100)
    with pytest.raises(
        ValidationError,
        match=re.escape(
            services.FILE_TYPE_REFUSED.format(name="photo.png", types=ALLOWED_DESCRIPTION)
        ),
    ) as exc:
        services.thread_start(
            space=space, author=access_world.nurse_a, subject="S", body="B", files=[disguised]
        )
    assert exc.value.message_dict["files"] == [
        services.FILE_TYPE_REFUSED.format(name="photo.png", types=ALLOWED_DESCRIPTION)
    ]
    assert not Thread.objects.exists()
    assert not Attachment.objects.exists()


def test_html_renamed_to_txt_is_refused(access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    page = SimpleUploadedFile("notes.txt", b"<!DOCTYPE html><script>alert(1)</script>")
    with pytest.raises(ValidationError, match="checked by its content"):
        services.thread_start(
            space=space, author=access_world.nurse_a, subject="S", body="B", files=[page]
        )


def test_oversized_attachment_is_refused(access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    big = SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES)
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        services.thread_start(
            space=space, author=access_world.nurse_a, subject="S", body="B", files=[big]
        )
    assert not Thread.objects.exists()


def test_allowed_attachment_is_stored_with_sniffed_type(access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    thread = services.thread_start(
        space=space,
        author=access_world.nurse_a,
        subject="Scan",
        body="See the scan",
        files=[
            SimpleUploadedFile("a.bin", PDF, content_type="text/html"),
            SimpleUploadedFile("b.png", PNG),
        ],
    )
    attachments = list(Attachment.objects.filter(post__thread=thread))
    assert [a.content_type for a in attachments] == ["application/pdf", "image/png"]
    assert attachments[0].file.name.endswith(".pdf")
    assert attachments[0].file.read() == PDF


def test_question_answered_by_someone_else_is_marked_answered(access_world) -> None:
    channel = OrganisationSpaceFactory()
    thread = services.thread_start(
        space=channel, author=access_world.nurse_a, subject="Q", body="How?", is_question=True
    )
    services.post_reply(thread=thread, author=access_world.nurse_a, body="Anyone?")
    thread.refresh_from_db()
    assert thread.answered_at is None
    services.post_reply(thread=thread, author=access_world.nurse_b, body="Like this.")
    thread.refresh_from_db()
    assert thread.answered_at is not None


def test_question_belongs_in_the_channel(access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    with pytest.raises(ValidationError, match="organisation-wide"):
        services.thread_start(
            space=space, author=access_world.nurse_a, subject="Q", body="B", is_question=True
        )


def test_decision_marking_and_read_state(access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    thread = services.thread_start(
        space=space, author=access_world.nurse_a, subject="Weekend", body="We rotate weekends."
    )
    post = thread.posts.get()
    services.post_set_decision(post=post, actor=access_world.coach_a)
    post.refresh_from_db()
    assert post.is_decision
    assert post.decided_by == access_world.coach_a
    assert unread_total(user=access_world.coach_a) == 1
    services.thread_mark_read(thread=thread, person=access_world.coach_a)
    assert unread_total(user=access_world.coach_a) == 0
    assert ReadState.objects.filter(person=access_world.coach_a).count() == 1


def test_notices_with_a_key_gather_in_one_thread_whatever_their_subject(access_world) -> None:
    # given two nights whose notices differ in subject and text but share a key
    team = access_world.team_a
    services.space_post_system_notice(team=team, subject="3 gaps", body="Mon", key="rota-gaps")
    second = services.space_post_system_notice(
        team=team, subject="5 gaps", body="Tue", key="rota-gaps"
    )
    # then one thread holds both, under the subject it was opened with
    thread = Thread.objects.get(system_key="rota-gaps")
    assert thread.posts.count() == 2
    assert second.thread_id == thread.pk
    assert thread.subject == "3 gaps"
    # and a keyless notice with that subject does not land in the keyed thread
    services.space_post_system_notice(team=team, subject="3 gaps", body="Other")
    assert Thread.objects.filter(space__team=team).count() == 2


def test_a_system_key_is_unique_per_space_and_only_on_system_threads(access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    Thread.objects.create(space=space, subject="Rota gaps", is_system=True, system_key="k")
    with pytest.raises(IntegrityError, match="thread_one_per_system_key"), transaction.atomic():
        Thread.objects.create(space=space, subject="Again", is_system=True, system_key="k")
    with (
        pytest.raises(IntegrityError, match="thread_system_key_only_on_system"),
        transaction.atomic(),
    ):
        Thread.objects.create(
            space=space, subject="Mine", author=access_world.nurse_a, system_key="x"
        )


def test_nightly_rota_check_posts_to_one_rota_gaps_thread_each_night() -> None:
    # given a team whose rota has gaps (rules, nobody on duty)
    team, (nurse,) = nursing_team(1)
    day_and_night_rules(team)
    # when the check runs on two nights with a different number of gaps
    first = rota_notify_gaps(team_id=team.pk)
    ShiftFactory(team=team, nurse=nurse, day=timezone.localdate() + dt.timedelta(days=2))
    second = rota_notify_gaps(team_id=team.pk)
    rota_notify_gaps(team_id=team.pk)  # a retry of the same night adds nothing
    # then both nights are posts in the one "Rota gaps" thread of the team's space
    assert len(first) != len(second)
    thread = Thread.objects.get(space__team=team)
    assert (thread.subject, thread.system_key, thread.is_system) == (
        "Rota gaps",
        "rota-gaps",
        True,
    )
    bodies = list(thread.posts.values_list("body", flat=True))
    assert len(bodies) == 2
    assert bodies[0].startswith(f"{len(first)} gaps in the next 14 days")
    assert bodies[1].startswith(f"{len(second)} gaps in the next 14 days")


def test_creating_a_team_creates_its_space() -> None:
    team = team_create(name="Team Nieuw", neighbourhood=NeighbourhoodFactory(), is_active=True)
    space = Space.objects.get(team=team)
    assert (space.kind, space.name) == (SpaceKind.TEAM, "Team Nieuw")


def test_data_migration_makes_missing_spaces_and_keys_the_latest_rota_thread() -> None:
    # given a team without a space (made before spaces came with teams), no channel, and a
    # space with two per-night rota threads of the old kind
    bare = TeamFactory(name="Team Kaal")
    space = TeamSpaceFactory()
    Space.objects.filter(kind=SpaceKind.ORGANISATION).delete()
    old = Thread.objects.create(space=space, subject="Rota: 2 gap(s) in 14 days", is_system=True)
    new = Thread.objects.create(space=space, subject="Rota: 4 gap(s) in 14 days", is_system=True)
    # when the migration runs (twice: it is safe to repeat)
    migration = importlib.import_module("coaching.migrations.0005_spaces_for_existing_teams")
    migration.forwards(django_apps, None)
    migration.forwards(django_apps, None)
    # then the team has its space, the channel exists once, the newest rota thread is keyed
    assert Space.objects.get(team=bare).name == "Team Kaal"
    assert Space.objects.filter(kind=SpaceKind.ORGANISATION).count() == 1
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.system_key, new.subject) == ("rota-gaps", "Rota gaps")
    assert old.system_key == ""


def test_unread_badge_counts_what_the_orm_query_counts_for_every_reader(access_world) -> None:
    # given posts in both teams' spaces and the organisation channel, a thread read by one
    # nurse, a nurse who left team A, and a deactivated nurse of team A
    space_a = TeamSpaceFactory(team=access_world.team_a)
    space_b = TeamSpaceFactory(team=access_world.team_b)
    channel = services.organisation_space()
    read = services.thread_start(
        space=space_a, author=access_world.coach_a, subject="Wounds", body="Any news?"
    )
    services.post_reply(thread=read, author=access_world.coach_a, body="Please reply.")
    services.thread_start(space=space_a, author=access_world.coach_a, subject="Rota", body="Tue")
    services.thread_start(space=space_b, author=access_world.nurse_b, subject="Car", body="Flat")
    services.thread_start(space=channel, author=access_world.nurse_b, subject="Hi", body="All")
    services.thread_mark_read(thread=read, person=access_world.nurse_a)
    leaver = MembershipFactory(team=access_world.team_a, seat=2)
    membership_end(membership=leaver, ended_on=timezone.localdate())
    inactive = MembershipFactory(team=access_world.team_a, seat=3).nurse
    inactive.is_active = False
    inactive.save()
    # then the badge (a statement built once per role) agrees with the ORM's count
    expected = {
        access_world.nurse_a: 2,  # Rota and the channel; Wounds is read
        access_world.coach_a: 1,  # the channel (her own posts are read)
        access_world.nurse_b: 0,  # Car and the channel's post are her own
        access_world.coach_b: 2,  # Car and the channel
        leaver.nurse: 1,  # only the channel now
        inactive: 1,  # only the channel
    }
    for reader, count in expected.items():
        assert unread_total(user=reader) == _unread_posts(user=reader).count() == count, reader
