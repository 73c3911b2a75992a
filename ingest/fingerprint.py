"""What the graph was made with: a digest of the code and reference data that shape it. A leaf module:
the pipeline compares it with the manifest's, and each extraction job stamps its result with it."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

MANIFEST_FORMAT = 1
PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The code and reference data that shape the graph and the index.
FINGERPRINTED = ("ingest", "kg", "common", "search/index")


def pipeline_fingerprint(extra: str = "") -> str:
    """Changes whenever the code or reference data that shapes the graph changes."""
    digest = hashlib.sha256(f"format={MANIFEST_FORMAT};{extra}".encode())
    for folder in FINGERPRINTED:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".ttl"):
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The extractor's code and reference data as this process has them: a worker on another machine
    with another version of the project would make another graph, so ingest checks it."""
    return pipeline_fingerprint()
