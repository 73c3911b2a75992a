"""Records to RDF: one document's named graph, with a claim for every asserted fact.

Every triple about an extracted entity or statistic is asserted through `ClaimWriter.assert_`,
which also writes the mbc:Claim that says where it came from: the passage, the exact quote and
its offsets (as mbc: properties and as W3C Web Annotation selectors), the rule and its
confidence.
"""
from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ingest.confidence import GRAPH, REGION_HOW
from ingest.entities import Mention
from ingest.extract import Analysis
from ingest.figures import GrowthRecord, RegionRef, WageRecord
from ingest.places import territory_name
from ingest.relations import Relation
from ingest.segments import PassageLocator
from kg.namespaces import (
    MBC,
    OA,
    SCHEMA,
    bind_prefixes,
    claim_iri,
    claim_part_iri,
    document_iri,
    entity_iri,
    passage_iri,
    slug,
    statistic_iri,
)

QUOTE_CONTEXT = 32                  # characters of prefix and suffix in a TextQuoteSelector
ENTITY_CLAIMS_PER_DOCUMENT = 3      # an entity's name and type are evidenced by its first few mentions
SCHEMA_TYPES = {
    "Certification": SCHEMA.Certification, "Role": SCHEMA.Occupation, "Organization": SCHEMA.Organization,
    "Region": SCHEMA.Place, "EducationProgram": SCHEMA.EducationalOccupationalProgram,
    "CodeSet": SCHEMA.DefinedTermSet, "Regulation": SCHEMA.Legislation,
}
MEASURE_PROPERTIES = {
    "low": MBC.low, "high": MBC.high, "median": MBC.median, "mean": MBC.mean,
    "percentile10": MBC.percentile10, "percentile25": MBC.percentile25,
    "percentile75": MBC.percentile75, "percentile90": MBC.percentile90, "unspecified": MBC.amount,
}
PERIODS = {"Hour": MBC.Hour, "Year": MBC.Year}


def decimal(value: Decimal) -> Literal:
    return Literal(value, datatype=XSD.decimal)


def integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


class ClaimWriter:
    def __init__(self, graph: Graph, source_file: str, text: str, passages):
        self.graph = graph
        self.source_file = source_file
        self.text = text
        self.document = document_iri(source_file)
        self.locator = PassageLocator(passages)

    def passage_of(self, start: int, end: int):
        passage = self.locator.find(start, end)
        if passage is None:
            raise ValueError(f"{self.source_file}: no passage holds the evidence at {start}-{end}")
        return passage

    def assert_(self, subject, predicate, obj, unit, extractor: str, confidence: float) -> URIRef:
        """Add the triple and a claim citing `unit` (a sentence, list item, table row or heading)."""
        self.graph.add((subject, predicate, obj))
        start, end = unit.start, unit.end
        quote = self.text[start:end]
        claim = claim_iri(self.source_file, subject, predicate, obj, start, end, extractor)
        if (claim, RDF.type, MBC.Claim) in self.graph:
            return claim
        passage = self.passage_of(start, end)
        add = self.graph.add
        add((claim, RDF.type, MBC.Claim))
        add((claim, RDF.subject, subject))
        add((claim, RDF.predicate, predicate))
        add((claim, RDF.object, obj))
        add((claim, PROV.wasDerivedFrom, passage_iri(self.source_file, passage.start, passage.end)))
        add((claim, MBC.document, self.document))
        add((claim, MBC.quote, Literal(quote)))
        add((claim, MBC.start, integer(start)))
        add((claim, MBC.end, integer(end)))
        add((claim, MBC.extractor, Literal(extractor)))
        add((claim, MBC.confidence, decimal(Decimal(str(confidence)))))
        target = claim_part_iri(claim, "target")
        quote_selector = claim_part_iri(claim, "quote")
        position_selector = claim_part_iri(claim, "position")
        add((claim, MBC.evidence, target))
        add((target, RDF.type, OA.SpecificResource))
        add((target, OA.hasSource, self.document))
        add((target, OA.hasSelector, quote_selector))
        add((target, OA.hasSelector, position_selector))
        add((quote_selector, RDF.type, OA.TextQuoteSelector))
        add((quote_selector, OA.exact, Literal(quote)))
        add((quote_selector, OA.prefix, Literal(self.text[max(0, start - QUOTE_CONTEXT):start])))
        add((quote_selector, OA.suffix, Literal(self.text[end:end + QUOTE_CONTEXT])))
        add((position_selector, RDF.type, OA.TextPositionSelector))
        add((position_selector, OA.start, integer(start)))
        add((position_selector, OA.end, integer(end)))
        return claim


