"""The summary at the top of an entity page: its main facts in words, each with numbered citations
that open the quoted sentence highlighted in its document.

Sentences are built from what the graph holds about the entity (what issues it or what it issues,
pay, growth, length, where it is mentioned); nothing here knows a document or a figure.
"""
from __future__ import annotations

from collections import defaultdict

from flask import url_for
from markupsafe import Markup

from kg.figures import headline_figures
from kg.namespaces import MBC, PREFIX_IRIS
from service.data_access import iri_term, select
from service.presentation import href, money, names, number, per_period, percent, snippet

SKOS_EXACT_MATCH = PREFIX_IRIS["skos"] + "exactMatch"
MAX_FIGURES = 4               # pay or growth sentences before "and N more figures below"


class Citations:
    """Numbered sources of one page, in order of first use."""

    def __init__(self):
        self.items: list[dict] = []
        self._numbers: dict[str, int] = {}     # a quoted span -> its number

    def cite(self, claims: list[dict], limit: int = 2) -> Markup:
        """`[1][2]` links for up to `limit` claims (each number once per page)."""
        links = []
        for claim in _distinct_documents(claims)[:limit]:
            span = f'{claim["source_file"]}:{claim["start"]}-{claim["end"]}'    # one number per quoted sentence
            number_ = self._numbers.get(span)
            if number_ is None:
                number_ = self._numbers[span] = len(self.items) + 1
                self.items.append({"number": number_, "quote": snippet(claim["quote"], 220), "title": claim["title"],
                                   "href": _span_href(claim)})
            links.append(Markup('<sup class="cite"><a href="{}" title="{}">[{}]</a></sup>').format(
                _span_href(claim), snippet(claim["quote"], 200), number_))
        return Markup("").join(links)


def _distinct_documents(claims: list[dict]) -> list[dict]:
    """One claim per document first, so two citations show two sources when there are two."""
    firsts, rest, seen = [], [], set()
    for claim in sorted(claims, key=lambda c: (-c["confidence"], c["source_file"], c["start"])):
        (rest if claim["source_file"] in seen else firsts).append(claim)
        seen.add(claim["source_file"])
    return firsts + rest


def _span_href(claim: dict) -> str:
    return url_for("documents.document_page", name=claim["source_file"], start=claim["start"],
                   end=claim["end"]) + "#highlight"


def _link(label: str, iri: str | None) -> Markup:
    target = href(iri) if iri else None
    return Markup('<a href="{}">{}</a>').format(target, label) if target else Markup("{}").format(label)


def _join(parts: list[Markup], limit: int = 5) -> Markup:
    """'A, B and C' for pieces of markup."""
    shown = parts[:limit]
    if len(parts) > limit:
        return Markup(", ").join(shown) + Markup(" and {} more").format(len(parts) - limit)
    if len(shown) <= 1:
        return Markup("").join(shown)
    return Markup(", ").join(shown[:-1]) + Markup(" and ") + shown[-1]


class Facts:
    """What the page knows, indexed for the sentences: claims by (subject, predicate, object)."""

    def __init__(self, store, iri: str, triples, claims: list[dict], labels: dict[str, str]):
        self.store, self.iri, self.labels = store, iri, labels
        self.out: dict[str, list] = defaultdict(list)
        for triple in triples:
            self.out[triple.predicate.value].append(triple.object)
        self.claims: dict[tuple, list[dict]] = defaultdict(list)
        for claim in claims:
            self.claims[(claim["subject"], claim["predicate"], claim["object"])].append(claim)
            self.claims[(claim["subject"], claim["predicate"], None)].append(claim)

    def label(self, iri: str) -> str:
        if iri not in self.labels:
            from service.data_access import labels

            self.labels.update(labels(self.store, {iri}))
        return self.labels.get(iri) or iri.rsplit("/", 1)[-1]

    def first(self, predicate) -> str | None:
        values = self.out.get(str(predicate))
        return values[0].value if values else None

    def about(self, subject: str, predicate, obj: str | None = None) -> list[dict]:
        return self.claims.get((subject, str(predicate), obj), [])


def summarize(store, iri: str, types: list[str], triples, claims: list[dict], labels: dict[str, str],
              citations: Citations) -> dict:
    """{'kind': 'Metropolitan area', 'paragraphs': [Markup, ...], 'reference': Markup | None}."""
    facts = Facts(store, iri, triples, claims, labels)
    kind = _kind_label(store, types)
    paragraphs: list[Markup] = []
    reference = None
    if str(MBC.Certification) in types:
        paragraphs += _certification(facts, citations)
    if str(MBC.Organization) in types:
        paragraphs += _organization(facts, citations)
    if str(MBC.Region) in types:
        paragraphs += _region(facts, citations, kind)
        paragraphs += _figures(facts, citations, "region")
    if str(MBC.Role) in types:
        reference = _occupation_code(facts, citations, paragraphs)
        paragraphs += _figures(facts, citations, "role")
    if str(MBC.EducationProgram) in types:
        paragraphs += _program(facts, citations)
    mentioned = _mentions(store, iri)
    if mentioned:
        paragraphs.append(mentioned)
    return {"kind": kind, "acronym": facts.first(MBC.acronym), "paragraphs": paragraphs, "reference": reference}


