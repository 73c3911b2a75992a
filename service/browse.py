"""Browse pages: every document and every entity of a kind (/certifications, /organizations, /regions,
/roles, /programs, /code-sets, /laws, /documents), each with its key facts and counts, sortable, linked
to the entities' pages; /browse (and /id/) lists the kinds.

Sorting is done here (`?sort=column&order=desc`), so the tables sort without script and a sorted
table is a link that can be shared.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, abort, render_template, request, url_for

from kg.figures import growth_ranges, median_ranges, regions_with_pay
from kg.namespaces import MBC
from service import state
from service.data_access import select
from service.errors import ApiError
from service.presentation import href, money, number, percent

bp = Blueprint("browse", __name__)


@dataclass
class Cell:
    text: str = ""
    href: str | None = None
    sort: object = None                                  # what the column sorts by (None sorts last)
    links: list[tuple[str, str | None]] = field(default_factory=list)   # several linked names in one cell
    numeric: bool = False


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    numeric: bool = False


@dataclass(frozen=True)
class Kind:
    path: str             # the URL of its list
    title: str            # plural, for the page and the navigation
    singular: str
    cls: str              # its class IRI
    blurb: str            # what the list shows, one line


KINDS = [
    Kind("certifications", "Certifications", "certification", str(MBC.Certification),
         "Professional credentials, with the bodies that issue them."),
    Kind("organizations", "Organizations", "organization", str(MBC.Organization),
         "Issuing bodies, associations, accreditors and agencies, with what they issue."),
    Kind("regions", "Regions", "region", str(MBC.Region),
         "Countries, states, metro areas and cities, with their median pay and projected growth."),
    Kind("roles", "Roles", "role", str(MBC.Role),
         "Occupations and job titles, with their pay and growth figures."),
    Kind("programs", "Programs", "program", str(MBC.EducationProgram),
         "Education paths, with their length and accreditors."),
    Kind("code-sets", "Code sets", "code set", str(MBC.CodeSet), "Classification and billing code sets."),
    Kind("laws", "Laws", "law", str(MBC.Regulation), "Laws and regulations the documents name."),
]
KIND_BY_PATH = {kind.path: kind for kind in KINDS}


def navigation() -> list[tuple[str, str]]:
    """(title, URL) of every browse page, for the site's navigation."""
    return [("Documents", "/documents")] + [(kind.title, "/" + kind.path) for kind in KINDS]


# ---------------------------------------------------------------- queries shared by every kind

def _entities(store, cls: str) -> dict[str, dict]:
    rows = select(store, f"""SELECT ?e (SAMPLE(?l) AS ?label) (SAMPLE(?a) AS ?acronym) WHERE {{
        ?e a <{cls}> . OPTIONAL {{ ?e rdfs:label ?l }} OPTIONAL {{ ?e mbc:acronym ?a }} }} GROUP BY ?e""")
    return {row["e"].value: {"label": row["label"].value if row["label"] else row["e"].value,
                             "acronym": row["acronym"].value if row["acronym"] else ""} for row in rows}


def _per_entity_count(store, cls: str, pattern: str) -> dict[str, int]:
    rows = select(store, f"SELECT ?e (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?e a <{cls}> . {pattern} }} GROUP BY ?e")
    return {row["e"].value: int(row["n"].value) for row in rows}


def _documents_mentioning(store, cls: str) -> dict[str, int]:
    return _per_entity_count(store, cls, "?p mbc:mentions ?e ; mbc:document ?x .")


def _claims_about(store, cls: str) -> dict[str, int]:
    return _per_entity_count(store, cls, "{ ?x rdf:subject ?e } UNION { ?x rdf:object ?e }")


def _linked(store, cls: str, pattern: str) -> dict[str, list[tuple[str, str | None]]]:
    """(label, page) of the ?other entities each entity of `cls` is linked to by `pattern`."""
    rows = select(store, f"""SELECT DISTINCT ?e ?other ?label WHERE {{ ?e a <{cls}> . {pattern}
        OPTIONAL {{ ?other rdfs:label ?label }} }} ORDER BY ?label""")
    found: dict[str, list] = {}
    for row in rows:
        other = row["other"].value
        found.setdefault(row["e"].value, []).append((row["label"].value if row["label"] else other, href(other)))
    return found


