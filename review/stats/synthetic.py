"""SYNTHETIC study tables for tests, benchmarks and trying the pages on a full-size table.

Nothing here is data about real studies. :func:`synthetic_studies` draws a table with the
schema of :mod:`review.schema` (every value valid, cross-field rules respected); every row's
``study_id`` starts with ``synthetic``, its title says SYNTHETIC and its source URL is
``https://example.org/synthetic/...``. When a (real) table is given, rows are bootstrapped
from it instead (resampled with replacement, relabelled as synthetic).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from review.schema import polars_schema, vocabulary
from review.studies import load_backbones

__all__ = ["synthetic_studies"]

# shares of the review's abstract (Kim et al. 2022), used only to make the draws look familiar
_APPROACH_P = {"multiple": 46, "feature_extractor": 38, "fine_tuning_from_scratch": 27,
               "feature_extractor_hybrid": 7, "fine_tuning": 3}  # fmt: skip
_CATEGORY_P = {"multiple": 57, "deep": 33, "shallow": 24, "other": 7}


def _choice(rng: np.random.Generator, weights: dict[str, float], size: int) -> list[str]:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return [keys[i] for i in rng.choice(len(keys), size=size, p=p / p.sum())]


def synthetic_studies(
    n: int = 121, seed: int = 0, base: pl.DataFrame | None = None
) -> pl.DataFrame:
    """A SYNTHETIC study table of ``n`` rows.

    Parameters
    ----------
    n
        Number of rows.
    seed
        Random seed (the same seed gives the same table).
    base
        A loaded study table to bootstrap from; ``None`` or an empty table draws every value
        from the schema's vocabularies instead.

    Returns
    -------
    polars.DataFrame
        Columns and dtypes of :func:`review.schema.polars_schema`.
    """
    rng = np.random.default_rng(seed)
    if base is not None and base.height > 0:
        idx = rng.integers(0, base.height, size=n)
        out = base[idx.tolist()]
        return out.with_columns(
            pl.Series("study_id", [f"synthetic_{2000 + i % 20}_boot{i}" for i in range(n)]),
            pl.Series("title", [f"SYNTHETIC bootstrap row {i} (resampled)" for i in range(n)]),
            pl.Series("source_url", [f"https://example.org/synthetic/{i}" for i in range(n)]),
            pl.lit(None, dtype=pl.String).alias("doi"),
            pl.lit(None, dtype=pl.String).alias("pmid"),
        )
    bb = load_backbones()
    shallow = bb.filter(pl.col("category") == "shallow")["backbone"].to_list()
    deep = bb.filter(pl.col("category") == "deep")["backbone"].to_list()
    years = rng.choice(np.arange(2012, 2021), size=n,
                       p=np.array([1, 1, 2, 3, 5, 8, 12, 16, 20], float) / 68)  # fmt: skip
    approach = _choice(rng, _APPROACH_P, n)
    category = _choice(rng, _CATEGORY_P, n)
    modalities = [m for m in vocabulary("modality") if m != "other"]
    regions = [r for r in vocabulary("anatomical_region") if r not in ("multiple", "other")]
    mod_w = dict.fromkeys(modalities, 1.0) | {"xray": 5.0, "ct": 3.0, "mri": 3.0,
                                              "histopathology": 3.0, "fundus": 2.0}  # fmt: skip
    rows = []
    for i in range(n):
        cat = category[i]
        if cat == "shallow":
            bbs = [str(rng.choice(shallow))]
        elif cat == "deep":
            bbs = [str(rng.choice(deep))]
        elif cat == "multiple":
            k = int(rng.integers(2, 5))
            bbs = [str(x) for x in rng.choice(shallow + deep, size=k, replace=False)]
        else:
            bbs = ["custom"]
        n_images = int(np.exp(rng.normal(8.0, 1.5)))
        has_result = rng.random() < 0.7
        metric = str(rng.choice(["accuracy", "auc"], p=[0.7, 0.3])) if has_result else None
        value = float(np.round(rng.beta(18, 2.5), 4)) if has_result else None
        n_test = max(20, int(n_images * rng.uniform(0.1, 0.3))) if has_result else None
        task = "binary" if rng.random() < 0.6 else "multiclass"
        rows.append({
            "study_id": f"synthetic_{years[i]}_s{i}",
            "title": f"SYNTHETIC study {i} (generated for tests; not a real publication)",
            "first_author": "Synthetic", "year": int(years[i]), "venue": "SYNTHETIC",
            "doi": None, "pmid": None, "source_url": f"https://example.org/synthetic/{i}",
            "anatomical_region": str(rng.choice(regions)),
            "modality": _choice(rng, mod_w, 1)[0], "task": task,
            "n_classes": 2 if task == "binary" else int(rng.integers(3, 8)),
            "dataset_name": None, "dataset_public": str(rng.choice(["yes", "no", "unclear"])),
            "n_images": n_images, "n_subjects": None, "backbones": bbs,
            "model_category": cat, "tl_approach": approach[i],
            "best_backbone": bbs[0] if cat == "multiple" else None, "best_approach": None,
            "metric": metric, "value": value, "n_test": n_test,
            "compared_with_experts": "no", "expert_comparison": "na",
            "evidence": "SYNTHETIC row.", "evidence_tl": "abstract",
            "evidence_backbones": "abstract", "confidence": "low",
        })  # fmt: skip
    return pl.DataFrame(rows, schema=polars_schema(), orient="row")
