"""The dense (embedding) indexes: exact up to a size, approximate beyond it.

Up to EXACT_UP_TO vectors the index is faiss's exact inner-product search (`IndexFlatIP`): at 100k
passages it answers in a few milliseconds on 2 cores, and every answer is exact. Beyond that it
is an inverted file (`IndexIVFFlat`): the vectors are split into about 4·√n clusters and a question
is compared only with the vectors of the NPROBE clusters nearest to it, so a search costs a small,
nearly constant share of the index. IVF rather than HNSW: at 1M vectors it builds in a minute or two
where HNSW took many times longer on 2 cores, its memory is the vectors plus the cluster lists,
and filtered searches (a document, an entity) work with faiss's ID selectors. Its recall@10
against exact search is measured by bench/scale_bench.py and reported in the README.
"""
from __future__ import annotations

import math

import numpy as np

EXACT_UP_TO = 100_000          # vectors: exact search up to here, IVF above
NPROBE = 32                    # clusters searched per question in an IVF index
EXACT_SUBSET = 50_000          # a filter this small is searched exactly, vector by vector
TRAINING_POINTS_PER_CLUSTER = 40


def build(vectors: np.ndarray, ids: np.ndarray, exact_up_to: int = EXACT_UP_TO):
    """A faiss index over `vectors` (unit length, float32) with these ids."""
    import faiss

    count, dimension = vectors.shape if len(vectors) else (0, vectors.shape[1])
    if count <= exact_up_to:
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        if count:
            index.add_with_ids(vectors, ids)
        return index
    clusters = int(4 * math.sqrt(count))
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFFlat(quantizer, dimension, clusters, faiss.METRIC_INNER_PRODUCT)
    sample = np.random.default_rng(7).choice(count, size=min(count, clusters * TRAINING_POINTS_PER_CLUSTER),
                                             replace=False)
    index.train(vectors[np.sort(sample)])
    index.add_with_ids(vectors, ids)
    return index


def prepare(index, nprobe: int = NPROBE):
    """Ready a loaded index for search: how many clusters to probe, and look-up of a vector by id."""
    import faiss

    ivf = _ivf(index)
    if ivf is not None:
        ivf.nprobe = nprobe
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)   # reconstruct(id) with arbitrary ids
    return index


def search(index, query: np.ndarray, limit: int, allowed_ids: np.ndarray | None):
    """[(id, score)], best first; only `allowed_ids` when given."""
    import faiss

    if index.ntotal == 0 or limit <= 0:
        return []
    limit = min(limit, index.ntotal)
    if allowed_ids is None:
        scores, ids = index.search(query, limit)
    else:
        if not len(allowed_ids):
            return []
        ivf = _ivf(index)
        if ivf is not None and len(allowed_ids) <= EXACT_SUBSET:
            # the clusters probed may hold none of a small subset: compare with each of its vectors
            vectors = index.reconstruct_batch(allowed_ids)
            scores = vectors @ query[0]
            best = np.argsort(-scores)[:limit]
            return [(int(allowed_ids[i]), float(scores[i])) for i in best]
        selector = faiss.IDSelectorBatch(allowed_ids)
        params = (faiss.SearchParametersIVF(sel=selector, nprobe=ivf.nprobe) if ivf is not None
                  else faiss.SearchParameters(sel=selector))
        scores, ids = index.search(query, min(limit, len(allowed_ids)), params=params)
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]


def kind(index) -> str:
    return "approximate (IVF)" if _ivf(index) is not None else "exact"


def _ivf(index):
    import faiss

    try:
        return faiss.extract_index_ivf(index)
    except RuntimeError:        # not an IVF index
        return None
