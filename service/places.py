"""The places figures are about, for locating them on the pay map: names, classes, codes, coordinates
and what each lies within. The figures themselves are read by kg.figures."""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.figures import numeric_value
from kg.namespaces import MBC
from service.data_access import iri_term, is_iri, select


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


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


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
            elif predicate in ("latitude", "longitude") and numeric_value(obj) is not None:
                (latitude if predicate == "latitude" else longitude)[iri] = numeric_value(obj)
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