def _kind_label(store, types: list[str]) -> str | None:
    """The most specific of the entity's classes in the ontology, by its label ('Metropolitan area')."""
    ours = [t for t in types if t.startswith(str(MBC))]
    if not ours:
        return None
    values = " ".join(iri_term(t, "type") for t in ours)
    rows = select(store, f"""SELECT ?c ?label (COUNT(?super) AS ?depth) WHERE {{ VALUES ?c {{ {values} }}
        ?c rdfs:label ?label . OPTIONAL {{ ?c rdfs:subClassOf+ ?super }} }} GROUP BY ?c ?label ORDER BY DESC(?depth)""")
    return rows[0]["label"].value if rows else ours[0].rsplit("#", 1)[-1]


def _certification(facts: Facts, citations: Citations) -> list[Markup]:
    issuers = [o.value for o in facts.out.get(str(MBC.issuedBy), [])]
    name = Markup("<strong>{}</strong>").format(facts.label(facts.iri))
    if not issuers:
        return [Markup("No document in the graph says who issues {}.").format(name)]
    parts = [_link(facts.label(o), o) + citations.cite(facts.about(facts.iri, MBC.issuedBy, o)) for o in issuers]
    return [Markup("{} is issued by {}.").format(name, _join(parts))]


def _organization(facts: Facts, citations: Citations) -> list[Markup]:
    sentences = []
    term = iri_term(facts.iri, "organization")
    for predicate, verb in ((MBC.issuedBy, "issues"), (MBC.accreditedBy, "accredits")):
        rows = select(facts.store, f"SELECT DISTINCT ?s ?label WHERE {{ ?s <{predicate}> {term} . "
                                   "OPTIONAL { ?s rdfs:label ?label } } ORDER BY ?label")
        parts = [_link(row["label"].value if row["label"] else row["s"].value, row["s"].value)
                 + citations.cite(facts.about(row["s"].value, predicate, facts.iri), limit=1) for row in rows]
        if parts:
            sentences.append(Markup("{} {} {}.").format(facts.label(facts.iri), verb, _join(parts, limit=8)))
    sourced = select(facts.store, f"SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{ ?f mbc:source {term} }}")
    count = int(sourced[0]["n"].value) if sourced else 0
    if count:
        sentences.append(Markup("Documents credit it as the source of {} figure{}.").format(count, "" if count == 1 else "s"))
    return sentences


def _region(facts: Facts, citations: Citations, kind: str | None) -> list[Markup]:
    parents = [o.value for o in facts.out.get(str(MBC.partOf), [])]
    if not parents or not kind:
        return []
    parent_links = _join([_link(facts.label(p), p) + citations.cite(facts.about(facts.iri, MBC.partOf, p))
                          for p in parents])
    return [Markup("{} is {} {} in {}.").format(facts.label(facts.iri), "an" if kind[0].lower() in "aeiou" else "a",
                                                kind.lower(), parent_links)]


def _figures(facts: Facts, citations: Citations, role_of_entity: str) -> list[Markup]:
    """Pay and growth figures about the entity (a region or a role), each cited."""
    other = "role" if role_of_entity == "region" else "region"
    figures = headline_figures(facts.store, facts.iri, role_of_entity)
    wages = [(f, e) for f, e in figures.items() if e["kind"] == "WageStatistic" and
             ("median" in e["values"] or "mean" in e["values"])]
    # medians before means, hourly before yearly, the highest first
    wages.sort(key=lambda item: ("median" not in item[1]["values"], item[1]["period"] != "Hour",
                                 -float(item[1]["values"].get("median", item[1]["values"].get("mean", 0)))))
    growth = [(f, e) for f, e in figures.items() if e["kind"] == "GrowthProjection"]
    sentences = [_wage_sentence(facts, citations, f, e, other) for f, e in wages[:MAX_FIGURES]]
    if len(wages) > MAX_FIGURES:
        sentences.append(Markup("{} more pay figures are in the chart and the table below.").format(len(wages) - MAX_FIGURES))
    sentences += [_growth_sentence(facts, citations, f, e, other) for f, e in growth[:MAX_FIGURES]]
    return [s for s in sentences if s]


def _where(facts: Facts, entry: dict, other: str) -> Markup:
    if not entry["other"]:
        return Markup("")
    word = "in" if other == "region" else "for"
    return Markup(" {} {}").format(word, _link(facts.label(entry["other"]), entry["other"]))


