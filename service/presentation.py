"""How the pages write things for people: numbers, money, IRIs, lists of names. Pure functions."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kg.namespaces import compact, is_local, local_path

CURRENCY_SIGNS = {"USD": "$"}


def href(iri: str) -> str | None:
    """Where this server shows a resource of the graph (/id/<path>), or None for an outside IRI."""
    return "/id/" + local_path(iri) if is_local(iri) else None


def short(iri: str) -> str:
    """A prefixed name (mbc:issuedBy) where a project prefix fits, else the IRI."""
    return compact(iri)


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """'1 name', '2 names', '1,204 claims': a count with its noun in the number it takes."""
    return f"{number(count)} {singular if count == 1 else plural or singular + 's'}"


def number(value, decimals: int | None = None) -> str:
    """16.5 -> '16.5', 45294 -> '45,294'; `decimals` fixes the digits after the point."""
    amount = _decimal(value)
    if amount is None:
        return str(value)
    if decimals is None:
        decimals = 0 if amount == amount.to_integral_value() else max(0, -amount.normalize().as_tuple().exponent)
    return f"{amount:,.{decimals}f}"


def money(value, currency: str | None = "USD", period: str | None = None) -> str:
    """A wage as people write it: '$16.50' an hour, '$45,240' a year (cents only where there are some)."""
    amount = _decimal(value)
    if amount is None:
        return str(value)
    whole = amount == amount.to_integral_value()
    decimals = 0 if whole and (period != "Hour" or amount >= 1000) else 2
    sign = CURRENCY_SIGNS.get(currency or "", "")
    text = f"{sign}{amount:,.{decimals}f}"
    return text if sign or not currency else f"{text} {currency}"


def per_period(period: str | None) -> str:
    return {"Hour": "an hour", "Year": "a year", "Month": "a month", "Week": "a week"}.get(period or "", "")


def percent(value) -> str:
    amount = _decimal(value)
    return f"{number(amount)}%" if amount is not None else str(value)


def names(items: list[str], limit: int = 4) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 more'."""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def local_name(iri: str) -> str:
    """The last part of an IRI: 'https://w3id.org/mbc-kg/ontology#Hour' -> 'Hour'."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _decimal(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def snippet(quote: str, limit: int = 140) -> str:
    """A quote cut at a word boundary, for a source under a fact."""
    quote = " ".join(quote.split())
    if len(quote) <= limit:
        return quote
    cut = quote[:limit].rsplit(" ", 1)[0]
    return cut + "\u2026"
