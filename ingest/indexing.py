"""The search index of a generation, from ingest's side: each document's analysis and graph turned
into the plain records search.index.writer stores (passages with the text they are searched by,
mentions, claims, aliases). Search owns the index's format; this module only fills it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg.namespaces import MBC, document_iri, entity_iri, passage_iri
from search.index import AliasRecord, ClaimRecord, MentionRecord, PassageRecord
from search.index.writer import DocumentRecords, model_fingerprint, write_index

# ---------------------------------------------------------------- rows from one document

def _normalized(analysis, start: int, end: int) -> str:
    normalized = analysis.normalized
    return normalized.text[normalized.to_normalized(start):normalized.to_normalized(end, "end")]


@dataclass(frozen=True)
class IndexRequest:
    """What a job needs to make its document's index rows and passage vectors where it runs (ingest.jobs):
    the embedding cache to look in first (read only; a worker that cannot see it embeds everything) and
    how many threads the encoder may use there."""
    cache_path: str | None
    threads: int = 1


def _row_cells(analysis) -> dict[int, list[tuple[str, str]]]:
    """Each readable table row's (column name, cell) pairs, by row start offset: what a reader of
    the search results sees as a small table instead of '$45.78$53.87$64.62'."""
    cells: dict[int, list[tuple[str, str]]] = {}
    for table in analysis.tables.values():
        for line, row in table.rows:
            if row is not None:
                cells[line.start] = [(c.header, v) for c, v in zip(table.columns, row.cells) if v]
    return cells


def _rendered_rows(cells: dict[int, list[tuple[str, str]]]) -> dict[int, str]:
    """Table rows as 'Column: value; ...' text, so that both BM25 and the embedding see
    'Median: $53.87' instead of '$45.78$53.87$64.62'."""
    return {start: "; ".join(f"{header}: {value}" for header, value in row) for start, row in cells.items()}


def _context(analysis, passage) -> str:
    """What a passage is indexed with besides its own text: its section heading (unless the passage
    starts with it) and, for a table row, the sentence that introduces the table. The document
    title is left out: it is the same for every passage of a document, and measured on the
    development questions it drowned the passages that answer in those that merely share a title."""
    text = analysis.text[passage.start:passage.end]
    heading = passage.section if passage.section and not text.startswith(passage.section) else ""
    return "\n".join(part for part in (heading, passage.lead_in) if part)


def passage_rows(source_file: str, analysis) -> list[PassageRecord]:
    cells = _row_cells(analysis)
    rendered = _rendered_rows(cells)
    rows = []
    for passage in analysis.passages:
        body = rendered.get(passage.start) if passage.kind == "table-row" else None
        body = body or _normalized(analysis, passage.start, passage.end)
        search_text = "\n".join(part for part in (_context(analysis, passage), body) if part)
        units = [(u.start, u.end, rendered.get(u.start) or _normalized(analysis, u.start, u.end), u.kind)
                 for u in passage.units]
        rows.append(PassageRecord(str(passage_iri(source_file, passage.start, passage.end)), passage.kind,
                               passage.section, passage.start, passage.end, analysis.text[passage.start:passage.end],
                               search_text, units,
                               cells.get(passage.start, []) if passage.kind == "table-row" else []))
    return rows


def claim_records(graph) -> list[ClaimRecord]:
    claims = []
    for claim in graph.subjects(RDF.type, MBC.Claim):
        fields = {p: o for p, o in graph.predicate_objects(claim)}
        obj = fields[RDF.object]
        claims.append(ClaimRecord(
            str(fields[PROV.wasDerivedFrom]), str(claim), str(fields[RDF.subject]), str(fields[RDF.predicate]),
            str(obj), isinstance(obj, URIRef), str(fields[MBC.quote]), int(fields[MBC.start]), int(fields[MBC.end]),
            str(fields[MBC.extractor]), float(fields[MBC.confidence])))
    return claims


def _labels(graph) -> dict[str, str]:
    return {str(s): str(o) for s, o in graph.subject_objects(RDFS.label)}


def _aliases(mention) -> set[str]:
    names = {mention.name, mention.canonical_name, mention.acronym}
    if mention.kind == "Region" and mention.place is not None:
        # "Stockton, CA MSA" is also found by "Stockton", "San Jose-Sunnyvale-Santa Clara" by "Sunnyvale"
        core = mention.place.name.split(",")[0].removesuffix(" area").removesuffix(" Region (BOS)").strip()
        names.add(core)
        if mention.place.region_class == "MetropolitanArea":
            names.update(part.strip() for part in core.split("-") if part.strip())
    return {n.strip() for n in names if n and len(n.strip()) >= 2}


def mention_records(source_file: str, analysis, labels: dict[str, str]) -> tuple[list[MentionRecord], list[AliasRecord]]:
    from ingest.segments import PassageLocator     # here: it imports spaCy, which a no-op run never needs

    locator = PassageLocator(analysis.passages)
    mentions, aliases = [], set()
    for mention in analysis.mentions:
        passage = locator.find(mention.start, mention.end)
        if passage is None:
            continue
        entity = str(entity_iri(mention.kind, mention.key))
        label = labels.get(entity, mention.canonical_name or mention.name)
        defines = bool(mention.acronym) and mention.name != mention.acronym  # "Name (ACR)"
        mentions.append(MentionRecord(str(passage_iri(source_file, passage.start, passage.end)), entity, mention.kind,
                                      label, mention.start, mention.end, defines))
        aliases |= {AliasRecord(entity, mention.kind, label, alias) for alias in _aliases(mention)}
    return mentions, sorted(aliases, key=lambda a: (a.entity, a.kind, a.label, a.alias))


def graph_records(graph) -> tuple[list[ClaimRecord], dict[str, str]]:
    """What the index reads off a document's graph: its claims and its labels (see ingest.jobs)."""
    return claim_records(graph), _labels(graph)


