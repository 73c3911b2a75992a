"""The pay map's data: every wage figure with its place located (service.geography), its role, period,
year and quoted sources, for /regions and for the pages of a role or a certification (the figures of
the documents that mention it). The browser draws it (static/paymap.js); the same figures fill the
table beside the map, which is what a screen reader reads and what a phone can scroll.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup

from kg.figures import Figure, money_properties, read_figures
from kg.namespaces import MBC
from service.data_access import iri_term, labels, select
from service.geography import BY_CODE, Gazetteer, gazetteer, locate
from service.places import PlaceFacts, read_places
from service.presentation import href, money, number, per_period, snippet

MEASURES = ("median", "mean", "low", "high")         # the table's columns; the map colours by median or mean
SOURCES_SHOWN = 3
PERIOD_NAMES = {"Hour": "Hourly", "Year": "Annual", "Month": "Monthly", "Week": "Weekly"}


@dataclass
class PayMap:
    data: dict                                           # what the browser draws from (JSON)
    rows: list[dict] = field(default_factory=list)       # the table beside the map
    periods: list[tuple[str, str]] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)
    period: str = "Hour"
    scope: str = ""                                      # "" for every document, else what restricts it
    drawable: bool = True                                # some figure has a place on the map

    @property
    def json(self) -> Markup:
        # inside <script type="application/json">: "</" must not close the element
        return Markup(json.dumps(self.data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/"))

    @property
    def empty(self) -> bool:
        return not self.rows


def _sources(figure: Figure) -> list[dict]:
    seen, sources = set(), []
    for claim in sorted(figure.all_claims(), key=lambda c: (c["source_file"], c["start"])):
        span = (claim["source_file"], claim["start"], claim["end"])
        if span in seen:
            continue
        seen.add(span)
        sources.append({"title": claim["title"], "quote": snippet(claim["quote"], 160),
                        "href": url_for("documents.document_page", name=claim["source_file"], start=claim["start"],
                                        end=claim["end"]) + "#highlight"})
    return sources


def _place_json(place: PlaceFacts, places: dict[str, PlaceFacts], index: Gazetteer) -> dict:
    location = locate(place, places, index)
    within = [places[i].label for i in place.within if i in places]
    if not within and location and location.states and not location.shape:
        within = [BY_CODE[code][1] for code in location.states]
    return {"label": place.label, "href": href(place.iri), "kind": place.kind_label or "Region",
            "within": ", ".join(within), "at": location.as_json() if location else None,
            "national": "Country" in place.kinds}


def build(store, documents: set[str] | None = None, scope: str = "") -> PayMap:
    """The map of every wage figure (or of those stated in `documents`), with the default choices."""
    figures = [f for f in read_figures(store, ("WageStatistic",), documents=documents) if f.period]
    money_names = money_properties(store)
    regions = {f.region for f in figures if f.region}
    places = read_places(store, regions) if regions else {}
    index = gazetteer()
    roles = {f.role for f in figures if f.role}
    names = labels(store, roles | {str(MBC) + name for f in figures for name in f.numbers})
    place_json = {iri: _place_json(places[iri], places, index) for iri in regions if iri in places}
    figure_json, rows = [], []
    for figure in figures:
        period_name = figure.period
        currency = figure.details.get("currency")
        values = {name: value for name, value in figure.numbers.items() if name in money_names}
        texts = {name: money(figure.lexical[name], period_name, currency) for name in values}
        others = [[names.get(str(MBC) + name, name), number(figure.lexical[name])]
                  for name in figure.numbers if name not in money_names]
        sources = _sources(figure)
        entry = {"id": figure.iri, "place": figure.region, "role": figure.role, "period": period_name,
                 "values": values, "text": texts, "others": others, "year": figure.year,
                 "qualifier": figure.details.get("valueQualifier"), "experience": figure.details.get("experienceLevel"),
                 "sources": sources[:SOURCES_SHOWN], "more_sources": max(0, len(sources) - SOURCES_SHOWN)}
        figure_json.append(entry)
        place = place_json.get(figure.region or "", None)
        rows.append({"place": place["label"] if place else "No place stated", "place_href": place["href"] if place else None,
                     "kind": place["kind"] if place else "", "within": place["within"] if place else "",
                     "on_map": bool(place and place["at"] and ("shape" in place["at"] or "point" in place["at"]
                                                               or "county" in place["at"])),
                     "role": names.get(figure.role, "") if figure.role else "", "role_iri": figure.role or "",
                     "period": period_name, "per": per_period(period_name), **{m: texts.get(m, "") for m in MEASURES},
                     "year": figure.year or "", "qualifier": entry["qualifier"] or "", "experience": entry["experience"] or "",
                     "sources": sources[:SOURCES_SHOWN], "more_sources": entry["more_sources"]})
    rows.sort(key=lambda r: (r["period"], r["place"] == "No place stated", r["place"].casefold(), r["role"]))
    counts: dict[str, int] = {}
    for entry in figure_json:
        if entry["place"] in place_json and place_json[entry["place"]]["at"]:
            counts[entry["period"]] = counts.get(entry["period"], 0) + 1
    all_periods = sorted({f["period"] for f in figure_json}, key=lambda p: (p not in PERIOD_NAMES, list(PERIOD_NAMES).index(p)
                                                                            if p in PERIOD_NAMES else 0, p))
    chosen_period = max(all_periods, key=lambda p: (counts.get(p, 0), p == "Hour")) if all_periods else "Hour"
    # colour by the median unless the chosen period's figures on the map are mostly means
    located = [e for e in figure_json if e["period"] == chosen_period and (place_json.get(e["place"] or "") or {}).get("at")]
    medians, means = (sum(1 for e in located if m in e["values"]) for m in ("median", "mean"))
    role_options = sorted(((iri, names.get(iri, iri.rsplit("/", 1)[-1])) for iri in roles), key=lambda r: r[1].casefold())
    data = {"places": place_json, "figures": figure_json, "period": chosen_period, "role": "",
            "measure": "mean" if means > medians else "median", "periods": {p: PERIOD_NAMES.get(p, p) for p in all_periods},
            "roles": dict(role_options), "atlas": url_for("assets.library", name="states-10m.json"),
            "counties": url_for("assets.library", name="counties-10m.json")}
    return PayMap(data, rows, [(p, PERIOD_NAMES.get(p, p)) for p in all_periods], role_options, chosen_period, scope,
                  drawable=any(counts.values()))


def choose(pay_map: PayMap, period: str | None, role: str | None, measure: str | None) -> PayMap:
    """The same map with the choices a query string asks for (?period=&role=&measure=); anything it does
    not offer keeps the default. The browser changes them later without a reload."""
    data = dict(pay_map.data)
    if period in data["periods"]:
        data["period"] = period
    if role in data["roles"] or role == "none":
        data["role"] = role
    if measure in ("median", "mean"):
        data["measure"] = measure
    return PayMap(data, pay_map.rows, pay_map.periods, pay_map.roles, data["period"], pay_map.scope, pay_map.drawable)


def documents_mentioning(store, iri: str) -> set[str]:
    """The documents (IRIs) with a passage that mentions the entity or a claim about it."""
    term = iri_term(iri, "entity")
    rows = select(store, f"""SELECT DISTINCT ?d WHERE {{ {{ ?p mbc:mentions {term} ; mbc:document ?d }}
        UNION {{ ?c rdf:subject {term} ; mbc:document ?d }} UNION {{ ?c rdf:object {term} ; mbc:document ?d }} }}""")
    return {row["d"].value for row in rows}


def for_entity(store, iri: str, label: str) -> PayMap | None:
    """The map restricted to the documents that mention a role or certification, or None without figures."""
    documents = documents_mentioning(store, iri)
    if not documents:
        return None
    pay_map = build(store, documents, scope=label)
    return None if pay_map.empty else pay_map
