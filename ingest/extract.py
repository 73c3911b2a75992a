"""Extraction of one document: text in, records out. No model, store or server involved."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from common.normalize import Normalized, normalize
from ingest.entities import Mention, find_mentions
from ingest.figures import Context, find_figures
from ingest.nlp import pipeline
from ingest.occupations import find_occupation_codes
from ingest.programs import find_program_durations
from ingest.requirements import find_credential_requirements
from ingest.relations import find_relations, find_sources, find_table_issuers, tag_tokens
from ingest.segments import Passage, Unit, build_passages, units_of
from ingest.layout import Layout, parse_layout
from ingest.table_parser import parse_tables
from ingest.windows import WINDOW_CHARS, cut_points, parse
from kg.vocabulary import Concept, Vocabulary


@dataclass
class Analysis:
    """Everything extracted from one document's text."""
    text: str
    normalized: Normalized
    layout: Layout
    units: list[Unit]
    passages: list[Passage]
    document_state: Concept | None
    mentions: list[Mention] = field(default_factory=list)
    relations: list = field(default_factory=list)
    statistics: list = field(default_factory=list)
    durations: list = field(default_factory=list)      # ingest.programs.ProgramDuration
    tables: dict = field(default_factory=dict)          # block index -> ingest.table_parser.ParsedTable
    occupation_codes: list = field(default_factory=list)  # ingest.occupations.OccupationCode
    requirements: list = field(default_factory=list)    # ingest.requirements.CredentialRequirement

    @property
    def title(self) -> str:
        return self.layout.title


def _document_state(doc, layout: Layout, normalized: Normalized, vocabulary: Vocabulary) -> tuple[Concept | None, set[str]]:
    """The state a document is about: the state its title, headings and text name most.

    Returns it (or None for a national document) and the codes of every state named in full.
    """
    heading_spans = [(normalized.to_normalized(l.start), normalized.to_normalized(l.end, "end"), l.kind)
                     for l in layout.lines if l.kind in ("title", "heading")]
    weights: Counter[str] = Counter()
    named: set[str] = set()
    for ent in doc.ents:
        if ent.label_ != "State":
            continue
        concept = vocabulary.concepts[ent.ent_id_]
        if ent.text != concept.region_code:
            named.add(concept.region_code)
        weight = 1
        for start, end, kind in heading_spans:
            if start <= ent.start_char < end:
                weight = 3 if kind == "title" else 2
        weights[concept.region_code] += weight
    if not weights:
        return None, named
    code, weight = weights.most_common(1)[0]
    if weight >= 2 and weight * 2 > sum(weights.values()):
        return vocabulary.by_region_code[code], named
    return None, named


def _occupation_codes(normalized: Normalized, unit_spans, mentions: list[Mention]) -> list:
    roles_by_unit: dict[int, list[Mention]] = {}
    roles_by_block: dict[int, list[Mention]] = {}
    roles_by_heading: dict[str, list[Mention]] = {}
    for mention in mentions:
        if mention.kind == "Role":
            roles_by_unit.setdefault(id(mention.unit), []).append(mention)
            roles_by_block.setdefault(mention.unit.block, []).append(mention)
            if mention.unit.kind in ("heading", "title"):
                roles_by_heading.setdefault(mention.unit.section, []).append(mention)
    codes = []
    for unit, (start, end) in unit_spans:
        nearby = roles_by_block.get(unit.block) or roles_by_heading.get(unit.section, [])
        codes += find_occupation_codes(normalized.text[start:end], unit, start, roles_by_unit.get(id(unit), []),
                                       nearby)
    return codes


def analyse(text: str, vocabulary: Vocabulary, window: int = WINDOW_CHARS, progress: bool = False) -> Analysis:
    """`window`: the longest text spaCy parses at once (ingest.windows); `progress`: a bar for big texts."""
    normalized = normalize(text)
    layout = parse_layout(text)
    tables = parse_tables(layout, text)
    units = units_of(layout, normalized)
    passages = build_passages(layout, units)
    cuts = [normalized.to_normalized(cut) for cut in cut_points(text, window)]
    doc = parse(pipeline(vocabulary), normalized.text, cuts, progress)
    document_state, named_states = _document_state(doc, layout, normalized, vocabulary)
    unit_spans = [(u, (normalized.to_normalized(u.start), normalized.to_normalized(u.end, "end"))) for u in units]
    mentions = find_mentions(vocabulary, doc, normalized, unit_spans, document_state, named_states, tables)
    units_by_section: dict[str, list[Unit]] = {}
    for unit in units:
        if unit.kind not in ("heading", "title"):
            units_by_section.setdefault(unit.section, []).append(unit)
    headings = [u for u in units if u.kind in ("heading", "title")]
    covering = tag_tokens(doc, mentions)
    relations = find_relations(doc, covering, mentions, units_by_section, headings, unit_spans, passages)
    relations += find_table_issuers(tables, mentions)
    mentions_by_unit: dict[int, list[Mention]] = {}
    for mention in mentions:
        mentions_by_unit.setdefault(id(mention.unit), []).append(mention)
    context = Context(
        text=text, normalized=normalized, layout=layout, units=units,
        unit_spans={id(u): span for u, span in unit_spans}, mentions_by_unit=mentions_by_unit,
        sources_by_unit=find_sources(doc, covering), vocabulary=vocabulary, document_state=document_state,
        tables=tables,
    )
    figures = find_figures(context)
    mentions = sorted(mentions + context.extra_mentions, key=lambda m: m.start)
    durations, requirements = [], []
    for unit, (start, end) in unit_spans:
        durations += find_program_durations(normalized.text[start:end], unit,
                                            context.mentions(unit, "EducationProgram"), start)
        requirements += find_credential_requirements(normalized.text[start:end], unit, context.mentions(unit, "Region"))
    codes = _occupation_codes(normalized, unit_spans, mentions)
    analysis = Analysis(text, normalized, layout, units, passages, document_state, mentions, relations, figures,
                        durations, tables, codes, requirements)
    return analysis
