"""The one read model for figures (wage statistics, growth projections, employment counts): every SPARQL
query that reads them is written here, for search's answers (search.answers) and the service's pages
(entity summaries, wage charts, browse tables, the pay map, the compare page) alike, so an answer and
a page read a figure the same way. tests/test_architecture.py holds every other module to that.

Below search and service: no rdflib, no Flask, pyoxigraph only when a query runs. IRIs handed in are
already checked by the caller (a page's request, a question's named entities); they are written into
queries through pyoxigraph's NamedNode, which refuses a malformed one.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.prefixes import PREFIX_IRIS, SPARQL_PROLOGUE, sparql_prologue

FIGURE_CLASSES = ("WageStatistic", "GrowthProjection", "EmploymentStatistic")
WAGE_MEASURES = ("median", "mean", "low", "high", "percentile10", "percentile25", "percentile75", "percentile90")
ANSWER_PROLOGUE = sparql_prologue("mbc", "rdf", "rdfs", "dcterms", "skos")

# The claims of a fact, with where they are (one block every answer template joins to). Only mbc:Claims
# carry rdf:subject and mbc:quote; asking `?claim a mbc:Claim` as well made Oxigraph start from every
# claim (a pay question took 33 ms instead of 2).
# OPTIONALs come after every required pattern: Oxigraph evaluates them where they are written, and
# before the claims they made a pay question take 27 ms instead of 2.
CLAIMS_OF = """
  ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         mbc:quote ?quote ; mbc:start ?start ; mbc:end ?end ; mbc:document ?doc .
  ?doc mbc:sourceFile ?file .
