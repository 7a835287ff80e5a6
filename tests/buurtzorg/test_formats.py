"""Dates read day-month-year with a 24-hour clock (Dutch users), in English and in Dutch."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from teams.models import Membership
from tests.factories import team_with_nurses

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _render(text: str, **context: object) -> str:
    return Template(text).render(Context(context))


def test_english_dates_are_day_month_year_with_a_24_hour_clock() -> None:
    day = dt.date(2026, 11, 25)
    moment = dt.datetime(2026, 11, 25, 14, 30, tzinfo=AMSTERDAM)
    with translation.override("en"):
        assert _render("{{ d }}", d=day) == "25 Nov 2026"
        assert _render("{{ m }}", m=moment) == "25 Nov 2026 14:30"
        assert _render("{{ m|time }}", m=moment) == "14:30"
        assert _render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=day) == "25-11-2026"
        assert _render('{{ m|date:"SHORT_DATETIME_FORMAT" }}', m=moment) == "25-11-2026 14:30"


def test_dutch_dates_are_day_month_year_too() -> None:
    with translation.override("nl"):
        assert _render("{{ d }}", d=dt.date(2026, 11, 25)) == "25 nov. 2026"  # issue 15
        assert _render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=dt.date(2026, 4, 3)) == "03-04-2026"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_date_fields_read_iso_and_dutch_order_never_american(language: str) -> None:
    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override(language):
        assert DateForm({"day": "2026-11-25"}).is_valid()
        dutch = DateForm({"day": "03-04-2026"})
        assert dutch.is_valid()
        assert dutch.cleaned_data["day"] == dt.date(2026, 4, 3)  # 3 April, not 4 March
        assert not DateForm({"day": "11/25/2026"}).is_valid()


@pytest.mark.django_db
def test_team_page_shows_since_as_day_month_year(client) -> None:
    # given a nurse who joined on 3 April 2026
    team, (nurse, *_) = team_with_nurses(2)
    Membership.objects.filter(nurse=nurse).update(started_on=dt.date(2026, 4, 3))
    client.force_login(nurse)
    # when / then (an American browser still gets the Dutch order)
    page = client.get(team.get_absolute_url(), headers={"accept-language": "en-US"})
    assert "3 Apr 2026" in page.content.decode()
    assert "April 3, 2026" not in page.content.decode()
    assert "Apr. 3, 2026" not in page.content.decode()
