"""ctgraph: a knowledge graph of the UN Global Counter-Terrorism Compact."""
