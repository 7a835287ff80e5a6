"""PlainSelect writes the same <select> as Django's Select, without a template per option."""

from django import forms
from django.test.html import parse_html

from buurtzorg.forms import PlainSelect


def _form(widget: type[forms.Select], data: dict | None = None) -> forms.Form:
    class PickForm(forms.Form):
        pick = forms.ChoiceField(
            choices=[("", "---------"), ("1", "Team <Oost> & co"), ("2", "Team Noord")],
            widget=widget,
            help_text="Choose one.",
        )

    return PickForm(data)


def test_plain_select_renders_like_django_select() -> None:
    for data in (None, {"pick": "2"}, {"pick": "9"}):
        django_html = str(_form(forms.Select, data)["pick"])
        plain_html = str(_form(PlainSelect, data)["pick"])
        assert parse_html(plain_html) == parse_html(django_html)  # attribute order aside


def test_plain_select_escapes_labels_and_marks_the_choice() -> None:
    html = str(_form(PlainSelect, {"pick": "1"})["pick"])
    assert '<option value="1" selected>Team &lt;Oost&gt; &amp; co</option>' in html
    assert 'aria-describedby="id_pick_helptext"' in html