def _range_cell(low, high, write) -> Cell:
    if low is None:
        return Cell(numeric=True)
    text = write(low) if low == high else f"{write(low)}\u2013{write(high)}"
    return Cell(text, sort=float(low), numeric=True)


def _count_cell(count: int) -> Cell:
    return Cell(number(count), sort=count, numeric=True)


def _names_cell(links: list[tuple[str, str | None]]) -> Cell:
    return Cell(", ".join(label for label, _ in links), sort=links[0][0].casefold() if links else None,
                links=links)


# ---------------------------------------------------------------- each kind's columns

def _base_rows(store, kind: Kind) -> tuple[dict[str, dict], dict[str, int], dict[str, int]]:
    return _entities(store, kind.cls), _documents_mentioning(store, kind.cls), _claims_about(store, kind.cls)


def _name_cells(iri: str, entity: dict) -> dict[str, Cell]:
    return {"name": Cell(entity["label"], href(iri), entity["label"].casefold()),
            "acronym": Cell(entity["acronym"], sort=entity["acronym"] or None)}


def _tail_cells(iri: str, documents: dict, claims: dict) -> dict[str, Cell]:
    return {"documents": _count_cell(documents.get(iri, 0)), "claims": _count_cell(claims.get(iri, 0))}


def _certifications(store, kind: Kind):
    entities, documents, claims = _base_rows(store, kind)
    issuers = _linked(store, kind.cls, "?e mbc:issuedBy ?other .")
    columns = [Column("name", "Certification"), Column("acronym", "Acronym"), Column("issuers", "Issued by"),
               Column("documents", "Documents", True), Column("claims", "Claims", True)]
    rows = [{**_name_cells(iri, e), "issuers": _names_cell(issuers.get(iri, [])), **_tail_cells(iri, documents, claims)}
            for iri, e in entities.items()]
    return columns, rows


def _organizations(store, kind: Kind):
    entities, documents, claims = _base_rows(store, kind)
    issues = _linked(store, kind.cls, "?other mbc:issuedBy ?e .")
    accredits = _linked(store, kind.cls, "?other mbc:accreditedBy ?e .")
    columns = [Column("name", "Organization"), Column("acronym", "Acronym"), Column("issues", "Issues"),
               Column("accredits", "Accredits"), Column("documents", "Documents", True),
               Column("claims", "Claims", True)]
    rows = [{**_name_cells(iri, e), "issues": _names_cell(issues.get(iri, [])),
             "accredits": _names_cell(accredits.get(iri, [])), **_tail_cells(iri, documents, claims)}
            for iri, e in entities.items()]
    return columns, rows


def _regions(store, kind: Kind):
    entities, documents, claims = _base_rows(store, kind)
    kinds = _linked(store, kind.cls, "?e a ?other . ?other rdfs:subClassOf mbc:Region .")
    parents = _linked(store, kind.cls, "?e mbc:partOf ?other .")
    wages = median_ranges(store, kind.cls, "region")
    growth = growth_ranges(store, kind.cls, "region")
    columns = [Column("name", "Region"), Column("kind", "Kind"), Column("parent", "Part of"),
               Column("hourly", "Median hourly pay", True), Column("yearly", "Median yearly pay", True),
               Column("growth", "Projected growth", True), Column("documents", "Documents", True)]
    rows = []
    for iri, e in entities.items():
        hourly, yearly = wages.get((iri, "Hour"), (None, None)), wages.get((iri, "Year"), (None, None))
        kind_names = [(label, None) for label, _ in kinds.get(iri, [])]
        rows.append({**_name_cells(iri, e), "kind": _names_cell(kind_names), "parent": _names_cell(parents.get(iri, [])),
                     "hourly": _range_cell(*hourly, lambda v: money(v, period="Hour")),
                     "yearly": _range_cell(*yearly, lambda v: money(v, period="Year")),
                     "growth": _range_cell(*growth.get(iri, (None, None)), percent),
                     "documents": _count_cell(documents.get(iri, 0))})
    return columns, rows


