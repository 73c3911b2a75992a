"""The figure extractor: prose, list and table rules over one document."""
from __future__ import annotations

import re

from ingest.confidence import MENTIONS
from ingest.entities import Mention
from ingest.figures.context import Context
from ingest.figures.lists import ListRules
from ingest.figures.prose import ProseRules
from ingest.figures.records import RegionRef
from ingest.figures.regions import RegionResolver
from ingest.figures.tables import TableRules
from ingest.quantities import find_money
from ingest.places import Place, find_places_in_prose
from ingest.segments import Unit


class FigureExtractor(ProseRules, ListRules, TableRules):
    """Runs the prose, list and table rules over a document's blocks, in order."""

    def __init__(self, context: Context):
        self.context = context
        self.records: list = []
        self.regions = RegionResolver(context)

    def region_for(self, unit, position: int, end: int | None = None) -> RegionRef | None:
        return self.regions.for_figure(unit, position, end)

    def run(self) -> list:
        units_by_block: dict[int, list] = {}
        for unit in self.context.units:
            units_by_block.setdefault(unit.block, []).append(unit)
        for block_index, block in enumerate(self.context.layout.blocks):
            block_units = units_by_block.get(block_index, [])
            if block.kind == "table":
                if self.context.tables.get(block_index) is None:
                    self.stray_rows(block_index, block_units)
                else:
                    self.table(block_index, block, block_units)
                continue
            for unit in block_units:
                if unit.kind in ("heading", "title", "table_header"):
                    continue
                if unit.kind == "list_item" and self.list_item(unit, block_units):
                    continue
                self.sentence(unit)
        return self.records

    def stray_rows(self, block_index: int, block_units: list) -> None:
        """Lines the layout took for table rows that no header explains: a line of a hard-wrapped
        sentence holding two amounts ("GA-SC metro listed pay from $41.08 to $56.83 an hour, most of
        them for"). Read as prose together with the sentence it continues and the one it runs into;
        the claims quote the line itself, where the figures are."""
        blocks = self.context.layout.blocks
        units_by_block: dict[int, list] = {}
        for unit in self.context.units:
            units_by_block.setdefault(unit.block, []).append(unit)
        for unit in block_units:
            if unit.kind != "table_row":
                continue
            parts = [unit]
            before = units_by_block.get(block_index - 1, [])
            if before and blocks[block_index - 1].kind in ("paragraph", "heading") \
                    and not re.search(r"[.!?:]\s*$", self.context.unit_text(before[-1])):
                parts.insert(0, before[-1])
            after = units_by_block.get(block_index + 1, [])
            if after and blocks[block_index + 1].kind == "paragraph" \
                    and not re.search(r"[.!?]\s*$", self.context.unit_text(unit)):
                parts.append(after[0])
            joined = self._joined_unit(unit, parts)
            text = self.context.unit_text(joined)
            row_start, row_end = (self.context.unit_spans[id(unit)][0] - self.context.unit_spans[id(joined)][0],
                                  self.context.unit_spans[id(unit)][1] - self.context.unit_spans[id(joined)][0])
            money = [f for f in find_money(text) if row_start <= f.start < row_end]
            for record in self._wages(joined, text, money, default_measure=None) if money else []:
                record.units = [unit]
                for value in record.values:
                    value.unit = unit
                self.records.append(record)

    def _joined_unit(self, unit, parts: list):
        """One sentence unit over `parts` (consecutive units), for the rules to read; its places are read
        anew over the whole of it, since a name may be wrapped across the parts."""
        nstart, nend = self.context.unit_spans[id(parts[0])][0], self.context.unit_spans[id(parts[-1])][1]
        joined = Unit(parts[0].start, parts[-1].end, "sentence", unit.block, unit.section, unit.line_start)
        self.context.unit_spans[id(joined)] = (nstart, nend)
        text = self.context.normalized.text[nstart:nend]
        kept = [m for part in parts for m in self.context.mentions(part) if m.kind != "Region"]
        places = [Mention(kind="Region", key=place.key, name=text[a:b], acronym=None, start=parts[0].start,
                          end=parts[-1].end, nstart=nstart + a, nend=nstart + b, unit=unit,
                          extractor="place-name", confidence=MENTIONS["place-name"], place=place,
                          canonical_name=place.name)
                  for a, b, place in find_places_in_prose(self.context.vocabulary, text, self.context.document_state)]
        places += [m for part in parts for m in self.context.mentions(part, "Region")
                   if not any(p.nstart < m.nend and m.nstart < p.nend for p in places)]
        self.context.mentions_by_unit[id(joined)] = kept + places
        self.context.sources_by_unit[id(joined)] = [s for part in parts for s in self.context.sources_by_unit.get(id(part), [])]
        return joined

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
                          confidence=MENTIONS["place-in-list-or-table"], place=place, canonical_name=place.name)
        self.context.mentions_by_unit.setdefault(id(unit), []).append(mention)
        self.context.extra_mentions.append(mention)
        return mention


def find_figures(context: Context) -> list:
    return FigureExtractor(context).run()
