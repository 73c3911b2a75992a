"""What the figure rules read: the document's units with their mentions and parsed tables."""
from __future__ import annotations

from dataclasses import dataclass, field

from ingest.entities import Mention


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
    tables: dict = field(default_factory=dict)    # block index -> ingest.table_parser.ParsedTable
    extra_mentions: list[Mention] = field(default_factory=list)

    def unit_text(self, unit) -> str:
        start, end = self.unit_spans[id(unit)]
        return self.normalized.text[start:end]

    def mentions(self, unit, kind: str | None = None) -> list[Mention]:
        return [m for m in self.mentions_by_unit.get(id(unit), []) if kind is None or m.kind == kind]

    def local(self, unit, mention: Mention) -> int:
        return mention.nstart - self.unit_spans[id(unit)][0]
