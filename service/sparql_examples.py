"""Ready-made queries for the query page (what researchers ask first) and what its editor completes."""
from __future__ import annotations

import json

from kg.prefixes import ID_BASE, PREFIX_IRIS, sparql_prologue

PREFIXES = sparql_prologue("mbc", "rdf", "rdfs", "prov", "dcterms")

EXAMPLES = [
    {
        "id": "issuers",
        "title": "Certifications and who issues them",
        "query": PREFIXES + """
SELECT ?certification ?acronym ?issuer WHERE {
  ?c a mbc:Certification ; rdfs:label ?certification .
  OPTIONAL { ?c mbc:acronym ?acronym }
  OPTIONAL { ?c mbc:issuedBy/rdfs:label ?issuer }
}
ORDER BY ?certification ?issuer""",
    },
    {
        "id": "metro-wages",
        "title": "Median hourly wage by metro area, highest first",
        "query": PREFIXES + """
SELECT ?area ?median ?low ?high WHERE {
  ?w a mbc:WageStatistic ; mbc:payPeriod mbc:Hour ; mbc:median ?median ; mbc:region ?r .
  ?r a mbc:MetropolitanArea ; rdfs:label ?area .
  OPTIONAL { ?w mbc:low ?low }
  OPTIONAL { ?w mbc:high ?high }
}
ORDER BY DESC(?median)""",
    },
    {
        "id": "disagreements",
        "title": "Growth figures that disagree across documents",
        "query": PREFIXES + """
SELECT ?region ?percent1 ?document1 ?percent2 ?document2 WHERE {
  ?g1 a mbc:GrowthProjection ; mbc:percentChange ?percent1 ; mbc:region ?r .
  ?g2 a mbc:GrowthProjection ; mbc:percentChange ?percent2 ; mbc:region ?r .
  FILTER (?percent1 < ?percent2)
  ?r rdfs:label ?region .
  ?c1 rdf:subject ?g1 ; rdf:predicate mbc:percentChange ; mbc:document/dcterms:title ?document1 .
  ?c2 rdf:subject ?g2 ; rdf:predicate mbc:percentChange ; mbc:document/dcterms:title ?document2 .
}""",
    },
    {
        "id": "claims-about",
        "title": "Every claim about an entity, with its quote and source",
        "query": PREFIXES + """
SELECT ?predicate ?object ?quote ?source ?start ?end ?extractor ?confidence WHERE {
  # the certification with the most claims; put any entity's IRI here instead
  { SELECT ?entity WHERE { ?any rdf:subject ?entity . ?entity a mbc:Certification }
    GROUP BY ?entity ORDER BY DESC(COUNT(?any)) LIMIT 1 }
  ?claim a mbc:Claim ; rdf:subject ?entity ; rdf:predicate ?predicate ; rdf:object ?object ;
         mbc:quote ?quote ; mbc:start ?start ; mbc:end ?end ; mbc:extractor ?extractor ;
         mbc:confidence ?confidence ; mbc:document/mbc:sourceFile ?source .
}
ORDER BY ?source ?start""",
    },
    {
        "id": "wages-by-region",
        "title": "All wage figures with their region and pay period",
        "query": PREFIXES + """
SELECT ?region ?period ?measure ?value WHERE {
  ?w a mbc:WageStatistic ; mbc:region/rdfs:label ?region ; mbc:payPeriod/rdfs:label ?period ; ?p ?value .
  ?p rdfs:subPropertyOf mbc:wageValue ; rdfs:label ?measure .
}
ORDER BY ?region ?period ?measure""",
    },
]


def editor_settings(generation) -> str:
    """JSON for the workbench: the project's prefixes (offered by PREFIX completion and used to shorten
    IRIs in results), the classes and properties the graph uses (completed after `a` and in predicate
    position) and where local IRIs have their pages. Built once per generation."""
    def build() -> bytes:
        from service.data_access import select

        store = generation.store
        classes = [row["c"].value for row in select(store, "SELECT DISTINCT ?c WHERE { ?s a ?c } ORDER BY ?c")]
        properties = [row["p"].value for row in select(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o } ORDER BY ?p")]
        return json.dumps({"prefixes": PREFIX_IRIS, "classes": classes, "properties": properties,
                           "localBase": ID_BASE, "localPages": "/id/"}).replace("<", "\\u003c").encode()
    return generation.cached_download("sparql-editor-settings", build).decode()
