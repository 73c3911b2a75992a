"""Figures: wage statistics, growth projections and employment counts.

Prose: each dollar amount in a sentence about pay becomes a value; its measure is the nearest
measure word before it ("median", "average"), a range "$40,000 to $60,000" gives low and high,
its pay period is the nearest period word ("an hour", "annual salary") or else its size, and its
region is the nearest place named in the sentence ("national" is the United States, "the state"
the state the document is about). A sentence that names no place keeps the place of the figure
before it in the same paragraph, else the document's own region.

Lists: "Fresno - $51,200" is a place and an amount; the lead-in and the sentences before
it in the section give what the amount measures. Tables: header cells name the columns.

Growth: a percentage in a sentence about growth, with its years ("from 2021 to 2031",
"through 2024") and source ("according to the BLS"). Employment: a count followed by a role.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest import lexicon
from ingest.entities import Mention
from ingest.quantities import (Figure, find_counts, find_money, find_percentages, find_reference_year,
                               find_year_range)
from ingest.regions import Place, country_place, read_place, state_place
from ingest.tables import Column, count_of, percent_of, period_of_word, read_cell_row, read_columns, read_packed_row

CONFIDENCE = {
    "wage-sentence": 0.85, "wage-list-item": 0.85, "wage-table-row": 0.95,
    "growth-sentence": 0.85, "growth-table-row": 0.9, "openings-sentence": 0.8, "employment-sentence": 0.8,
}


@dataclass(eq=False)
class RegionRef:
    key: str
    place: Place
    mention: Mention | None     # the mention in the evidence, when the text names the place there
    how: str                    # named | carried | document | national-word | state-word


@dataclass(eq=False)
class Value:
    measure: str
    amount: Decimal
    qualifier: str | None
    unit: object


@dataclass(eq=False)
class WageRecord:
    region: RegionRef
    period: str                 # Hour | Year
    values: list[Value]
    units: list                 # evidence units
    extractor: str
    confidence: float
    block: int
    role: Mention | None = None
    reference_year: int | None = None
    employment: tuple[Decimal, str | None] | None = None
    experience: str | None = None
    source: Mention | None = None
    kind: str = "WageStatistic"


@dataclass(eq=False)
class GrowthRecord:
    region: RegionRef
    units: list
    extractor: str
    confidence: float
    percent: Decimal | None = None
    qualifier: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    annual_openings: Decimal | None = None
    role: Mention | None = None
    source: Mention | None = None
    kind: str = "GrowthProjection"


@dataclass(eq=False)
class EmploymentRecord:
    region: RegionRef
    count: Decimal
    qualifier: str | None
    units: list
    extractor: str
    confidence: float
    role: Mention | None = None
    reference_year: int | None = None
    source: Mention | None = None
    kind: str = "EmploymentStatistic"


@dataclass
class Context:
    """What the figure rules read: the document's units with their mentions."""
    text: str
    normalized: object
    layout: object
    units: list
    unit_spans: dict[int, tuple[int, int]]     # id(unit) -> normalized span
    mentions_by_unit: dict[int, list[Mention]]
    sources_by_unit: dict[int, list[tuple[Mention, str]]]
    vocabulary: object
    document_state: object
    extra_mentions: list[Mention] = field(default_factory=list)

    def unit_text(self, unit) -> str:
        start, end = self.unit_spans[id(unit)]
        return self.normalized.text[start:end]

    def mentions(self, unit, kind: str | None = None) -> list[Mention]:
        return [m for m in self.mentions_by_unit.get(id(unit), []) if kind is None or m.kind == kind]

    def local(self, unit, mention: Mention) -> int:
        return mention.nstart - self.unit_spans[id(unit)][0]

    @property
    def default_region(self) -> RegionRef:
        if self.document_state is not None:
            place = state_place(self.document_state)
        else:
            place = country_place(self.vocabulary)
        return RegionRef(place.key, place, None, "document")


# ---------------------------------------------------------------- cues in a sentence

