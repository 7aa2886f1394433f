"""The tables and figures the book shows, computed from committed results (polars, matplotlib)."""
