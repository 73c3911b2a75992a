"""Wage charts for region and role pages: inline SVG bar charts, drawn on the server."""
from __future__ import annotations

from markupsafe import Markup, escape

from kg.namespaces import MBC, is_local, local_path
from service.data_access import iri_term, select


def _href(iri: str) -> str | None:
    return "/id/" + local_path(iri) if is_local(iri) else None


def wage_charts(store, iri: str, types: list[str]) -> list[dict]:
    """Bar charts of wages across regions: for a region, itself and the places within it; for a role,
    every region with a figure for it."""
    if str(MBC.Role) in types:
        where = f"?w mbc:role {iri_term(iri, 'role')} ; mbc:region ?r ."
    elif str(MBC.Region) in types:
        where = f"?w mbc:region ?r . ?r mbc:partOf* {iri_term(iri, 'region')} ."
    else:
        return []
    rows = select(store, f"""SELECT ?r ?label ?period ?median ?mean ?low ?high WHERE {{
        ?w a mbc:WageStatistic ; mbc:payPeriod ?period . {where} ?r rdfs:label ?label .
        OPTIONAL {{ ?w mbc:median ?median }} OPTIONAL {{ ?w mbc:mean ?mean }}
        OPTIONAL {{ ?w mbc:low ?low }} OPTIONAL {{ ?w mbc:high ?high }} }}""")
    charts = []
    for period, title in ((str(MBC.Hour), "Hourly wages"), (str(MBC.Year), "Annual wages")):
        bars: dict[str, dict] = {}
        for row in rows:
            if row["period"].value != period:
                continue
            figure = row["median"] or row["mean"]
            measure = "median" if row["median"] is not None else "mean"
            if figure is None:
                continue
            bars.setdefault(row["r"].value, {"label": row["label"].value, "value": float(figure.value),
                                             "measure": measure, "href": _href(row["r"].value)})
        if bars:
            ordered = sorted(bars.values(), key=lambda b: -b["value"])[:40]
            charts.append({"title": title, "svg": bar_chart_svg(ordered, "$/hour" if "Hour" in period else "$/year")})
    return charts


def bar_chart_svg(bars: list[dict], unit: str) -> Markup:
    """An inline SVG bar chart; labels are escaped text, links go to the regions' pages."""
    row_height, label_width, chart_width = 22, 330, 360
    top = max(b["value"] for b in bars) or 1.0
    height = row_height * len(bars) + 30
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {label_width + chart_width + 90} {height}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(unit)}</title>']
    for index, bar in enumerate(bars):
        y = 10 + index * row_height
        width = max(2.0, chart_width * bar["value"] / top)
        label = escape(bar["label"] if len(bar["label"]) <= 48 else bar["label"][:47] + "\u2026")
        value = f"{bar['value']:,.2f}" if bar["value"] < 1000 else f"{bar['value']:,.0f}"
        text = f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{label}</text>'
        if bar.get("href"):
            text = f'<a href="{escape(bar["href"])}">{text}</a>'
        parts.append(text)
        parts.append(f'<rect x="{label_width}" y="{y + 2}" width="{width:.1f}" height="{row_height - 6}" '
                     f'class="bar {escape(bar["measure"])}"><title>{label}: ${value} ({escape(bar["measure"])})</title></rect>')
        parts.append(f'<text x="{label_width + width + 6:.1f}" y="{y + 14}">${value}</text>')
    parts.append(f'<text x="{label_width}" y="{height - 4}" class="axis">{escape(unit)}; median where given, else mean</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
