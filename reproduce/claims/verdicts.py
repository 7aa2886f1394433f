"""Turn suite results plus the pre-registered claims into verdicts (both registrations).

v1, the pilot (``claims.yaml``)
    :func:`evaluate_claims`: pairs as the unit, a percentile bootstrap CI of the mean paired
    difference, the rules of :mod:`reproduce.claims.pilot` (issue #13's verdict-code bugs
    fixed there, each with a regression test).
v2 (``claims_v2.yaml``)
    :func:`reproduce.claims.pooled.evaluate_v2`: data sets as the unit, pooled by
    ``review.stats`` random-effects meta-analysis.

Claims files are read by one strict loader (:func:`reproduce.claims.claim.load_claim_set`):
unknown keys, unknown decisions and missing fields are refused with the claim id and the field.
``tlreview reproduce verdicts SUITE`` writes both registrations' tables. Nothing is decided by
hand.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import yaml

from reproduce.claims.claim import load_claim_set
from reproduce.claims.pairs import add_derived_columns, architectures
from reproduce.claims.pilot import MIN_PAIRS, SCHEMA, VERDICTS, bootstrap_mean_ci, evaluate_v1
from reproduce.claims.pooled import evaluate_v2
from review.errors import InputError

__all__ = [
    "CLAIMS_PATH",
    "CLAIMS_V2_PATH",
    "MIN_PAIRS",
    "SCHEMA",
    "VERDICTS",
    "InputError",
    "add_derived_columns",
    "architectures",
    "bootstrap_mean_ci",
    "evaluate_claims",
    "evaluate_v2",
    "load_claims",
]

CLAIMS_PATH = Path(__file__).with_name("claims.yaml")
CLAIMS_V2_PATH = Path(__file__).with_name("claims_v2.yaml")


def load_claims(path: str | Path | None = None) -> dict:
    """The claims file as written (a dict), after the strict loader has accepted it.

    Raises
    ------
    InputError
        One line per problem, naming the file, the claim and the field.
    """
    path = Path(path) if path is not None else CLAIMS_PATH
    load_claim_set(path)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def evaluate_claims(
    results: pl.DataFrame, suite: str, claims_path: str | Path | None = None
) -> pl.DataFrame:
    """Evaluate every v1 (pilot) claim of ``suite`` on its tidy results.

    Parameters
    ----------
    results
        Tidy result rows of the suite (``tlreview reproduce collect``); rows with a ``status``
        other than ``ok`` are ignored.
    suite
        ``guideline`` or ``uap`` (the ``suite`` field of the claims).
    claims_path
        A v1 claims file; default ``reproduce/claims/claims.yaml``.

    Returns
    -------
    polars.DataFrame
        One row per claim with the columns of :data:`SCHEMA`.
    """
    cs = load_claim_set(claims_path if claims_path is not None else CLAIMS_PATH)
    return evaluate_v1(results, cs, suite)
