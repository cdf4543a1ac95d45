"""Store: the engines a graph lives in, embedded or a remote SPARQL server."""
