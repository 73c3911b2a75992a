"""Figures in tables: header cells name the columns (location, pay type, measures, ranges, growth,
employment); each row gives one wage statistic per pay period, and growth where a column holds it.
Tables are parsed once per document (ingest.tables.parse_tables) and read from the analysis."""
from __future__ import annotations

from ingest.confidence import FIGURES as CONFIDENCE
from ingest.figures.records import GrowthRecord, RegionRef, Value, WageRecord
from ingest.quantities import find_money, find_reference_year
from ingest.regions import Place, read_place
from ingest.tables import Column, count_of, percent_of, period_of_word


class TableRules:
    def table(self, block_index: int, block, block_units: list) -> None:
        parsed = self.context.tables.get(block_index)
        if parsed is None:
            return
        columns = parsed.columns
        if not any(c.role in ("measure", "range", "growth", "employment") for c in columns):
            return
        lead_text = self._lead_in_text(block)
        for line, row in parsed.rows:
            for unit in (u for u in block_units if u.start == line.start):
                if row is None or len(row.cells) < len(columns):
                    continue
                self._table_row(unit, columns, row, lead_text)

    def _lead_in_text(self, block) -> str:
        """The text that introduces a table: the block before it; a caption line right after it
        ("Medical records specialists, May 2023") is read too, for the year it states."""
        index = self.context.layout.blocks.index(block)
        blocks = self.context.layout.blocks
        previous = blocks[index - 1] if index > 0 else None
        lead = "" if previous is None or previous.kind == "table" else self.context.text[previous.start:previous.end]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is not None and following.kind == "paragraph" and len(following.lines) == 1:
            caption = self.context.text[following.start:following.end]
            if len(caption.split()) <= 12 and find_reference_year(lead) is None:
                lead = (lead + "\n" + caption).strip()
        return lead

    def _table_row(self, unit, columns: list[Column], row, lead_text: str) -> None:
        cells = dict(zip(range(len(columns)), row.cells))
        place = None
        role = None
        for index, column in enumerate(columns):
            if column.role == "location" and place is None:
                place = read_place(self.context.vocabulary, cells[index], self.context.document_state)
                if place is not None:
                    start, end = row.cell_spans[index]
                    region = self._place_mention_for_cell(unit, place, cells[index], start, end)
            elif column.role == "job":
                role = next(iter(self.context.mentions(unit, "Role")), None)
        if place is None:
            region = self.context.default_region
        period_cell = next((cells[i] for i, c in enumerate(columns) if c.role == "period"), "")
        row_period = period_of_word(period_cell) if period_cell else None
        values: list[Value] = []
        value_periods: list[str] = []
        for index, column in enumerate(columns):
            if column.role not in ("measure", "range"):
                continue
            figures = find_money(cells[index])
            if column.role == "range":
                figures = figures[:2] if len(figures) >= 2 else []
            for measure, figure in zip(("low", "high") if column.role == "range" else (column.measure,), figures):
                period = column.period or row_period or period_of_word(lead_text) or (
                    "Hour" if figure.value < 500 else "Year")
                value_periods.append(period)
                values.append(Value(measure, figure.value, figure.qualifier, unit))
        employment = next((count_of(cells[i]) for i, c in enumerate(columns) if c.role == "employment"
                           and count_of(cells[i]) is not None), None)
        by_period: dict[str, list[Value]] = {}
        for value, period in zip(values, value_periods):
            by_period.setdefault(period, []).append(value)
        # a row's employment is one count of workers; when the row gives hourly and annual pay, it goes on
        # the annual statistic (the convention of the published tables, whose counts sit with annual figures)
        ordered = sorted(by_period.items(), key=lambda item: item[0] != "Year")
        for period, period_values in ordered:
            self.records.append(WageRecord(
                region=region, period=period, values=period_values, units=[unit], extractor="wage-table-row",
                confidence=CONFIDENCE["wage-table-row"], block=unit.block,
                role=role or next(iter(self.context.mentions(unit, "Role")), None),
                reference_year=find_reference_year(lead_text),
                employment=(employment, None) if employment is not None else None))
            employment = None  # one record carries the row's employment
        for index, column in enumerate(columns):
            if column.role == "growth":
                figure = percent_of(cells[index])
                if figure is not None:
                    self.records.append(GrowthRecord(
                        region=region, units=[unit], extractor="growth-table-row",
                        confidence=CONFIDENCE["growth-table-row"], percent=figure.value,
                        start_year=column.years[0], end_year=column.years[1], role=role))

    def _place_mention_for_cell(self, unit, place: Place, cell: str, start: int, end: int) -> RegionRef:
        nstart = self.context.normalized.to_normalized(start)
        nend = self.context.normalized.to_normalized(end, "end")
        mention = self._ensure_place_mention(unit, place, cell, (nstart, nend))
        return RegionRef(place.key, place, mention, "named")
