"""Layer 1, core: where things live (paths), partial dates, atomic and deterministic writes (outputs),
the catalogue of tables, figures and steps, and the notebooks' parameters. Imports no other layer."""