def _words_before(text: str, position: int, limit: int = 80) -> str:
    return text[max(0, position - limit):position].lower()


def _nearest_cue(text: str, position: int, cues: list[tuple[str, str]], stop: int = 0) -> str | None:
    """The value of the cue word nearest before `position` (not before `stop`)."""
    best, best_at = None, -1
    lowered = text.lower()
    for word, value in cues:
        for match in re.finditer(r"\b" + re.escape(word) + r"\b", lowered[stop:position]):
            if match.start() > best_at:
                best, best_at = value, match.start()
    return best


_PERIOD_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,2}?(?P<cue>an hour|per hour|/\s?hr|/\s?hour|hourly|a year|per year|/\s?yr|/\s?year|"
    r"annually|per annum|yearly|a month|per month|monthly|a week|per week|weekly)\b", re.IGNORECASE)
_PERIOD_BEFORE_CUES = [("hourly", "Hour"), ("per hour", "Hour"), ("an hour", "Hour"), ("annual", "Year"),
                       ("annually", "Year"), ("yearly", "Year"), ("salary", "Year"), ("salaries", "Year"),
                       ("a year", "Year"), ("per year", "Year"), ("monthly", "Month"), ("weekly", "Week")]


def pay_period(text: str, figure: Figure) -> str | None:
    after = _PERIOD_AFTER.match(text[figure.end:figure.end + 30])
    if after:
        return period_of_word(after.group("cue")) or ("Month" if "month" in after.group("cue").lower() else "Week")
    before = _nearest_cue(text, figure.start, _PERIOD_BEFORE_CUES, max(0, figure.start - 90))
    if before:
        return before
    if figure.value < 500:
        return "Hour"
    if figure.value >= 5000:
        return "Year"
    return None


_STARTING_PAY = re.compile(r"\bstart(?:s|ing)?\s+(?:out\s+)?(?:at|near|around|from|with)\s+(?:about\s+)?$")


def _is_pay(text: str, figure: Figure, context_text: str = "") -> bool:
    before = _words_before(text, figure.start, 40)
    if any(re.search(r"\b" + re.escape(w) + r"\b", before) for w in lexicon.COST_WORDS):
        return False
    if _STARTING_PAY.search(before):   # "entry-level coders start near $36,000"
        return True
    if _PERIOD_AFTER.match(text[figure.end:figure.end + 30]):
        return True                    # "$47,000 a year", "$19 hourly": an amount per period is pay
    haystack = (text + " " + context_text).lower()
    return any(re.search(r"\b" + re.escape(w) + r"\b", haystack) for w in lexicon.PAY_WORDS)


def _experience(text: str, position: int) -> str | None:
    return _nearest_cue(text, position, list(lexicon.EXPERIENCE_CUES.items()), max(0, position - 120))


_RANGE_JOIN = re.compile(r"^\s*(?:-|to|and|through)\s*$", re.IGNORECASE)


def _ranges(text: str, figures: list[Figure]) -> list[tuple[Figure, Figure | None]]:
    """Pair '$40,000 to $60,000' into (low, high); other figures stand alone."""
    paired: list[tuple[Figure, Figure | None]] = []
    skip = False
    for index, figure in enumerate(figures):
        if skip:
            skip = False
            continue
        following = figures[index + 1] if index + 1 < len(figures) else None
        if following is not None and _RANGE_JOIN.match(text[figure.end:following.start]) and following.value > figure.value:
            paired.append((figure, following))
            skip = True
        else:
            paired.append((figure, None))
    return paired


_LOWER_BOUND = {"more than", "over", "upwards of", "at least", "above", "just over"}
_UPPER_BOUND = {"up to", "as much as", "under", "less than", "below", "just under"}


def _measure(text: str, figure: Figure, default: str | None, previous_end: int = 0) -> str | None:
    """The measure word nearest before the figure, looking back to the figure before it; failing
    that, anywhere before it in the sentence ("... mean salary is $57k, which equates to $27.00 an hour")."""
    cue = (_nearest_cue(text, figure.start, lexicon.MEASURE_CUES, previous_end)
           or _nearest_cue(text, figure.start, lexicon.MEASURE_CUES, 0))
    if cue:
        return cue
    if figure.qualifier in _LOWER_BOUND:
        return "low"
    if figure.qualifier in _UPPER_BOUND:
        return "high"
    return default


