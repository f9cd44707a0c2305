"""Layer 4, data: reading and checking data/raw into one dataset (ingest), the processed tables the
steps read and write (store), and the data-quality tables (quality)."""
