"""Statistics of the study table: descriptives, trends, meta-analysis, small-study tests, plots.

Modules
-------
descriptives
    Counts and shares by the review's variables; comparison with the review's aggregates.
trends
    Cochran-Armitage trend tests, logistic regressions of approach choice, association tests.
meta
    Effect sizes, equal/random-effects pooling (FE, DL, PM, REML, ML; z or Knapp-Hartung),
    heterogeneity with Q-profile intervals, subgroups and meta-regression (as metafor).
bias
    Regression and rank tests for small-study effects, trim-and-fill, leave-one-out.
plots
    Forest, funnel, bubble, trend and heat-map figures.
analyze
    Everything above on a study table, written to a folder (``tlreview analyze``).

Every function takes a tidy DataFrame (or arrays) and returns a polars DataFrame with a fixed
schema; numbers are never rounded in storage.
"""
