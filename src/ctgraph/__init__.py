"""ctgraph: a knowledge graph of the UN Global Counter-Terrorism Compact."""

__version__ = "0.1.0"