# ---------------------------------------------------------------- regions

_STATE_WORDS = re.compile(r"\b(?:the|this|our|your) state\b|\bstatewide\b|\bin-state\b", re.IGNORECASE)
_NATIONAL_WORDS = re.compile(r"\b(?:national|nationwide|nationally|the nation|the country|countrywide|across the us)\b",
                             re.IGNORECASE)


def region_cues(context: Context, unit) -> list[tuple[int, RegionRef]]:
    """Places a unit names, with their positions in the unit's normalized text."""
    text = context.unit_text(unit)
    cues: list[tuple[int, RegionRef]] = []
    for mention in context.mentions(unit, "Region"):
        cues.append((context.local(unit, mention), RegionRef(mention.key, mention.place, mention, "named")))
    for match in _NATIONAL_WORDS.finditer(text):
        place = country_place(context.vocabulary)
        cues.append((match.start(), RegionRef(place.key, place, None, "national-word")))
    if context.document_state is not None:
        for match in _STATE_WORDS.finditer(text):
            place = state_place(context.document_state)
            cues.append((match.start(), RegionRef(place.key, place, None, "state-word")))
    return sorted(cues, key=lambda c: c[0])


def _nearest_region(cues: list[tuple[int, RegionRef]], position: int) -> RegionRef | None:
    """Nearest place before the figure; a place after it only when none comes before."""
    before = [c for c in cues if c[0] <= position]
    if before:
        return before[-1][1]
    after = [c for c in cues if c[0] > position]
    return after[0][1] if after else None


def _nearest_mention(mentions: list[Mention], context: Context, unit, position: int) -> Mention | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: (abs(context.local(unit, m) - position), context.local(unit, m) > position))


def _role_of_figure(roles: list[Mention], context: Context, unit, text: str, position: int) -> Mention | None:
    """The role a figure is about: 'the median wage for <role>', 'outlook for <role>', else the nearest role."""
    governed = [r for r in roles if context.local(unit, r) < position
                and re.search(r"\b(?:for|of|among)\s+(?:the\s+|all\s+)?$", text[:context.local(unit, r)].lower())]
    if governed:
        return governed[0]
    return _nearest_mention(roles, context, unit, position)


def _source(context: Context, unit) -> Mention | None:
    sources = context.sources_by_unit.get(id(unit), [])
    return sources[0][0] if sources else None


# ---------------------------------------------------------------- the extractor

