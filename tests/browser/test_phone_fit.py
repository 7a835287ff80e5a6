"""The nurse pages fit her thumb (issue 18): tap counts for what she does most, nothing cut off
or outside the screen from 320 to 430 px wide, every tap target at least 44 x 44 px, and no page
wider than the screen after a 300-character word.

Taps are counted by doing them: every tap goes through `Taps.tap` (a touch tap in Chromium on a
390 x 844 touch screen); typing is not a tap. Sizes come from the elements' bounding boxes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from clients.models import KEY_INFO_MAX_LENGTH, Client, OutcomeRating
from coaching.models import Post, Thread
from scheduling.models import Visit, VisitStatus
from tests.browser.conftest import PHONE, log_in, page_check
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    CoachAssignmentFactory,
    CoachFactory,
    InterventionFactory,
    PostFactory,
    TeamSpaceFactory,
    ThreadFactory,
    VisitFactory,
    nursing_team,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 390, 430)
MIN_TARGET = 44
LONG_WORD = "w" * 300


class Taps:
    """Counts the taps a task takes."""

    def __init__(self) -> None:
        self.count = 0

    def tap(self, target: Locator) -> None:
        target.tap()
        self.count += 1


def _round(*, visits: int = 1) -> tuple:
    """A nurse with a coach and `visits` visits early today (in the past, so they may be logged)
    to a client with a key safe, an allergy and a care plan for pain."""
    team, (nurse,) = nursing_team(1, name="Team Duim")
    coach = CoachAssignmentFactory(team=team, coach=CoachFactory(first_name="Carla")).coach
    record = ClientFactory(
        team=team,
        first_name="Jan",
        last_name="de Vries",
        key_safe_note="Key safe left of the door, code 4821",
        allergies="Latex",
        alarm_note="Neck alarm",
    )
    pain = ClientProblemFactory(client=record)
    todo = InterventionFactory(client_problem=pain, description="Check the pain score")
    made = []
    for i in range(visits):
        visit = VisitFactory(
            client=record if i == 0 else ClientFactory(team=team),
            nurse=nurse,
            day=timezone.localdate(),
            at=dt.time(0, 5 + 40 * i),
        )
        visit.planned_interventions.set([todo] if i == 0 else [])
        made.append(visit)
    return nurse, coach, record, pain, made


# --- tap counts -------------------------------------------------------------------------------


def test_done_as_planned_is_one_tap(phone_page: Page) -> None:
    nurse, _coach, _record, _pain, (visit,) = _round()
    log_in(phone_page, nurse.username)
    card = phone_page.locator(f"#visit-{visit.public_id}")
    taps = Taps()
    taps.tap(card.get_by_role("button", name="Done as planned"))
    expect(card.locator(".pill")).to_have_text("Done")
    assert taps.count == 1
    logged = Visit.objects.get(pk=visit.pk)
    assert (logged.status, logged.logged_minutes) == (VisitStatus.DONE, visit.planned_minutes)


def test_a_different_duration_is_two_taps_on_the_visit_log(phone_page: Page) -> None:
    # given the log form of a 30-minute visit
    nurse, _coach, _record, _pain, (visit,) = _round()
    log_in(phone_page, nurse.username)
    phone_page.goto(reverse("scheduling:visit-log", args=[visit.public_id]))
    expect(phone_page.locator("#reason-block")).to_be_hidden()  # same time: no reason asked
    taps = Taps()
    # when she taps the 45 min chip, then the reason (which saves)
    taps.tap(phone_page.get_by_role("radio", name="45 min"))
    taps.tap(phone_page.get_by_role("button", name="More care was needed"))
    # then
    expect(phone_page.get_by_text("Visit to Jan de Vries logged.")).to_be_visible()
    assert taps.count == 2
    logged = Visit.objects.get(pk=visit.pk)
    assert (logged.logged_minutes, logged.deviation_reason) == (45, "More care was needed")


def test_an_other_number_of_minutes_is_two_taps_and_the_number(phone_page: Page) -> None:
    nurse, _coach, _record, _pain, (visit,) = _round()
    log_in(phone_page, nurse.username)
    phone_page.goto(reverse("scheduling:visit-log", args=[visit.public_id]))
    taps = Taps()
    other = phone_page.get_by_label("Other number of minutes")
    assert other.get_attribute("inputmode") == "numeric"
    taps.tap(other)
    phone_page.keyboard.type("50")
    taps.tap(phone_page.get_by_role("button", name="Had to wait"))
    expect(phone_page.get_by_text("Visit to Jan de Vries logged.")).to_be_visible()
    assert taps.count == 2
    logged = Visit.objects.get(pk=visit.pk)
    assert (logged.logged_minutes, logged.deviation_reason) == (50, "Had to wait")


def test_a_kbs_rating_from_the_visit_is_four_taps_with_the_scale_words(phone_page: Page) -> None:
    # given the log form of a visit that works on pain
    nurse, _coach, _record, pain, (visit,) = _round()
    log_in(phone_page, nurse.username)
    phone_page.goto(reverse("scheduling:visit-log", args=[visit.public_id]))
    rating = phone_page.locator(f"#kbs-{pain.public_id}")
    # the rows are K, B and S, each with the scale's words
    expect(rating.locator(".kbs-code")).to_have_text(["K", "B", "S"])
    expect(rating).to_contain_text("Adequate knowledge")
    expect(rating).to_contain_text("Usually appropriate behavior")
    expect(rating).to_contain_text("Minimal signs/symptoms")
    taps = Taps()
    # when she taps one chip per row and saves
    taps.tap(rating.get_by_role("radio", name="4 Adequate knowledge"))
    taps.tap(rating.get_by_role("radio", name="4 Usually appropriate behavior"))
    taps.tap(rating.get_by_role("radio", name="4 Minimal signs/symptoms"))
    taps.tap(phone_page.get_by_role("button", name="Save", exact=True))
    # then
    expect(phone_page.get_by_text("Visit to Jan de Vries logged.")).to_be_visible()
    assert taps.count == 4
    saved = OutcomeRating.objects.get(client_problem=pain)
    assert (saved.knowledge, saved.behavior, saved.status) == (4, 4, 4)


def test_answering_the_coach_from_any_page_is_three_taps_and_typing(phone_page: Page) -> None:
    # given a question from her coach in the team's space, and the nurse on a client's record
    nurse, coach, record, _pain, _visits = _round()
    space = TeamSpaceFactory(team=record.team)
    thread = ThreadFactory(space=space, author=coach, subject="Weekend")
    PostFactory(thread=thread, author=coach, body="Can you take Saturday's early round?")
    log_in(phone_page, nurse.username)
    phone_page.goto(record.get_absolute_url())
    taps = Taps()
    # when she taps Messages, the reply box under the coach's message, types and posts
    taps.tap(phone_page.locator(".tabbar").get_by_role("link", name="Messages"))
    unread = phone_page.locator(".unread-post", has_text="Can you take Saturday's early round?")
    taps.tap(unread.get_by_label("Reply to Weekend"))
    phone_page.keyboard.type("Yes, I will.")
    taps.tap(unread.get_by_role("button", name="Post reply"))
    # then the answer is in the thread
    expect(phone_page.locator("article.post", has_text="Yes, I will.")).to_have_count(1)
    assert taps.count == 3
    assert Post.objects.filter(thread=thread, author=nurse, body="Yes, I will.").count() == 1


# --- fit --------------------------------------------------------------------------------------

# Visible elements, each with the reason it does not fit; skip links and screen-reader-only
# text are off-screen on purpose.
MISFITS = """(min) => {
  const width = document.documentElement.clientWidth;
  const hidden = el => el.closest('.sr-only, .skip-link, details:not([open]) > :not(summary)');
  const shown = el => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && !hidden(el);
  };
  const name = el => el.outerHTML.slice(0, 90);
  const out = [];
  if (document.documentElement.scrollWidth > width) {
    out.push(`page is ${document.documentElement.scrollWidth} px wide`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.left < -0.5 || box.right > width + 0.5) out.push(`outside: ${name(el)}`);
    // cut off: text overflowing a box that hides it
    const style = getComputedStyle(el);
    if (['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
        && !el.matches('input, select, textarea')) {
      out.push(`cut off: ${name(el)}`);
    }
  }
  const clickable = 'a[href], button, summary, select, textarea, input:not([type=hidden]), '
                  + '[role=button]';
  for (const el of document.body.querySelectorAll(clickable)) {
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      out.push(`${Math.round(box.width)}x${Math.round(box.height)}: ${name(el)}`);
    }
  }
  return out;
}"""


def _misfits(page: Page) -> list[str]:
    return page.evaluate(MISFITS, MIN_TARGET)


def _nurse_pages(page: Page) -> dict[str, str]:
    nurse, coach, record, _pain, (visit,) = _round()
    space = TeamSpaceFactory(team=record.team)
    thread = ThreadFactory(space=space, author=coach, subject="Weekend")
    PostFactory(thread=thread, author=coach, body="Can you take Saturday's early round?")
    log_in(page, nurse.username)
    return {
        "my-day": reverse("scheduling:my-day"),
        "visit-log": reverse("scheduling:visit-log", args=[visit.public_id]),
        "client-list": reverse("clients:client-list"),
        "record": record.get_absolute_url(),
        "handover": reverse("carenotes:handover"),
        "messages": reverse("coaching:space-list"),
        "thread": thread.get_absolute_url(),
    }


def test_nurse_pages_fit_from_320_to_430_px_with_44_px_targets(phone_page: Page) -> None:
    pages = _nurse_pages(phone_page)
    found = []
    for width in WIDTHS:
        phone_page.set_viewport_size({"width": width, "height": PHONE["height"]})
        for name, url in pages.items():
            phone_page.goto(url)
            phone_page.wait_for_load_state("networkidle")
            found += [f"{name} at {width}: {problem}" for problem in _misfits(phone_page)]
    assert not found, "\n".join(found)


def test_no_page_is_wider_than_the_screen_after_a_300_character_word(phone_page: Page) -> None:
    # given a nurse who posts a 300-character word in her team's thread
    pages = _nurse_pages(phone_page)
    phone_page.goto(pages["thread"])
    phone_page.get_by_label("Message").fill(LONG_WORD)
    phone_page.get_by_role("button", name="Post reply").tap()
    expect(phone_page.locator("article.post", has_text=LONG_WORD[:40])).to_have_count(1)
    # and her coach answers with one too, and a client's key safe note is one long word
    thread = Thread.objects.get(subject="Weekend")
    PostFactory(thread=thread, author=thread.author, body="c" * 300)
    Client.objects.filter(key_safe_note__startswith="Key safe").update(
        key_safe_note="k" * KEY_INFO_MAX_LENGTH
    )
    # when she looks at the nurse pages, at every width
    for width in WIDTHS:
        phone_page.set_viewport_size({"width": width, "height": PHONE["height"]})
        for name, url in pages.items():
            phone_page.goto(url)
            wide = phone_page.evaluate("() => document.documentElement.scrollWidth")
            # then none is wider than the screen, and nothing sticks out or is cut off
            assert wide <= width, f"{name} is {wide} px wide at {width} px"
            placed = [m for m in _misfits(phone_page) if m.startswith(("outside", "cut off"))]
            assert not placed, f"{name} at {width}: {placed}"
    page_check(phone_page, "nurse-thread-300-characters-430", keyboard=False)
