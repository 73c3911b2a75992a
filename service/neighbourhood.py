"""An entity's neighbourhood: its direct relations to other entities of the graph, for the node-link
view on its page (static/neighbourhood.js draws it with cytoscape.js; the same edges are a list of
links for the keyboard and screen readers). Each edge links to the claims behind it.

Figures (wage statistics, growth projections, employment counts) that point at the entity are
grouped into one node per class, so a state with forty pay figures gets one "40 wage statistics" node
instead of forty, and its edge leads to all their claims.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from flask import url_for

from kg.figures import FIGURE_CLASSES
from kg.namespaces import ID_BASE, MBC, PREFIX_IRIS
from service.data_access import iri_term, labels, select
from service.presentation import href

MAX_EDGES = 60              # relations listed; the rest are in the page's data table
GROUP_ABOVE = 6             # more relations of one property than this are drawn as one node ("33 regions")
FIGURE_CLASS_IRIS = {str(MBC) + name for name in FIGURE_CLASSES}
# Links that are bookkeeping rather than relations between things of the world
NOT_RELATIONS = {PREFIX_IRIS["rdf"] + name for name in ("type", "subject", "predicate", "object")} | {
    str(MBC.mentions), str(MBC.document), str(MBC.evidence), PREFIX_IRIS["prov"] + "wasDerivedFrom",
    PREFIX_IRIS["skos"] + "exactMatch", PREFIX_IRIS["skos"] + "inScheme", PREFIX_IRIS["oa"] + "hasSource",
    str(MBC.payPeriod)}
BOOKKEEPING = tuple(ID_BASE + segment for segment in ("claim/", "passage/", "document/", "graph/", "vocab/"))


@dataclass
class Edge:
    id: str
    source: str
    target: str
    label: str               # the property's label ("issued by")
    outgoing: bool           # from the entity to the other
    other: str               # the other node's id
    claims_href: str
    claims: int
    drawn_as: str = ""       # the id of the edge that draws it (its own, or its group's)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _class_name(types: set[str]) -> str:
    ours = sorted(_local(t) for t in types if t.startswith(str(MBC)))
    for preferred in ("Certification", "Organization", "Role", "EducationProgram", "CodeSet", "Regulation"):
        if preferred in ours:
            return preferred
    return "Region" if any(t in ours for t in ("Region", "State", "Country", "City", "MetropolitanArea")) or \
        "Region" in ours else (ours[0] if ours else "Thing")


def neighbourhood(store, iri: str, label: str) -> dict | None:
    """{'nodes': [...], 'edges': [...], 'hidden': N} or None when the entity has no relations."""
    term = iri_term(iri, "entity")
    exclude = ", ".join(f"<{p}>" for p in sorted(NOT_RELATIONS))
    rows = select(store, f"""SELECT ?direction ?p ?other ?type (COUNT(DISTINCT ?c) AS ?claims) WHERE {{
        {{ {term} ?p ?other . BIND("out" AS ?direction) FILTER(isIRI(?other))
           OPTIONAL {{ ?c rdf:subject {term} ; rdf:predicate ?p ; rdf:object ?other }} }}
        UNION
        {{ ?other ?p {term} . BIND("in" AS ?direction)
           OPTIONAL {{ ?c rdf:subject ?other ; rdf:predicate ?p ; rdf:object {term} }} }}
        FILTER(?p NOT IN ({exclude}) && ?other != {term})
        OPTIONAL {{ ?other a ?type }} }} GROUP BY ?direction ?p ?other ?type""")
    relations: dict[tuple[str, str, str], dict] = {}
    for row in rows:
        other = row["other"].value
        if other.startswith(BOOKKEEPING) or not other.startswith(ID_BASE):
            continue
        key = (row["direction"].value, row["p"].value, other)
        entry = relations.setdefault(key, {"types": set(), "claims": 0})
        if row["type"] is not None:
            entry["types"].add(row["type"].value)
        entry["claims"] = max(entry["claims"], int(row["claims"].value))
    if not relations:
        return None
    names = labels(store, {p for _, p, _ in relations} | {o for _, _, o in relations})
    nodes = {iri: {"id": iri, "label": label, "kind": "self", "href": href(iri)}}
    edges: list[Edge] = []
    figures: dict[tuple[str, str, str], dict] = defaultdict(lambda: {"count": 0, "claims": 0})
    for (direction, predicate, other), entry in sorted(relations.items(), key=lambda item: (
            names.get(item[0][1], _local(item[0][1])), names.get(item[0][2], _local(item[0][2])).casefold())):
        figure_class = next((t for t in entry["types"] if t in FIGURE_CLASS_IRIS), None)
        if figure_class and direction == "in":
            group = figures[(direction, predicate, figure_class)]
            group["count"] += 1
            group["claims"] += entry["claims"]
            continue
        nodes.setdefault(other, {"id": other, "label": names.get(other, _local(other)),
                                 "kind": _class_name(entry["types"]), "href": href(other)})
        subject, obj = (iri, other) if direction == "out" else (other, iri)
        edges.append(Edge(f"e{len(edges)}", subject, obj, names.get(predicate, _local(predicate)), direction == "out",
                          other, url_for("provenance.claim_list", s=subject, p=predicate, o=obj), entry["claims"]))
    for (direction, predicate, figure_class), group in sorted(figures.items()):
        node_id = f"{figure_class}#{predicate}"
        kind = _local(figure_class)
        words = {"WageStatistic": "wage statistic", "GrowthProjection": "growth projection",
                 "EmploymentStatistic": "employment figure"}.get(kind, kind)
        nodes[node_id] = {"id": node_id, "label": f"{group['count']} {words}{'' if group['count'] == 1 else 's'}",
                          "kind": "Figures", "href": None}
        edges.append(Edge(f"e{len(edges)}", node_id, iri, names.get(predicate, _local(predicate)), False, node_id,
                          url_for("provenance.claim_list", p=predicate, o=iri), group["claims"]))
    hidden = max(0, len(edges) - MAX_EDGES)
    listed = edges[:MAX_EDGES]
    drawn = _grouped(iri, listed, nodes)
    shown = {iri} | {e.source for e in drawn} | {e.target for e in drawn}
    return {"nodes": [n for n in nodes.values() if n["id"] in shown], "edges": [e.__dict__ for e in drawn],
            "listed": [e.__dict__ for e in listed], "hidden": hidden,
            "labels": {n["id"]: n for n in nodes.values()}}     # every listed relation's other end, by id


PLURALS = {"Region": "places", "Certification": "certifications", "Organization": "organizations", "Role": "roles",
           "EducationProgram": "programs", "CodeSet": "code sets", "Regulation": "laws"}


def _grouped(iri: str, edges: list[Edge], nodes: dict[str, dict]) -> list[Edge]:
    """The edges to draw: one per relation, except that many relations of one property in one direction
    (the thirty metro areas part of a state) become one node and one edge, leading to all their claims."""
    groups: dict[tuple[bool, str], list[Edge]] = defaultdict(list)
    for edge in edges:
        groups[(edge.outgoing, edge.label)].append(edge)
    drawn: list[Edge] = []
    for edge in edges:
        members = groups[(edge.outgoing, edge.label)]
        if len(members) <= GROUP_ABOVE or nodes.get(edge.other, {}).get("kind") == "Figures":
            edge.drawn_as = edge.id
            drawn.append(edge)
            continue
        if members[0] is not edge:
            edge.drawn_as = members[0].drawn_as
            continue
        kinds = [nodes[m.other]["kind"] for m in members if m.other in nodes]
        kind = max(set(kinds), key=kinds.count) if kinds else "Thing"
        node_id = f"group:{'out' if edge.outgoing else 'in'}:{edge.label}"
        nodes[node_id] = {"id": node_id, "label": f"{len(members)} {PLURALS.get(kind, 'entities')}", "kind": kind,
                          "href": None}
        predicate = parse_qs(urlsplit(edge.claims_href).query).get("p", [""])[0]
        claims_href = (url_for("provenance.claim_list", s=iri, p=predicate) if edge.outgoing
                       else url_for("provenance.claim_list", p=predicate, o=iri))
        group = Edge(f"g{len(drawn)}", iri if edge.outgoing else node_id, node_id if edge.outgoing else iri, edge.label,
                     edge.outgoing, node_id, claims_href, sum(m.claims for m in members), f"g{len(drawn)}")
        for member in members:
            member.drawn_as = group.id
        drawn.append(group)
    return drawn
