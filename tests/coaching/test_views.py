import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching import services
from coaching.models import Attachment, Post, Space, Thread
from tests.factories import (
    OrganisationSpaceFactory,
    PostFactory,
    TeamSpaceFactory,
    ThreadFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"x" * 100


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def thread_a(access_world) -> Thread:
    space = TeamSpaceFactory(team=access_world.team_a)
    return services.thread_start(
        space=space, author=access_world.coach_a, subject="Evening round", body="How was it?"
    )


ACCESS = [
    ("nurse_a", 200),
    ("coach_a", 200),
    ("nurse_b", 404),
    ("coach_b", 404),
    ("back_office", 404),
    ("admin", 404),
]


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_team_space_pages_access(client, access_world, thread_a, who, status) -> None:
    client.force_login(getattr(access_world, who))
    space = thread_a.space
    urls = [
        reverse("coaching:thread-list", args=[space.public_id]),
        reverse("coaching:thread-create", args=[space.public_id]),
        reverse("coaching:decision-list", args=[space.public_id]),
        thread_a.get_absolute_url(),
        reverse("coaching:post-poll", args=[thread_a.public_id]),
    ]
    assert [client.get(url).status_code for url in urls] == [status] * len(urls)


@pytest.mark.parametrize(
    ("who", "status"),
    [("nurse_a", 200), ("nurse_b", 200), ("coach_b", 200), ("back_office", 404), ("admin", 404)],
)
def test_organisation_channel_is_open_to_nurses_and_coaches(
    client, access_world, who, status
) -> None:
    channel = OrganisationSpaceFactory()
    client.force_login(getattr(access_world, who))
    assert client.get(channel.get_absolute_url()).status_code == status


def test_space_list_shows_own_team_and_channel_with_unread(client, access_world, thread_a) -> None:
    OrganisationSpaceFactory()
    client.force_login(access_world.nurse_a)
    body = client.get(reverse("coaching:space-list")).content.decode()
    assert "Team A" in body
    assert "Team B" not in body
    assert "All teams" in body
    assert 'aria-label="1 unread"' in body  # the badge in the nav and on the card


def test_messages_page_answers_the_newest_unread_message_in_place(
    client, access_world, thread_a
) -> None:
    # given two threads with unread messages from the coach
    services.post_reply(thread=thread_a, author=access_world.coach_a, body="And the keys?")
    services.thread_start(
        space=thread_a.space, author=access_world.coach_a, subject="Weekend", body="Saturday?"
    )
    client.force_login(access_world.nurse_a)
    # when the nurse opens Messages
    body = client.get(reverse("coaching:space-list")).content.decode()
    # then the newest unread message of each thread is there, newest first, with a reply box
    assert body.index("Saturday?") < body.index("And the keys?")
    assert "How was it?" not in body  # an older message of the same thread
    assert f'action="{reverse("coaching:post-create", args=[thread_a.public_id])}"' in body
    assert "Reply to Evening round" in body
    # and a nurse of another team sees none of it
    client.force_login(access_world.nurse_b)
    assert "And the keys?" not in client.get(reverse("coaching:space-list")).content.decode()


def test_messages_page_query_count_does_not_grow_with_unread_threads(
    client, access_world, thread_a, django_assert_max_num_queries
) -> None:
    client.force_login(access_world.nurse_a)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("coaching:space-list"))
    for i in range(6):
        services.thread_start(
            space=thread_a.space, author=access_world.coach_a, subject=f"Q{i}", body=f"Q{i}?"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("coaching:space-list")).content.decode()
    assert body.count('class="unread-post"') == 5


def test_reply_without_javascript_redirects_and_marks_read(client, access_world, thread_a) -> None:
    # given the nurse has not read the coach's question
    client.force_login(access_world.nurse_a)
    # when she posts a reply with a plain form POST
    response = client.post(
        reverse("coaching:post-create", args=[thread_a.public_id]), {"body": "Quiet evening."}
    )
    # then she is sent back to the thread, the post is saved and her unread count is zero
    assert response.status_code == 302
    assert response.url.startswith(thread_a.get_absolute_url())
    assert thread_a.posts.last().body == "Quiet evening."
    page = client.get(reverse("coaching:space-list")).content.decode()
    assert "unread" not in page


def test_new_post_appears_through_the_poll_partial(client, access_world, thread_a) -> None:
    # given the nurse has the thread open
    client.force_login(access_world.nurse_a)
    page = client.get(thread_a.get_absolute_url())
    last_id = page.context["last_id"]
    # when the coach replies
    services.post_reply(thread=thread_a, author=access_world.coach_a, body="Thanks for the update!")
    # then the next poll brings only the new post, with a poller after it
    poll = client.get(
        reverse("coaching:post-poll", args=[thread_a.public_id]) + f"?after={last_id}",
        headers={"HX-Request": "true"},
    )
    body = poll.content.decode()
    assert "Thanks for the update!" in body
    assert "How was it?" not in body
    assert "<html" not in body
    assert 'id="poller"' in body
    assert 'hx-trigger="every 4s"' in body


