"""The one read helper for figures (wage statistics, growth projections, employment counts) and the
places they are about, for the pay map and the compare page.

A figure is read generically: every literal it has (median, mean, low, high, percentiles, percent
change, openings, employment, years, qualifiers) and every IRI it points to (region, role, pay period,
source, industry, ...) under the property's local name, with the claims that state each value. Nothing
here knows which properties exist beyond the few the pages lay out by name, so a property ingest adds
later still reaches the pages (as "other" values).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.namespaces import MBC
from service.data_access import iri_term, is_iri, select

FIGURE_CLASSES = ("WageStatistic", "GrowthProjection", "EmploymentStatistic")
WAGE_MEASURES = ("median", "mean", "low", "high", "percentile10", "percentile25", "percentile75", "percentile90")


@dataclass
class Figure:
    iri: str
    kind: str                                                       # its class's local name
    numbers: dict[str, float] = field(default_factory=dict)         # median, mean, percentChange, employment, ...
    lexical: dict[str, str] = field(default_factory=dict)           # each number as written in the graph
    details: dict[str, str] = field(default_factory=dict)           # other literals: years, qualifier, currency
    links: dict[str, list[str]] = field(default_factory=dict)       # IRI values: region, role, payPeriod, source
    claims: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))   # property -> claims
    documents: set[str] = field(default_factory=set)

    def link(self, name: str) -> str | None:
        values = self.links.get(name)
        return values[0] if values else None

    @property
    def region(self) -> str | None:
        return self.link("region")

    @property
    def role(self) -> str | None:
        return self.link("role")

    @property
    def period(self) -> str | None:
        period = self.link("payPeriod")
        return period.rsplit("#", 1)[-1] if period else None

    @property
    def year(self) -> str | None:
        return self.details.get("referenceYear") or self.details.get("endYear")

    def all_claims(self) -> list[dict]:
        return [claim for claims in self.claims.values() for claim in claims]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _number(term) -> float | None:
    datatype = getattr(term, "datatype", None)
    if datatype is None or not datatype.value.endswith(("#decimal", "#integer", "#double", "#float", "#int", "#long")):
        return None
    try:
        return float(term.value)
    except ValueError:
        return None


def read_figures(store, kinds: tuple[str, ...] = FIGURE_CLASSES, about: str | None = None,
                 documents: set[str] | None = None) -> list[Figure]:
    """Figures of the given classes; `about` keeps those whose region, role or other link is that IRI
    (or a region within it); `documents` keeps those stated in one of these documents (IRIs)."""
    values = " ".join(f"mbc:{kind}" for kind in kinds)
    scope = ""
    if about:
        term = iri_term(about, "entity")
        scope = f"{{ ?f ?link {term} }} UNION {{ ?f mbc:region/mbc:partOf+ {term} }}"
    rows = select(store, f"""SELECT ?f ?kind ?p ?v WHERE {{ VALUES ?kind {{ {values} }} ?f a ?kind . {scope}
        ?f ?p ?v }}""")
    figures: dict[str, Figure] = {}
    for row in rows:
        iri, predicate, obj = row["f"].value, row["p"].value, row["v"]
        figure = figures.setdefault(iri, Figure(iri, _local(row["kind"].value)))
        name = _local(predicate)
        if predicate.endswith(("#type", "#label")) and predicate.startswith(("http://www.w3.org/1999/02/22-rdf-syntax-ns",
                                                                             "http://www.w3.org/2000/01/rdf-schema")):
            continue
        if is_iri(obj):
            figure.links.setdefault(name, [])
            if obj.value not in figure.links[name]:
                figure.links[name].append(obj.value)
        elif (number := _number(obj)) is not None and not name.endswith("Year"):
            figure.numbers.setdefault(name, number)
            figure.lexical.setdefault(name, obj.value)
        else:
            figure.details.setdefault(name, obj.value)
    if not figures:
        return []
    claim_rows = select(store, f"""SELECT ?f ?p ?claim ?quote ?start ?end ?d ?file ?title ?confidence WHERE {{
        VALUES ?kind {{ {values} }} ?f a ?kind . {scope}
        ?claim rdf:subject ?f ; rdf:predicate ?p ; mbc:quote ?quote ; mbc:start ?start ; mbc:end ?end ; mbc:document ?d .
        OPTIONAL {{ ?claim mbc:confidence ?confidence }}
        ?d mbc:sourceFile ?file ; dcterms:title ?title }} ORDER BY ?file ?start ?claim""")
    for row in claim_rows:
        figure = figures.get(row["f"].value)
        if figure is None:
            continue
        figure.documents.add(row["d"].value)
        figure.claims[_local(row["p"].value)].append({
            "claim": row["claim"].value, "quote": row["quote"].value, "start": int(row["start"].value),
            "end": int(row["end"].value), "source_file": row["file"].value, "title": row["title"].value,
            "document": row["d"].value,
            "confidence": float(row["confidence"].value) if row["confidence"] is not None else 0.0})
    chosen = list(figures.values())
    if documents is not None:
        chosen = [f for f in chosen if f.documents & documents]
    return sorted(chosen, key=lambda f: f.iri)


def documents_mentioning(store, iri: str) -> set[str]:
    """The documents (IRIs) with a passage that mentions the entity or a claim about it."""
    term = iri_term(iri, "entity")
    rows = select(store, f"""SELECT DISTINCT ?d WHERE {{ {{ ?p mbc:mentions {term} ; mbc:document ?d }}
        UNION {{ ?c rdf:subject {term} ; mbc:document ?d }} UNION {{ ?c rdf:object {term} ; mbc:document ?d }} }}""")
    return {row["d"].value for row in rows}


# ---------------------------------------------------------------- places

@dataclass
class PlaceFacts:
    """What the graph says about a region, for locating it: names, classes, codes, what it lies within."""
    iri: str
    label: str
    names: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)          # local names of its classes in the ontology
    kind_label: str | None = None                           # the most specific class's label ("Metropolitan area")
    codes: list[str] = field(default_factory=list)
    within: list[str] = field(default_factory=list)         # IRIs of the regions it is part of, nearest first
    coordinates: tuple[float, float] | None = None          # (longitude, latitude) where the graph gives them


def read_places(store, iris: set[str]) -> dict[str, PlaceFacts]:
    """PlaceFacts of each region IRI and of every region it lies within (mbc:partOf, any depth)."""
    found: dict[str, PlaceFacts] = {}
    pending = {i for i in iris if i}
    while pending:
        chunk_iris = sorted(pending)[:300]
        pending -= set(chunk_iris)
        chunk = " ".join(iri_term(i, "region") for i in chunk_iris)
        rows = select(store, f"""SELECT ?r ?p ?v WHERE {{ VALUES ?r {{ {chunk} }} ?r ?p ?v .
            VALUES ?p {{ rdf:type rdfs:label skos:prefLabel skos:altLabel mbc:regionCode mbc:partOf
                         schema:latitude schema:longitude }} }}""")
        latitude: dict[str, float] = {}
        longitude: dict[str, float] = {}
        for row in rows:
            iri, predicate, obj = row["r"].value, _local(row["p"].value), row["v"]
            place = found.setdefault(iri, PlaceFacts(iri, ""))
            if predicate == "type" and obj.value.startswith(str(MBC)):
                place.kinds.append(_local(obj.value))
            elif predicate in ("label", "prefLabel", "altLabel"):
                if predicate == "label" and not place.label:
                    place.label = obj.value
                if obj.value not in place.names:
                    place.names.append(obj.value)
            elif predicate == "regionCode":
                place.codes.append(obj.value)
            elif predicate == "partOf" and is_iri(obj):
                place.within.append(obj.value)
                if obj.value not in found and obj.value not in chunk_iris:
                    pending.add(obj.value)
            elif predicate in ("latitude", "longitude") and _number(obj) is not None:
                (latitude if predicate == "latitude" else longitude)[iri] = _number(obj)
        for iri in chunk_iris:
            place = found.setdefault(iri, PlaceFacts(iri, ""))
            place.label = place.label or (place.names[0] if place.names else _local(iri))
            if iri in latitude and iri in longitude:
                place.coordinates = (longitude[iri], latitude[iri])
    _kind_labels(store, found.values())
    return found


def _kind_labels(store, places) -> None:
    """Each place's most specific class, by its label in the ontology."""
    classes = {kind for place in places for kind in place.kinds}
    if not classes:
        return
    values = " ".join(f"mbc:{kind}" for kind in sorted(classes))
    rows = select(store, f"""SELECT ?c ?label (COUNT(?super) AS ?depth) WHERE {{ VALUES ?c {{ {values} }}
        ?c rdfs:label ?label . OPTIONAL {{ ?c rdfs:subClassOf+ ?super }} }} GROUP BY ?c ?label""")
    depth = {_local(row["c"].value): (int(row["depth"].value), row["label"].value) for row in rows}
    for place in places:
        ranked = sorted((depth[k] for k in place.kinds if k in depth), reverse=True)
        place.kind_label = ranked[0][1] if ranked else None
