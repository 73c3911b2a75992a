"""Figures in tables: header cells name the columns (location, pay type, measures, ranges, growth,
employment); each row gives one wage statistic per pay period, and growth where a column holds it.
Tables are parsed once per document (ingest.table_parser.parse_tables) and read from the analysis."""
from __future__ import annotations

import re

from ingest import lexicon
from ingest.confidence import FIGURES as CONFIDENCE
from ingest.figures.records import EmploymentRecord, GrowthRecord, RegionRef, Value, WageRecord
from ingest.quantities import find_money, find_reference_year, find_year_range
from ingest.places import Place, read_place, state_named_in, state_place
from ingest.table_parser import Column, classify_column, count_of, percent_of, period_of_word


# header words of a column of industries: "Industry", "Work setting", "Type of employer"
_INDUSTRY_HEADER = re.compile(r"(?i)^\s*(?:(?:top\s+)?industr(?:y|ies)(?:\s+\(.*\))?|sector|(?:work\s+|employment\s+)?settings?|"
                              r"employer\s+type|type\s+of\s+(?:employer|facility|industry)|naics\s+industry)\s*$")


def _industry_column(columns: list[Column]) -> list[Column]:
    """The column naming the industry of each row (a BLS industry table: "Industry | Employment | Mean
    hourly wage"), when the table has no location column."""
    if any(c.role == "location" for c in columns):
        return columns
    return [Column(c.header, "industry") if c.role in ("other", "job", "location") and _INDUSTRY_HEADER.match(c.header)
            else c for c in columns]


def _period_column(columns: list[Column], rows: list) -> list[Column]:
    """A column whose every cell is a pay-period word ("Hourly", "Annual") under a header that says
    something else ("Pay"): the period column."""
    if any(c.role == "period" for c in columns):
        return columns
    for index, column in enumerate(columns):
        if column.role != "other":
            continue
        cells = [row.cells[index].strip() for _, row in rows if row is not None and len(row.cells) > index]
        if cells and all(re.fullmatch(r"(?i)hourly|annual(?:ly)?|yearly|hour|year|per hour|per year", c) for c in cells):
            return [*columns[:index], Column(column.header, "period"), *columns[index + 1:]]
    return columns


def _one_period(text: str) -> str | None:
    """The pay period a lead-in names, when it names one ("hourly wages", not "hourly and annual wages")."""
    hourly = re.search(r"(?i)\bhour(?:ly)?\b", text)
    annual = re.search(r"(?i)\b(?:annual(?:ly)?|year(?:ly)?|salar(?:y|ies))\b", text)
    return None if bool(hourly) == bool(annual) else ("Hour" if hourly else "Year")


def _without_caption(columns: list[Column]) -> list[Column]:
    """Header cells that all begin with the same words are a caption folded into the header (a PDF's
    title row merged over the columns: "Hourly and annual wages ..., May 2023 Area"); read them without it."""
    headers = [c.header.split() for c in columns]
    if len(headers) < 2 or any(c.role == "location" for c in columns):
        return columns
    common = 0
    while all(len(h) > common + 1 for h in headers) and len({h[common] for h in headers}) == 1:
        common += 1
    if common < 2:
        return columns
    return [classify_column(" ".join(h[common:])) for h in headers]


# a row label naming a statistic, in a table whose rows are statistics ("10th percentile | $48.25 | $33,110",
# "Median hourly wage | $19.48 | $20.10"): one statistic, maybe a pay period, and nothing else
_LABEL_MEASURES = {"median": "median", "mean": "mean", "average": "mean", "avg": "mean"}
_LABEL_PERIODS = {"hourly": "Hour", "hour": "Hour", "annual": "Year", "annually": "Year", "yearly": "Year",
                  "year": "Year"}
_LABEL_FILLER = {"wage", "wages", "pay", "salary", "earnings", "the", "per", "an", "a", "rate", "(per", "hour)", "year)"}


