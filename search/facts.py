"""Facts as the answer templates (search.answers) read them from the graph, and answers as they are
written: a fact's evidence (its claim, quote and place in a document), an answer with the claims that
state it, and the words for figures (counts, program lengths, the years a projection covers)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation


@dataclass
class Evidence:
    claim: str
    quote: str
    source_file: str
    title: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"claim": self.claim, "quote": self.quote, "source_file": self.source_file, "title": self.title,
                "start": self.start, "end": self.end}


@dataclass
class Fact:
    """One row of a template: subject, property, value, its claim, and the statistic's context."""
    subject: str
    predicate: str
    value: str
    value_is_iri: bool
    evidence: Evidence
    context: dict = field(default_factory=dict)


def term_value(term) -> tuple[str, bool]:
    import pyoxigraph as ox

    return (term.value, isinstance(term, ox.NamedNode)) if term is not None else ("", False)


def iri_values(iris) -> str:
    import pyoxigraph as ox

    return " ".join(str(ox.NamedNode(iri)) for iri in iris)   # NamedNode refuses a malformed IRI


def number(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except (InvalidOperation, ValueError):
        return None


def months(value: str) -> str:
    amount = number(value)
    if amount is None:
        return value
    if amount >= 12 and amount % 12 == 0:
        years = int(amount // 12)
        return f"{years} year" + ("s" if years != 1 else "")
    return f"{amount:.0f} months"


def joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

def sources_differ(facts: list[Fact]) -> bool:
    """Two documents give different values for the same place and statistic over the same period (a
    period not stated matches any)."""
    for one in facts:
        for other in facts:
            if one.evidence.source_file >= other.evidence.source_file or number(one.value) == number(other.value):
                continue
            if one.predicate != other.predicate:
                continue
            same_period = all(one.context.get(k) is None or other.context.get(k) is None
                              or one.context.get(k) == other.context.get(k) for k in ("from", "to", "year", "period"))
            if same_period:
                return True
    return False


def optional_value(row, name: str) -> str | None:
    """A variable's value, or None when it is unbound or not in this template's projection."""
    try:
        term = row[name]
    except (KeyError, IndexError):
        return None
    return term.value if term is not None else None


def years_text(context: dict) -> str:
    if "from" in context and "to" in context:
        return f" from {context['from']} to {context['to']}"
    if "to" in context:
        return f" through {context['to']}"
    return ""


def span_text(low: str | None, high: str | None) -> str:
    if low and high and number(low) != number(high):
        return f"{months(low)} to {months(high)}"
    if high and not low:
        return f"up to {months(high)}"
    return months(low or high or "")


def new_answer(kind: str, text: str, value: str | None, entity: str, facts: list[Fact], differ: bool = False) -> dict:
    evidence = list({f.evidence.claim: f.evidence for f in facts}.values())
    return {"kind": kind, "text": text, "value": value, "entity": entity,
            "claims": [e.claim for e in evidence], "evidence": [e.as_dict() for e in evidence],
            "sources_differ": differ}
