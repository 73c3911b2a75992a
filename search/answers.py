"""Direct answers from the graph: a question's entities and kind (search.question) mapped to SPARQL
over the generation's store (read-only), each answer backed by the mbc:Claims that state it.

Every template asks the graph, never a table of answers: a document ingested tomorrow answers
through the same queries. When documents disagree (two issuers, two growth rates, two program
lengths for the same thing), the answer says so and cites each; figures for different places or
periods are not a disagreement. A question about a place the graph has no figure for is told so in
words, with the nearest figure the graph has (a place containing it, else the country), never
answered silently about somewhere else. A question naming an industry ("in physicians' offices") is
answered from the statistics of that industry; one naming none, from the statistics of no industry.

Which function answers which kind of question: GraphAnswers.ANSWER, at the end of the class. Facts
and answers as written: search.facts. Over 400 lines for a stated reason: one class, one method
per kind of answer; its figure methods (pay, growth, openings, employment and their SPARQL) are to
move to the read model for figures that search and the service share (issue 20).
"""
from __future__ import annotations

from dataclasses import replace

import csv
import re
from functools import lru_cache
from importlib.resources import files

from common.formatting import money, per_period, percent
from common.formatting import number as format_number
from common.lru import LRUCache
from kg import figures
from kg.figures import CLAIMS_OF, TITLE, WAGE_MEASURES
from kg.prefixes import ID_BASE, PREFIX_IRIS, sparql_prologue
from search.facts import (Evidence, Fact, iri_values, joined, new_answer, number, optional_value,
                          sources_differ, span_text, term_value, years_text)
from search.question import KINDS, Named, Wanted, experience_in, name_key

MBC = PREFIX_IRIS["mbc"]
PROLOGUE = sparql_prologue("mbc", "rdf", "rdfs", "dcterms", "skos")
MEASURE_ORDER = (*WAGE_MEASURES, "amount")    # last: a figure whose statistic the text does not name
MAX_ANSWERS = 3

ISSUERS = PROLOGUE + """SELECT ?s ?p ?o ?claim ?quote ?start ?end ?file ?title WHERE {
  VALUES ?s { %s } BIND(mbc:issuedBy AS ?p) ?s mbc:issuedBy ?o .""" + CLAIMS_OF + TITLE + "}"
ISSUED = PROLOGUE + """SELECT ?s ?p ?o ?claim ?quote ?start ?end ?file ?title WHERE {
  VALUES ?o { %s } BIND(mbc:issuedBy AS ?p) ?s mbc:issuedBy ?o .""" + CLAIMS_OF + TITLE + "}"
ACCREDITORS = PROLOGUE + """SELECT ?s ?p ?o ?claim ?quote ?start ?end ?file ?title WHERE {
  %s BIND(mbc:accreditedBy AS ?p) ?s mbc:accreditedBy ?o .""" + CLAIMS_OF + TITLE + "}"
PROGRAM_MONTHS = PROLOGUE + """SELECT ?s ?p ?o ?claim ?quote ?start ?end ?file ?title WHERE {
  VALUES ?p { mbc:minMonths mbc:maxMonths } ?s ?p ?o . %s ?s a mbc:EducationProgram .""" + CLAIMS_OF + TITLE + "}"
# Whether a credential is required to work, and where (no region: in general).
REQUIREMENTS = PROLOGUE + """SELECT ?s ?p ?o ?claim ?quote ?start ?end ?file ?title ?region WHERE {
  BIND(mbc:required AS ?p) ?s a mbc:CredentialRequirement ; mbc:required ?o .""" + CLAIMS_OF + """
  OPTIONAL { ?s mbc:region ?region }""" + TITLE + "}"
# The places a region lies in, nearest first (by the length of the chain), for "the nearest figure we have".
CONTAINERS = PROLOGUE + """SELECT ?container (COUNT(?middle) AS ?steps) WHERE {
  VALUES ?region { %s } ?region mbc:partOf+ ?container . ?container mbc:partOf* ?middle . ?middle mbc:partOf+ ?top .
} GROUP BY ?container ORDER BY ?steps"""
COUNTRY = ID_BASE + "region/us"
STATE_NAMES = PROLOGUE + """SELECT DISTINCT ?label WHERE { ?c mbc:entityClass mbc:State ; skos:prefLabel ?label }"""
FIGURE_KINDS = {"pay": "pay", "growth": "growth", "openings": "openings", "employment": "employment"}
DEFINITION = PROLOGUE + """SELECT ?s ?p ?o ?claim ?quote ?start ?end ?file ?title WHERE {
  VALUES ?s { %s } BIND(mbc:acronym AS ?p) ?s mbc:acronym ?o .""" + CLAIMS_OF + TITLE + "}"
