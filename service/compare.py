"""/compare?ids=certification/cpc,certification/ccs: two to four certifications, roles or regions side by
side, one column each, a row for each thing people weigh (issuer, pay by place, requirements, program
length, growth, where the documents mention them), every cell cited to the sentences it comes from.

`ids` are the paths after /id/ (comma-separated, or repeated as a form sends them; the page then
redirects to the comma-separated address, which is the one to share).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Blueprint, redirect, render_template, request, url_for
from markupsafe import Markup

from kg.figures import Figure, read_figures
from kg.namespaces import ID_BASE, MBC
from service import state
from service.data_access import iri_term, labels, looks_like_iri, select
from service.errors import ApiError
from service.presentation import href, money, number, per_period, percent
from service.summaries import Citations

bp = Blueprint("compare", __name__)

MIN_IDS, MAX_IDS = 2, 4
COMPARABLE = {"Certification": "certification", "Role": "role", "Region": "region"}
PAY_SHOWN = 6                 # pay figures per cell before "and N more"
# A property is a requirement when its name says so; the ontology has none yet, so this row fills in
# when ingest adds one ("requires", "prerequisite", "eligibility") without a change here.
REQUIREMENT_WORDS = re.compile(r"requir|prerequisite|eligib", re.IGNORECASE)


@dataclass
class Column:
    path: str
    iri: str
    label: str
    kind: str
    href: str | None
    cells: dict[str, list[Markup]] = field(default_factory=dict)


ROWS = (("kind", "What it is"), ("issuer", "Issued by"), ("pay", "Pay by place"), ("requirements", "Requirements"),
        ("program", "Program length"), ("growth", "Growth"), ("documents", "Mentioned in"))


def _ids() -> list[str]:
    raw = request.args.getlist("ids")
    ids = []
    for value in raw:
        for part in value.split(","):
            part = part.strip()
            for prefix in (ID_BASE, "/id/", "id/"):        # a whole IRI or a page's path works as well
                if part.startswith(prefix):
                    part = part[len(prefix):]
            part = part.strip("/")
            if part and part not in ids:
                ids.append(part)
    return ids


def _types(store, iri: str) -> list[str]:
    return [row["t"].value for row in select(store, f"SELECT ?t WHERE {{ {iri_term(iri, 'entity')} a ?t }}")]


def _kind_of(types: list[str]) -> str | None:
    for name in COMPARABLE:
        if str(MBC) + name in types:
            return name
    return None


def compare_choices(store, iri: str, types: list[str]) -> dict | None:
    """For an entity page: the other entities of its kind, to pick one to compare with."""
    kind = _kind_of(types)
    if kind is None:
        return None
    rows = select(store, f"""SELECT ?e (SAMPLE(?l) AS ?label) WHERE {{ ?e a mbc:{kind} ; rdfs:label ?l .
        FILTER(?e != {iri_term(iri, 'entity')}) }} GROUP BY ?e ORDER BY LCASE(SAMPLE(?l))""")
    options = [(row["e"].value[len(ID_BASE):], row["label"].value) for row in rows if row["e"].value.startswith(ID_BASE)]
    if not options:
        return None
    return {"self": iri[len(ID_BASE):], "kind": COMPARABLE[kind], "options": options}


@bp.route("/compare")
def compare_page():
    ids = _ids()
    if len(request.args.getlist("ids")) > 1:            # a form's repeated ids= -> the address to share
        return redirect(url_for("compare.compare_page") + "?ids=" + ",".join(ids))
    if not MIN_IDS <= len(ids) <= MAX_IDS:
        raise ApiError(400, "choose two to four", f"compare takes {MIN_IDS} to {MAX_IDS} ids, the paths after /id/ "
                       "separated by commas, such as /compare?ids=certification/cpc,certification/ccs "
                       f"({len(ids)} given)")
    store = state.store()
    columns: list[Column] = []
    for path in ids:
        iri = ID_BASE + path
        kind = _kind_of(_types(store, iri)) if looks_like_iri(iri) else None
        if kind is None:
            raise ApiError(400, "not comparable", f"{path!r} is not a certification, role or region of the graph: "
                           "give the path after /id/ of one, such as certification/cpc, role/medical-coder or region/us/ca")
        columns.append(Column(path, iri, "", COMPARABLE[kind], href(iri)))
    names = labels(store, {c.iri for c in columns})
    citations = Citations()
    for column in columns:
        column.label = names.get(column.iri, column.path)
        column.cells = _cells(store, column, citations)
    rows = [(key, title) for key, title in ROWS]
    stated = [(key, title) for key, title in rows if any(c.cells.get(key) for c in columns)]
    missing = [title for key, title in rows if not any(c.cells.get(key) for c in columns)]
    return render_template("compare.html", columns=columns, rows=stated, missing=missing, citations=citations,
                           ids=",".join(ids))


# ---------------------------------------------------------------- the cells

def _cite(citations: Citations, claims: list[dict], limit: int = 1) -> Markup:
    return citations.cite(claims, limit=limit) if claims else Markup("")


def _cells(store, column: Column, citations: Citations) -> dict[str, list[Markup]]:
    term = iri_term(column.iri, "entity")
    cells: dict[str, list[Markup]] = {"kind": [Markup("{}").format(_kind_label(store, column.iri))]}
    cells["issuer"] = _related(store, term, "mbc:issuedBy", citations)
    figures = read_figures(store, about=column.iri)
    cells["pay"] = _pay(store, column, [f for f in figures if f.kind == "WageStatistic"], citations)
    cells["growth"] = _growth(store, column, [f for f in figures if f.kind == "GrowthProjection"], citations)
    cells["requirements"] = _requirements(store, term, citations)
    cells["program"] = _program_length(store, term, citations)
    cells["documents"] = _documents(store, term)
    return cells


def _kind_label(store, iri: str) -> str:
    rows = select(store, f"""SELECT ?label (COUNT(?super) AS ?depth) WHERE {{ {iri_term(iri, 'entity')} a ?c .
        ?c rdfs:label ?label . FILTER(STRSTARTS(STR(?c), STR(mbc:))) OPTIONAL {{ ?c rdfs:subClassOf+ ?super }} }}
        GROUP BY ?c ?label ORDER BY DESC(?depth)""")
    return rows[0]["label"].value if rows else ""


def _claims(store, subject: str, predicate: str, obj: str | None = None) -> list[dict]:
    from service.data_access import claim_rows

    return claim_rows(store, subject, predicate, obj, limit=20)


def _related(store, term: str, predicate: str, citations: Citations) -> list[Markup]:
    rows = select(store, f"SELECT DISTINCT ?o ?label WHERE {{ {term} {predicate} ?o . OPTIONAL {{ ?o rdfs:label ?label }} }}")
    cells = []
    for row in rows:
        other = row["o"].value
        name = row["label"].value if row["label"] else other.rsplit("/", 1)[-1]
        claims = _claims(store, term[1:-1], predicate.replace("mbc:", str(MBC)), other)
        link = Markup('<a href="{}">{}</a>').format(href(other), name) if href(other) else Markup("{}").format(name)
        cells.append(link + _cite(citations, claims, 2))
    return cells


def _place_name(names: dict[str, str], iri: str | None) -> str:
    return names.get(iri, iri.rsplit("/", 1)[-1]) if iri else "no place stated"


def _pay(store, column: Column, figures: list[Figure], citations: Citations) -> list[Markup]:
    """'Fresno, CA MSA: median $49.92 an hour [3]', highest first within each period, hourly first."""
    shown = [f for f in figures if f.numbers.get("median") is not None or f.numbers.get("mean") is not None]
    names = labels(store, {f.region for f in shown if f.region} | {f.role for f in shown if f.role})
    shown.sort(key=lambda f: (f.period != "Hour", -(f.numbers.get("median") or f.numbers.get("mean") or 0)))
    cells = []
    for figure in shown[:PAY_SHOWN]:
        measure = "median" if "median" in figure.numbers else "mean"
        where = [] if column.kind == "region" and figure.region == column.iri else [_place_name(names, figure.region)]
        if figure.role and column.kind != "role":
            where.append(names.get(figure.role, ""))
        qualifier = figure.details.get("valueQualifier")
        amount = money(figure.lexical[measure], figure.period, figure.details.get("currency"))
        text = Markup("{}{} {}<strong>{}</strong> {}").format(
            ", ".join(w for w in where if w) + (": " if any(where) else ""), measure,
            qualifier + " " if qualifier else "", amount, per_period(figure.period))
        if figure.year:
            text += Markup(" ({})").format(figure.year)
        cells.append(text + _cite(citations, figure.claims.get(measure, [])))
    if len(shown) > PAY_SHOWN:
        cells.append(Markup('<a href="{}">{} more figures</a>').format(column.href or "#", len(shown) - PAY_SHOWN))
    return cells


def _growth(store, column: Column, figures: list[Figure], citations: Citations) -> list[Markup]:
    names = labels(store, {f.region for f in figures if f.region} | {f.role for f in figures if f.role})
    cells = []
    for figure in figures:
        years = figure.details.get("startYear"), figure.details.get("endYear")
        span = Markup(" {}\u2013{}").format(*years) if all(years) else Markup(" by {}").format(years[1]) if years[1] else Markup("")
        where = [n for n in (_place_name(names, figure.region) if figure.region and figure.region != column.iri else "",
                             names.get(figure.role, "") if figure.role and figure.role != column.iri else "") if n]
        prefix = Markup("{}: ").format(", ".join(where)) if where else Markup("")
        if "percentChange" in figure.numbers:
            cells.append(prefix + Markup("<strong>{}</strong>{}").format(percent(figure.lexical["percentChange"]), span)
                         + _cite(citations, figure.claims.get("percentChange", [])))
        if "annualOpenings" in figure.numbers:
            cells.append(prefix + Markup("<strong>{}</strong> openings a year{}").format(
                number(figure.lexical["annualOpenings"]), span) + _cite(citations, figure.claims.get("annualOpenings", [])))
    return cells


def _requirements(store, term: str, citations: Citations) -> list[Markup]:
    rows = select(store, f"""SELECT DISTINCT ?p ?plabel ?o ?olabel WHERE {{ {term} ?p ?o .
        OPTIONAL {{ ?p rdfs:label ?plabel }} OPTIONAL {{ ?o rdfs:label ?olabel }} }}""")
    cells = []
    for row in rows:
        predicate = row["p"].value
        name = row["plabel"].value if row["plabel"] else predicate.rsplit("#", 1)[-1]
        if not REQUIREMENT_WORDS.search(name) and not REQUIREMENT_WORDS.search(predicate.rsplit("#", 1)[-1]):
            continue
        value = row["olabel"].value if row["olabel"] else row["o"].value
        target = href(row["o"].value)
        shown = Markup('<a href="{}">{}</a>').format(target, value) if target else Markup("{}").format(value)
        cells.append(Markup("{}: ").format(name) + shown + _cite(citations, _claims(store, term[1:-1], predicate, row["o"].value)))
    return cells


def _program_length(store, term: str, citations: Citations) -> list[Markup]:
    """The length of the entity itself (a program) or of the programs the graph links to it."""
    rows = select(store, f"""SELECT DISTINCT ?prog ?label ?min ?max WHERE {{
        {{ BIND({term} AS ?prog) }} UNION {{ {term} ?link ?prog }} UNION {{ ?prog ?link {term} }}
        ?prog a mbc:EducationProgram . OPTIONAL {{ ?prog rdfs:label ?label }}
        OPTIONAL {{ ?prog mbc:minMonths ?min }} OPTIONAL {{ ?prog mbc:maxMonths ?max }}
        FILTER(BOUND(?min) || BOUND(?max)) }}""")
    cells = []
    for row in rows:
        low, high = (row["min"].value if row["min"] else None), (row["max"].value if row["max"] else None)
        span = f"{number(low)} to {number(high)}" if low and high and low != high else number(low or high)
        program = row["prog"].value
        claims = _claims(store, program, str(MBC.minMonths)) + _claims(store, program, str(MBC.maxMonths))
        name = row["label"].value if row["label"] else program.rsplit("/", 1)[-1]
        cells.append(Markup('<a href="{}">{}</a>: {} months').format(href(program), name, span) + _cite(citations, claims))
    return cells


def _documents(store, term: str) -> list[Markup]:
    rows = select(store, f"""SELECT ?file ?title (COUNT(DISTINCT ?p) AS ?passages) WHERE {{ ?p mbc:mentions {term} ;
        mbc:document ?d . ?d mbc:sourceFile ?file ; dcterms:title ?title }} GROUP BY ?file ?title ORDER BY ?title""")
    return [Markup('<a href="{}">{}</a> ({} passage{})').format(
        url_for("documents.document_page", name=row["file"].value), row["title"].value, row["passages"].value,
        "" if int(row["passages"].value) == 1 else "s") for row in rows]