# ---------------------------------------------------------------- document and passages

def _document_triples(graph: Graph, source_file: str, sha256: str, analysis: Analysis, media_type: str) -> None:
    document = document_iri(source_file)
    graph.add((document, RDF.type, MBC.Document))
    graph.add((document, MBC.sourceFile, Literal(source_file)))
    graph.add((document, DCTERMS.title, Literal(analysis.title or source_file)))
    graph.add((document, RDFS.label, Literal(analysis.title or source_file)))
    graph.add((document, MBC.sha256, Literal(sha256)))
    graph.add((document, MBC.mediaType, Literal(media_type)))
    # the text every offset indexes: the file itself for plain text, the extracted text otherwise
    graph.add((document, MBC.textSha256, Literal(hashlib.sha256(analysis.text.encode("utf-8")).hexdigest())))
    graph.add((document, MBC.characters, integer(len(analysis.text))))


def _passage_triples(graph: Graph, source_file: str, locator: PassageLocator, text: str,
                     mentions: list[Mention]) -> None:
    document = document_iri(source_file)
    by_passage: dict[int, set[URIRef]] = {}
    for mention in mentions:
        index = locator.index_of(mention.start, mention.end)
        if index is not None:
            by_passage.setdefault(index, set()).add(entity_iri(mention.kind, mention.key))
    for index, passage in enumerate(locator.passages):
        iri = passage_iri(source_file, passage.start, passage.end)
        selector = URIRef(f"{iri}/position")
        graph.add((iri, RDF.type, MBC.Passage))
        graph.add((iri, MBC.document, document))
        graph.add((iri, OA.hasSource, document))
        graph.add((iri, MBC.start, integer(passage.start)))
        graph.add((iri, MBC.end, integer(passage.end)))
        graph.add((iri, MBC.text, Literal(text[passage.start:passage.end])))
        graph.add((iri, MBC.passageKind, Literal(passage.kind)))
        if passage.section:
            graph.add((iri, MBC.section, Literal(passage.section)))
        graph.add((iri, OA.hasSelector, selector))
        graph.add((selector, RDF.type, OA.TextPositionSelector))
        graph.add((selector, OA.start, integer(passage.start)))
        graph.add((selector, OA.end, integer(passage.end)))
        for entity in sorted(by_passage.get(index, ())):
            graph.add((iri, MBC.mentions, entity))


# ---------------------------------------------------------------- entities

def _evidence_order(mention: Mention) -> tuple:
    """Defining mentions ('Name (ACR)') first, then document order."""
    return (0 if mention.acronym and mention.name != mention.acronym else 1, mention.start)