LABELS = PROLOGUE + """SELECT ?e ?label ?acronym WHERE {
  ?e rdfs:label ?label . OPTIONAL { ?e mbc:acronym ?acronym }
  FILTER(isIRI(?e) && !STRSTARTS(STR(?e), STR(mbc:)))
}"""
PROPERTY_LABELS = PROLOGUE + """SELECT ?p ?label WHERE {
  ?p rdfs:label ?label . FILTER(STRSTARTS(STR(?p), STR(mbc:)))
}"""


class GraphAnswers:
    """Answers from one generation's store (a kg.store.GraphStore or kg.remote.RemoteStore, opened by
    the caller): every read goes through its `select`, so a remote SPARQL server answers as well."""

    def __init__(self, store, cache_size: int = 512):
        self.store = store
        self.labels: dict[str, tuple[str, str | None]] = {}
        for row in store.select(LABELS):
            iri, label, acronym = row["e"].value, row["label"].value, row["acronym"]
            if iri not in self.labels or acronym is not None:
                self.labels[iri] = (label, acronym.value if acronym is not None else None)
        self.property_labels = {row["p"].value: row["label"].value for row in store.select(PROPERTY_LABELS)}
        self._cache: LRUCache[list[dict]] = LRUCache(cache_size)
        self._state_names: tuple[str, ...] | None = None

    # ------------------------------------------------------------ names
    def short(self, iri: str) -> str:
        """'AHIMA' for an entity with an acronym, else its label."""
        label, acronym = self.labels.get(iri, (iri.rsplit("/", 1)[-1], None))
        return acronym or label

    def full(self, iri: str) -> str:
        """'AHIMA (American Health Information Management Association)', or the label alone."""
        label, acronym = self.labels.get(iri, (iri.rsplit("/", 1)[-1], None))
        return f"{acronym} ({label})" if acronym and acronym != label else label

    def property_label(self, iri: str) -> str:
        return self.property_labels.get(iri, iri.rsplit("#", 1)[-1])

    # ------------------------------------------------------------ running templates
    def _facts(self, query: str) -> list[Fact]:
        facts = []
        for row in self.store.select(query):
            value, is_iri = term_value(row["o"])
            evidence = Evidence(row["claim"].value, row["quote"].value, row["file"].value,
                                row["title"].value if row["title"] is not None else row["file"].value,
                                int(row["start"].value), int(row["end"].value))
            context = {name: optional_value(row, name)
                       for name in ("region", "period", "from", "to", "year", "qualifier", "regionType", "industry",
                                    "experience")}
            facts.append(Fact(row["s"].value, row["p"].value, value, is_iri, evidence,
                              {name: v for name, v in context.items() if v is not None}))
        return sorted(facts, key=lambda f: (f.evidence.source_file, f.evidence.start, f.evidence.claim))

    def answer(self, named: list[Named], wants: Wanted, question: str = "") -> list[dict]:
        """Answers, best first; empty when the graph holds none for what was asked. `question` (as read)
        lets an industry it names narrow the figures, and a place the graph does not hold be said so."""
        named = named + self._industries_in(question) + self._places_not_held(question, named) \
            + experience_in(question)
        if any(n.kind in ("Industry", "MissingPlace") for n in named) and "pay" not in wants.kinds \
                and KINDS["pay"].asks.search(question) and not wants.extreme:
            wants = replace(wants, kinds=(*wants.kinds, "pay"))   # "mean pay in physicians' offices"
        elif self._pay_anywhere(named, wants, question):
            # "median pay for medical coders" names no place: the country's figures answer it, said as the
            # country's, never a figure of whichever place the documents happen to give
            named = named + [self._country(implied=True)]
            wants = replace(wants, kinds=(*wants.kinds, "pay"))
        key = (tuple((n.iri or n.label, bool(n.typed)) for n in named), wants)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        answers: list[dict] = []
        missing = [n for n in named if n.kind == "MissingPlace"]
        for kind in wants.kinds:
            if missing and kind in self.FIGURE_ANSWER:
                answers.extend(self._no_figure(kind, missing[0], named, wants))
            else:
                answers.extend(self.ANSWER[kind](self, named, wants))
            if len(answers) >= MAX_ANSWERS:
                break
        implied = {n.iri for n in named if n.kind == "Region" and not n.typed}    # the country a question implied
        named_iris = {n.iri for n in named} - implied
        for answer in answers:
            about = answer.pop("anchor", None) or answer["entity"]
            answer["anchored"] = about in named_iris          # named in the question
            answer["implied"] = about in implied              # about a place the question did not name
        answers = answers[:MAX_ANSWERS]
        self._cache.put(key, answers)
        return answers

    def _pay_anywhere(self, named: list[Named], wants: Wanted, question: str) -> bool:
        """A question about pay that names no place, industry or ranking ("how much do coders make?")."""
        return ("pay" not in wants.kinds and not wants.extreme and not any(n.kind == "Region" for n in named)
                and bool(KINDS["pay"].asks.search(question)) and not set(wants.kinds) & {"growth", "openings"})

    def _country(self, implied: bool = False) -> Named:
        """The country as a place of the question; `implied`: the question did not name it (typed "")."""
        label = self.labels.get(COUNTRY, (COUNTRY, None))[0]
        return Named(COUNTRY, "Region", label, "" if implied else label, label, False)

    # ------------------------------------------------------------ places and industries a question names
    def _industries_in(self, question: str) -> list[Named]:
        """Industries of the graph the question names: every content word of the industry's name (before
        a ';' or a comma) is in the question, in any order ("physicians' offices" names "Offices of
        physicians")."""
        said = _content_words(question)
        found = []
        for iri, (label, _) in self.labels.items():
            if "/industry/" not in iri:
                continue
            if _industry_key(label) <= said:
                found.append(Named(iri, "Industry", label, label, label))
        return found

    def _places_not_held(self, question: str, named: list[Named]) -> list[Named]:
        """A state or territory the question names that no entity of the graph is: the graph has no figure
        for it, which the answer must say rather than answer about another place."""
        if any(n.kind == "Region" for n in named):
            return []
        held = {label.lower() for iri, (label, _) in self.labels.items() if "/region/" in iri}
        for name in self._place_names():
            if re.search(r"\b" + re.escape(name) + r"\b", question, re.IGNORECASE) and name.lower() not in held:
                return [Named("", "MissingPlace", name, name, name)]
        return []

    def _place_names(self) -> tuple[str, ...]:
        """Names of the states (the reference vocabulary in the store) and territories, longest first:
        the places a question may name that the documents may not hold."""
        if self._state_names is None:
            names = {row["label"].value for row in self.store.select(STATE_NAMES)} | _territory_names()
            self._state_names = tuple(sorted(names, key=len, reverse=True))
        return self._state_names

    def _nearest_regions(self, regions: list[str]) -> list[str]:
        """The places containing the asked ones, nearest first, then the country."""
        containers = [row["container"].value for row in self.store.select(CONTAINERS % iri_values(regions))]
        return [c for c in containers if c not in regions] + ([COUNTRY] if COUNTRY not in containers + regions else [])

    def _no_figure(self, kind: str, place: Named, named: list[Named], wants: Wanted, regions: list[str] = ()) -> list[dict]:
        """'The documents give no pay figure for Texas; the nearest they give: ...' with the nearest place's
        answers (a containing place, else the country), or the sentence alone."""
        others = [n for n in named if n.kind not in ("Region", "MissingPlace")]
        nearest: list[dict] = []
        for region in self._nearest_regions(list(regions)) if regions else [COUNTRY]:
            label = self.labels.get(region, (region, None))[0]
            stand_in = Named(region, "Region", label, label, label)
            nearest = self.FIGURE_ANSWER[kind](self, [*others, stand_in], wants, fallback=False)
            if nearest:
                break
        sentence = f"The documents give no {kind} figure for {place.label}"
        if not nearest:
            return [{"kind": kind, "text": sentence + ".", "value": None, "entity": place.iri or "",
                     "claims": [], "evidence": [], "sources_differ": False, "no_figure_for": place.label}]
        for answer in nearest:
            answer["text"] = f"{sentence}; the nearest they give: {answer['text']}"
            answer["no_figure_for"] = place.label
        return nearest

    # ------------------------------------------------------------ kinds
    def _issuer(self, named: list[Named], wants: Wanted) -> list[dict]:
        certifications = [n.iri for n in named if n.kind == "Certification"]
        if not certifications:
            return []
        facts = self._facts(ISSUERS % iri_values(certifications))
        answers = []
        for certification in certifications:
            mine = [f for f in facts if f.subject == certification]
            issuers = list(dict.fromkeys(f.value for f in mine))
            if not issuers:
                continue
            if len(issuers) == 1:
                text = f"{self.full(issuers[0])} awards the {self.short(certification)}"
            else:
                text = (f"Sources differ on who awards the {self.short(certification)}: "
                        + joined([self.full(o) for o in issuers]))
            answers.append(new_answer("issuer", text, issuers[0] if len(issuers) == 1 else None, certification, mine,
                                   differ=len(issuers) > 1))
        return answers

    def _issued(self, named: list[Named], wants: Wanted) -> list[dict]:
        organizations = [n.iri for n in named if n.kind == "Organization"]
        if not organizations:
            return []
        facts = self._facts(ISSUED % iri_values(organizations))
        answers = []
        for organization in organizations:
            mine = [f for f in facts if f.value == organization]
            certifications = list(dict.fromkeys(f.subject for f in mine))
            if certifications:
                text = f"{self.full(organization)} awards {joined([self.short(c) for c in certifications])}"
                answers.append(new_answer("issued", text, None, organization, mine))
        return answers

    def _definition(self, named: list[Named], wants: Wanted) -> list[dict]:
        acronyms = [n.iri for n in named if self.labels.get(n.iri, ("", None))[1]
                    and name_key(n.typed) == name_key(self.labels[n.iri][1])]    # named by its acronym
        if not acronyms:
            return []
        facts = self._facts(DEFINITION % iri_values(acronyms))
        answers = []
        for iri in acronyms:
            mine = [f for f in facts if f.subject == iri]
            if mine:
                label, acronym = self.labels[iri]
                answers.append(new_answer("definition", f"{acronym} stands for {label}", label, iri, mine))
        return answers

    def _duration(self, named: list[Named], wants: Wanted) -> list[dict]:
        programs = [n.iri for n in named if n.kind == "EducationProgram"]
        restriction = f"VALUES ?s {{ {iri_values(programs)} }}" if programs else ""
        facts = self._facts(PROGRAM_MONTHS % restriction)
        answers = []
        for program in list(dict.fromkeys(f.subject for f in facts)):
            mine = [f for f in facts if f.subject == program]
            by_source: dict[tuple[str, int], dict[str, str]] = {}
            for fact in mine:
                span = by_source.setdefault((fact.evidence.source_file, fact.evidence.start), {})
                span[fact.predicate.rsplit("#", 1)[-1]] = fact.value
            readings = list(dict.fromkeys(span_text(v.get("minMonths"), v.get("maxMonths"))
                                          for v in by_source.values()))
            name = self.labels.get(program, (program, None))[0]
            if len(readings) == 1:
                text = f"{name}: {readings[0]}"
            else:
                text = f"{name}: sources differ, " + joined(readings)
            answers.append(new_answer("duration", text, readings[0] if len(readings) == 1 else None, program, mine,
                                   differ=len(readings) > 1))
        # the program the question names first; otherwise the best-attested programs first
        answers.sort(key=lambda a: (a["entity"] not in programs, -len(a["claims"])))
        return answers

    def _requirement(self, named: list[Named], wants: Wanted) -> list[dict]:
        programs = [n.iri for n in named if n.kind == "EducationProgram"]
        restriction = f"VALUES ?s {{ {iri_values(programs)} }}" if programs else ""
        facts = self._facts(ACCREDITORS % restriction)
        answers = []
        for program in list(dict.fromkeys(f.subject for f in facts)):
            mine = [f for f in facts if f.subject == program]
            bodies = list(dict.fromkeys(f.value for f in mine))
            name = self.labels.get(program, (program, None))[0]
            text = f"{name}: {self.property_label(MBC + 'accreditedBy')} {joined([self.short(b) for b in bodies])}"
            answers.append(new_answer("requirement", text, bodies[0] if len(bodies) == 1 else None, program, mine))
        return answers

    def _credential_requirement(self, named: list[Named], wants: Wanted) -> list[dict]:
        """'Is certification required?': what each document says, in general or for a place; for a question
        naming a place, what is said of it (or of a region it is in) and what is said in general."""
        facts = self._facts(REQUIREMENTS)
        places = [n.iri for n in named if n.kind == "Region"]
        if places:
            around = self._around(places)
            facts = [f for f in facts if f.context.get("region") in around or "region" not in f.context]
        if not facts:
            return []
        readings: dict[tuple[bool, str | None], list[Fact]] = {}
        for fact in facts:
            readings.setdefault((fact.value == "true", fact.context.get("region")), []).append(fact)

        def reading(key) -> str:
            required, region = key
            documents = len({f.evidence.source_file for f in readings[key]})
            where = f" in {self.labels.get(region, (region, None))[0]}" if region else ""
            return (("required" if required else "not required") + where
                    + f" ({documents} document{'s' if documents != 1 else ''})")

        keys = sorted(readings, key=lambda k: (k[1] is not None, -len(readings[k]), not k[0]))
        differ = len({required for required, _ in keys}) > 1
        text = ("Certification to work: " + ("sources differ: " if differ else "")
                + "; ".join(reading(k) for k in keys))
        first = readings[keys[0]][0]
        answer = new_answer("requirement", text, None if differ else first.value, first.subject,
                         [f for k in keys for f in readings[k]], differ=differ)
        answer["anchor"] = next(iter(places), None)
        return [answer]

    def _around(self, places: list[str]) -> set[str]:
        """The places and every region they are part of (a city's state and country)."""
        rows = self.store.select(PROLOGUE + f"SELECT DISTINCT ?r WHERE {{ VALUES ?p {{ {iri_values(places)} }} "
                                            "?p mbc:partOf* ?r }")
        return set(places) | {row["r"].value for row in rows}

    def _statistics(self, kind: str, klass: str, predicates: list[str], named: list[Named],
                    within: bool = False) -> list[Fact]:
        """Figures of the named regions; with `within`, of the places inside them instead (a state's metro
        areas and cities, for a question about the state when the documents give no state figure). Figures
        of the named industry when the question names one, else those of no industry when there are any."""
        regions = [n.iri for n in named if n.kind == "Region"]
        if within and not regions:
            return []
        industries = [n.iri for n in named if n.kind == "Industry"]
        facts = self._facts(figures.stated_query(klass, predicates, regions, within, industries))
        if not industries:
            general = [f for f in facts if "industry" not in f.context]
            facts = general or facts
        return facts

    def _figure(self, kind: str, klass: str, predicate: str, named: list[Named], render,
                fallback: bool = True) -> list[dict]:
        facts = self._statistics(kind, klass, [predicate], named)
        regions = [n.iri for n in named if n.kind == "Region"]
        if not facts and regions and fallback:
            return self._no_figure(kind, next(n for n in named if n.kind == "Region"), named, Wanted((kind,)), regions)
        groups: dict[tuple, list[Fact]] = {}
        for fact in facts:
            groups.setdefault((fact.context.get("region", ""), fact.context.get("industry", "")), []).append(fact)
        answers = []
        for (region, industry), mine in groups.items():
            readings = list(dict.fromkeys(render(f) for f in mine))
            where = (f" in {self.labels.get(industry, (industry, None))[0].lower()}" if industry else "") + \
                (f" in {self.labels.get(region, (region, None))[0]}" if region else "")
            documents = {f.evidence.source_file for f in mine}
            differ = sources_differ(mine)
            if len(readings) == 1:
                text = readings[0] + where
            elif differ:
                text = f"Sources differ{where}: " + "; ".join(readings)     # each source is cited below
            elif len(documents) > 1:
                text = "; ".join(readings) + where    # different periods: no disagreement
            else:
                text = joined(readings) + where
            value = mine[0].value if len(readings) == 1 else None
            answers.append(new_answer(kind, text[0].upper() + text[1:], value, region or mine[0].subject, mine,
                                   differ=differ))
            if industry:
                answers[-1]["anchor"] = industry
        return answers

    def _growth(self, named: list[Named], wants: Wanted, fallback: bool = True) -> list[dict]:
        def render(fact: Fact) -> str:
            years = years_text(fact.context)
            return f"{percent(fact.value)} growth{years}"
        return self._figure("growth", "GrowthProjection", "percentChange", named, render, fallback)

    def _openings(self, named: list[Named], wants: Wanted, fallback: bool = True) -> list[dict]:
        def render(fact: Fact) -> str:
            qualifier = fact.context.get("qualifier", "")
            openings = format_number(fact.value)
            return f"{qualifier + ' ' if qualifier else ''}{openings} openings a year{years_text(fact.context)}"
        return self._figure("openings", "GrowthProjection", "annualOpenings", named, render, fallback)

    def _employment(self, named: list[Named], wants: Wanted, fallback: bool = True) -> list[dict]:
        def render(fact: Fact) -> str:
            qualifier = fact.context.get("qualifier", "")
            year = f" ({fact.context['year']})" if "year" in fact.context else ""
            return f"{qualifier + ' ' if qualifier else ''}{format_number(fact.value)} employed{year}"
        answers = self._figure("employment", "EmploymentStatistic", "employment", named, render, False)
        return answers or self._figure("employment", "WageStatistic", "employment", named, render, fallback)

    def _ranked(self, kind: str, klass: str, predicates: list[str], named: list[Named], wants: Wanted,
                period: str | None) -> list[dict]:
        """The place with the most (or least) of a figure: "which metro employs the most"."""
        regions = [n.iri for n in named if n.kind == "Region"]
        facts = self._facts(figures.ranked_query(klass, predicates, regions))
        local = {MBC + "City", MBC + "MetropolitanArea", MBC + "NonmetropolitanArea"}
        facts = [f for f in facts if number(f.value) is not None
                 and (wants.places != "local" or f.context.get("regionType") in local)
                 and (period is None or f.context.get("period", MBC + period) == MBC + period)]
        if not facts:
            return []
        pick = max if wants.extreme == "max" else min
        best = pick(facts, key=lambda f: number(f.value))
        ties = [f for f in facts if number(f.value) == number(best.value) and f.subject == best.subject]
        region = self.labels.get(best.context["region"], (best.context["region"], None))[0]
        measure = self.property_label(best.predicate)
        most = "highest" if wants.extreme == "max" else "lowest"
        shown = (f"{money(best.value, period)} {per_period(period)}".rstrip() if kind == "pay"
                 else format_number(best.value))
        places = len({f.context["region"] for f in facts})
        text = (f"{region} has the {most} {measure}: {shown} (of {places} places with a figure)" if places > 1
                else f"{region}: {measure} {shown} (the only place the documents give a figure for)")
        answer = new_answer(kind, text, best.context["region"], best.context["region"], ties)
        answer["anchor"] = regions[0] if regions else None     # the region searched within, when named
        return [answer]

    def _pay_rank(self, named: list[Named], wants: Wanted) -> list[dict]:
        measure = wants.measure or "median"
        return self._ranked("pay", "WageStatistic", [measure], named, wants, wants.period or "Hour")

    def _employment_rank(self, named: list[Named], wants: Wanted) -> list[dict]:
        return self._ranked("employment", "WageStatistic", ["employment"], named, wants, None) or \
            self._ranked("employment", "EmploymentStatistic", ["employment"], named, wants, None)

    def _pay(self, named: list[Named], wants: Wanted, fallback: bool = True) -> list[dict]:
        facts = self._statistics("pay", "WageStatistic", list(MEASURE_ORDER), named)
        inside = not facts and fallback
        if inside:
            facts = self._statistics("pay", "WageStatistic", list(MEASURE_ORDER), named, within=True)
        regions = [n for n in named if n.kind == "Region"]
        if not facts and regions and fallback:
            return self._no_figure("pay", regions[0], named, wants, [n.iri for n in regions])
        statistics: dict[str, list[Fact]] = {}
        for fact in facts:
            period = fact.context.get("period", "").rsplit("#", 1)[-1] or None
            if wants.period and period and period != wants.period:
                continue
            statistics.setdefault(fact.subject, []).append(fact)
        # "what do experienced coders make": the figures of that level when the documents give any; a question
        # naming no level is answered from the figures of no level first
        wanted = next((n.label for n in named if n.kind == "Experience"), None)
        if wanted and any(m[0].context.get("experience") == wanted for m in statistics.values()):
            statistics = {s: m for s, m in statistics.items() if m[0].context.get("experience") == wanted}
        answers = []
        for statistic, mine in statistics.items():
            by_measure = {f.predicate.rsplit("#", 1)[-1]: f for f in mine}
            level = mine[0].context.get("experience")
            period = mine[0].context.get("period", "").rsplit("#", 1)[-1] or None
            lead = wants.measure if wants.measure in by_measure else next(m for m in MEASURE_ORDER if m in by_measure)
            main = by_measure[lead]
            qualifier = main.context.get("qualifier", "")
            per = f" {per_period(period)}" if per_period(period) else ""
            region = self.labels.get(main.context.get("region", ""), ("", None))[0]
            industry = self.labels.get(main.context.get("industry", ""), ("", None))[0]
            statistic = "" if lead == "amount" else self.property_label(MBC + lead).capitalize() + " "
            text = (f"{statistic}{qualifier + ' ' if qualifier else ''}"
                    f"{money(main.value, period)}{per}" + (f" ({level})" if level else "")
                    + (f" in {industry.lower()}" if industry else "")
                    + (f" in {region}" if region else "") + (" (the source does not say which statistic)"
                                                             if lead == "amount" else ""))
            text = text[0].upper() + text[1:]
            if inside and regions:     # the documents give figures for places inside the one asked about
                text = f"No figure for {regions[0].label} itself; " + text[0].lower() + text[1:]
            others = [f"{self.property_label(MBC + m) if m != 'amount' else 'also'} {money(by_measure[m].value, period)}"
                      for m in MEASURE_ORDER if m in by_measure and m != lead]
            if others:
                text += f" ({', '.join(others)})"
            shown = [main] + [by_measure[m] for m in MEASURE_ORDER if m in by_measure and m != lead]
            answer = new_answer("pay", text, main.value, main.context.get("region") or statistic, shown)
            if main.context.get("industry"):
                answer["anchor"] = main.context["industry"]     # the question named the industry
            if wants.measure in NAMED_STATISTICS and lead != wants.measure:
                # "the mean hourly wage in Amarillo" where the documents give its median: said, not passed off
                where = f" for {region}" if region else ""
                answer["text"] = (f"The documents give no {self.property_label(MBC + wants.measure).lower()} pay "
                                  f"figure{where}; they give: " + text[0].lower() + text[1:])
            answer["_rank"] = (lead != wants.measure, wants.period is not None and period != wants.period,
                               level is not None and level != wanted, MEASURE_ORDER.index(lead))
            answers.append(answer)
        answers.sort(key=lambda a: a.pop("_rank"))
        return answers

    # The function that answers each kind of question (search.question.KINDS, which a test holds to
    # the same kinds). Figure kinds also answer for the nearest place when the one asked about has none.
    FIGURE_ANSWER = {"pay": _pay, "growth": _growth, "openings": _openings, "employment": _employment}
    ANSWER = {"issuer": _issuer, "issued": _issued, "definition": _definition, "duration": _duration,
              "requirement": _requirement, "credential_requirement": _credential_requirement,
              "pay_rank": _pay_rank, "employment_rank": _employment_rank, **FIGURE_ANSWER}