def _roles(store, kind: Kind):
    entities, documents, claims = _base_rows(store, kind)
    codes = {row["e"].value: row["code"].value for row in select(store, f"""SELECT ?e (SAMPLE(?c) AS ?code) WHERE {{
        ?e a <{kind.cls}> ; skos:exactMatch/schema:occupationalCategory ?c }} GROUP BY ?e""")}
    wages = median_ranges(store, kind.cls, "role")
    growth = growth_ranges(store, kind.cls, "role")
    regions = regions_with_pay(store, kind.cls)
    columns = [Column("name", "Role"), Column("code", "Occupation code (reference)"),
               Column("hourly", "Median hourly pay", True), Column("yearly", "Median yearly pay", True),
               Column("regions", "Regions with pay", True),
               Column("growth", "Projected growth", True), Column("documents", "Documents", True)]
    rows = [{"name": _name_cells(iri, e)["name"], "code": Cell(codes.get(iri, ""), sort=codes.get(iri)),
             "hourly": _range_cell(*wages.get((iri, "Hour"), (None, None)), lambda v: money(v, period="Hour")),
             "yearly": _range_cell(*wages.get((iri, "Year"), (None, None)), lambda v: money(v, period="Year")),
             "regions": _count_cell(regions.get(iri, 0)),
             "growth": _range_cell(*growth.get(iri, (None, None)), percent),
             "documents": _count_cell(documents.get(iri, 0))} for iri, e in entities.items()]
    return columns, rows


def _programs(store, kind: Kind):
    entities, documents, claims = _base_rows(store, kind)
    months = {row["e"].value: (row["low"], row["high"]) for row in select(store, f"""
        SELECT ?e (MIN(?min) AS ?low) (MAX(?max) AS ?high) WHERE {{ ?e a <{kind.cls}> .
        OPTIONAL {{ ?e mbc:minMonths ?min }} OPTIONAL {{ ?e mbc:maxMonths ?max }} }} GROUP BY ?e""")}
    accreditors = _linked(store, kind.cls, "?e mbc:accreditedBy ?other .")
    columns = [Column("name", "Program"), Column("months", "Length (months)", True),
               Column("accreditors", "Accredited by"), Column("documents", "Documents", True),
               Column("claims", "Claims", True)]
    rows = []
    for iri, e in entities.items():
        low, high = months.get(iri, (None, None))
        low_value = low.value if low is not None else (high.value if high is not None else None)
        high_value = high.value if high is not None else low_value
        rows.append({"name": _name_cells(iri, e)["name"], "months": _range_cell(low_value, high_value, number),
                     "accreditors": _names_cell(accreditors.get(iri, [])), **_tail_cells(iri, documents, claims)})
    return columns, rows


def _named_things(store, kind: Kind):
    entities, documents, claims = _base_rows(store, kind)
    columns = [Column("name", kind.title[:-1].capitalize()), Column("acronym", "Acronym"),
               Column("documents", "Documents", True), Column("claims", "Claims", True)]
    rows = [{**_name_cells(iri, e), **_tail_cells(iri, documents, claims)} for iri, e in entities.items()]
    return columns, rows


BUILDERS = {"certifications": _certifications, "organizations": _organizations, "regions": _regions,
            "roles": _roles, "programs": _programs}
# The columns each list sorts by (?sort=), for the API description; tests/test_web_pages.py holds them to the
# builders' columns.
SORT_KEYS = {
    "documents": ["name", "file", "characters", "passages", "entities", "claims"],
    "certifications": ["name", "acronym", "issuers", "documents", "claims"],
    "organizations": ["name", "acronym", "issues", "accredits", "documents", "claims"],
    "regions": ["name", "kind", "parent", "hourly", "yearly", "growth", "documents"],
    "roles": ["name", "code", "hourly", "yearly", "regions", "growth", "documents"],
    "programs": ["name", "months", "accreditors", "documents", "claims"],
    "code-sets": ["name", "acronym", "documents", "claims"],
    "laws": ["name", "acronym", "documents", "claims"],
}


def _documents_table(generation):
    store = generation.store
    claims = {row["d"].value: int(row["n"].value) for row in select(
        store, "SELECT ?d (COUNT(?c) AS ?n) WHERE { ?c a mbc:Claim ; mbc:document ?d } GROUP BY ?d")}
    entities = {row["d"].value: int(row["n"].value) for row in select(
        store, "SELECT ?d (COUNT(DISTINCT ?e) AS ?n) WHERE { ?p mbc:mentions ?e ; mbc:document ?d } GROUP BY ?d")}
    columns = [Column("name", "Title"), Column("file", "File"), Column("characters", "Characters", True),
               Column("passages", "Passages", True), Column("entities", "Entities named", True),
               Column("claims", "Claims", True)]
    rows = []
    for name, entry in generation.documents.items():
        title = entry.get("title", name)
        document = entry.get("document", "")
        rows.append({"name": Cell(title, url_for("documents.document_page", name=name), title.casefold()),
                     "file": Cell(name, href(document) if document else None, name),
                     "characters": _count_cell(entry.get("characters", 0)),
                     "passages": _count_cell(entry.get("passages", 0)),
                     "entities": _count_cell(entities.get(document, 0)),
                     "claims": _count_cell(claims.get(document, 0))})
    return columns, rows


