"""Figures as people read them, in one place: an answer to a question and an entity page write the same
amount the same way ('$49.83' an hour, '$45,240' a year, cents only where there are some)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

CURRENCY_SIGNS = {"USD": "$"}
PER_PERIOD = {"Hour": "an hour", "Year": "a year", "Month": "a month", "Week": "a week"}


def decimal(value) -> Decimal | None:
    """A figure's exact value (a literal's lexical form, a number), or None when it is not a number."""
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def money(value, period: str | None = None, currency: str | None = "USD") -> str:
    """A pay figure: hourly figures with cents, others with cents only where there are some; the
    currency's sign when it has one, else its code after the amount."""
    amount = decimal(value)
    if amount is None:
        return str(value)
    whole = amount == amount.to_integral_value()
    decimals = 0 if whole and (period != "Hour" or amount >= 1000) else 2
    sign = CURRENCY_SIGNS.get(currency or "", "")
    text = f"{sign}{amount:,.{decimals}f}"
    return text if sign or not currency else f"{text} {currency}"


def per_period(period: str | None) -> str:
    """'an hour', 'a year' ... for a pay period's name; '' for none."""
    return PER_PERIOD.get(period or "", "")


def number(value, decimals: int | None = None) -> str:
    """16.5 -> '16.5', 45294 -> '45,294'; `decimals` fixes the digits after the point."""
    amount = decimal(value)
    if amount is None:
        return str(value)
    if decimals is None:
        decimals = 0 if amount == amount.to_integral_value() else max(0, -amount.normalize().as_tuple().exponent)
    return f"{amount:,.{decimals}f}"


def percent(value) -> str:
    amount = decimal(value)
    return f"{number(amount)}%" if amount is not None else str(value)
