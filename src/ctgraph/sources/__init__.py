"""Sources: the committed tables, and the ingest steps that derive them."""
