"""What a search response shows of the passages it ranked: each passage's view (its entities, claims,
units and table cells, built once when the index is loaded), one hit with the unit that best answers
the question highlighted, the filter counts (facets), the answers as the API gives them, and what the
corpus covers (for a question it cannot answer).

search.engine ranks passages; this module only presents them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from kg.prefixes import ONTOLOGY
from search.question import words

HEADING_UNITS = frozenset({"heading", "title", "table_header"})
# Claims a reader learns nothing from under a result: what a thing is called or what class it is
# (the entity chips already say that). Relations and figures stay.
BOOKKEEPING = frozenset({
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#exactMatch", ONTOLOGY + "acronym", ONTOLOGY + "currency",
    ONTOLOGY + "payPeriod"})


@dataclass
class PassageView:
    """What a hit shows of one passage, built once at load: the response is copied, not computed."""
    row: dict
    source_file: str
    entities: list[dict]
    spans: list[tuple[int, int, str]]
    claims: list[dict]
    kinds: frozenset[str]
    units: list[tuple[int, int, int, str]]
    cells: list[dict] | None
    roots: frozenset[str]      # the passage's words, plural "s" dropped (to tell whether it holds the question's)


def root(word: str) -> str:
    """'coders' and 'coder' alike; the finer stemming is FTS5's job, this only says 'the word is there'."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def passage_view(index, pid: int, label: Callable[[str], str], property_label: Callable[[str], str]) -> PassageView:
    """One passage of the index as hits show it; `label` and `property_label` name IRIs for readers."""
    row = index.passages[pid]
    entities: dict[str, dict] = {}
    spans = []
    kinds = set()
    for start, end, entity, kind, name in index.mentions.get(pid, ()):
        spans.append((start, end, entity))
        kinds.add(kind)
        entities.setdefault(entity, {"iri": entity, "label": name, "type": kind})
    claims, stated = [], set()
    for claim, subject, predicate, obj, is_iri, start, end, _extractor, confidence in index.claims.get(pid, ()):
        # a fact the passage states twice (a place named in three sentences) is listed once
        if predicate in BOOKKEEPING or (subject, predicate, obj) in stated:
            continue
        stated.add((subject, predicate, obj))
        value = label(obj) if is_iri else obj
        claims.append({"claim": claim, "subject": subject, "predicate": predicate, "object": obj,
                       "object_is_iri": bool(is_iri), "start": start, "end": end, "confidence": confidence,
                       "text": f"{label(subject)} \u2014 {property_label(predicate)} \u2014 {value}"})
    cells = index.cells.get(pid)
    return PassageView(row, row["source_file"], list(entities.values()), spans, claims, frozenset(kinds),
                       index.units.get(pid, []),
                       [{"column": column, "value": value} for column, value in cells] if cells else None,
                       frozenset(root(w) for w in words(row["text"])))


def hit(view: PassageView, score: float, highlighted: dict) -> dict:
    """One result: the passage's row, its best unit, its score, entities, claims and table cells."""
    result = dict(view.row)
    result["highlight"] = highlighted
    result["score"] = round(score, 4)
    result["entities"] = view.entities
    result["claims"] = view.claims
    if view.cells:
        result["cells"] = view.cells
    return result


def highlight(view: PassageView, unit_vectors, terms: frozenset[str], vector: np.ndarray | None,
              named: list[str]) -> dict:
    """The unit (sentence, list item, row) of the passage that best matches the question; never a
    heading, a title or a table's header line (they name the topic, they do not answer).
    `unit_vectors` is the index's unit-level dense index (reconstruct_batch)."""
    row = view.row
    units = [u for u in view.units if u[3] not in HEADING_UNITS]
    if not units:
        return {"start": row["start"], "end": row["end"], "text": row["text"]}
    offset = row["start"]
    similarities = [0.0] * len(units)
    if vector is not None:
        vectors = unit_vectors.reconstruct_batch(np.asarray([u[0] for u in units], dtype=np.int64))
        similarities = (vectors @ vector).tolist()
    best, best_score = units[0], -1e9
    for unit, similarity in zip(units, similarities):
        _, start, end, _ = unit
        text = row["text"][start - offset:end - offset]
        overlap = len(terms & set(words(text))) / len(terms) if terms else 0.0
        entity_bonus = 0.3 * sum(1 for s, e, ent in view.spans if ent in named and start <= s and e <= end)
        score = similarity + 0.5 * overlap + entity_bonus - (0.3 if end - start < 25 else 0.0)
        if score > best_score:
            best, best_score = unit, score
    _, start, end, _ = best
    return {"start": start, "end": end, "text": row["text"][start - offset:end - offset]}


def facets(views: list[PassageView], titles: dict[str, str]) -> dict:
    """How many of the relevant passages each document and each entity type holds (filter counts)."""
    documents: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for view in views:
        documents[view.source_file] = documents.get(view.source_file, 0) + 1
        for kind in view.kinds:
            kinds[kind] = kinds.get(kind, 0) + 1
    return {"documents": [{"source_file": name, "title": titles.get(name, name), "count": n}
                          for name, n in sorted(documents.items(), key=lambda item: (-item[1], item[0]))],
            "types": [{"type": kind, "count": n} for kind, n in sorted(kinds.items(), key=lambda i: (-i[1], i[0]))]}


def corpus_coverage(index, titles: dict[str, str], property_label: Callable[[str], str]) -> dict:
    """What the corpus is about, for a question it cannot answer: its documents and the entities
    most passages mention, by type."""
    counts: dict[tuple[str, str], int] = {}
    for entity, passages in index.by_entity.items():
        label, kind = index.entity_labels.get(entity, (entity, ""))
        if kind and kind != "Role":
            counts[(kind, entity)] = len(passages)
    topics: dict[str, list[dict]] = {}
    for (kind, entity), n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if len(topics.setdefault(kind, [])) < 6:
            topics[kind].append({"iri": entity, "label": index.entity_labels[entity][0], "count": n})
    return {"documents": [{"source_file": name, "title": title} for name, title in sorted(titles.items())],
            "topics": topics, "type_labels": {kind: property_label(ONTOLOGY + kind) for kind in topics}}


def public_answer(answer: dict, views_by_claim: Callable[[str], PassageView | None]) -> dict:
    """An answer as the API gives it: internal bookkeeping left out, and evidence quoted from a table
    row carrying the row's cells, so it reads as a table."""
    evidence = []
    for item in answer["evidence"]:
        view = views_by_claim(item["claim"])
        evidence.append({**item, "cells": view.cells} if view is not None and view.cells else item)
    return {**{key: value for key, value in answer.items() if key not in ("anchored", "implied")}, "evidence": evidence}
