"""PDF rendering with WeasyPrint that can fetch nothing but the app's own static files.

User text ends up in these documents, so a crafted `<img src="http://...">` or
`url(file:///etc/passwd)` must not make the server fetch anything. The fetcher below answers
only URLs under the fake document base + STATIC_URL, resolved through the staticfiles finders
(no path outside them), and refuses every other URL, `file:` and `data:` included.
"""

from posixpath import normpath
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_BASE_URL = "https://pdf.invalid/"
# Every PDF is tagged for accessibility (PDF/UA-1: structure tree, marked content, language,
# title shown in the window); the template gives <title>, <html lang> and <meta name=author>.
PDF_VARIANT = "pdf/ua-1"
REFUSED_URL = "Only the application's own static files may be used in a PDF: {url}"


class StaticOnlyURLFetcher(URLFetcher):
    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        prefix = PDF_BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(prefix):
            raise ValueError(REFUSED_URL.format(url=url[:200]))
        relative = normpath(url[len(prefix) :].split("?")[0].split("#")[0])
        if relative.startswith(("/", "..")):
            raise ValueError(REFUSED_URL.format(url=url[:200]))
        found = finders.find(relative)
        if not found:
            raise ValueError(REFUSED_URL.format(url=url[:200]))
        with open(found, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body)


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a Django template to PDF bytes; links resolve only to local static files."""
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyURLFetcher()).write_pdf(
        pdf_variant=PDF_VARIANT
    )