def _entity_triples(writer: ClaimWriter, mentions: list[Mention]) -> None:
    groups: dict[tuple[str, str], list[Mention]] = {}
    for mention in mentions:
        groups.setdefault((mention.kind, mention.key), []).append(mention)
    for (kind, key), group in groups.items():
        entity = entity_iri(kind, key)
        evidence: list[Mention] = []
        seen_units: set[int] = set()
        for mention in sorted(group, key=_evidence_order):
            if id(mention.unit) not in seen_units:
                seen_units.add(id(mention.unit))
                evidence.append(mention)
        evidence = evidence[:ENTITY_CLAIMS_PER_DOCUMENT]
        first = evidence[0]
        canonical = first.canonical_name or first.name
        for mention in evidence:
            unit, rule, confidence = mention.unit, mention.extractor, mention.confidence
            if kind == "Region":
                _region_of_mention(writer, mention, canonical)
            else:
                writer.assert_(entity, RDF.type, MBC[kind], unit, rule, confidence)
                writer.assert_(entity, RDF.type, SCHEMA_TYPES[kind], unit, rule, confidence)
                writer.assert_(entity, RDFS.label, Literal(canonical, lang="en"), unit, rule, confidence)
                writer.assert_(entity, SKOS.prefLabel, Literal(canonical, lang="en"), unit, rule, confidence)
                if mention.concept is not None:
                    writer.assert_(entity, SKOS.exactMatch, mention.concept.iri, unit, "vocabulary-link", confidence)
        for mention in group:
            for alias in {mention.name, mention.acronym} - {None, canonical}:
                if alias.strip():
                    writer.assert_(entity, SKOS.altLabel, Literal(alias, lang="en"), mention.unit, mention.extractor,
                                   mention.confidence)
            if mention.acronym and kind != "Region":
                writer.assert_(entity, MBC.acronym, Literal(mention.acronym), mention.unit, mention.extractor,
                               mention.confidence)


# ---------------------------------------------------------------- regions

def _region_entity(writer: ClaimWriter, key: str, region_class: str, name: str, code: str | None, concept,
                   parents: tuple[str, ...], unit, rule: str, confidence: float, parent_rule: str,
                   parent_confidence: float) -> None:
    """The one writer of a region's type, names, code, vocabulary link and parents."""
    entity = entity_iri("Region", key)
    writer.assert_(entity, RDF.type, MBC[region_class], unit, rule, confidence)
    writer.assert_(entity, RDF.type, MBC.Region, unit, rule, confidence)
    writer.assert_(entity, RDF.type, SCHEMA.Place, unit, rule, confidence)
    writer.assert_(entity, RDFS.label, Literal(name, lang="en"), unit, rule, confidence)
    writer.assert_(entity, SKOS.prefLabel, Literal(name, lang="en"), unit, rule, confidence)
    if code:
        writer.assert_(entity, MBC.regionCode, Literal(code), unit, rule, confidence)
    if concept is not None:
        writer.assert_(entity, SKOS.exactMatch, concept.iri, unit, "vocabulary-link", confidence)
    for parent in parents:
        writer.assert_(entity, MBC.partOf, entity_iri("Region", parent), unit, parent_rule, parent_confidence)


def _region_of_mention(writer: ClaimWriter, mention: Mention, name: str) -> None:
    """A region named in the text; its parents come from its name or the document's state."""
    place = mention.place
    if place is not None and place.from_context:
        parent_rule, parent_confidence = "region-in-document-state", GRAPH["place-in-document-state"]
    elif place is not None and place.region_class == "State":
        parent_rule, parent_confidence = "state-of-the-country", GRAPH["place-in-its-state"]
    else:
        parent_rule, parent_confidence = "place-name-state", GRAPH["place-in-its-state"]
    _region_entity(writer, mention.key, mention.region_class, name, place.code if place else None, mention.concept,
                   place.parents if place else (), mention.unit, mention.extractor, mention.confidence,
                   parent_rule, parent_confidence)


