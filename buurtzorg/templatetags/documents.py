"""`{% pdf_author %}`: the organisation named as the author in every PDF's metadata.

WeasyPrint takes the PDF's Author from `<meta name="author">` (and Title from `<title>`,
Lang from `<html lang>`); the PDF/UA variant needs all three for a tagged, accessible file.
"""

from django import template
from django.conf import settings

register = template.Library()

DEFAULT_AUTHOR = "Buurtzorg"


@register.simple_tag
def pdf_author() -> str:
    return getattr(settings, "ORGANISATION_NAME", "") or DEFAULT_AUTHOR
