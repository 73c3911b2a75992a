"""Scoring the graph against the hand-made gold annotation (tests/gold/seed_gold.json).

Both sides are turned into sets of tuples per document, one tuple per fact:
("certification", "CPC"), ("issuer", "CPC", "AAPC"), ("wage", "Stockton, CA MSA", "Hour", "median", "20.54"), ...
so that precision and recall count facts, not records.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.namespaces import MBC

GOLD_FILE = Path(__file__).parent / "gold" / "seed_gold.json"
OTHER_LAYOUTS_DIR = Path(__file__).parent / "gold" / "other_layouts"
OTHER_LAYOUTS_GOLD = Path(__file__).parent / "gold" / "other_layouts_gold.json"
# "amount": a figure whose statistic the text does not name ("Austin: $49,880" under "Top-paying cities:"),
# never read as a mean
MEASURES = ("low", "high", "median", "mean", "percentile10", "percentile25", "percentile75", "percentile90", "amount")


def number(value) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def load_gold(path: Path = GOLD_FILE) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {name: facts for name, facts in data.items() if not name.startswith("_")}


def gold_tuples(facts: dict) -> set[tuple]:
    tuples: set[tuple] = set()
    for name in facts.get("certifications", []):
        tuples.add(("certification", name))
    for cert, org in facts.get("issuers", []):
        tuples.add(("issuer", cert, org))
    for name in facts.get("organizations", []):
        tuples.add(("organization", name))
    for name in facts.get("code_sets", []):
        tuples.add(("code_set", name))
    for name in facts.get("regulations", []):
        tuples.add(("regulation", name))
    for name in facts.get("accreditors", []):
        tuples.add(("accreditor", name))
    for wage in facts.get("wages", []):
        where = (wage["region"], wage["period"])
        for measure, value in wage["values"].items():
            tuples.add(("wage", *where, measure, number(value)))
        if "employment" in wage:
            tuples.add(("wage", *where, "employment", number(wage["employment"])))
        if "year" in wage:
            tuples.add(("wage", *where, "referenceYear", str(wage["year"])))
        if "experience" in wage:
            tuples.add(("wage", *where, "experience", wage["experience"]))
    for growth in facts.get("growth", []):
        tuples.update(_growth_tuples(growth["region"], growth.get("percent"), growth.get("annual_openings"),
                                     growth.get("start"), growth.get("end"), growth.get("source")))
    for employment in facts.get("employment", []):
        tuples.add(("employment", employment["region"], number(employment["count"])))
        if "year" in employment:
            tuples.add(("employment", employment["region"], "year", str(employment["year"])))
    for region in facts.get("regions", []):
        tuples.add(("partOf", region["region"], region["partOf"]))
    return tuples


def _growth_tuples(region, percent, openings, start, end, source) -> set[tuple]:
    figure = ("percent", number(percent)) if percent is not None else ("openings", number(openings))
    tuples = {("growth", region, *figure)}
    if start is not None:
        tuples.add(("growth", region, *figure, "start", str(start)))
    if end is not None:
        tuples.add(("growth", region, *figure, "end", str(end)))
    if source is not None:
        tuples.add(("growth", region, *figure, "source", source))
    return tuples


def _identifier(graph: Graph, union: Graph, entity: URIRef) -> str:
    """An entity's acronym (from any document: it is the same entity), else its label."""
    acronym = graph.value(entity, MBC.acronym) or union.value(entity, MBC.acronym)
    if acronym is not None:
        return str(acronym)
    label = union.value(entity, RDFS.label) or union.value(entity, SKOS.prefLabel)
    return str(label) if label is not None else str(entity)


def _label(union: Graph, entity: URIRef) -> str:
    label = union.value(entity, RDFS.label)
    return str(label) if label is not None else str(entity)


def predicted_tuples(graph: Graph, union: Graph) -> set[tuple]:
    """Facts of one document's named graph; `union` resolves labels of entities named elsewhere."""
    tuples: set[tuple] = set()
    kinds = {MBC.Certification: "certification", MBC.Organization: "organization", MBC.CodeSet: "code_set",
             MBC.Regulation: "regulation"}
    for cls, name in kinds.items():
        for entity in set(graph.subjects(RDF.type, cls)):
            tuples.add((name, _identifier(graph, union, entity)))
    for cert, org in graph.subject_objects(MBC.issuedBy):
        tuples.add(("issuer", _identifier(graph, union, cert), _identifier(graph, union, org)))
    for _, org in graph.subject_objects(MBC.accreditedBy):
        tuples.add(("accreditor", _identifier(graph, union, org)))
    for wage in set(graph.subjects(RDF.type, MBC.WageStatistic)):
        where = (_label(union, graph.value(wage, MBC.region)),
                 "Hour" if graph.value(wage, MBC.payPeriod) == MBC.Hour else "Year")
        for measure in MEASURES:
            for value in graph.objects(wage, MBC[measure]):
                tuples.add(("wage", *where, measure, number(value)))
        for value in graph.objects(wage, MBC.employment):
            tuples.add(("wage", *where, "employment", number(value)))
        for value in graph.objects(wage, MBC.referenceYear):
            tuples.add(("wage", *where, "referenceYear", str(value)))
        for value in graph.objects(wage, MBC.experienceLevel):
            tuples.add(("wage", *where, "experience", str(value)))
    for growth in set(graph.subjects(RDF.type, MBC.GrowthProjection)):
        source = graph.value(growth, MBC.source)
        tuples.update(_growth_tuples(
            _label(union, graph.value(growth, MBC.region)), graph.value(growth, MBC.percentChange),
            graph.value(growth, MBC.annualOpenings), graph.value(growth, MBC.startYear),
            graph.value(growth, MBC.endYear), _identifier(graph, union, source) if source is not None else None))
    for statistic in set(graph.subjects(RDF.type, MBC.EmploymentStatistic)):
        region = _label(union, graph.value(statistic, MBC.region))
        tuples.add(("employment", region, number(graph.value(statistic, MBC.employment))))
        for year in graph.objects(statistic, MBC.referenceYear):
            tuples.add(("employment", region, "year", str(year)))
    for region, parent in graph.subject_objects(MBC.partOf):
        tuples.add(("partOf", _label(union, region), _label(union, parent)))
    return tuples


def score(gold: set[tuple], predicted: set[tuple]) -> dict:
    hits = len(gold & predicted)
    return {
        "precision": hits / len(predicted) if predicted else 1.0,
        "recall": hits / len(gold) if gold else 1.0,
        "gold": len(gold), "predicted": len(predicted), "hits": hits,
        "missed": sorted(gold - predicted), "spurious": sorted(predicted - gold),
    }


def score_by_category(gold: set[tuple], predicted: set[tuple]) -> dict[str, dict]:
    categories = sorted({t[0] for t in gold | predicted})
    return {c: score({t for t in gold if t[0] == c}, {t for t in predicted if t[0] == c}) for c in categories}
