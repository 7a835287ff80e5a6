import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from coaching import services
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
from coaching.selectors import unread_total
from tests.factories import OrganisationSpaceFactory, TeamSpaceFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
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
    services.spaces_ensure(teams=[access_world.team_a, access_world.team_b])
    services.spaces_ensure(teams=[access_world.team_a])
    assert Space.objects.filter(kind=SpaceKind.TEAM).count() == 2
    assert Space.objects.filter(kind=SpaceKind.ORGANISATION).count() == 1
    with pytest.raises(IntegrityError):
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
    with pytest.raises(ValidationError) as exc:
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
    with pytest.raises(ValidationError) as exc:
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
    with pytest.raises(ValidationError) as exc:
        services.thread_start(
            space=space, author=access_world.nurse_a, subject="S", body="B", files=[disguised]
        )
    assert exc.value.message_dict["files"] == [services.FILE_TYPE_REFUSED.format(name="photo.png")]
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