def _parent_region_types(writer: ClaimWriter, mentions: list[Mention], vocabulary) -> None:
    """Parents named only by their children ('Stockton, CA MSA' names CA) still get a type and a name."""
    present = {m.key for m in mentions if m.kind == "Region"}
    confidence = GRAPH["parent-of-named-place"]
    country = (vocabulary.country.key,)     # a state's or territory's parent
    for mention in mentions:
        if mention.place is None:
            continue
        for parent in mention.place.parents:
            if parent in present:
                continue
            present.add(parent)
            concept = vocabulary.by_region_code.get(parent.split("/")[-1].upper())
            territory = territory_name(parent.split("/")[-1]) if parent.count("/") == 1 else None
            if concept is None and territory is not None:    # "Saipan" names the Northern Mariana Islands
                _region_entity(writer, parent, "Territory", territory, parent.split("/")[-1].upper(), None, country,
                               mention.unit, "parent-of-named-place", confidence, "state-of-the-country", confidence)
                continue
            if concept is None:
                continue
            _region_entity(writer, parent, concept.entity_class, concept.pref_label, concept.region_code, concept,
                           country if concept.entity_class == "State" else (), mention.unit, "parent-of-named-place",
                           confidence, "state-of-the-country", confidence)


def _relation_triples(writer: ClaimWriter, relations: list[Relation], vocabulary) -> None:
    for relation in relations:
        predicate = MBC[relation.predicate]
        subject = (entity_iri(relation.subject.kind, relation.subject.key) if relation.subject is not None
                   else entity_iri("EducationProgram", "training-program"))
        if relation.subject is None:
            _generic_program(writer, subject, relation.unit, vocabulary)
        writer.assert_(subject, predicate, entity_iri(relation.object.kind, relation.object.key), relation.unit,
                       relation.extractor, relation.confidence)


def _generic_program(writer: ClaimWriter, subject: URIRef, unit, vocabulary) -> None:
    """'Attend training that is accredited by ...': the document's programs in general."""
    concept = vocabulary.concepts["training-program"]
    for predicate, obj in ((RDF.type, MBC.EducationProgram), (RDF.type, SCHEMA.EducationalOccupationalProgram),
                           (RDFS.label, Literal(concept.pref_label, lang="en")),
                           (SKOS.prefLabel, Literal(concept.pref_label, lang="en")),
                           (SKOS.exactMatch, concept.iri)):
        writer.assert_(subject, predicate, obj, unit, "program-in-general", GRAPH["program-in-general"])


# ---------------------------------------------------------------- figures

def _region_claim(writer: ClaimWriter, statistic: URIRef, region: RegionRef | None, unit, extractor: str,
                  confidence: float):
    if region is None:
        return     # the text does not say where: the statistic has no region
    rule = extractor if region.how == "named" else f"{extractor}-region-{region.how}"
    writer.assert_(statistic, MBC.region, entity_iri("Region", region.key), unit, rule,
                   round(confidence * REGION_HOW[region.how], 3))


def _ensure_region_entity(writer: ClaimWriter, region: RegionRef, unit, named_keys: set[str]) -> None:
    """A region a figure is about is typed and named even when the evidence only implies it."""
    if region is None or region.key in named_keys:
        return
    named_keys.add(region.key)
    place, confidence = region.place, GRAPH["region-of-a-figure"]
    _region_entity(writer, place.key, place.region_class, place.name, place.code, place.concept, place.parents, unit,
                   f"region-{region.how}", confidence, "state-of-the-country", confidence)


def _wage_label(record: WageRecord) -> str:
    period = "Hourly" if record.period == "Hour" else "Annual"
    extra = f" ({record.experience})" if record.experience else ""
    industry = f" in {record.industry}" if record.industry else ""
    return f"{period} wages{extra}{industry}" + (f", {record.region.place.name}" if record.region else "")


def _industry_identity(record) -> tuple:
    """An industry joins a statistic's identity only when there is one (the IRIs of the others stay)."""
    return (("industry", record.industry),) if getattr(record, "industry", None) else ()


def _industry_triples(writer: ClaimWriter, statistic: URIRef, record, unit, rule: str, confidence: float) -> None:
    """'Offices of physicians' on a wage or employment statistic: an mbc:Industry named as the text names it."""
    if not getattr(record, "industry", None):
        return
    industry = entity_iri("Industry", slug(record.industry))
    writer.assert_(industry, RDF.type, MBC.Industry, unit, rule, confidence)
    writer.assert_(industry, RDFS.label, Literal(record.industry, lang="en"), unit, rule, confidence)
    writer.assert_(statistic, MBC.industry, industry, unit, rule, confidence)


