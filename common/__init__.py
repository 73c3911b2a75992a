"""What ingest and search both use: the embedding model and the text normalisation that matching
runs on. Lower than both; imports neither."""
