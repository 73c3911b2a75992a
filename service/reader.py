"""The document reader: a document's text with every claim marked where it was read, coloured by kind
(issuer, wage, growth, program, law, ...), and the document's facts in words beside it.

Claims overlap: a table row holds a median, a low, a high and the region they are for, each its own
claim on the same or on crossing spans. Marks nest where spans nest; where two spans cross, the later
one is split into pieces at the boundary. Each claim has exactly one `<mark data-claim="IRI">` (its
first piece); a piece after a split is a `<mark data-claim-part="IRI">`, so counting `mark[data-claim]`
counts the claims. A cited span (`?start=&end=`) is one more mark, `<mark id="highlight">`, kept outermost
so it is never split.

`mark_up` is a pure function of the text and the spans; `document_facts` reads the claims.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup, escape

from kg.figures import figure_context
from kg.namespaces import MBC, PREFIX_IRIS
from service.data_access import iri_term, labels, select
from service.presentation import href, money, number, percent

KINDS = (("issuer", "Issuers"), ("wage", "Pay"), ("growth", "Growth"), ("employment", "Employment"),
         ("program", "Programs"), ("law", "Laws"), ("place", "Places"), ("name", "Names and kinds"))
FOLDED_KINDS = {"place", "name"}        # long lists of naming facts start closed in the panel
HIGHLIGHT = "highlight"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    key: str                 # a claim's IRI, or HIGHLIGHT
    kind: str = ""
    anchor: str = ""         # the id of the claim's first mark

    @property
    def outer_first(self) -> tuple:
        """Nesting order: the cited span outside everything, then earlier starts, then longer spans."""
        return (self.key != HIGHLIGHT, self.start, -self.end, self.key)


def _open(span: Span, first: bool) -> str:
    if span.key == HIGHLIGHT:
        return '<mark id="highlight">' if first else '<mark class="highlight-part">'
    if first:
        return (f'<mark data-claim="{escape(span.key)}" id="{escape(span.anchor)}" class="claim k-{span.kind}"'
                f' tabindex="-1">')
    return f'<mark data-claim-part="{escape(span.key)}" class="claim k-{span.kind}">'


def mark_up(text: str, spans: list[Span]) -> Markup:
    """The text, escaped, with a mark for every span (see the module's comment on overlaps)."""
    length = len(text)
    spans = [Span(max(0, min(s.start, length)), max(0, min(s.end, length)), s.key, s.kind, s.anchor) for s in spans]
    starting: dict[int, list[Span]] = defaultdict(list)
    empty: dict[int, list[Span]] = defaultdict(list)           # zero-length spans still get their one mark
    for span in spans:
        (starting if span.end > span.start else empty)[span.start].append(span)
    bounds = sorted({0, length} | {s.start for s in spans} | {s.end for s in spans})
    active: set[Span] = set()
    stack: list[Span] = []
    opened: set[str] = set()
    out: list[str] = []
    for index, position in enumerate(bounds):
        active = {s for s in active if s.end > position} | set(starting.get(position, ()))
        wanted = sorted(active, key=lambda s: s.outer_first)
        common = 0
        while common < min(len(stack), len(wanted)) and stack[common] == wanted[common]:
            common += 1
        out.append("</mark>" * (len(stack) - common))
        for span in empty.get(position, ()):
            out.append(_open(span, span.key not in opened) + "</mark>")
            opened.add(span.key)
        for span in wanted[common:]:
            out.append(_open(span, span.key not in opened))
            opened.add(span.key)
        stack = wanted
        if index + 1 < len(bounds):
            out.append(str(escape(text[position:bounds[index + 1]])))
    out.append("</mark>" * len(stack))
    return Markup("".join(out))


# ---------------------------------------------------------------- the document's claims as facts

@dataclass
class Fact:
    kind: str
    sentence: str
    entity: str | None                  # the page a fact is about (a figure's place or role, else its subject)
    entity_label: str
    claims: list[dict] = field(default_factory=list)      # {"claim", "anchor", "start", "end", "href"}

    @property
    def spots(self) -> list[dict]:
        """One claim per distinct span: where in the text the fact is said (two rules reading one sentence
        are one place)."""
        seen, spots = set(), []
        for claim in self.claims:
            if (claim["start"], claim["end"]) not in seen:
                seen.add((claim["start"], claim["end"]))
                spots.append(claim)
        return spots

    @property
    def entity_href(self) -> str | None:
        return href(self.entity) if self.entity else None


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


RDF = PREFIX_IRIS["rdf"]
RDFS = PREFIX_IRIS["rdfs"]
SKOS = PREFIX_IRIS["skos"]
FIGURE_WORDS = {"WageStatistic": "pay figure", "GrowthProjection": "growth figure", "EmploymentStatistic": "employment figure"}


def _kind(predicate: str, subject_classes: set[str], object_classes: set[str]) -> str:
    local = _local(predicate)
    if predicate == str(MBC.issuedBy):
        return "issuer"
    for name, kind in (("WageStatistic", "wage"), ("GrowthProjection", "growth"), ("EmploymentStatistic", "employment")):
        if name in subject_classes:
            return kind
    if "EducationProgram" in subject_classes or "EducationProgram" in object_classes or local == "accreditedBy":
        return "program"
    if "Regulation" in subject_classes or "Regulation" in object_classes:
        return "law"
    if subject_classes & {"Region", "State", "Country", "City", "MetropolitanArea", "NonmetropolitanArea"}:
        return "place"
    return "name"


class _Sentences:
    """Facts in words from what the graph says; figures read with their place, role and period."""

    def __init__(self, names: dict[str, str], classes: dict[str, set[str]], context: dict[str, dict[str, str]]):
        self.names, self.classes, self.context = names, classes, context

    def name(self, iri: str) -> str:
        return self.names.get(iri) or _local(iri)

    def figure(self, statistic: str) -> tuple[str, str | None]:
        """('pay figure for Medical Coder in Fresno, CA MSA, by the hour', the entity it is about)."""
        context = self.context.get(statistic, {})
        kind = next((k for k in FIGURE_WORDS if k in self.classes.get(statistic, set())), "")
        words = [FIGURE_WORDS.get(kind, "figure")]
        if context.get("role"):
            words.append(f"for {self.name(context['role'])}")
        if context.get("region"):
            words.append(f"in {self.name(context['region'])}")
        period = context.get("payPeriod")
        if period:
            words.append({"Hour": "by the hour", "Year": "by the year"}.get(_local(period), f"per {_local(period).lower()}"))
        return " ".join(words), context.get("region") or context.get("role")

    def sentence(self, subject: str, predicate: str, obj: str, object_is_iri: bool) -> tuple[str, str | None, str]:
        """(sentence, entity IRI, entity label)."""
        local = _local(predicate)
        value = self.name(obj) if object_is_iri else obj
        if self.classes.get(subject, set()) & set(FIGURE_WORDS):
            about, entity = self.figure(subject)
            context = self.context.get(subject, {})
            period = _local(context.get("payPeriod", "")) or None
            if local in ("median", "mean", "low", "high") or local.startswith("percentile"):
                label = {"low": "low end", "high": "high end"}.get(local, local.replace("percentile", "") + "th percentile"
                                                                       if local.startswith("percentile") else local)
                text = f"{label.capitalize()} of the {about}: {money(obj, period, context.get('currency'))}"
            elif local == "percentChange":
                text = f"Projected change, {about}: {percent(obj)}"
            elif local == "annualOpenings":
                text = f"Openings a year, {about}: {number(obj)}"
            elif local == "employment":
                text = f"Employment, {about}: {number(obj)}"
            elif predicate == RDF + "type":
                text = f"There is a {about}"
            elif predicate in (RDFS + "label", SKOS + "prefLabel"):
                text = f"The {about} is labelled \u201c{obj}\u201d"
            elif local in ("region", "role"):
                text = f"A {about.split(' for ')[0].split(' in ')[0]} is about {value}"
            elif local == "payPeriod":
                text = f"The {about} is paid {({'Hour': 'by the hour', 'Year': 'by the year'}).get(_local(obj), _local(obj))}"
            elif local == "referenceYear":
                text = f"The {about} is for {obj}"
            elif local in ("startYear", "endYear"):
                text = f"The {about} {'starts' if local == 'startYear' else 'ends'} in {obj}"
            elif local == "valueQualifier":
                text = f"The {about} is hedged: \u201c{obj}\u201d"
            elif local == "experienceLevel":
                text = f"The {about} is for {obj} workers"
            elif local == "source":
                text = f"The {about} is credited to {value}"
            elif local == "currency":
                text = f"The {about} is in {obj}"
            else:
                text = f"The {about}: {self.name(predicate) if predicate in self.names else local} {value}"
            return text, entity, self.name(entity) if entity else ""
        subject_name = self.name(subject)
        if predicate == RDF + "type":
            text = f"{subject_name} is a{'n' if value[:1].lower() in 'aeiou' else ''} {value.lower()}"
        elif predicate in (RDFS + "label", SKOS + "prefLabel"):
            text = f"{subject_name} is named \u201c{obj}\u201d"
        elif predicate == SKOS + "altLabel":
            text = f"{subject_name} is also called \u201c{obj}\u201d"
        elif local == "acronym":
            text = f"{subject_name} is abbreviated {obj}"
        elif predicate == SKOS + "exactMatch":
            text = f"{subject_name} is the vocabulary's {value}"
        elif local == "issuedBy":
            text = f"{subject_name} is issued by {value}"
        elif local == "accreditedBy":
            text = f"{subject_name} is accredited by {value}"
        elif local == "partOf":
            text = f"{subject_name} is part of {value}"
        elif local == "regionCode":
            text = f"{subject_name} has the code {obj}"
        elif local in ("minMonths", "maxMonths"):
            text = f"{subject_name} takes {'at least' if local == 'minMonths' else 'at most'} {number(obj)} months"
        else:
            text = f"{subject_name} \u2014 {self.name(predicate) if predicate in self.names else local} \u2014 {value}"
        return text, subject, subject_name


def claim_anchor(claim: str) -> str:
    return "c-" + _local(claim)


def document_facts(store, document: str, source_file: str) -> tuple[list[Span], list[Fact], dict[str, int]]:
    """The spans to mark, the facts (one per distinct triple, with every claim stating it in this document)
    and, for the browser, each claim's fact number."""
    term = iri_term(document, "document")
    rows = select(store, f"""SELECT ?claim ?s ?p ?o ?start ?end WHERE {{ ?claim mbc:document {term} ;
        rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; mbc:start ?start ; mbc:end ?end }}
        ORDER BY ?start ?end ?claim""")
    if not rows:
        return [], [], {}
    subjects = {row["s"].value for row in rows}
    objects = {row["o"].value for row in rows if row["o"].__class__.__name__ == "NamedNode"}
    classes: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(sorted(subjects | objects)):
        for row in select(store, f"SELECT ?x ?c WHERE {{ VALUES ?x {{ {chunk} }} ?x a ?c }}"):
            if row["c"].value.startswith(str(MBC)):
                classes[row["x"].value].add(_local(row["c"].value))
    statistics = [s for s in subjects if classes.get(s, set()) & set(FIGURE_WORDS)]
    context = figure_context(store, statistics)
    mentioned = subjects | objects | {v for c in context.values() for v in c.values()} | {row["p"].value for row in rows}
    mentioned |= {str(MBC) + name for c in classes.values() for name in c}
    names = labels(store, mentioned)
    words = _Sentences(names, classes, context)
    spans: list[Span] = []
    facts: dict[tuple, Fact] = {}
    fact_of: dict[str, int] = {}
    for row in rows:
        claim, subject, predicate, obj = row["claim"].value, row["s"].value, row["p"].value, row["o"]
        object_is_iri = obj.__class__.__name__ == "NamedNode"
        kind = _kind(predicate, classes.get(subject, set()), classes.get(obj.value, set()) if object_is_iri else set())
        start, end = int(row["start"].value), int(row["end"].value)
        anchor = claim_anchor(claim)
        spans.append(Span(start, end, claim, kind, anchor))
        # one fact per thing said: the same words about the same subject (its two rdf:type claims, say) are one
        sentence, entity, entity_label = words.sentence(subject, predicate, obj.value, object_is_iri)
        key = (subject, sentence)
        if key not in facts:
            facts[key] = Fact(kind, sentence, entity, entity_label)
        facts[key].claims.append({"claim": claim, "anchor": anchor, "start": start, "end": end,
                                  "href": url_for("provenance.claim_page", claim_id=_local(claim))})
    ordered = sorted(facts.values(), key=lambda f: (f.claims[0]["start"], f.sentence))
    for number_, fact in enumerate(ordered):
        for claim in fact.claims:
            fact_of[claim["claim"]] = number_
    return spans, ordered, fact_of


def _chunks(iris: list[str], size: int = 300):
    for index in range(0, len(iris), size):
        yield " ".join(iri_term(i, "resource") for i in iris[index:index + size])


def facts_json(facts: list[Fact], fact_of: dict[str, int]) -> dict:
    """What the page's script needs to show a mark's facts: each fact in words with its entity's page."""
    return {"facts": [{"kind": f.kind, "text": f.sentence, "entity": href(f.entity) if f.entity else None,
                       "entity_label": f.entity_label, "claims": [c["anchor"] for c in f.claims],
                       "claim_href": f.claims[0]["href"]} for f in facts],
            "fact_of": {claim_anchor(claim): number_ for claim, number_ in fact_of.items()}}