class FigureExtractor:
    def __init__(self, context: Context):
        self.context = context
        self.records: list = []
        self._regions_by_block: dict[int, list[RegionRef]] = {}
        self._section_region: dict[str, RegionRef] = {}   # from a "Location: Columbus, OH" line

    def region_for(self, unit, position: int) -> RegionRef:
        """The place a figure is about (see the module comment). A figure with no place of its own
        keeps the paragraph's place; a national comparison ("faster than the national rate")
        is not carried over when the paragraph named a place of its own."""
        cue = _nearest_region(region_cues(self.context, unit), position)
        if cue is None:
            carried = self._regions_by_block.get(unit.block, [])
            local = [c for c in carried if c.how != "national-word"]
            cue = (local or carried or [None])[-1] or self._section_region.get(unit.section)
            if cue is not None:
                cue = RegionRef(cue.key, cue.place, None, "carried")
        if cue is None:
            cue = self.context.default_region
        self._regions_by_block.setdefault(unit.block, []).append(cue)
        return cue

    def run(self) -> list:
        units_by_block: dict[int, list] = {}
        for unit in self.context.units:
            units_by_block.setdefault(unit.block, []).append(unit)
        for block_index, block in enumerate(self.context.layout.blocks):
            block_units = units_by_block.get(block_index, [])
            if block.kind == "table":
                self.table(block, block_units)
                continue
            for unit in block_units:
                if unit.kind in ("heading", "title", "table_header"):
                    continue
                if unit.kind == "list_item" and self.list_item(unit, block_units):
                    continue
                self.sentence(unit)
        return self.records

    # -- prose
    _LOCATION_LINE = re.compile(r"^(?:location|state|region|area|city|metro(?:politan)? area|place|market)\s*:\s*(?P<place>.+?)\.?$",
                                re.IGNORECASE)
    _EMPLOYMENT_LINE = re.compile(r"^(?:total\s+)?(?:employment|jobs|number employed|workers employed|employed)"
                                  r"(?:\s*\([^)]*\))?\s*:\s*(?P<count>[\d,]+)", re.IGNORECASE)

    def _label_lines(self, unit, text: str) -> bool:
        """Fact-sheet lines: "Location: Columbus, OH" sets the section's place, "Employment: 9,870" is a count."""
        location = self._LOCATION_LINE.match(text)
        if location:
            cues = region_cues(self.context, unit)
            if cues:
                self._section_region[unit.section] = cues[0][1]
                return True
            place = read_place(self.context.vocabulary, location.group("place"), self.context.document_state)
            if place is not None:
                self._section_region[unit.section] = RegionRef(place.key, place, None, "named")
                return True
        employment = self._EMPLOYMENT_LINE.match(text)
        if employment:
            figure = find_counts(text)
            if figure:
                self.records.append(EmploymentRecord(
                    region=self.region_for(unit, 0), count=figure[0].value, qualifier=figure[0].qualifier,
                    units=[unit], extractor="employment-sentence", confidence=CONFIDENCE["employment-sentence"],
                    role=next(iter(self.context.mentions(unit, "Role")), None),
                    reference_year=find_reference_year(text), source=_source(self.context, unit)))
                return True
        return False

    def sentence(self, unit) -> None:
        text = self.context.unit_text(unit)
        if self._label_lines(unit, text):
            return
        money = find_money(text)
        wages = self._wages(unit, text, money, default_measure=None) if money else []
        self.records.extend(wages)
        self._growth(unit, text)
        self._counts(unit, text, wages)

    def _wages(self, unit, text: str, money: list[Figure], default_measure: str | None,
               context_text: str = "", region: RegionRef | None = None) -> list[WageRecord]:
        records: list[WageRecord] = []
        roles = self.context.mentions(unit, "Role")
        previous_end = 0
        for low, high in _ranges(text, money):
            window_start, previous_end = previous_end, (high or low).end
            if not _is_pay(text, low, context_text):
                continue
            period = pay_period(text, high or low)
            if period not in ("Hour", "Year"):
                continue
            if high is not None:
                values = [Value("low", low.value, low.qualifier, unit), Value("high", high.value, None, unit)]
            else:
                measure = _measure(text, low, default_measure, window_start) or "mean"
                values = [Value(measure, low.value, low.qualifier, unit)]
            where = region or self.region_for(unit, low.start)
            record = WageRecord(
                region=where, period=period, values=values, units=[unit],
                extractor="wage-sentence", confidence=CONFIDENCE["wage-sentence"], block=unit.block,
                role=_role_of_figure(roles, self.context, unit, text, low.start),
                reference_year=find_reference_year(text), experience=_experience(text, low.start),
                source=_source(self.context, unit),
            )
            merged = next((r for r in records if r.region.key == record.region.key and r.period == record.period
                           and r.experience == record.experience
                           and not {v.measure for v in r.values} & {v.measure for v in record.values}), None)
            if merged is not None:
                merged.values.extend(record.values)
            else:
                records.append(record)
        return records

    def _growth(self, unit, text: str) -> None:
        lowered = text.lower()
        if not any(re.search(r"\b" + re.escape(w) + r"\b", lowered) for w in lexicon.GROWTH_WORDS):
            return
        start_year, end_year = find_year_range(text)
        roles = self.context.mentions(unit, "Role")
        for figure in find_percentages(text):
            before = lowered[max(0, figure.start - 60):figure.start]
            after = lowered[figure.end:figure.end + 60]
            if not any(w in before + " " + after for w in ("grow", "growth", "increase", "outlook", "rise", "expand",
                                                           "projected", "decline", "decrease", "change", "jobs",
                                                           "employment", "opportunit", "demand", "faster", "slower",
                                                           "rate")):
                continue
            percent = figure.value
            if any(re.search(r"\b" + w + r"\b", before + " " + after) for w in lexicon.DECLINE_WORDS) and percent > 0:
                percent = -percent
            self.records.append(GrowthRecord(
                region=self.region_for(unit, figure.start), units=[unit], extractor="growth-sentence",
                confidence=CONFIDENCE["growth-sentence"], percent=percent, qualifier=figure.qualifier,
                start_year=start_year, end_year=end_year,
                role=_role_of_figure(roles, self.context, unit, text, figure.start),
                source=_source(self.context, unit)))

    def _counts(self, unit, text: str, wages: list[WageRecord]) -> None:
        """'over 18,000 medical record specialists employed', '14,900 ... job openings per year'."""
        roles = self.context.mentions(unit, "Role")
        lowered = text.lower()
        for figure in find_counts(text):
            if figure.value >= 10 and self._openings(unit, text, figure, roles):
                continue
            role = next((r for r in roles if 0 <= self.context.local(unit, r) - figure.end <= 3), None)
            if role is None or figure.value < 10:
                continue
            after = lowered[self.context.local(unit, role) + (role.nend - role.nstart):][:60]
            if any(w in after.split()[:3] for w in lexicon.OPENINGS_WORDS) or re.match(r"^\s*(?:job\s+)?openings", after):
                _, end_year = find_year_range(text)
                if re.search(r"per year|a year|annually|each year|every year", after):
                    self.records.append(GrowthRecord(
                        region=self.region_for(unit, figure.start), units=[unit], extractor="openings-sentence",
                        confidence=CONFIDENCE["openings-sentence"], annual_openings=figure.value,
                        qualifier=figure.qualifier, end_year=end_year, role=role, source=_source(self.context, unit)))
                continue
            region = self.region_for(unit, figure.start)
            same_place = [w for w in wages if w.region.key == region.key and w.employment is None]
            if same_place:
                same_place[0].employment = (figure.value, figure.qualifier)
                continue
            if any(re.search(r"\b" + w + r"\b", lowered) for w in lexicon.EMPLOYMENT_WORDS):
                self.records.append(EmploymentRecord(
                    region=region, count=figure.value, qualifier=figure.qualifier, units=[unit],
                    extractor="employment-sentence", confidence=CONFIDENCE["employment-sentence"], role=role,
                    reference_year=find_reference_year(text), source=_source(self.context, unit)))

    _OPENINGS_AFTER = re.compile(r"^\s*(?:new\s+|job\s+|additional\s+)*(?:openings|positions|jobs)\b.*?"
                                 r"\b(?:per year|a year|annually|each year|every year)\b", re.IGNORECASE)

    def _openings(self, unit, text: str, figure: Figure, roles: list[Mention]) -> bool:
        """'About 3,400 openings are projected each year': a count right before 'openings', per year."""
        if not self._OPENINGS_AFTER.match(text[figure.end:figure.end + 80]):
            return False
        _, end_year = find_year_range(text)
        self.records.append(GrowthRecord(
            region=self.region_for(unit, figure.start), units=[unit], extractor="openings-sentence",
            confidence=CONFIDENCE["openings-sentence"], annual_openings=figure.value, qualifier=figure.qualifier,
            end_year=end_year, role=_role_of_figure(roles, self.context, unit, text, figure.start),
            source=_source(self.context, unit)))
        return True

    # -- lists
    _ITEM = re.compile(r"^(?P<name>[^$:|]{2,120}?)\s*(?:[-:|=]|\.{2,})\s*(?P<rest>\$.*)$")

    def list_item(self, unit, block_units: list) -> bool:
        """'Fresno - $51,200': a place (or role) and its pay."""
        text = self.context.unit_text(unit)
        match = self._ITEM.match(text)
        if not match:
            return False
        money = find_money(match.group("rest"))
        if not money:
            return False
        lead = [u for u in block_units if u.kind == "sentence" and u.start < unit.start]
        lead_text = " ".join(self.context.unit_text(u) for u in lead[-2:])
        name = match.group("name").strip()
        place = read_place(self.context.vocabulary, name, self.context.document_state)
        role = next(iter(self.context.mentions(unit, "Role")), None)
        if place is None and role is None:
            return False
        offset = match.start("rest")
        # what the amounts measure comes from the lead-in ("Median pay by city:"); unqualified, they
        # are read as averages, the usual sense of "the salary in X"
        cue_text = lead_text + " " + unit.section
        default_measure = _nearest_cue(lead_text, len(lead_text), lexicon.MEASURE_CUES)
        shifted = [Figure(f.start + offset, f.end + offset, f.value, f.qualifier) for f in money]
        region = self._item_region(unit, place, name) if place is not None else None
        records = self._wages(unit, text, shifted, default_measure, cue_text, region)
        for record in records:
            record.extractor, record.confidence = "wage-list-item", CONFIDENCE["wage-list-item"]
            if record.reference_year is None:
                record.reference_year = find_reference_year(lead_text)
            if record.role is None:
                record.role = next(iter(m for u in lead for m in self.context.mentions(u, "Role")), None)
        self.records.extend(records)
        return True

    def _item_region(self, unit, place: Place, name: str) -> RegionRef:
        mention = self._ensure_place_mention(unit, place, name)
        return RegionRef(place.key, place, mention, "named")

    def _ensure_place_mention(self, unit, place: Place, name: str, span: tuple[int, int] | None = None) -> Mention:
        """The mention of a place read from a list item or table cell (added when prose rules missed it)."""
        for mention in self.context.mentions(unit, "Region"):
            if mention.key == place.key:
                return mention
        unit_start = self.context.unit_spans[id(unit)][0]
        text = self.context.unit_text(unit)
        if span is None:
            local = text.find(name)
            span = (unit_start + max(local, 0), unit_start + max(local, 0) + len(name))
        start, end = self.context.normalized.span_to_original(*span)
        mention = Mention(kind="Region", key=place.key, name=name, acronym=None, start=start, end=end,
                          nstart=span[0], nend=span[1], unit=unit, extractor="place-in-list-or-table",
                          confidence=0.85, place=place, canonical_name=place.name)
        self.context.mentions_by_unit.setdefault(id(unit), []).append(mention)
        self.context.extra_mentions.append(mention)
        return mention

    # -- tables
    def table(self, block, block_units: list) -> None:
        header_line = next((line for line in block.lines if line.kind == "table_header"), None)
        if header_line is None:
            return
        header_text = self.context.text[header_line.start:header_line.end]
        header_cells = [self.context.text[s:e] for s, e in header_line.cells] if header_line.cells else None
        columns = read_columns(header_text, header_cells)
        if not any(c.role in ("measure", "range", "growth", "employment") for c in columns):
            return
        lead_text = self._lead_in_text(block)
        for line, unit in ((l, u) for l in block.lines for u in block_units
                           if u.start == l.start and l.kind == "table_row"):
            row = (read_cell_row(self.context.text, line.cells) if line.cells
                   else read_packed_row(self.context.text[line.start:line.end], line.start, columns))
            if row is None or len(row.cells) < len(columns):
                continue
            self._table_row(unit, columns, row, lead_text)

    def _lead_in_text(self, block) -> str:
        index = self.context.layout.blocks.index(block)
        previous = self.context.layout.blocks[index - 1] if index > 0 else None
        if previous is None or previous.kind == "table":
            return ""
        return self.context.text[previous.start:previous.end]

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
        for period, period_values in by_period.items():
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


def find_figures(context: Context) -> list:
    return FigureExtractor(context).run()
