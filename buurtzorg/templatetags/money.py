"""`{% load money %}{{ amount|money }}`: an amount in the reader's language (buurtzorg.money)."""

from decimal import Decimal

from django import template

from buurtzorg.money import format_money

register = template.Library()


@register.filter(name="money")
def money(amount: Decimal | float | str | None) -> str:
    return format_money(amount)
