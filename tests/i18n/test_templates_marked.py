"""Every visible word in templates/ goes through a translate tag."""

from tests.i18n.template_scan import scan, untranslated


def test_no_template_has_text_outside_translate_tags() -> None:
    assert scan() == {}


def test_the_scan_finds_text_attributes_and_ignores_what_is_marked() -> None:
    source = (
        """{% load i18n %}<h1>My day</h1>
<td data-label="Client">{{ name }}</td>
<nav aria-label="{% translate 'Main' %}"><a>{% translate "Clients" %}</a></nav>
<p>{% blocktranslate count counter=n %}{{ counter }} visit{% plural %}"""
        """{{ counter }} visits{% endblocktranslate %}</p>
<p>{{ total }} EUR · BSN</p>{% comment %}Not shown{% endcomment %}<style>p { color: red; }</style>
<span class="pill{% if done %} ok{% endif %}">{{ status }}</span>"""
    )
    assert untranslated(source) == ["Client", "My day"]