def test_empty_reply_rerenders_with_message(client, access_world, thread_a) -> None:
    client.force_login(access_world.nurse_a)
    response = client.post(
        reverse("coaching:post-create", args=[thread_a.public_id]),
        {"body": "   "},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert str(services.EMPTY_POST) in response.content.decode()
    assert thread_a.posts.count() == 1


def test_stranger_mention_keeps_input_and_saves_nothing(client, access_world, thread_a) -> None:
    client.force_login(access_world.nurse_a)
    text = f"Ask @{access_world.nurse_b.username} about it"
    response = client.post(
        reverse("coaching:post-create", args=[thread_a.public_id]), {"body": text}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "cannot see this space" in body
    assert text in body
    assert thread_a.posts.count() == 1


def test_disallowed_file_is_refused_on_the_page(client, access_world, thread_a) -> None:
    client.force_login(access_world.nurse_a)
    response = client.post(
        reverse("coaching:post-create", args=[thread_a.public_id]),
        {"body": "see file", "files": SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")},
    )
    assert response.status_code == 200
    assert "checked by its content" in response.content.decode()
    assert thread_a.posts.count() == 1
    assert not Attachment.objects.exists()


def test_posting_to_another_teams_thread_is_404(client, access_world, thread_a) -> None:
    client.force_login(access_world.nurse_b)
    response = client.post(
        reverse("coaching:post-create", args=[thread_a.public_id]), {"body": "Hi"}
    )
    assert response.status_code == 404
    assert thread_a.posts.count() == 1


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_attachment_served_only_to_who_sees_the_post(
    client, access_world, thread_a, who, status
) -> None:
    post = services.post_reply(
        thread=thread_a,
        author=access_world.nurse_a,
        body="Scan",
        files=[SimpleUploadedFile("scan.pdf", PDF)],
    )
    attachment = post.attachments.get()
    client.force_login(getattr(access_world, who))
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]


def test_new_thread_with_file_and_decision_list(client, access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    client.force_login(access_world.nurse_a)
    response = client.post(
        reverse("coaching:thread-create", args=[space.public_id]),
        {
            "subject": "Weekend rota",
            "body": "Proposal: we alternate weekends.",
            "files": SimpleUploadedFile("rota.pdf", PDF),
        },
    )
    thread = Thread.objects.get(subject="Weekend rota")
    assert response.status_code == 302
    post = thread.posts.get()
    assert post.attachments.count() == 1
    # when the coach marks it as a decision
    client.force_login(access_world.coach_a)
    client.post(reverse("coaching:post-decision", args=[post.public_id]), {"is_decision": "1"})
    # then it is on the decisions page
    page = client.get(reverse("coaching:decision-list", args=[space.public_id])).content.decode()
    assert "we alternate weekends" in page


def test_thread_pages_have_flat_query_counts(
    client, access_world, django_assert_max_num_queries
) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    client.force_login(access_world.nurse_a)

    def grow(n: int) -> Thread:
        thread = ThreadFactory(space=space, author=access_world.coach_a)
        for _ in range(n):
            PostFactory(thread=thread, author=access_world.coach_a)
        return thread

    small = grow(2)
    with django_assert_max_num_queries(16) as small_list:
        client.get(space.get_absolute_url())
    with django_assert_max_num_queries(20) as small_detail:
        client.get(small.get_absolute_url())
    big = grow(30)
    for _ in range(10):
        grow(1)
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        client.get(space.get_absolute_url())
    with django_assert_max_num_queries(len(small_detail.captured_queries)):
        client.get(big.get_absolute_url())
    assert Post.objects.count() == 2 + 30 + 10


def test_space_list_only_reads(client, access_world) -> None:
    # given a team whose space does not exist (spaces are made with teams, not on sight)
    Space.objects.filter(team=access_world.team_a).delete()
    before = Space.objects.count()
    # when its nurse opens the list and the API
    client.force_login(access_world.nurse_a)
    assert client.get(reverse("coaching:space-list")).status_code == 200
    assert client.get("/api/spaces/").status_code == 200
    # then nothing was written
    assert Space.objects.count() == before


def test_htmx_reply_comes_back_with_the_missing_posts_and_an_empty_form(
    client, access_world, thread_a
) -> None:
    # given the nurse has the thread open, and meanwhile the coach added a post
    client.force_login(access_world.nurse_a)
    last_id = client.get(thread_a.get_absolute_url()).context["last_id"]
    services.post_reply(thread=thread_a, author=access_world.coach_a, body="Anyone free at 8?")
    # when she replies through htmx
    response = client.post(
        reverse("coaching:post-create", args=[thread_a.public_id]),
        {"body": "I can take it.", "after": str(last_id)},
        headers={"HX-Request": "true"},
    )
    # then the answer holds both new posts (in order, each once), an empty form and a poller
    # that continues after her reply, so the page shows it at once and the poll won't repeat it
    body = response.content.decode()
    assert response.status_code == 200
    assert "HX-Redirect" not in response.headers
    assert body.index("Anyone free at 8?") < body.index("I can take it.")
    assert body.count("I can take it.") == 1
    assert 'hx-swap-oob="beforebegin:#poller"' in body
    mine = thread_a.posts.get(body="I can take it.")
    assert f'data-after="{mine.pk}"' in body
    assert '<textarea name="body"' in body
    assert "I can take it.</textarea>" not in body
