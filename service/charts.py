"""Wage charts for region and role pages: one chart per pay period, medians and means as two series
with a legend, every name in full, and the same figures in a table beside the chart.

The bars are HTML rows with a small inline SVG each (its width is an SVG attribute, so the page needs
no inline styles under its CSP), which lets long names wrap and keeps them readable on a phone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.figures import wage_values
from kg.namespaces import MBC
from service.presentation import href, money

MEASURES = ("median", "mean")          # the two series; low and high go in the table
PERIODS = (("Hour", "Hourly wages"), ("Year", "Yearly wages"))
MAX_ROWS = 40


@dataclass
class WageRow:
    region: str
    label: str
    href: str | None
    role: str | None
    figures: dict[str, float] = field(default_factory=dict)     # measure -> value
    statistics: list[str] = field(default_factory=list)         # the WageStatistic IRIs behind the row

    @property
    def rank(self) -> float:
        return self.figures.get("median", self.figures.get("mean", 0.0))


def wage_rows(store, iri: str, types: list[str]) -> dict[str, list[WageRow]]:
    """Pay period -> one row per region with a figure: for a role, every region with a figure for it;
    for a region, itself and the places within it."""
    if str(MBC.Role) in types:
        rows = wage_values(store, iri, "role")
    elif str(MBC.Region) in types:
        rows = wage_values(store, iri, "region")
    else:
        return {}
    by_period: dict[str, dict[str, WageRow]] = {}
    for row in rows:
        period = row["period"].value.rsplit("#", 1)[-1]
        region = row["r"].value
        measure = row["measure"].value.rsplit("#", 1)[-1]
        entry = by_period.setdefault(period, {}).setdefault(region, WageRow(
            region, row["label"].value, href(region), row["roleLabel"].value if row["roleLabel"] else None))
        entry.figures.setdefault(measure, float(row["value"].value))   # the first document's figure per measure
        if row["w"].value not in entry.statistics:
            entry.statistics.append(row["w"].value)
    return {period: sorted(regions.values(), key=lambda r: (-r.rank, r.label))
            for period, regions in by_period.items()}


def wage_charts(store, iri: str, types: list[str]) -> list[dict]:
    """Charts ready for the page: title, legend, bar rows (with widths in percent of the largest figure)
    and the rows for the table beside."""
    charts = []
    for period, title in PERIODS:
        rows = [r for r in wage_rows(store, iri, types).get(period, []) if any(m in r.figures for m in MEASURES)]
        if not rows:
            continue
        shown = rows[:MAX_ROWS]
        top = max(r.figures.get(m, 0.0) for r in shown for m in MEASURES) or 1.0
        measures = [m for m in MEASURES if any(m in r.figures for r in shown)]
        bars = []
        for row in shown:
            series = [{"measure": m, "value": money(row.figures[m], period=period),
                       "width": f"{max(0.5, 100 * row.figures[m] / top):.2f}"} for m in measures if m in row.figures]
            described = "; ".join(f"{s['measure']} {s['value']}" for s in series)
            bars.append({"label": row.label, "href": row.href, "series": series,
                         "title": f"{row.label}: {described}"})
        table = [{"label": row.label, "href": row.href, "role": row.role,
                  **{m: money(row.figures[m], period=period) if m in row.figures else "" for m in (*MEASURES, "low", "high")}}
                 for row in rows]
        charts.append({"title": title, "period": period, "measures": measures, "bars": bars, "table": table,
                       "hidden": len(rows) - len(shown)})
    return charts