def _wage_sentence(facts: Facts, citations: Citations, figure: str, entry: dict, other: str) -> Markup:
    values, period = entry["values"], entry["period"]
    measure = "median" if "median" in values else "mean"
    amount = money(values[measure], period, entry["currency"])
    text = Markup("{} pay{}: <strong>{}</strong> {}").format(
        measure.capitalize(), _where(facts, entry, other), amount, per_period(period))
    text += citations.cite(facts.about(figure, MBC[measure]), limit=1)
    if "low" in values and "high" in values:
        text += Markup(", ranging from {} to {}").format(money(values["low"], period, entry["currency"]),
                                                         money(values["high"], period, entry["currency"]))
        text += citations.cite(facts.about(figure, MBC.low) or facts.about(figure, MBC.high), limit=1)
    return text + Markup(".")


def _growth_sentence(facts: Facts, citations: Citations, figure: str, entry: dict, other: str) -> Markup | None:
    values = entry["values"]
    by_year = Markup(" by {}").format(values["endYear"]) if "endYear" in values else Markup("")
    if "percentChange" in values:
        text = Markup("Employment{} is projected to change by <strong>{}</strong>{}").format(
            _where(facts, entry, other), percent(values["percentChange"]), by_year)
        return text + citations.cite(facts.about(figure, MBC.percentChange), limit=1) + Markup(".")
    if "annualOpenings" in values:
        text = Markup("About <strong>{}</strong> openings a year{}{}").format(
            number(values["annualOpenings"]), _where(facts, entry, other), by_year)
        return text + citations.cite(facts.about(figure, MBC.annualOpenings), limit=1) + Markup(".")
    return None


def _occupation_code(facts: Facts, citations: Citations, paragraphs: list[Markup]) -> Markup | None:
    """A code a document states is a fact with its citation; the vocabulary's code (reached through
    skos:exactMatch) is reference data and is labelled so."""
    category = PREFIX_IRIS["schema"] + "occupationalCategory"
    stated = facts.out.get(category, [])
    if stated:
        parts = [Markup("<strong>{}</strong>").format(code.value) + citations.cite(facts.about(facts.iri, category, code.value))
                 for code in stated]
        paragraphs.append(Markup("Documents give its occupation code as {}.").format(_join(parts)))
    concepts = [o.value for o in facts.out.get(SKOS_EXACT_MATCH, [])]
    if not concepts:
        return None
    values = " ".join(iri_term(c, "concept") for c in concepts)
    rows = select(facts.store, f"SELECT DISTINCT ?code WHERE {{ VALUES ?c {{ {values} }} ?c schema:occupationalCategory ?code }}")
    if not rows:
        return None
    codes = ", ".join(row["code"].value for row in rows)
    return Markup('Occupation code <strong>{}</strong>: reference data from the project\u2019s vocabulary '
                  '(<code>schema:occupationalCategory</code> of <a href="{}">{}</a>, matched by <code>skos:exactMatch</code>), '
                  'not a claim of any document.').format(codes, href(concepts[0]), facts.label(concepts[0]))


def _program(facts: Facts, citations: Citations) -> list[Markup]:
    sentences = []
    low, high = facts.first(MBC.minMonths), facts.first(MBC.maxMonths)
    if low or high:
        span = f"{number(low)} to {number(high)}" if low and high and low != high else number(low or high)
        cited = facts.about(facts.iri, MBC.minMonths) + facts.about(facts.iri, MBC.maxMonths)
        sentences.append(Markup("It takes {} months.").format(span) + citations.cite(cited))
    accreditors = [o.value for o in facts.out.get(str(MBC.accreditedBy), [])]
    if accreditors:
        parts = [_link(facts.label(a), a) + citations.cite(facts.about(facts.iri, MBC.accreditedBy, a)) for a in accreditors]
        sentences.append(Markup("Accredited by {}.").format(_join(parts)))
    return sentences


def _mentions(store, iri: str) -> Markup | None:
    """'Mentioned in 3 passages of 2 documents: A and B.' Each document links to its first mention."""
    rows = select(store, f"""SELECT ?file ?title ?start ?end WHERE {{ ?p mbc:mentions {iri_term(iri, 'entity')} ;
        mbc:document ?d ; mbc:start ?start ; mbc:end ?end . ?d mbc:sourceFile ?file ; dcterms:title ?title }}
        ORDER BY ?title ?start""")
    if not rows:
        return None
    documents: dict[str, dict] = {}
    for row in rows:
        entry = documents.setdefault(row["file"].value, {"title": row["title"].value, "start": row["start"].value,
                                                         "end": row["end"].value, "passages": 0})
        entry["passages"] += 1
    links = [Markup('<a href="{}">{}</a>').format(
        url_for("documents.document_page", name=file, start=entry["start"], end=entry["end"]) + "#highlight",
        entry["title"]) for file, entry in documents.items()]
    return Markup("Mentioned in {} passage{} of {} document{}: {}.").format(
        len(rows), "" if len(rows) == 1 else "s", len(documents), "" if len(documents) == 1 else "s",
        _join(links, limit=6))


__all__ = ["Citations", "summarize", "names"]
