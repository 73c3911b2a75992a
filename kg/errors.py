"""The errors of the graph's storage, in a leaf module: the data directory, the local store and a remote
SPARQL server raise them, and callers catch them, without importing one another.

    StorageError
      DataDirError          the data directory (and the local store in it)
        IngestRunning
        DataDirNotWritable
      RemoteStoreError      a SPARQL server as the store (kg.remote)
        RemoteTimeout
        RemoteUnavailable
"""
from __future__ import annotations


class StorageError(Exception):
    """The graph's storage cannot be used as asked; the message says what is wrong and what to do.
    Catch it where either kind of store may have failed (opening a generation to serve it, an ingest)."""


class DataDirError(StorageError):
    """The data directory is missing, not ingested or not usable; the message says what to do."""


class IngestRunning(DataDirError):
    """Another ingest holds the lock of this data directory."""


class DataDirNotWritable(DataDirError):
    """Writing to the data directory failed (permission, read-only file system, full disk)."""


class RemoteStoreError(StorageError):
    """The SPARQL server did not answer as expected; the message says which and what it said."""


class RemoteTimeout(RemoteStoreError):
    """The SPARQL server did not answer (or finish answering) within the time allowed."""


class RemoteUnavailable(RemoteStoreError):
    """The SPARQL server cannot be reached, or failed (5xx): the store's fault, not the request's."""
