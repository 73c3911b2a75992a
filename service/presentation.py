"""How the pages write things for people: numbers, money, IRIs, lists of names. Pure functions."""
from __future__ import annotations

from common.formatting import money, number, per_period, percent  # noqa: F401 - the pages' formatters are the answers'
from kg.namespaces import compact, is_local, local_path


def href(iri: str) -> str | None:
    """Where this server shows a resource of the graph (/id/<path>), or None for an outside IRI."""
    return "/id/" + local_path(iri) if is_local(iri) else None


def short(iri: str) -> str:
    """A prefixed name (mbc:issuedBy) where a project prefix fits, else the IRI."""
    return compact(iri)


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """'1 name', '2 names', '1,204 claims': a count with its noun in the number it takes."""
    return f"{number(count)} {singular if count == 1 else plural or singular + 's'}"


def names(items: list[str], limit: int = 4) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 more'."""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def snippet(quote: str, limit: int = 140) -> str:
    """A quote cut at a word boundary, for a source under a fact."""
    quote = " ".join(quote.split())
    if len(quote) <= limit:
        return quote
    cut = quote[:limit].rsplit(" ", 1)[0]
    return cut + "\u2026"