def row_label(cell: str) -> tuple[str, str | None] | None:
    """'Median' -> ('median', None), 'Annual mean wage' -> ('mean', 'Year'), '90th pct' -> ('percentile90',
    None); None for any other label ("Entry level", "Openings")."""
    words = re.sub(r"[,:*]", " ", cell.lower()).split()
    measures: list[str] = []
    periods: set[str] = set()
    index = 0
    while index < len(words):
        word = words[index]
        percentile = re.fullmatch(r"(10|25|75|90)th", word)
        if percentile and index + 1 < len(words) and words[index + 1].rstrip(".") in ("percentile", "pct"):
            measures.append(f"percentile{percentile.group(1)}")
            index += 2
            continue
        if word in _LABEL_MEASURES:
            measures.append(_LABEL_MEASURES[word])
        elif word.strip("()") in _LABEL_PERIODS:
            periods.add(_LABEL_PERIODS[word.strip("()")])
        elif word not in _LABEL_FILLER:
            return None
        index += 1
    if len(measures) != 1 or len(periods) > 1:
        return None
    return measures[0], next(iter(periods), None)


def row_statistic(cell: str) -> str | None:
    """'Median' -> 'median', '90th percentile' -> 'percentile90'; None for any other label."""
    label = row_label(cell)
    return label[0] if label else None


def _statistic_rows(columns: list[Column], rows: list) -> list[Column]:
    """A table whose rows are statistics and whose columns are pay periods ("Measure | Hourly | Annual",
    then "Median | $19.48 | $40,520"): the first column says each row's statistic, each column headed by
    a period alone holds that period's figures. Its place is not in it (a heading, a caption)."""
    if len(columns) < 2 or columns[0].role not in ("other", "job"):
        return columns
    labels = [row.cells[0] for _, row in rows if row is not None and row.cells and row.cells[0].strip()]
    if not labels or not all(row_statistic(label) for label in labels):
        return columns
    periods = [period_of_word(c.header) if c.role == "other" and _PERIOD_HEADER.match(c.header) else None
               for c in columns[1:]]
    if not any(periods):
        return columns
    return [Column(columns[0].header, "statistic"),
            *(Column(c.header, "measure", None, period) if period else c for c, period in zip(columns[1:], periods))]


# a header that names a pay period and nothing else: "Hourly", "Annual", "Per hour", "Yearly salary"
_PERIOD_HEADER = re.compile(r"(?i)^\s*(?:hourly|annual(?:ly)?|yearly|per\s+hour|per\s+year|an?\s+hour|a\s+year|hour|year)"
                            r"(?:\s+(?:wage|wages|pay|rate|salary|earnings|figure|figures|\(\$\)|\$))?\s*$")


# a column of pay whose header names no statistic: "Posted pay", "Pay", "Salary range", "Rate"
_BEYOND_ONE_STATE = re.compile(lexicon.BEYOND_ONE_STATE_HEADER, re.IGNORECASE)   # "Idaho vs. U.S."
_PAY_HEADER = re.compile(r"(?i)\b(?:pay|wages?|salary|salaries|rate|rates|compensation|earnings)\b")
# what a column of amounts may be other than pay: "Sign-on bonus", "Shift differential", "Exam fee"
_NOT_PAY_HEADER = re.compile(r"(?i)\b(?:bonus|bonuses|differentials?|raises?|increases?|premiums?|stipends?|fees?|"
                             r"tuition|costs?|dues|reimburse\w*|allowances?|per\s+diem|mileage|incentives?|"
                             r"changes?|growth|difference)\b")
# an amount per something other than an hour or a year: "$0.85 per claim", "$4,100/month"
_OTHER_UNIT = re.compile(r"(?i)(?:\bper|/)\s*(?:claim|chart|visit|encounter|record|case|note|line|page|mo\b|month|"
                         r"wk\b|week|day|shift|mile|procedure|account)")


# "Openings / yr", "Annual openings", "Job openings per year": a count of openings each year
_OPENINGS_HEADER = re.compile(r"(?i)^(?=.*\bopenings\b)(?=.*(?:\bannual|\byearly|\bper\s+year|/\s*(?:yr|year)\b|"
                              r"\ba\s+year|\beach\s+year)).{0,60}$")


def _openings_column(columns: list[Column]) -> list[Column]:
    return [Column(c.header, "openings") if c.role == "other" and _OPENINGS_HEADER.match(c.header.strip()) else c
            for c in columns]


