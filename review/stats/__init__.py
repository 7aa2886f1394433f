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

The table-level functions take a tidy DataFrame and return a polars DataFrame with a fixed
schema; the model fits (``meta.rma``, ``bias.trimfill``) return typed result objects and the
plots return matplotlib figures. Numbers are never rounded in storage.
"""
