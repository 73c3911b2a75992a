"""Imported by the local pool's fork server (ingest.pool.LocalPool): extracts a two-line text so
that the worker processes forked from it start with the extractor, the vocabulary and its spaCy
pipeline loaded (ingest.jobs.warm_up). Nothing else imports it."""
from ingest.jobs import warm_up

try:
    warm_up()
except Exception:   # noqa: BLE001 - a fork server that dies is an obscure error; the job itself says what failed
    pass
