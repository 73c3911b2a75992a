"""What the writer takes for one document: plain records, so the index knows nothing of how
ingest found them."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PassageRecord:
    iri: str
    kind: str                    # paragraph | list | table-row | heading | window
    section: str
    start: int
    end: int
    text: str                    # the document's text[start:end]
    search_text: str             # what BM25 and the embedding see (section, lead-in, rendered table row)
    units: list[tuple[int, int, str, str]] = field(default_factory=list)   # (start, end, text to embed, kind)
    cells: list[tuple[str, str]] = field(default_factory=list)   # a table row: (column name, cell text) in order


@dataclass(frozen=True)
class MentionRecord:
    passage_iri: str
    entity: str
    kind: str
    label: str
    start: int
    end: int
    defines: bool                # "Name (ACR)": the passage spells the entity out


@dataclass(frozen=True)
class ClaimRecord:
    passage_iri: str
    claim: str
    subject: str
    predicate: str
    object: str
    object_is_iri: bool
    quote: str
    start: int
    end: int
    extractor: str
    confidence: float


@dataclass(frozen=True)
class AliasRecord:
    entity: str
    kind: str
    label: str
    alias: str
