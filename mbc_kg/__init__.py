"""The `mbc-kg` command line: ingest, serve, search, query, check (see mbc_kg.cli)."""