def _pay_column(columns: list[Column], rows: list) -> list[Column]:
    """A column headed by a pay word and no statistic ("Posted pay") whose cells hold amounts: each cell
    is a range ("$24.50 - $29.75 /hr": low and high) or one amount (statistic not stated)."""
    out = []
    for index, column in enumerate(columns):
        if column.role == "other" and _PAY_HEADER.search(column.header) and not _NOT_PAY_HEADER.search(column.header):
            cells = [row.cells[index] for _, row in rows if row is not None and len(row.cells) > index
                     and row.cells[index].strip()]
            if cells and sum(1 for cell in cells if find_money(cell)) * 2 > len(cells):
                out.append(Column(column.header, "pay", None, period_of_word(column.header)))
                continue
        out.append(column)
    return out


# the pay period a cell writes after its amounts: "$24.50 - $29.75 /hr", "$46,000 a year", "$21 hourly"
_CELL_PERIOD = re.compile(r"(?i)(?:/\s*(?:hr|hour|yr|year)\b|\b(?:an?|per)\s+(?:hour|year)\b|\bhourly\b|\bannual(?:ly)?\b|"
                          r"\byearly\b)")


def _cell_period(cell: str) -> str | None:
    periods = {period_of_word(m.group()) for m in _CELL_PERIOD.finditer(cell)} - {None}
    return next(iter(periods)) if len(periods) == 1 else None


_CELL_RANGE = re.compile(r"^\s*(?:-|\u2013|\u2014|to|and)\s*$", re.IGNORECASE)


def _one_statistic_per_period(records: list) -> list:
    """The rows of a table of statistics ("10th percentile", "Median", "90th percentile") describe one
    distribution per pay period: one wage statistic holding each row's figure, not one per row."""
    merged: list = []
    for record in records:
        if not isinstance(record, WageRecord):
            merged.append(record)
            continue
        same = next((m for m in merged if isinstance(m, WageRecord) and m.period == record.period
                     and (m.region.key if m.region else None) == (record.region.key if record.region else None)
                     and m.industry == record.industry and m.experience == record.experience
                     and not {v.measure for v in m.values} & {v.measure for v in record.values}), None)
        if same is None:
            merged.append(record)
        else:
            same.values.extend(record.values)
            same.units.extend(u for u in record.units if u not in same.units)
    return merged


