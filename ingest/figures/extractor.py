"""The figure extractor: prose, list and table rules over one document."""
from __future__ import annotations

from ingest.confidence import MENTIONS
from ingest.entities import Mention
from ingest.figures.context import Context
from ingest.figures.lists import ListRules
from ingest.figures.prose import ProseRules
from ingest.figures.records import RegionRef
from ingest.figures.regions import RegionResolver
from ingest.figures.tables import TableRules
from ingest.regions import Place


class FigureExtractor(ProseRules, ListRules, TableRules):
    """Runs the prose, list and table rules over a document's blocks, in order."""

    def __init__(self, context: Context):
        self.context = context
        self.records: list = []
        self.regions = RegionResolver(context)

    def region_for(self, unit, position: int) -> RegionRef:
        return self.regions.for_figure(unit, position)

    def run(self) -> list:
        units_by_block: dict[int, list] = {}
        for unit in self.context.units:
            units_by_block.setdefault(unit.block, []).append(unit)
        for block_index, block in enumerate(self.context.layout.blocks):
            block_units = units_by_block.get(block_index, [])
            if block.kind == "table":
                self.table(block_index, block, block_units)
                continue
            for unit in block_units:
                if unit.kind in ("heading", "title", "table_header"):
                    continue
                if unit.kind == "list_item" and self.list_item(unit, block_units):
                    continue
                self.sentence(unit)
        return self.records

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
