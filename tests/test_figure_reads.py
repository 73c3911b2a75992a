"""kg.figures, the one read model for figures, over a small graph in memory: what an answer and a page read."""
import re

import pyoxigraph as ox
import pytest

from kg import figures
from kg.prefixes import ID_BASE, SPARQL_PROLOGUE

GRAPH = """
id:region/us a mbc:Country ; rdfs:label "United States" .
id:region/us/ca a mbc:State ; rdfs:label "California" ; mbc:partOf id:region/us .
id:region/us/ca/fresno a mbc:MetropolitanArea ; rdfs:label "Fresno" ; mbc:partOf id:region/us/ca .
id:role/coder a mbc:Role ; rdfs:label "Medical coder" .
mbc:median rdfs:subPropertyOf mbc:wageValue .
mbc:mean rdfs:subPropertyOf mbc:wageValue .

id:wage/ca a mbc:WageStatistic ; mbc:region id:region/us/ca ; mbc:role id:role/coder ; mbc:payPeriod mbc:Hour ;
    mbc:median 24.5 ; mbc:mean 26 ; mbc:low 18 ; mbc:currency "USD" ; mbc:referenceYear 2023 .
id:wage/fresno a mbc:WageStatistic ; mbc:region id:region/us/ca/fresno ; mbc:role id:role/coder ;
    mbc:payPeriod mbc:Hour ; mbc:median 21 .
id:growth/us a mbc:GrowthProjection ; mbc:region id:region/us ; mbc:role id:role/coder ; mbc:percentChange 8 ;
    mbc:annualOpenings 14900 ; mbc:startYear 2022 ; mbc:endYear 2032 .

id:document/a a mbc:Document ; mbc:sourceFile "a.md" ; dcterms:title "Coder pay" .
id:claim/1 a mbc:Claim ; rdf:subject id:wage/ca ; rdf:predicate mbc:median ; rdf:object 24.5 ;
    mbc:quote "The median is $24.50 an hour." ; mbc:start 10 ; mbc:end 40 ; mbc:document id:document/a ;
    mbc:confidence 0.9 .
id:claim/2 a mbc:Claim ; rdf:subject id:growth/us ; rdf:predicate mbc:percentChange ; rdf:object 8 ;
    mbc:quote "Jobs grow 8% by 2032." ; mbc:start 50 ; mbc:end 70 ; mbc:document id:document/a .
"""


class MemoryStore:
    """The store interface the read model uses (select), over an in-memory Oxigraph store."""

    def __init__(self, turtle: str):
        self.oxigraph = ox.Store()
        prefixes = "".join(line.replace("PREFIX", "@prefix", 1) + " ." for line in SPARQL_PROLOGUE.splitlines())
        turtle = re.sub(r"\bid:([\w/]+)", r"<\1>", turtle)      # a Turtle prefixed name cannot hold a '/'
        self.oxigraph.load(input=(f"@base <{ID_BASE}> .\n" + prefixes + turtle).encode(), format=ox.RdfFormat.TURTLE)
        self.queries: list[str] = []

    def select(self, query: str) -> list[dict]:
        self.queries.append(query)
        solutions = self.oxigraph.query(query)
        names = [v.value for v in solutions.variables]
        return [{name: solution[name] for name in names} for solution in solutions]


@pytest.fixture(scope="module")
def store():
    return MemoryStore(GRAPH)


def iri(path: str) -> str:
    return ID_BASE + path


def test_read_figures_reads_each_figure_whole_with_its_claims(store):
    read = {f.iri: f for f in figures.read_figures(store)}
    assert sorted(read) == [iri("growth/us"), iri("wage/ca"), iri("wage/fresno")]
    wage = read[iri("wage/ca")]
    assert (wage.kind, wage.region, wage.role, wage.period, wage.year) == (
        "WageStatistic", iri("region/us/ca"), iri("role/coder"), "Hour", "2023")
    assert wage.numbers == {"median": 24.5, "mean": 26.0, "low": 18.0}
    assert wage.lexical["median"] == "24.5" and wage.details["currency"] == "USD"
    assert [c["claim"] for c in wage.claims["median"]] == [iri("claim/1")]
    assert wage.claims["median"][0]["confidence"] == 0.9 and wage.documents == {iri("document/a")}


