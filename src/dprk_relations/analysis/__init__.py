"""Layer 3, analysis: yearly counts, waves, the uncertainty band, published counts, the claims'
checks, the states' status, the base map, the figures, and what the report's page shows."""
