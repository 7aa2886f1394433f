"""Amendment A1: a per-data-set SE from a paired bootstrap of the test images.

When both arms of a claim do not depend on the seed, a data set's paired differences have no
variance over seeds and the registered seed-based SE is 0. Amendment ``A1_seed_invariant_arms``
(``claims_v2.yaml``) replaces it, for the claims it names, by the standard deviation of the AUC
difference over a paired bootstrap of the test images:

- the seed-0 runs of both arms in the data set, their per-image test predictions paired by image
  ``id`` (every run must hold the same images with the same labels);
- :data:`A1_RESAMPLES` resamples of the images with replacement, indices drawn once as
  ``numpy.random.default_rng(A1_SEED).integers(0, n, size=(A1_RESAMPLES, n))`` and used for
  every run (paired);
- per resample, each run's AUC is the engine's macro one-vs-rest AUC
  (:func:`reproduce.engine.train.macro_auc_ovr`, the function that wrote ``auc_macro_ovr``); a
  cell's difference is the mean AUC of its arm-a runs minus that of its arm-b runs
  (``aggregate_within_pair: mean``) and the data set's difference is the mean over its seed-0
  cells, as the registered effect is;
- the SE is the standard deviation (``ddof=1``) of those differences; resamples whose AUC is
  undefined (one class only) are dropped and counted.

Predictions come from ``results/<suite>/predictions.parquet`` (long: ``run_id, id, label, pred,
class, prob``, written by ``tlreview reproduce collect SUITE --predictions``) or, for runs it does
not hold (or when it is absent), from ``<runs dir>/<suite>/<run_id>/predictions.parquet`` (wide:
``id, label, prob_0.., pred``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from review.errors import InputError

__all__ = [
    "A1_RESAMPLES",
    "A1_SEED",
    "BootstrapSE",
    "PredictionStore",
    "RunPredictions",
    "paired_bootstrap_se",
]

#: Resamples and seed of amendment A1 (registered in claims_v2.yaml).
A1_RESAMPLES = 2000
A1_SEED = 20221026

_LONG_COLUMNS = ("run_id", "id", "label", "class", "prob")


@dataclass(frozen=True)
class RunPredictions:
    """One run's test predictions, rows sorted by image id.

    Attributes
    ----------
    run_id, where
        The run and the file its predictions were read from.
    ids, labels, probs
        Image ids (N,), integer labels (N,) and class probabilities (N, K).
    """

    run_id: str
    where: str
    ids: np.ndarray
    labels: np.ndarray
    probs: np.ndarray


@dataclass(frozen=True)
class BootstrapSE:
    """The result of :func:`paired_bootstrap_se`.

    Attributes
    ----------
    se
        Standard deviation (ddof=1) of the bootstrap differences.
    observed
        The difference on all test images (equals the results' AUC difference).
    n_images, n_resamples, n_dropped
        Test images, resamples drawn, resamples dropped (an AUC undefined).
    """

    se: float
    observed: float
    n_images: int
    n_resamples: int
    n_dropped: int


def _sorted_run(run_id: str, where: str, wide: pl.DataFrame) -> RunPredictions:
    probs_cols = sorted((c for c in wide.columns if c.startswith("prob_")),
                        key=lambda c: int(c.removeprefix("prob_")))  # fmt: skip
    for fld in ("id", "label"):
        if fld not in wide.columns:
            raise InputError(f"{where}: run {run_id}: field '{fld}': missing; expected columns "
                             "id, label, prob_0..prob_{K-1}")  # fmt: skip
    if len(probs_cols) < 2:
        raise InputError(f"{where}: run {run_id}: field 'prob_*': expected >= 2 class columns")
    want = [f"prob_{k}" for k in range(len(probs_cols))]
    if probs_cols != want:
        raise InputError(f"{where}: run {run_id}: field 'prob_*': got {', '.join(probs_cols)}; "
                         f"expected {', '.join(want)}")  # fmt: skip
    wide = wide.with_columns(pl.col("id").cast(pl.String)).sort("id")
    dup = wide.filter(pl.col("id").is_duplicated())
    if dup.height:
        raise InputError(f"{where}: run {run_id}: field 'id': image {dup['id'][0]!r} occurs "
                         f"{dup.filter(pl.col('id') == dup['id'][0]).height} times; expected one "
                         "row per test image")  # fmt: skip
    probs = wide.select(want).to_numpy().astype(np.float64)
    if not np.isfinite(probs).all():
        raise InputError(f"{where}: run {run_id}: field 'prob_*': non-finite probabilities")
    return RunPredictions(
        run_id=run_id,
        where=where,
        ids=wide["id"].to_numpy(),
        labels=wide["label"].cast(pl.Int64).to_numpy(),
        probs=probs,
    )


class PredictionStore:
    """Finds runs' test predictions (long suite file first, then the run folders).

    Parameters
    ----------
    long_file
        ``results/<suite>/predictions.parquet``; used when it exists.
    runs_dir
        ``<runs dir>/<suite>``, holding one folder per run id.
    """

    def __init__(self, long_file: Path | None = None, runs_dir: Path | None = None):
        self.long_file = long_file
        self.runs_dir = runs_dir
        self._long: dict[str, pl.DataFrame] | None = None

    def _long_parts(self) -> dict[str, pl.DataFrame]:
        if self._long is None:
            self._long = {}
            f = self.long_file
            if f is not None and f.is_file():
                try:
                    df = pl.read_parquet(f)
                except (OSError, pl.exceptions.PolarsError) as exc:
                    raise InputError(f"{f}: not a readable parquet table ({exc})") from exc
                missing = [c for c in _LONG_COLUMNS if c not in df.columns]
                if missing:
                    raise InputError(f"{f}: field '{missing[0]}': missing; expected the long "
                                     f"columns {', '.join(_LONG_COLUMNS)}")  # fmt: skip
                for (rid,), g in df.group_by(["run_id"]):
                    self._long[str(rid)] = g
        return self._long

    def looked_in(self) -> str:
        """Where predictions are looked for, in words."""
        where = [str(p) for p in (self.long_file, self.runs_dir) if p is not None]
        return " and ".join(where) or "nowhere (no predictions given)"

    def get(self, run_id: str) -> RunPredictions | None:
        """The run's predictions, or ``None`` when no source holds them.

        Raises
        ------
        InputError
            A source holds the run but its table is malformed (named: file, run, field).
        """
        long = self._long_parts().get(run_id)
        if long is not None:
            where = str(self.long_file)
            dup = long.filter(pl.struct("id", "class").is_duplicated())
            if dup.height:
                raise InputError(f"{where}: run {run_id}: field 'class': image "
                                 f"{dup['id'][0]!r} has class {dup['class'][0]} twice")  # fmt: skip
            labels = long.group_by("id").agg(pl.col("label").n_unique().alias("_n"))
            if labels.filter(pl.col("_n") > 1).height:
                bad = labels.filter(pl.col("_n") > 1)["id"][0]
                raise InputError(f"{where}: run {run_id}: field 'label': image {bad!r} has "
                                 "several labels")  # fmt: skip
            wide = long.with_columns(
                ("prob_" + pl.col("class").cast(pl.Int64).cast(pl.String)).alias("_c")
            ).pivot(on="_c", index=["id", "label"], values="prob")
            return _sorted_run(run_id, where, wide)
        if self.runs_dir is not None:
            f = self.runs_dir / run_id / "predictions.parquet"
            if f.is_file():
                try:
                    wide = pl.read_parquet(f)
                except (OSError, pl.exceptions.PolarsError) as exc:
                    raise InputError(f"{f}: not a readable parquet table ({exc})") from exc
                return _sorted_run(run_id, str(f), wide)
        return None


def paired_bootstrap_se(
    cells: Sequence[tuple[Sequence[RunPredictions], Sequence[RunPredictions]]],
    *,
    resamples: int = A1_RESAMPLES,
    seed: int = A1_SEED,
) -> BootstrapSE:
    """SE of a data set's AUC difference by a paired bootstrap of its test images.

    Parameters
    ----------
    cells
        One ``(arm a runs, arm b runs)`` per pair cell of the data set (seed 0); every run must
        hold the same image ids with the same labels.
    resamples, seed
        Bootstrap resamples and the seed of ``numpy.random.default_rng``.

    Returns
    -------
    BootstrapSE

    Raises
    ------
    InputError
        The runs do not hold the same test images, or their labels differ.

    Examples
    --------
    The resampling is that of ``scipy.stats.bootstrap(..., paired=True, n_resamples=resamples,
    rng=numpy.random.default_rng(seed))``, whose ``standard_error`` equals ``se``
    (tests/claims/test_amendments.py compares them).
    """
    # torch: the engine's AUC lives in the training module; imported only when A1 is applied
    from reproduce.engine.train import macro_auc_ovr

    runs = [r for a, b in cells for r in (*a, *b)]
    if not cells or any(not a or not b for a, b in cells):
        raise InputError("paired_bootstrap_se: every cell needs runs of both arms")
    ref = runs[0]
    for r in runs[1:]:
        if len(r.ids) != len(ref.ids) or not np.array_equal(r.ids, ref.ids):
            only = sorted(map(str, set(r.ids.tolist()) ^ set(ref.ids.tolist())))
            raise InputError(
                f"{r.where}: run {r.run_id}: field 'id': its test images differ from run "
                f"{ref.run_id}'s ({len(r.ids)} vs {len(ref.ids)} images; {len(only)} in only one, "
                f"e.g. {only[:3]}); expected the same test set"
            )
        if not np.array_equal(r.labels, ref.labels):
            k = int(np.flatnonzero(r.labels != ref.labels)[0])
            img = str(r.ids[k])
            raise InputError(f"{r.where}: run {r.run_id}: field 'label': image {img!r} is "
                             f"labelled {r.labels[k]} here, {ref.labels[k]} in run "
                             f"{ref.run_id}")  # fmt: skip
    n = len(ref.ids)
    labels = ref.labels

    def diff(idx: np.ndarray | None) -> float:
        lab = labels if idx is None else labels[idx]
        per_cell = []
        for a, b in cells:
            auc = [[macro_auc_ovr(lab, r.probs if idx is None else r.probs[idx]) for r in arm]
                   for arm in (a, b)]  # fmt: skip
            per_cell.append(np.mean(auc[0]) - np.mean(auc[1]))
        return float(np.mean(per_cell))

    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(resamples, n))
    d = np.array([diff(i) for i in idx])
    kept = d[np.isfinite(d)]
    se = float(np.std(kept, ddof=1)) if kept.size > 1 else float("nan")
    return BootstrapSE(se=se, observed=diff(None), n_images=n, n_resamples=resamples,
                       n_dropped=int(d.size - kept.size))  # fmt: skip