# statistics a question names by name (not "low"/"high", which "entry-level" and "senior" also ask for)
NAMED_STATISTICS = ("median", "mean", "percentile10", "percentile25", "percentile75", "percentile90")
_STOP = {"the", "of", "and", "in", "for", "a", "an", "to", "at", "on", "by", "with", "other", "all", "except",
         "s", "than", "their", "its", "state", "local", "private", "government"}


def _industry_key(label: str) -> frozenset[str]:
    """The words a question must say to name an industry: its head noun ("General medical and surgical
    hospitals" -> {hospital}) and, for "X of Y", both ("Offices of physicians" -> {office, physician})."""
    phrase = re.split(r"[;,(]", label)[0]
    if " of " in phrase.lower():
        head, _, tail = phrase.lower().partition(" of ")
        return frozenset(list(_content_words(head))[-1:]) | frozenset(sorted(_content_words(tail))[-1:]) \
            if _content_words(head) and _content_words(tail) else _content_words(phrase)
    words = re.findall(r"[a-z]+", phrase.lower())
    return _content_words(words[-1]) if words else frozenset()


def _content_words(text: str) -> frozenset[str]:
    """'Physicians\u2019 offices' -> {'physician', 'office'}: lower case, possessives and plurals dropped."""
    words = re.findall(r"[a-z]+", text.lower().replace("\u2019", "'").replace("'s", "").replace("s'", "s"))
    return frozenset(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words if w not in _STOP)


@lru_cache(maxsize=1)
def _territory_names() -> frozenset[str]:
    """The territories' names as the Census list (addfips' states.csv) writes them."""
    rows = csv.DictReader(files("addfips").joinpath("data/states.csv").read_text(encoding="utf-8").splitlines())
    return frozenset(row["name"] for row in rows if int(row["fips"]) >= 60)
