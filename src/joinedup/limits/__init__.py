"""Rate-limit counters kept in the database (the embedded default; Redis when configured)."""