"""
TITLE = "OPTIONAL { ?doc dcterms:title ?title }"


def select(store, query: str) -> list[dict]:
    """Rows of a SELECT over the default graph (the merge of all graphs), every project prefix declared."""
    return store.select(SPARQL_PROLOGUE + query)


def _term(iri: str) -> str:
    import pyoxigraph as ox

    return str(ox.NamedNode(iri))       # NamedNode refuses a malformed IRI


def _values(iris) -> str:
    return " ".join(_term(iri) for iri in iris)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _measures(predicates) -> str:
    return " ".join(f"mbc:{p}" for p in predicates)


# ---------------------------------------------------------------- stated values, for answers

# A statistic's figures, each row one value with a claim stating it; its region, period and years come
# along as context.
STATED = ANSWER_PROLOGUE + """SELECT ?s ?p ?o ?claim ?quote ?start ?end ?file ?title ?region ?period ?from ?to ?year
       ?qualifier ?industry ?experience WHERE {
  VALUES ?p { %s } %s ?s ?p ?o ; a %s .""" + CLAIMS_OF + """
  OPTIONAL { ?s mbc:region ?region } OPTIONAL { ?s mbc:payPeriod ?period }
  OPTIONAL { ?s mbc:startYear ?from } OPTIONAL { ?s mbc:endYear ?to } OPTIONAL { ?s mbc:referenceYear ?year }
  OPTIONAL { ?s mbc:valueQualifier ?qualifier } OPTIONAL { ?s mbc:industry ?industry }
  OPTIONAL { ?s mbc:experienceLevel ?experience }""" + TITLE + "}"
# Figures of one measure across places, with each place's kind; within a region when one is named.
RANKED = ANSWER_PROLOGUE + """SELECT ?s ?p ?o ?claim ?quote ?start ?end ?file ?title ?region ?period ?regionType WHERE {
  VALUES ?p { %s } ?s a %s ; ?p ?o ; mbc:region ?region . ?region a ?regionType .
  FILTER(?regionType IN (mbc:City, mbc:MetropolitanArea, mbc:NonmetropolitanArea, mbc:State))
  %s""" + CLAIMS_OF + "OPTIONAL { ?s mbc:payPeriod ?period }" + TITLE + "}"


def stated_query(kind: str, measures, regions=(), within: bool = False, industries=()) -> str:
    """The values of `measures` of figures of class `kind`, each with its claims and context: of the
    `regions` (with `within`, of the places inside them instead), of the `industries` when any are given."""
    restriction = (f"VALUES ?within {{ {_values(regions)} }} ?s mbc:region ?region . ?region mbc:partOf+ ?within ."
                   if within else
                   f"VALUES ?region {{ {_values(regions)} }} ?s mbc:region ?region ." if regions else "")
    if industries:
        restriction += f" VALUES ?industry {{ {_values(industries)} }} ?s mbc:industry ?industry ."
    return STATED % (_measures(measures), restriction, f"mbc:{kind}")


def ranked_query(kind: str, measures, within=()) -> str:
    """The values of `measures` of figures of class `kind` for every city, metro area and state (or every
    one inside the regions `within`), each with its claims, period and the place's class."""
    inside = f"VALUES ?within {{ {_values(within)} }} ?region mbc:partOf+ ?within ." if within else ""
    return RANKED % (_measures(measures), f"mbc:{kind}", inside)


# ---------------------------------------------------------------- figures whole, for the pages

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


def numeric_value(term) -> float | None:
    """A numeric literal's value (decimal, integer, double ...), or None for any other term."""
    datatype = getattr(term, "datatype", None)
    if datatype is None or not datatype.value.endswith(("#decimal", "#integer", "#double", "#float", "#int", "#long")):
        return None
    try:
        return float(term.value)
    except ValueError:
        return None


def _is_iri(term) -> bool:
    import pyoxigraph as ox

    return isinstance(term, ox.NamedNode)


def read_figures(store, kinds: tuple[str, ...] = FIGURE_CLASSES, about: str | None = None,
                 documents: set[str] | None = None) -> list[Figure]:
    """Figures of the given classes, read generically: every literal a figure has and every IRI it points
    to under the property's local name, with the claims that state each value (a property ingest adds
    later still reaches the pages). `about` keeps those whose region, role or other link is that IRI (or
    a region within it); `documents` keeps those stated in one of these documents (IRIs)."""
    values = " ".join(f"mbc:{kind}" for kind in kinds)
    scope = ""
    if about:
        term = _term(about)
        scope = f"{{ ?f ?link {term} }} UNION {{ ?f mbc:region/mbc:partOf+ {term} }}"
    rows = select(store, f"""SELECT ?f ?kind ?p ?v WHERE {{ VALUES ?kind {{ {values} }} ?f a ?kind . {scope}
        ?f ?p ?v }}""")
    figures: dict[str, Figure] = {}
    for row in rows:
        iri, predicate, obj = row["f"].value, row["p"].value, row["v"]
        figure = figures.setdefault(iri, Figure(iri, _local(row["kind"].value)))
        name = _local(predicate)
        if predicate.endswith(("#type", "#label")) and predicate.startswith((PREFIX_IRIS["rdf"], PREFIX_IRIS["rdfs"])):
            continue
        if _is_iri(obj):
            figure.links.setdefault(name, [])
            if obj.value not in figure.links[name]:
                figure.links[name].append(obj.value)
        elif (number := numeric_value(obj)) is not None and not name.endswith("Year"):
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


def money_properties(store) -> set[str]:
    """Local names of the properties whose values are money (mbc:wageValue and its sub-properties)."""
    rows = select(store, "SELECT ?p WHERE { ?p rdfs:subPropertyOf* mbc:wageValue }")
    return {row["p"].value.rsplit("#", 1)[-1] for row in rows}


def headline_figures(store, iri: str, link: str) -> dict[str, dict]:
    """The pay and growth figures whose `link` ("region" or "role") is `iri`, for an entity page's summary:
    figure IRI -> {"kind", "values" (measure -> lexical value, the first stated), "other" (the figure's role
    for a region, its region for a role), "period", "currency"}."""
    other = "role" if link == "region" else "region"
    rows = select(store, f"""SELECT ?f ?kind ?p ?v ?other ?period ?currency WHERE {{
        ?f mbc:{link} {_term(iri)} ; a ?kind ; ?p ?v . VALUES ?kind {{ mbc:WageStatistic mbc:GrowthProjection }}
        VALUES ?p {{ mbc:median mbc:mean mbc:low mbc:high mbc:percentChange mbc:endYear mbc:annualOpenings }}
        OPTIONAL {{ ?f mbc:{other} ?other }} OPTIONAL {{ ?f mbc:payPeriod ?period }}
        OPTIONAL {{ ?f mbc:currency ?currency }} }} ORDER BY ?f""")
    figures: dict[str, dict] = {}
    for row in rows:
        entry = figures.setdefault(row["f"].value, {"kind": row["kind"].value.rsplit("#", 1)[-1], "values": {},
                                                     "other": row["other"].value if row["other"] else None,
                                                     "period": row["period"].value.rsplit("#", 1)[-1] if row["period"] else None,
                                                     "currency": row["currency"].value if row["currency"] else None})
        entry["values"].setdefault(row["p"].value.rsplit("#", 1)[-1], row["v"].value)
    return figures


def wage_values(store, iri: str, link: str) -> list[dict]:
    """Median, mean, low and high of the wage statistics for a role (`link` "role": every region with a
    figure for it) or a region (`link` "region": itself and the places within it), one row per value:
    ?w (the statistic) ?r ?label (its region) ?period ?measure ?value ?roleLabel, by region label."""
    if link == "role":
        where = f"?w mbc:role {_term(iri)} ; mbc:region ?r ."
    else:
        where = f"?w mbc:region ?r . ?r mbc:partOf* {_term(iri)} ."
    return select(store, f"""SELECT ?w ?r ?label ?period ?measure ?value ?roleLabel WHERE {{
        ?w a mbc:WageStatistic ; mbc:payPeriod ?period ; ?measure ?value . {where} ?r rdfs:label ?label .
        VALUES ?measure {{ mbc:median mbc:mean mbc:low mbc:high }}
        OPTIONAL {{ ?w mbc:role/rdfs:label ?roleLabel }} }} ORDER BY ?label ?w""")


def figure_context(store, statistics: list[str], chunk: int = 300) -> dict[str, dict[str, str]]:
    """What each figure is about, for saying it in words: figure IRI -> {"region", "role", "payPeriod",
    "currency"} (those it has; the first value of each)."""
    context: dict[str, dict[str, str]] = defaultdict(dict)
    for start in range(0, len(statistics), chunk):
        some = _values(statistics[start:start + chunk])
        rows = select(store, f"""SELECT ?x ?p ?o WHERE {{ VALUES ?x {{ {some} }} ?x ?p ?o .
            VALUES ?p {{ mbc:region mbc:role mbc:payPeriod mbc:currency }} }}""")
        for row in rows:
            context[row["x"].value].setdefault(_local(row["p"].value), row["o"].value)
    return context


# ---------------------------------------------------------------- ranges per entity, for the browse tables

def median_ranges(store, cls: str, link: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(entity of class `cls`, pay period) -> (lowest, highest) median stated for it, as written; `link`
    ("region" or "role") is how a wage statistic points at the entity."""
    rows = select(store, f"""SELECT ?e ?period (MIN(?m) AS ?low) (MAX(?m) AS ?high) WHERE {{
        ?e a {_term(cls)} . ?w a mbc:WageStatistic ; mbc:{link} ?e ; mbc:payPeriod ?period ; mbc:median ?m }}
        GROUP BY ?e ?period""")
    return {(row["e"].value, row["period"].value.rsplit("#", 1)[-1]): (row["low"].value, row["high"].value)
            for row in rows}


def growth_ranges(store, cls: str, link: str) -> dict[str, tuple[str, str]]:
    """Entity of class `cls` -> (lowest, highest) projected percent change stated for it."""
    rows = select(store, f"""SELECT ?e (MIN(?g) AS ?low) (MAX(?g) AS ?high) WHERE {{
        ?e a {_term(cls)} . ?p a mbc:GrowthProjection ; mbc:{link} ?e ; mbc:percentChange ?g }} GROUP BY ?e""")
    return {row["e"].value: (row["low"].value, row["high"].value) for row in rows}


def regions_with_pay(store, cls: str) -> dict[str, int]:
    """Role of class `cls` -> how many regions a wage statistic for it is about."""
    rows = select(store, f"SELECT ?e (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?e a {_term(cls)} . "
                         "?w a mbc:WageStatistic ; mbc:role ?e ; mbc:region ?x . } GROUP BY ?e")
    return {row["e"].value: int(row["n"].value) for row in rows}