def _place_key(record) -> str | None:
    return record.region.key if record.region is not None else None


def _place_name(record) -> str:
    return f", {record.region.place.name}" if record.region is not None else ""


def _figure_triples(writer: ClaimWriter, records: list, named_region_keys: set[str], currency: str) -> None:
    for record in records:
        unit = record.units[0]
        rule, confidence = record.extractor, record.confidence
        _ensure_region_entity(writer, record.region, unit, named_region_keys)
        if isinstance(record, WageRecord):
            identity = (_place_key(record), record.role.key if record.role else None, record.period,
                        record.reference_year, record.experience,
                        tuple(sorted((v.measure, str(v.amount)) for v in record.values)), *_industry_identity(record))
            statistic = statistic_iri("WageStatistic", *identity)
            for predicate, obj in ((RDF.type, MBC.WageStatistic), (RDF.type, SCHEMA.MonetaryAmountDistribution),
                                   (RDFS.label, Literal(_wage_label(record), lang="en")),
                                   (MBC.payPeriod, PERIODS[record.period]), (MBC.currency, Literal(currency))):
                writer.assert_(statistic, predicate, obj, unit, rule, confidence)
            for value in record.values:
                writer.assert_(statistic, MEASURE_PROPERTIES[value.measure], decimal(value.amount), value.unit, rule,
                               confidence)
                if value.qualifier:
                    writer.assert_(statistic, MBC.valueQualifier, Literal(value.qualifier), value.unit, rule, confidence)
            if record.employment is not None:
                writer.assert_(statistic, MBC.employment, decimal(record.employment[0]), unit, rule, confidence)
            if record.experience:
                writer.assert_(statistic, MBC.experienceLevel, Literal(record.experience), unit, rule, confidence)
        elif isinstance(record, GrowthRecord):
            identity = (_place_key(record), record.role.key if record.role else None, str(record.percent),
                        str(record.annual_openings), record.start_year, record.end_year,
                        record.source.key if record.source else None)
            statistic = statistic_iri("GrowthProjection", *identity)
            label = (f"{record.percent}% employment change" if record.percent is not None
                     else f"{record.annual_openings} openings a year") + _place_name(record)
            writer.assert_(statistic, RDF.type, MBC.GrowthProjection, unit, rule, confidence)
            writer.assert_(statistic, RDFS.label, Literal(label, lang="en"), unit, rule, confidence)
            if record.percent is not None:
                writer.assert_(statistic, MBC.percentChange, decimal(record.percent), unit, rule, confidence)
            if record.annual_openings is not None:
                writer.assert_(statistic, MBC.annualOpenings, decimal(record.annual_openings), unit, rule, confidence)
            if record.qualifier:
                writer.assert_(statistic, MBC.valueQualifier, Literal(record.qualifier), unit, rule, confidence)
            if record.start_year is not None:
                writer.assert_(statistic, MBC.startYear, integer(record.start_year), unit, rule, confidence)
            if record.end_year is not None:
                writer.assert_(statistic, MBC.endYear, integer(record.end_year), unit, rule, confidence)
        else:
            identity = (_place_key(record), record.role.key if record.role else None, str(record.count),
                        record.reference_year, *_industry_identity(record))
            statistic = statistic_iri("EmploymentStatistic", *identity)
            writer.assert_(statistic, RDF.type, MBC.EmploymentStatistic, unit, rule, confidence)
            industry = f" in {record.industry}" if record.industry else ""
            writer.assert_(statistic, RDFS.label, Literal(f"Employment{industry}{_place_name(record)}", lang="en"),
                           unit, rule, confidence)
            writer.assert_(statistic, MBC.employment, decimal(record.count), unit, rule, confidence)
            if record.qualifier:
                writer.assert_(statistic, MBC.valueQualifier, Literal(record.qualifier), unit, rule, confidence)
        _region_claim(writer, statistic, record.region, unit, rule, confidence)
        _industry_triples(writer, statistic, record, unit, rule, confidence)
        if record.role is not None:
            writer.assert_(statistic, MBC.role, entity_iri("Role", record.role.key), record.role.unit, rule, confidence)
        if getattr(record, "reference_year", None) is not None:
            writer.assert_(statistic, MBC.referenceYear, integer(record.reference_year), unit, rule, confidence)
        if record.source is not None:
            writer.assert_(statistic, MBC.source, entity_iri("Organization", record.source.key), record.source.unit,
                           rule, confidence)