def _sort_request(columns: list[Column], path: str) -> tuple[str, str]:
    """The column and order asked for; one this table does not have is a 400 that names the ones it has
    (a link sorted by a misspelled column would otherwise show the table in another order, silently)."""
    keys = [column.key for column in columns]
    key = request.args.get("sort", "name")
    if key not in keys:
        raise ApiError(400, "unknown sort column",
                       f"this table has no column {key!r} to sort by; it sorts by {', '.join(keys)} "
                       f"(e.g. /{path}?sort={keys[-1]}&order=desc)")
    order = request.args.get("order", "asc")
    if order not in ("asc", "desc"):
        raise ApiError(400, "unknown sort order", f"order must be asc or desc, not {order!r}")
    return key, order


def _sorted(columns: list[Column], rows: list[dict], key: str, order: str) -> tuple[list[dict], str, str]:
    if key not in {column.key for column in columns}:    # a column no entry has a value for: by name
        key = "name"
    present = [row for row in rows if row[key].sort is not None]
    missing = [row for row in rows if row[key].sort is None]     # empty cells last, whatever the order
    present.sort(key=lambda row: (row[key].sort, row["name"].sort), reverse=order == "desc")
    missing.sort(key=lambda row: row["name"].sort)
    return present + missing, key, order


def _render(title: str, blurb: str, columns, rows, kind_path: str, pay_map=None):
    key, order = _sort_request(columns, kind_path)
    # a column no entry has a value for says nothing: leave it out
    columns = [c for c in columns if c.key == "name" or any(row[c.key].text or row[c.key].links for row in rows)]
    rows, sort_key, order = _sorted(columns, rows, key, order)
    return render_template("browse.html", title=title, blurb=blurb, columns=columns, rows=rows, sort_key=sort_key,
                           order=order, kind_path=kind_path, pay_map=pay_map)


@bp.route("/documents")
@bp.route("/documents/")
def documents():
    generation = state.served()
    columns, rows = generation.cached_download("browse:documents", lambda: _documents_table(generation))
    return _render("Documents", "The source documents, with how much of the graph each one gave.", columns,
                   [dict(row) for row in rows], "documents")


@bp.route("/<any(" + ", ".join(f'"{kind.path}"' for kind in KINDS) + "):path>")
def kind_list(path: str):
    kind = KIND_BY_PATH.get(path)
    if kind is None:
        abort(404)
    generation = state.served()
    builder = BUILDERS.get(path, _named_things)
    # built once per generation (the cache holds any value, not only downloads)
    columns, rows = generation.cached_download(f"browse:{path}", lambda: builder(generation.store, kind))
    pay_map = None
    if path == "regions":
        from service import paymap

        built = generation.cached_download("paymap:all", lambda: paymap.build(generation.store))
        pay_map = None if built.empty else paymap.choose(built, *(request.args.get(k) for k in ("period", "role", "measure")))
    return _render(kind.title, kind.blurb, columns, [dict(row) for row in rows], path, pay_map)


@bp.route("/browse")
@bp.route("/id/")
def index():
    generation = state.served()
    counts = {row["c"].value: int(row["n"].value) for row in select(
        generation.store, "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c } GROUP BY ?c")}
    entries = [{"title": "Documents", "href": "/documents", "count": len(generation.documents),
                "blurb": "The source documents, with how much of the graph each one gave."}]
    entries += [{"title": kind.title, "href": "/" + kind.path, "count": counts.get(kind.cls, 0), "blurb": kind.blurb}
                for kind in KINDS]
    entries.append({"title": "Claims", "href": "/claims/", "count": counts.get(str(MBC.Claim), 0),
                    "blurb": "Every extracted fact with the quote it came from."})
    return render_template("browse_index.html", entries=entries)
