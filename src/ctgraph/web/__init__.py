"""The web layer: pages, stored queries, the SPARQL endpoint and the JSON API."""
