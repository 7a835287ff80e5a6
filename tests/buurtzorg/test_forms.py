"""The Plain* widgets write the same markup as Django's, without a template per option."""

from django import forms
from django.test.html import parse_html

from buurtzorg.forms import (
    PlainCheckboxSelectMultiple,
    PlainRadioSelect,
    PlainSelect,
    PlainTextInput,
)


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


def _choices_form(
    radio: type[forms.RadioSelect], boxes: type[forms.CheckboxSelectMultiple], data: dict | None
) -> forms.Form:
    class RateForm(forms.Form):
        rate = forms.TypedChoiceField(
            choices=[("1", "Bad <1>"), ("2", 'Some "2"'), ("3", "Good & 3")],
            coerce=int,
            empty_value=None,
            required=False,
            widget=radio(attrs={"class": "chip", "data-n": 0, "hidden": False, "inert": True}),
            help_text="Pick one.",
        )
        done = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b&c", "B & C")], widget=boxes, required=True
        )

    return RateForm(data)


def test_plain_radio_and_checkbox_tags_are_django_s_byte_for_byte() -> None:
    # unbound, bound with choices made, and bound with errors (aria-invalid) and a required
    # field: each option's tag and the whole widget as Django's templates write them
    for data in (None, {"rate": "2", "done": ["b&c"]}, {"rate": "9"}):
        django_form = _choices_form(forms.RadioSelect, forms.CheckboxSelectMultiple, data)
        plain_form = _choices_form(PlainRadioSelect, PlainCheckboxSelectMultiple, data)
        for name in ("rate", "done"):
            django_tags = [option.tag() for option in django_form[name]]
            plain_tags = [option.tag() for option in plain_form[name]]
            assert plain_tags == django_tags
            assert [str(o) for o in plain_form[name]] == [str(o) for o in django_form[name]]
            assert str(plain_form[name]) == str(django_form[name])


def test_plain_option_tag_escapes_and_marks_the_choice() -> None:
    form = _choices_form(PlainRadioSelect, PlainCheckboxSelectMultiple, {"done": ["b&c"]})
    assert [option.tag() for option in form["done"]][1] == (
        '<input type="checkbox" name="done" value="b&amp;c" id="id_done_1" checked>'
    )
    assert 'class="chip" data-n="0" inert' in [option.tag() for option in form["rate"]][0]


def _text_form(widget: type[forms.TextInput], data: dict | None = None) -> forms.Form:
    class NoteForm(forms.Form):
        note = forms.CharField(max_length=8, widget=widget, help_text="Short.")
        reason = forms.CharField(
            max_length=300, required=False, widget=widget(attrs={"inert": True, "hidden": False})
        )

    return NoteForm(data, initial={"reason": 'Said "no" & <left>'})


def test_plain_text_input_is_django_s_byte_for_byte() -> None:
    # unbound (an initial value with quotes and brackets), bound, and bound with an error
    # (aria-invalid), a required field with help text (aria-describedby) and one without
    for data in (None, {"note": 'a"<&', "reason": ""}, {"note": "far too long"}):
        django_form, plain_form = (
            _text_form(forms.TextInput, data),
            _text_form(PlainTextInput, data),
        )
        for name in ("note", "reason"):
            assert str(plain_form[name]) == str(django_form[name])
    assert 'value="Said &quot;no&quot; &amp; &lt;left&gt;"' in str(
        _text_form(PlainTextInput)["reason"]
    )
