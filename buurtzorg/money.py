"""Money as each language writes it: `€ 1.234,56` in Dutch, `€1,234.56` in English.

The one helper for every page, PDF and message that shows an amount (templates use the
`money` filter of the `money` template library, `{% load money %}{{ amount|money }}`).
Amounts are euros; they are rounded half up to cents, the way invoices round. CSV files do
not use this (they hold numbers, see buurtzorg.csvsafe).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, numberformat, translation

CENT = Decimal("0.01")
# Where the sign and the euro sign go (CLDR's patterns for nl and en-GB). Dutch puts a space
# after the euro sign, a non-breaking one so a narrow table cell never leaves "€" alone.
_PATTERNS = {"nl": ("€\u00a0{number}", "€\u00a0-{number}"), "en": ("€{number}", "-€{number}")}


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or "en").lower()
    return "nl" if code.split("-")[0] == "nl" else "en"


def format_money(amount: Decimal | float | str | None, language: str | None = None) -> str:
    """`amount` in euros for `language` (default: the active language); "" for None or ""."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount: {amount!r}") from exc
    lang = _language(language)
    number = numberformat.format(
        abs(value),
        decimal_sep=formats.get_format("DECIMAL_SEPARATOR", lang),
        decimal_pos=2,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR", lang),
        force_grouping=True,
    )
    positive, negative = _PATTERNS[lang]
    return (negative if value < 0 else positive).format(number=number)
