"""Scheduling's, teams' and the platform's own texts come out in the reader's language.

Service errors are lazy constants, so the same constant reads Dutch under nl and English under
en; the nightly rota notice has no request and is written in the organisation's language
(settings.LANGUAGE_CODE), whatever the worker process has active; the iCal feed speaks its
owner's language.
"""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation

from clients.models import Client as ClientRecord
from coaching.models import Thread
from scheduling.ical import render_feed
from scheduling.models import Visit
from scheduling.services import visits as visit_services
from scheduling.services.rota import check_interval, rota_notify_gaps
from teams.models import User
from teams.services import membership_end, parse_postcodes, team_add_nurse
from tests.factories import (
    CoachFactory,
    MembershipFactory,
    TeamFactory,
    day_and_night_rules,
    nursing_team,
)


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_a_postcode_error_reads_dutch_under_nl_and_english_under_en() -> None:
    with translation.override("nl"), pytest.raises(ValidationError, match="geen Nederlands") as nl:
        parse_postcodes("12 1011 1011")
    with translation.override("en"), pytest.raises(ValidationError, match="not a Dutch") as en:
        parse_postcodes("12 1011 1011")
    assert _message(nl) == (
        "'12' is geen Nederlands postcodegebied van 4 cijfers (1000-9999). "
        "Postcodegebied 1011 staat er twee keer in."
    )
    assert _message(en) == (
        "'12' is not a Dutch 4-digit postcode area (1000-9999). Postcode area 1011 is listed twice."
    )


def test_a_rota_interval_error_has_dutch_words_and_dutch_day_names_under_nl() -> None:
    # given an interval that ends before it starts (Wednesday 2 December 2026, local time)
    start = timezone.make_aware(dt.datetime(2026, 12, 2, 14, 30))
    end = start - dt.timedelta(hours=1)
    # when the check refuses it in either language
    with translation.override("nl"), pytest.raises(ValidationError, match="moet na") as nl:
        check_interval(start=start, end=end)
    with translation.override("en"), pytest.raises(ValidationError, match="must be") as en:
        check_interval(start=start, end=end)
    # then the words and the day and month names follow the language
    assert _message(nl) == "Het einde (wo 2 dec 13:30) moet na het begin (wo 2 dec 14:30) liggen."
    assert _message(en) == "The end (Wed 02 Dec 13:30) must be after the start (Wed 02 Dec 14:30)."


@pytest.mark.django_db
def test_a_team_service_error_reads_dutch_under_nl() -> None:
    team = TeamFactory(name="Team Oost")
    coach = CoachFactory()
    with translation.override("nl"), pytest.raises(ValidationError, match="rol verpleegkundige"):
        team_add_nurse(team=team, nurse=coach, started_on=dt.date(2026, 1, 1), contracted_hours=24)
    with translation.override("en"), pytest.raises(ValidationError, match="the nurse role"):
        team_add_nurse(team=team, nurse=coach, started_on=dt.date(2026, 1, 1), contracted_hours=24)


def test_a_visit_constant_is_one_lazy_text_in_both_languages() -> None:
    with translation.override("nl"):
        dutch = str(visit_services.VISIT_NOT_YOURS)
        discharged = visit_services.CLIENT_DISCHARGED.format(client="J. Jansen", date="1-6-2026")
    with translation.override("en"):
        english = str(visit_services.VISIT_NOT_YOURS)
    assert dutch == "Je kunt alleen je eigen bezoeken registreren."
    assert english == "You can only log your own visits."
    assert discharged == (
        "J. Jansen is op 1-6-2026 uit zorg gegaan; daarna kunnen geen bezoeken worden gepland."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject", "intro"),
    [
        ("nl", "Gaten in het rooster", "gaten in de komende 14 dagen"),
        ("en", "Rota gaps", "gaps in the next 14 days"),
    ],
)
def test_the_nightly_notice_is_written_in_the_organisations_language(
    settings: Any, language: str, subject: str, intro: str
) -> None:
    # given an organisation working in `language` and a team whose rota has gaps
    settings.LANGUAGE_CODE = language
    team, _nurses = nursing_team(1)
    day_and_night_rules(team)
    # when the nightly check runs in a worker whose active language is the other one
    with translation.override("en" if language == "nl" else "nl"):
        gaps = rota_notify_gaps(team_id=team.pk)
    # then the notice's thread and text are in the organisation's language
    thread = Thread.objects.get(space__team=team, system_key="rota-gaps")
    body = thread.posts.get().body
    assert thread.subject == subject
    assert body.startswith(f"{len(gaps)} {intro}")
    on_duty = "van 2 verpleegkundigen in dienst" if language == "nl" else "of 2 nurses on duty"
    assert on_duty in body


def test_the_ical_feed_speaks_its_owners_language() -> None:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    visit = Visit(
        client=ClientRecord(first_name="Jan", last_name="Jansen"),
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        planned_minutes=30,
    )
    dutch = User(username="noor", first_name="Noor", last_name="Bakker", language="nl")
    english = User(username="amy", first_name="Amy", last_name="Hill", language="en")
    with translation.override("en"):
        assert "SUMMARY:Bezoek J.J. (30 min)" in render_feed(nurse=dutch, visits=[visit])
    with translation.override("nl"):
        assert "SUMMARY:Visit J.J. (30 min)" in render_feed(nurse=english, visits=[visit])


@pytest.mark.django_db
def test_a_date_in_a_message_follows_the_language() -> None:
    # given a membership that already ended on 2 December 2026
    membership = MembershipFactory(started_on=dt.date(2026, 1, 1), ended_on=dt.date(2026, 12, 2))
    # when it is ended again, in Dutch and in English
    with translation.override("nl"), pytest.raises(ValidationError, match="al beëindigd") as nl:
        membership_end(membership=membership, ended_on=dt.date(2026, 12, 3))
    with translation.override("en"), pytest.raises(ValidationError, match="already ended") as en:
        membership_end(membership=membership, ended_on=dt.date(2026, 12, 3))
    # then the date is written the way each language writes dates, not as 2026-12-02
    with translation.override("nl"):
        dutch_date = formats.date_format(dt.date(2026, 12, 2))
    assert _message(nl) == f"Dit lidmaatschap is al beëindigd op {dutch_date}."
    assert "dec" in dutch_date
    assert _message(en) == "This membership already ended on 2 Dec 2026."
