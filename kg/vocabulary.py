"""The reference vocabulary (kg/vocabulary.ttl) as lookup tables for the extractor.

Reference data only: names, acronyms and codes that help recognise and link a mention.
Relations and figures never come from here.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kg.namespaces import MBC, SCHEMA
from kg.prefixes import VOCAB_BASE

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.ttl")
ONTOLOGY_FILE = Path(__file__).with_name("ontology.ttl")
SHAPES_FILE = Path(__file__).with_name("shapes.ttl")
VOCAB_NS = VOCAB_BASE

# Which vocabulary the extractor reads (`python -m ingest --vocabulary`, $MBC_VOCABULARY):
# "full", everything in kg/vocabulary.ttl; "core", the same without its certifications and
# organizations, so that every credential and body must be found by reading the text (the
# names-blind mode the extraction is measured in: documents name bodies no list holds).
VOCABULARY_MODES = ("full", "core")
VOCABULARY_ENV = "MBC_VOCABULARY"
NAME_CLASSES = ("Certification", "Organization")     # what "core" leaves out

# mbc classes that are regions; their entities all have kind "Region".
REGION_CLASSES = {"Country", "State", "MetropolitanArea", "NonmetropolitanArea", "City"}


# The money of a country, by the region code the vocabulary gives it (ISO 3166 -> ISO 4217).
CURRENCIES = {"US": "USD"}


@dataclass(frozen=True)
class Concept:
    key: str                      # local name in the vocabulary, e.g. "aapc", "us-ca"
    iri: URIRef
    entity_class: str             # local name of the mbc class, e.g. "Organization", "State"
    pref_label: str
    acronym: str | None = None
    alt_labels: tuple[str, ...] = ()
    region_code: str | None = None
    broader: str | None = None    # key of the broader concept (a state's country)
    occupational_category: str | None = None

    @property
    def kind(self) -> str:
        """Entity kind for IRI minting: region subclasses share the kind "Region"."""
        return "Region" if self.entity_class in REGION_CLASSES else self.entity_class

    @property
    def names(self) -> tuple[str, ...]:
        return (self.pref_label, *self.alt_labels)


def normalize_name(name: str) -> str:
    """Comparison form of a name: case, '&', "'s", punctuation, a leading 'the' and plural ignored."""
    text = name.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"'s\b", "s", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = re.sub(r"^the ", "", text)
    return " ".join(singular(word) for word in text.split())


def singular(word: str) -> str:
    """Singular of an English noun in the forms job titles use ('coders', 'specialists', 'degrees')."""
    lower = word.lower()
    if len(lower) <= 3 or lower.endswith(("ss", "us", "is", "ics")):
        return word
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    if lower.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if lower.endswith("s"):
        return word[:-1]
    return word


@dataclass(eq=False)   # compared (and cached on) by identity
class Vocabulary:
    concepts: dict[str, Concept] = field(default_factory=dict)
    by_name: dict[str, list[Concept]] = field(default_factory=dict)
    by_acronym: dict[str, list[Concept]] = field(default_factory=dict)
    by_region_code: dict[str, Concept] = field(default_factory=dict)

    def add(self, concept: Concept) -> None:
        self.concepts[concept.key] = concept
        for name in concept.names:
            self.by_name.setdefault(normalize_name(name), []).append(concept)
        if concept.acronym:
            self.by_acronym.setdefault(concept.acronym, []).append(concept)
        if concept.region_code:
            self.by_region_code[concept.region_code] = concept

    def lookup_name(self, name: str, kind: str | None = None) -> Concept | None:
        return _first_of_kind(self.by_name.get(normalize_name(name), []), kind)

    def lookup_acronym(self, acronym: str, kind: str | None = None) -> Concept | None:
        return _first_of_kind(self.by_acronym.get(acronym, []), kind)

    def of_class(self, *entity_classes: str) -> list[Concept]:
        return [c for c in self.concepts.values() if c.entity_class in entity_classes]

    @property
    def states(self) -> list[Concept]:
        return self.of_class("State")

    @cached_property
    def country(self) -> Concept:
        """The country the vocabulary's regions lie in (its one concept of class Country)."""
        (country,) = self.of_class("Country")
        return country

    @property
    def currency(self) -> str:
        """The ISO 4217 code of the country's money: what a wage figure without a currency sign is paid in."""
        return CURRENCIES[self.country.region_code]


def _first_of_kind(concepts: list[Concept], kind: str | None) -> Concept | None:
    for concept in concepts:
        if kind is None or concept.kind == kind:
            return concept
    return None


def _literal(graph: Graph, subject, predicate) -> str | None:
    value = graph.value(subject, predicate)
    return str(value) if value is not None else None


def parse_vocabulary(graph: Graph) -> Vocabulary:
    vocabulary = Vocabulary()
    for iri in sorted(graph.subjects(RDF.type, SKOS.Concept)):
        entity_class = graph.value(iri, MBC.entityClass)
        if entity_class is None:
            raise ValueError(f"vocabulary concept {iri} has no mbc:entityClass")
        broader = graph.value(iri, SKOS.broader)
        vocabulary.add(Concept(
            key=str(iri)[len(VOCAB_NS):],
            iri=iri,
            entity_class=str(entity_class).split("#")[-1],
            pref_label=_literal(graph, iri, SKOS.prefLabel),
            acronym=_literal(graph, iri, MBC.acronym),
            alt_labels=tuple(sorted(str(label) for label in graph.objects(iri, SKOS.altLabel))),
            region_code=_literal(graph, iri, MBC.regionCode),
            broader=str(broader)[len(VOCAB_NS):] if broader is not None else None,
            occupational_category=_literal(graph, iri, SCHEMA.occupationalCategory),
        ))
    return vocabulary


def vocabulary_mode(mode: str | None = None) -> str:
    """`mode`, else $MBC_VOCABULARY, else "full"; anything else is a ValueError naming the choices."""
    chosen = (mode or os.environ.get(VOCABULARY_ENV) or "full").strip().lower()
    if chosen not in VOCABULARY_MODES:
        raise ValueError(f"unknown vocabulary {chosen!r} (from {'--vocabulary' if mode else VOCABULARY_ENV}); "
                         f"choose one of: {', '.join(VOCABULARY_MODES)}")
    return chosen


@lru_cache(maxsize=2)
def vocabulary_graph(mode: str = "full") -> Graph:
    graph = Graph()
    graph.parse(VOCABULARY_FILE, format="turtle")
    if mode == "core":
        names = {MBC[c] for c in NAME_CLASSES}
        for concept in {s for s, o in graph.subject_objects(MBC.entityClass) if o in names}:
            graph.remove((concept, None, None))
    return graph


@lru_cache(maxsize=2)
def vocabulary_text(mode: str = "full") -> str:
    """The Turtle text of the vocabulary a mode reads (what ingest's workers get and the store holds)."""
    if mode == "full":
        return VOCABULARY_FILE.read_text(encoding="utf-8")
    return vocabulary_graph(mode).serialize(format="turtle")


@lru_cache(maxsize=2)
def load_vocabulary(mode: str = "full") -> Vocabulary:
    return parse_vocabulary(vocabulary_graph(mode))
