"""ctgraph from Python, cell by cell, as one would work in a Jupyter notebook.

Run it as a script: `python docs/notebook.py [GRAPH.trig]` (without a file, the
built graph, build/ctgraph.trig, built first if missing). Each `# %%` starts a cell;
in a notebook, a cell that ends with a table displays it as an HTML table. The
pandas cell needs the `[pandas]` extra (`pip install 'ctgraph[pandas]'`).
"""

# %% Open the graph and run a stored query
import sys
from itertools import islice

from ctgraph.queries import KnowledgeGraph

kg = KnowledgeGraph.load("oxigraph", sys.argv[1] if len(sys.argv) > 1 else None)
table = kg.query("projects-stated-and-listed")
print(f"{len(table)} rows; columns: {', '.join(table.columns)}")

# %% A table reads like a list of rows (table[0] is the first); a column by name
for row in islice(table, 3):
    print([str(value) for value in row[:4]])
print("pillars:", ", ".join(sorted({str(p) for p in table["pillarLabel"]})))

# %% In a notebook the table shows itself as HTML (escaped, the first 50 rows)
print(table._repr_html_()[:80], "...")

# %% The same rows as a pandas DataFrame
try:
    frame = table.to_pandas()
except ImportError as exc:
    print(exc)
else:
    by_pillar = frame.groupby("pillarLabel")[["projects"]].sum()
    print(by_pillar.to_string())