def _occupation_code_triples(writer: ClaimWriter, codes) -> None:
    """'Medical Records Specialists (SOC 29-2072)': the code as the document states it."""
    for code in codes:
        writer.assert_(entity_iri("Role", code.role.key), SCHEMA.occupationalCategory, Literal(code.code), code.unit,
                       code.extractor, code.confidence)


def _duration_triples(writer: ClaimWriter, durations) -> None:
    for duration in durations:
        program = entity_iri("EducationProgram", duration.program.key)
        for predicate, months in ((MBC.minMonths, duration.min_months), (MBC.maxMonths, duration.max_months)):
            if months is not None:
                writer.assert_(program, predicate, decimal(months.normalize() if months == months.to_integral()
                                                           else months), duration.unit, duration.extractor,
                               duration.confidence)


def _requirement_triples(writer: ClaimWriter, requirements) -> None:
    """'certification is not mandatory in all states': whether a credential is required to work, and where."""
    for requirement in requirements:
        region = requirement.region
        node = statistic_iri("CredentialRequirement", requirement.required, region.key if region else None)
        where = f", {region.name}" if region else ""
        label = ("Credential required to work" if requirement.required else "Credential not required to work") + where
        rule, confidence, unit = requirement.extractor, requirement.confidence, requirement.unit
        writer.assert_(node, RDF.type, MBC.CredentialRequirement, unit, rule, confidence)
        writer.assert_(node, RDFS.label, Literal(label, lang="en"), unit, rule, confidence)
        writer.assert_(node, MBC.required, Literal(requirement.required), unit, rule, confidence)
        if region is not None:
            writer.assert_(node, MBC.region, entity_iri("Region", region.key), region.unit, rule, confidence)


def document_graph(source_file: str, sha256: str, analysis: Analysis, vocabulary,
                   media_type: str = "text/plain", graph=None) -> Graph:
    """The named graph of one document, added to `graph` (default: a new rdflib Graph; the ingest job
    gives an ingest.triples.NTriplesSink, which holds it as N-Triples)."""
    graph = Graph() if graph is None else graph
    bind_prefixes(graph)
    writer = ClaimWriter(graph, source_file, analysis.text, analysis.passages)
    mentions = [m for m in analysis.mentions if _in_a_passage(writer, m)]
    _document_triples(graph, source_file, sha256, analysis, media_type)
    _passage_triples(graph, source_file, writer.locator, analysis.text, mentions)
    _entity_triples(writer, mentions)
    _parent_region_types(writer, mentions, vocabulary)
    _relation_triples(writer, analysis.relations, vocabulary)
    _figure_triples(writer, analysis.statistics, {m.key for m in mentions if m.kind == "Region"}, vocabulary.currency)
    _duration_triples(writer, [d for d in analysis.durations if _in_a_passage(writer, d.program)])
    _occupation_code_triples(writer, [c for c in analysis.occupation_codes if _in_a_passage(writer, c.role)])
    _requirement_triples(writer, [r for r in analysis.requirements
                                  if writer.locator.find(r.unit.start, r.unit.end) is not None
                                  and (r.region is None or _in_a_passage(writer, r.region))])
    return graph


def _in_a_passage(writer: ClaimWriter, mention: Mention) -> bool:
    return writer.locator.find(mention.unit.start, mention.unit.end) is not None
