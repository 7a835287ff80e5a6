"""The reader's language for documents, and figures written the way that language writes them."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import formats, translation


def reader_language(user: Any = None) -> str:  # noqa: ANN401 - the kernel does not name teams.User
    """The reader's language: her own choice (User.language), else the active language (the
    request's: cookie or browser), else LANGUAGE_CODE.

    A Celery task has no request, so whoever queues a document's build passes this along
    (`outcome_report_build_task(report_id, language)`) and the task renders under
    `translation.override(language)`.
    """
    chosen = getattr(user, "language", "") or ""
    known = {code for code, _ in settings.LANGUAGES}
    for code in (chosen, translation.get_language() or ""):
        base = code.lower().split("-")[0]
        if base in known:
            return base
    return settings.LANGUAGE_CODE


def format_number(value: float | Decimal | int, places: int | None = None) -> str:
    """A figure as the active language writes it: 2,5 in Dutch, 2.5 in English.

    `places` fixes the decimals (`f"{v:.1f}"`); None drops trailing zeros (`f"{v:g}"`). No
    thousands separator: figures in charts and dashboards are small, and "1.234" would read
    as 1,234 to one reader and as 1.234 to the other.
    """
    text = f"{value:g}" if places is None else f"{value:.{places}f}"
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
