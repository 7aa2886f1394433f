"""Command groups of the ``tlreview`` CLI (one module per group)."""
