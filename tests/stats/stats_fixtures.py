"""Data of the statistics tests (the same numbers as in tests/stats/r/metafor_pins.R).

``BCG_ROWS``: the BCG vaccine trials, metafor's ``dat.bcg`` (Colditz GA et al. 1994, Efficacy of
BCG vaccine in the prevention of tuberculosis: meta-analysis of the published literature, JAMA
271:698-702; as distributed with R's metafor/metadat packages). Every other set here is
SYNTHETIC: numbers made up for the tests.
"""

from __future__ import annotations

import numpy as np
import polars as pl

# trial, author, year, tpos, tneg, cpos, cneg, ablat, alloc  (dat.bcg, 13 rows, raw)
BCG_ROWS: list[tuple] = [
    (1, "Aronson", 1948, 4, 119, 11, 128, 44, "random"),
    (2, "Ferguson & Simes", 1949, 6, 300, 29, 274, 55, "random"),
    (3, "Rosenthal et al", 1960, 3, 228, 11, 209, 42, "random"),
    (4, "Hart & Sutherland", 1977, 62, 13536, 248, 12619, 52, "random"),
    (5, "Frimodt-Moller et al", 1973, 33, 5036, 47, 5761, 13, "alternate"),
    (6, "Stein & Aronson", 1953, 180, 1361, 372, 1079, 44, "alternate"),
    (7, "Vandiviere et al", 1973, 8, 2537, 10, 619, 19, "random"),
    (8, "TPT Madras", 1980, 505, 87886, 499, 87892, 13, "random"),
    (9, "Coetzee & Berjak", 1968, 29, 7470, 45, 7232, 27, "random"),
    (10, "Rosenthal et al", 1961, 17, 1699, 65, 1600, 42, "systematic"),
    (11, "Comstock et al", 1974, 186, 50448, 141, 27197, 18, "systematic"),
    (12, "Comstock & Webster", 1969, 5, 2493, 3, 2338, 33, "systematic"),
    (13, "Comstock et al", 1976, 27, 16886, 29, 17825, 33, "systematic"),
]


def bcg() -> pl.DataFrame:
    """dat.bcg with log risk ratios ``yi`` and variances ``vi`` (metafor ``escalc("RR")``)."""
    cols = ["trial", "author", "year", "tpos", "tneg", "cpos", "cneg", "ablat", "alloc"]
    df = pl.DataFrame(BCG_ROWS, schema=cols, orient="row")
    a, b, c, d = (df[x].to_numpy().astype(float) for x in ("tpos", "tneg", "cpos", "cneg"))
    yi = np.log((a / (a + b)) / (c / (c + d)))
    vi = 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)
    return df.with_columns(pl.Series("yi", yi), pl.Series("vi", vi))


# SYNTHETIC sets (yi, vi)
SYNTHETIC: dict[str, tuple[list[float], list[float]]] = {
    # k = 5, heterogeneous
    "s5": ([0.12, 0.58, -0.21, 0.95, 0.40], [0.040, 0.025, 0.060, 0.035, 0.050]),
    # k = 6, tau^2 estimated 0 (Q < k - 1)
    "shom": ([0.30, 0.32, 0.28, 0.35, 0.29, 0.31], [0.02, 0.03, 0.025, 0.04, 0.015, 0.05]),
    # k = 10, small studies with larger effects (trim-and-fill fills studies on the left)
    "sfun": (
        [0.10, 0.15, 0.22, 0.35, 0.48, 0.60, 0.75, 0.05, 0.12, 0.90],
        [0.005, 0.008, 0.02, 0.04, 0.06, 0.09, 0.12, 0.004, 0.01, 0.15],
    ),
    # k = 7, tied sampling variances (the rank test uses the normal approximation)
    "sties": ([0.2, 0.5, 0.1, 0.4, 0.3, 0.6, 0.35], [0.02, 0.04, 0.02, 0.05, 0.03, 0.04, 0.06]),
}

# SYNTHETIC accuracies: correct test images x_i out of n_i (one study at 100%)
SACC_X = [178, 92, 450, 61, 50, 233, 880, 139]
SACC_N = [200, 100, 500, 75, 50, 250, 1000, 160]


def sacc() -> tuple[np.ndarray, np.ndarray]:
    """The SYNTHETIC accuracy set as logit proportions (``escalc("PLO")``)."""
    from review.stats.meta import logit_proportion

    return logit_proportion(SACC_X, SACC_N)


def data_set(name: str) -> tuple[np.ndarray, np.ndarray]:
    """``(yi, vi)`` of a named set: ``bcg``, ``sacc`` or one of :data:`SYNTHETIC`."""
    if name == "bcg":
        d = bcg()
        return d["yi"].to_numpy(), d["vi"].to_numpy()
    if name == "sacc":
        return sacc()
    y, v = SYNTHETIC[name]
    return np.array(y), np.array(v)


def logit_table() -> pl.DataFrame:
    """60 SYNTHETIC studies from deterministic formulas (as in the R script)."""
    i = np.arange(60)
    year = 2010 + (i * 7) % 11
    n_images = 150 + (i * 337) % 9000
    modality = np.array(["ct", "mri", "xray"])[(i * 5) % 3]
    levels = np.array(["feature_extractor", "fine_tuning_from_scratch", "multiple"])
    approach = levels[((i * i + 3 * i) // 2 + (year > 2015) + (i % 7 == 0)) % 3]
    return pl.DataFrame({"year": year, "n_images": n_images, "modality": modality,
                         "tl_approach": approach})  # fmt: skip
