"""Hypothesis settings for the property-based tests: no example database in the checkout (runs
are reproducible from the derandomised seed), no per-example deadline (CI machines vary)."""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("tlreview", database=None, deadline=None, derandomize=True)
settings.load_profile("tlreview")
