"""Reproduction library for Bondaz (FRS, 2023), "Isolation or integration? North Korea's diplomatic network".

The modules are grouped in layers, one sub-package each, in this order; a module imports only from
its own layer or the ones before it, always by absolute import (tests/test_layers.py checks this and
that no two modules import each other, even inside a function):

- `core`: where things live, partial dates, atomic and deterministic writes, the catalogue of tables,
  figures and steps, the notebooks' parameters;
- `rules`: the raw tables' schemas and the domain rules over them (the date rule, spells and the
  state machine, missions on a day);
- `analysis`: counts, waves, the uncertainty band, published counts, claims, the states' status, the
  base map, figures, what the page shows;
- `data`: reading and checking data/raw (ingest), the processed tables (store), quality tables, the
  raw data package's descriptor (datapackage);
- `report`: the HTML site built from a run's tables and figures, and the comparison with the committed
  verdicts;
- `runner`: the engine: cache keys and the manifest, the order of the steps, executing a notebook, the
  kernels, the run and its command line.
"""

LAYERS = ("core", "rules", "analysis", "data", "report", "runner")