def document_records(source_file: str, title: str, analysis, claims: list[ClaimRecord],
                     labels: dict[str, str]) -> DocumentRecords:
    mentions, aliases = mention_records(source_file, analysis, labels)
    return DocumentRecords(source_file, str(document_iri(source_file)), title, passage_rows(source_file, analysis),
                           mentions, claims, aliases)


def embedded_texts(records: DocumentRecords) -> list[str]:
    """What the index embeds of a document: each passage's search text, then each unit's text."""
    return [p.search_text for p in records.passages] + [u[2] for p in records.passages for u in p.units]


# ---------------------------------------------------------------- the step

class IndexStep:
    """Builds the index of a new generation (see ingest.pipeline.run_ingest's `steps`)."""

    def __init__(self, cache_path: Path | None = None):
        self.cache_path = cache_path
        self._entries: dict = {}

    def fingerprint(self) -> str:
        return model_fingerprint()

    def manifest_entries(self) -> dict:
        return {"index": self._entries}

    def job_request(self, data_dir, workers: int):
        """What each extraction job is asked to do for the index (IndexRequest): its rows and the
        vectors the cache lacks, made where it runs, on its share of the cores."""
        from ingest.pool import default_workers

        return IndexRequest(str(self.cache_path or data_dir.embedding_cache_path),
                            max(1, default_workers() // max(1, workers)))

    def build(self, data_dir, generation, previous_generation, plan, extracted: dict, documents: dict,
              progress: bool) -> None:
        """The generation's index from what the jobs made (`extracted`: source file -> ingest.jobs.DocumentResult)."""
        from common.embedding import passage_encoder_id

        records, known = [], {}
        for name in sorted(extracted):
            done = extracted[name]
            if done.records is not None:
                records.append(done.records)
                if done.encoder == passage_encoder_id():    # a worker with another runtime: embedded again here
                    known.update(done.vectors)
            else:
                records.append(document_records(name, documents[name]["title"], done.analysis, done.claims,
                                                done.labels))
        self._entries = write_index(
            generation.index_dir, previous_generation.index_dir if previous_generation is not None else None,
            self.cache_path or data_dir.embedding_cache_path, plan.removed, records, plan.fingerprint, progress,
            known)