class TableRules:
    def table(self, block_index: int, block, block_units: list) -> None:
        parsed = self.context.tables.get(block_index)
        if parsed is None:
            return
        first_unit = next(iter(block_units), None)
        self._rows_state = (self.regions.state_for_rows(first_unit, self._lead_in_place(block)) if first_unit is not None
                            else self.context.document_state)
        if self._places_as_columns(block, parsed, block_units):
            return
        columns = _pay_column(_statistic_rows(_without_caption(parsed.columns), parsed.rows), parsed.rows)
        if not any(c.role in ("measure", "range", "growth", "employment", "pay") for c in columns):
            return
        columns = _openings_column(_industry_column(_period_column(self._place_column(columns, parsed.rows),
                                                                    parsed.rows)))
        lead_text = self._lead_in_text(block)
        self._lead_place = (self._lead_in_place(block) or self._place_of_value_headers(columns)) \
            if not any(c.role == "location" for c in columns) else None
        self._row_above = None
        first = len(self.records)
        for line, row in parsed.rows:
            for unit in (u for u in block_units if u.start == line.start):
                if row is None or len(row.cells) < len(columns):
                    continue
                self._table_row(unit, columns, row, lead_text)
        if any(c.role == "statistic" for c in columns):
            self.records[first:] = _one_statistic_per_period(self.records[first:])

    def _places_as_columns(self, block, parsed, block_units: list) -> bool:
        """A table whose rows are statistics and whose columns are places ("Statistic | Amarillo, TX |
        Lubbock, TX", then "Median hourly wage | $19.48 | $19.87"): each figure is its column's place's, of
        its row's statistic, in the period its row label, its cell or the lead-in names (else its size).
        Only places written in a form that says so head such columns."""
        columns = parsed.columns
        if len(columns) < 2 or any(c.role == "location" for c in columns):
            return False
        labels = [row.cells[0] for _, row in parsed.rows if row is not None and row.cells and row.cells[0].strip()]
        if not labels or not all(row_label(label) for label in labels):
            return False
        header_line = next((line for line in block.lines if line.kind == "table_header"), None)
        header_unit = next((u for u in block_units if header_line is not None and u.start == header_line.start), None)
        if header_unit is None or not header_line.cells or len(header_line.cells) != len(columns):
            return False
        regions: dict[int, RegionRef] = {}
        for index, column in enumerate(columns[1:], start=1):
            if not self._strong_place(column.header):
                continue
            place = read_place(self.context.vocabulary, column.header, self._rows_state)
            start, end = header_line.cells[index]
            mention = self._place_mention_for_cell(header_unit, place, column.header, start, end).mention
            regions[index] = RegionRef(place.key, place, mention, "carried")
        if not regions:
            return False
        lead_text = self._lead_in_text(block)
        first = len(self.records)
        for line, row in parsed.rows:
            for unit in (u for u in block_units if u.start == line.start):
                if row is None or len(row.cells) < len(columns):
                    continue
                measure, label_period = row_label(row.cells[0])
                for index, region in regions.items():
                    figures = find_money(row.cells[index])
                    if len(figures) != 1 or _OTHER_UNIT.search(row.cells[index]):
                        continue
                    period = label_period or _cell_period(row.cells[index]) or _one_period(lead_text) or (
                        "Hour" if figures[0].value < 500 else "Year")
                    self.records.append(WageRecord(
                        region=region, period=period, values=[Value(measure, figures[0].value, figures[0].qualifier, unit)],
                        units=[unit], extractor="wage-table-row", confidence=CONFIDENCE["wage-table-row"],
                        block=unit.block, role=next(iter(self.context.mentions(unit, "Role")), None),
                        reference_year=find_reference_year(lead_text)))
        self.records[first:] = _one_statistic_per_period(self.records[first:])
        return True

    def _place_column(self, columns: list[Column], rows: list) -> list[Column]:
        """A table with no location column whose first column's header names something else (the
        occupation: "Medical Records Specialists | Median hourly | Median annual") but whose every row
        starts with a place written in a form that says so ("Duluth, MN-WI", "... nonmetropolitan
        area", a county, a territory): that column holds the places."""
        if any(c.role == "location" for c in columns) or not columns or columns[0].role not in ("other", "job"):
            return columns
        cells = [row.cells[0] for _, row in rows if row is not None and row.cells and row.cells[0].strip()]
        if not cells or not all(self._strong_place(cell) for cell in cells):
            return columns
        return [Column(columns[0].header, "location"), *columns[1:]]

    def _strong_place(self, cell: str) -> bool:
        place = read_place(self.context.vocabulary, cell, self._rows_state)
        return place is not None and not place.from_context or (
            place is not None and place.region_class in ("NonmetropolitanArea", "County", "InformalRegion"))

    def _lead_in_place(self, block) -> RegionRef | None:
        """The one place the lead-in or the caption of a table names ("Medical records specialists by
        industry, Georgia, May 2023")."""
        index = self.context.layout.blocks.index(block)
        keys: dict[str, RegionRef] = {}
        for neighbour in (index - 1, index + 1):
            if not 0 <= neighbour < len(self.context.layout.blocks) or self.context.layout.blocks[neighbour].kind == "table":
                continue
            for unit in (u for u in self.context.units if u.block == neighbour):
                for mention in self.context.mentions(unit, "Region"):
                    keys[mention.key] = RegionRef(mention.key, mention.place, None, "carried")
        return next(iter(keys.values())) if len(keys) == 1 else None

    def _place_of_value_headers(self, columns: list[Column]) -> RegionRef | None:
        """'| Year | Idaho median |': every pay column's header names the same one state (and no other
        place is in them), so the figures are that state's."""
        headers = [c.header for c in columns if c.role in ("measure", "range", "pay")]
        if not headers:
            return None
        states = [state_named_in(self.context.vocabulary, header) for header in headers]
        if any(state is None for state in states) or len({state.region_code for state in states}) != 1 \
                or any(_BEYOND_ONE_STATE.search(header) for header in headers):
            return None     # "Idaho vs. U.S.", "Idaho / Oregon": more than the one state
        place = state_place(states[0])
        return RegionRef(place.key, place, None, "carried")

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
        region = None
        location_given = False
        for index, column in enumerate(columns):
            if column.role == "location" and place is None:
                location_given = location_given or bool(cells[index].strip())
                place = read_place(self.context.vocabulary, cells[index], self._rows_state)
                if place is not None:
                    start, end = row.cell_spans[index]
                    region = self._place_mention_for_cell(unit, place, cells[index], start, end)
            elif column.role == "job":
                role = next(iter(self.context.mentions(unit, "Role")), None)
        industry = next((" ".join(cells[i].split()) for i, c in enumerate(columns)
                         if c.role == "industry" and cells[i].strip()), None)
        has_location_column = any(c.role == "location" for c in columns)
        if place is None and has_location_column and not location_given and self._row_above is not None:
            # a blank area cell under a named one: the row continues the place above (a merged cell,
            # "Guam | Hourly ..." then " | Annual ...")
            region = RegionRef(self._row_above.key, self._row_above.place, None, "carried")
        elif place is None and not has_location_column:
            # the place the caption or lead-in names ("by industry, Georgia, May 2023"), else the heading's
            # or title's, else none
            region = getattr(self, "_lead_place", None) or self.regions.place_of_section(unit)
        if region is not None and location_given:
            self._row_above = region
        elif location_given:
            self._row_above = None
        period_cell = next((cells[i] for i, c in enumerate(columns) if c.role == "period"), "")
        row_period = period_of_word(period_cell) if period_cell else None
        statistic = next((row_statistic(cells[i]) for i, c in enumerate(columns) if c.role == "statistic"), None)
        values: list[Value] = []
        value_periods: list[str] = []
        for index, column in enumerate(columns):
            if column.role not in ("measure", "range", "pay"):
                continue
            figures = find_money(cells[index])
            if column.role == "range":
                figures = figures[:2] if len(figures) >= 2 else []
            if column.role == "pay":
                measures = self._pay_cell_measures(cells[index], figures)
            else:
                measures = ("low", "high") if column.role == "range" else (column.measure or statistic,)
            for measure, figure in zip(measures, figures):
                if measure is None:
                    continue
                # the period the header names, else the one the cell writes ("$24.50 - $29.75 /hr"), else
                # the row's pay-type cell, the lead-in's one period, else the figure's size
                period = column.period or _cell_period(cells[index]) or row_period or _one_period(lead_text) or (
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
                employment=(employment, None) if employment is not None else None, industry=industry))
            employment = None  # one record carries the row's employment
        if employment is not None and (industry is not None or region is not None):
            # a row with a count and no pay ("Hospitals | 3,120"): an employment statistic of its own
            self.records.append(EmploymentRecord(
                region=region, count=employment, qualifier=None, units=[unit], extractor="employment-table-row",
                confidence=CONFIDENCE["employment-table-row"],
                role=role or next(iter(self.context.mentions(unit, "Role")), None),
                reference_year=find_reference_year(lead_text), industry=industry))
        for index, column in enumerate(columns):
            if column.role == "openings" and region is not None:
                openings = count_of(cells[index])
                if openings is not None and re.fullmatch(r"\s*(?:about\s+|~)?[\d,]+\s*", cells[index]):
                    self.records.append(GrowthRecord(
                        region=region, units=[unit], extractor="openings-table-row",
                        confidence=CONFIDENCE["openings-table-row"], annual_openings=openings,
                        start_year=find_year_range(column.header)[0], end_year=find_year_range(column.header)[1],
                        role=role))
            if column.role == "growth":
                figure = percent_of(cells[index])
                if figure is not None:
                    self.records.append(GrowthRecord(
                        region=region, units=[unit], extractor="growth-table-row",
                        confidence=CONFIDENCE["growth-table-row"], percent=figure.value,
                        start_year=column.years[0], end_year=column.years[1], role=role))

    @staticmethod
    def _pay_cell_measures(cell: str, figures: list) -> tuple:
        """A pay cell's amounts: two joined by a dash or "to" are a range; one alone is a figure whose
        statistic the table does not state; any other number of amounts is not read."""
        if _OTHER_UNIT.search(cell):
            return ()
        if len(figures) == 2 and _CELL_RANGE.match(cell[figures[0].end:figures[1].start]) \
                and figures[1].value > figures[0].value:
            return ("low", "high")
        if len(figures) == 1:
            return ("unspecified",)
        return ()

    def _place_mention_for_cell(self, unit, place: Place, cell: str, start: int, end: int) -> RegionRef:
        nstart = self.context.normalized.to_normalized(start)
        nend = self.context.normalized.to_normalized(end, "end")
        mention = self._ensure_place_mention(unit, place, cell, (nstart, nend))
        return RegionRef(place.key, place, mention, "named")
