"""What a search request may ask: its limits, the checks on a query and its page, and the passages its
filters allow.

search.engine ranks only requests that pass; the service shows the same limits in its form and in
its OpenAPI description."""
from __future__ import annotations

MAX_QUERY_CHARS = 500
MAX_K = 50
MAX_OFFSET = 1000
MODES = ("hybrid", "dense", "lexical")
ENTITY_KINDS = ("Certification", "Organization", "Region", "Role", "CodeSet", "Regulation", "EducationProgram")


class SearchError(ValueError):
    """The request is not a valid search (empty or over-long query, k out of range, bad filter)."""


class UnknownFilter(SearchError):
    """A filter names something the index does not hold (a document that was never ingested)."""


def checked_query(query: str, k: int) -> str:
    """The query with its white space collapsed, once it and `k` are valid."""
    if not isinstance(query, str) or not query.strip():
        raise SearchError("the query is empty; type a question, e.g. 'who awards the CCS credential?'")
    query = " ".join(query.split())
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError(f"the query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}")
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
        raise SearchError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}")
    return query


def check_page(mode: str, offset: int) -> None:
    if mode not in MODES:
        raise SearchError(f"mode must be hybrid, dense or lexical, not {mode!r}")
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= MAX_OFFSET:
        raise SearchError(f"offset must be a whole number from 0 to {MAX_OFFSET}, not {offset!r}")


def allowed_passages(index, document: str | None, entity: str | None, entity_type: str | None) -> set[int] | None:
    """The passages of the index (a search.index.reader.IndexReader) the filters allow; None: all."""
    sets: list[set[int]] = []
    if document:
        ids = index.by_file.get(document) or index.by_document.get(document)
        if ids is None:
            raise UnknownFilter(f"no document {document!r}; give a source file name or a document IRI")
        sets.append(ids)
    if entity:
        sets.append(index.by_entity.get(entity, set()))
    if entity_type:
        if entity_type not in ENTITY_KINDS:
            raise SearchError(f"entity type must be one of {', '.join(ENTITY_KINDS)}, not {entity_type!r}")
        sets.append(index.by_kind.get(entity_type, set()))
    if not sets:
        return None
    result = set(sets[0])
    for other in sets[1:]:
        result &= other
    return result
