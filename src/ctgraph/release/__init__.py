"""Publishing the graph as a release: import modules that load offline, the
reasoner check, the dataset's own description, documentation and mapping tables."""
