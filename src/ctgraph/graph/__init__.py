"""Graph: RDF assembled from the source records."""