def test_read_figures_about_a_place_takes_the_places_within_it(store):
    about_ca = {f.iri for f in figures.read_figures(store, ("WageStatistic",), about=iri("region/us/ca"))}
    assert about_ca == {iri("wage/ca"), iri("wage/fresno")}
    stated = {f.iri for f in figures.read_figures(store, documents={iri("document/a")})}
    assert stated == {iri("wage/ca"), iri("growth/us")}


def test_a_stated_query_gives_each_value_with_its_claim_and_context(store):
    rows = store.select(figures.stated_query("WageStatistic", figures.WAGE_MEASURES, [iri("region/us/ca")]))
    assert [(r["s"].value, r["p"].value.rsplit("#")[-1], r["o"].value, r["claim"].value, r["period"].value.rsplit("#")[-1])
            for r in rows] == [(iri("wage/ca"), "median", "24.5", iri("claim/1"), "Hour")]
    inside = store.select(figures.stated_query("WageStatistic", ["median"], [iri("region/us")], within=True))
    assert {r["s"].value for r in inside} == {iri("wage/ca")}     # Fresno's figure has no claim


def test_a_ranked_query_gives_places_with_their_kind(store):
    rows = store.select(figures.ranked_query("WageStatistic", ["median"], [iri("region/us")]))
    assert [(r["region"].value, r["regionType"].value.rsplit("#")[-1]) for r in rows] == [(iri("region/us/ca"), "State")]


def test_a_malformed_iri_never_reaches_a_query():
    with pytest.raises(ValueError):
        figures.stated_query("WageStatistic", ["median"], ["not an iri"])


def test_headline_figures_of_a_region_and_of_a_role(store):
    of_ca = figures.headline_figures(store, iri("region/us/ca"), "region")
    assert of_ca == {iri("wage/ca"): {"kind": "WageStatistic", "values": {"median": "24.5", "mean": "26", "low": "18"},
                                      "other": iri("role/coder"), "period": "Hour", "currency": "USD"}}
    of_role = figures.headline_figures(store, iri("role/coder"), "role")
    assert of_role[iri("growth/us")]["values"] == {"percentChange": "8", "annualOpenings": "14900", "endYear": "2032"}


def test_wage_values_for_a_region_take_the_places_within_it(store):
    rows = figures.wage_values(store, iri("region/us/ca"), "region")
    assert {(r["label"].value, r["measure"].value.rsplit("#")[-1]) for r in rows} == {
        ("California", "median"), ("California", "mean"), ("California", "low"), ("Fresno", "median")}
    assert len(figures.wage_values(store, iri("role/coder"), "role")) == 4


def test_ranges_and_counts_for_the_browse_tables(store):
    state, role = figures.PREFIX_IRIS["mbc"] + "State", figures.PREFIX_IRIS["mbc"] + "Role"
    assert figures.median_ranges(store, role, "role") == {(iri("role/coder"), "Hour"): ("21", "24.5")}
    assert figures.median_ranges(store, state, "region") == {(iri("region/us/ca"), "Hour"): ("24.5", "24.5")}
    assert figures.growth_ranges(store, role, "role") == {iri("role/coder"): ("8", "8")}
    assert figures.regions_with_pay(store, role) == {iri("role/coder"): 2}


def test_money_properties_and_figure_context(store):
    assert figures.money_properties(store) == {"wageValue", "median", "mean"}
    context = figures.figure_context(store, [iri("wage/ca"), iri("growth/us")], chunk=1)
    assert context[iri("wage/ca")] == {"region": iri("region/us/ca"), "role": iri("role/coder"),
                                       "payPeriod": figures.PREFIX_IRIS["mbc"] + "Hour", "currency": "USD"}
    assert context[iri("growth/us")] == {"region": iri("region/us"), "role": iri("role/coder")}
