"""`{% pdf_author %}`: the organisation named as the author in every PDF's metadata.

WeasyPrint takes the PDF's Author from `<meta name="author">` (and Title from `<title>`,
Lang from `<html lang>`); the PDF/UA variant needs all three for a tagged, accessible file.

The author is the organisation's own name (teams.Organisation, edited on its page). The kernel
may not import teams, so the name comes from the caller, as `document_author` in the template's
context (the invoice carries the name it was made with, so a re-export gives the same bytes),
or else from the provider registered in settings.DOCUMENT_AUTHOR_PROVIDER. Before the
organisation has a name, the PDFs say DEFAULT_AUTHOR.
"""

from django import template
from django.conf import settings
from django.template import Context
from django.utils.module_loading import import_string

register = template.Library()

DEFAULT_AUTHOR = "Buurtzorg"


@register.simple_tag(takes_context=True)
def pdf_author(context: Context) -> str:
    given = context.get("document_author")
    if given:
        return str(given)
    provider = getattr(settings, "DOCUMENT_AUTHOR_PROVIDER", "")
    name = import_string(provider)() if provider else ""
    return name or DEFAULT_AUTHOR
