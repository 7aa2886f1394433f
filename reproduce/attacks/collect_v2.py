"""Bring a GPU call's ``uap_v2`` rows home: ``OUT/uap_v2-rows.jsonl`` -> ``results/uap_v2/``.

``tlreview reproduce uap-collect OUT`` (or :func:`collect_uap_v2`) writes

``rows.parquet`` / ``rows.csv``
    every row the device entry point wrote (:data:`reproduce.attacks.device.ROW_COLUMNS` first),
    excluded victims included (one row each, ``excluded = true``);
``results.parquet`` / ``results.csv``
    the rows the v2 claims (U1v2-U3v2) are decided on: attacked victims, untargeted UAPs from the
    budget curve at the operating points, ``status = ok``, plus two DERIVED sources per
    (victim, norm): ``noise_max`` (the larger fooling rate of ``noise_white`` and
    ``noise_lowpass``) and ``natural_minus_noise_max`` (natural minus that), marked
    ``derived = true``;
``summary.json``
    the call's summary (victims, exclusions with class shares, victims not started, timing,
    environment).

Rows from several calls of the same profile are merged (a later row replaces an earlier one of
the same victim, norm, budget, source, target, number of images and kind). Every row carries the
``profile`` and ``device`` of its call; rows of another profile (a CPU run and a GPU call, say)
are never mixed: ``replace=True`` (``--replace``) replaces the folder's rows instead.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import polars as pl

from reproduce.attacks.device import ROW_COLUMNS, ROWS_FILE, SUMMARY_FILE
from review import paths
from review.errors import InputError

__all__ = ["KEY", "claim_rows", "collect_uap_v2", "compare_inner", "read_rows"]

#: What identifies one attack row (a later call's row replaces an earlier one).
KEY = (
    "victim_run_id",
    "kind",
    "norm",
    "eps_ratio",
    "uap_source",
    "targeted",
    "target_class",
    "n_source_images",
)


def read_rows(path: Path) -> pl.DataFrame:
    """The rows of one ``uap_v2-rows.jsonl`` as a frame (bad lines named by file and line).

    Raises
    ------
    InputError
        A line that is not a JSON object, or one without the schema's columns.
    """
    recs: list[dict[str, Any]] = []
    for i, line in enumerate(Path(path).read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            raise InputError(f"{path}: line {i}: not JSON (expected one row object)") from None
        missing = [c for c in ROW_COLUMNS if c not in rec]
        if not isinstance(rec, dict) or missing:
            raise InputError(f"{path}: line {i}: missing field(s) {', '.join(missing)}")
        recs.append(rec)
    if not recs:
        return pl.DataFrame()
    return pl.DataFrame(recs, infer_schema_length=None)


def claim_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """Operating-point, untargeted rows of attacked victims, plus ``noise_max`` and
    ``natural_minus_noise_max`` per (victim, norm)."""
    base = rows.filter(
        ~pl.col("excluded")
        & ~pl.col("targeted").fill_null(False)
        & (pl.col("kind") == "budget_curve")
        & pl.col("operating_point").fill_null(False)
    ).with_columns(status=pl.lit("ok"), derived=pl.lit(False))
    keys = ["victim_run_id", "norm"]
    noise = (
        base.filter(pl.col("uap_source").is_in(["noise_white", "noise_lowpass"]))
        .group_by(keys)
        .agg(pl.col("fooling_rate").max().alias("noise_max"))
    )
    nat = base.filter(pl.col("uap_source") == "natural")
    joined = nat.join(noise, on=keys, how="inner")
    derived_max = joined.with_columns(
        fooling_rate=pl.col("noise_max"),
        uap_source=pl.lit("noise_max"),
        derived=pl.lit(True),
        perturbed_accuracy=pl.lit(None, dtype=pl.Float64),
    ).drop("noise_max")
    derived_diff = joined.with_columns(
        fooling_rate=pl.col("fooling_rate") - pl.col("noise_max"),
        uap_source=pl.lit("natural_minus_noise_max"),
        derived=pl.lit(True),
        perturbed_accuracy=pl.lit(None, dtype=pl.Float64),
    ).drop("noise_max")
    return pl.concat([base, derived_max, derived_diff], how="diagonal_relaxed").sort(
        ["dataset", "arch", "approach", "norm", "uap_source"]
    )


def collect_uap_v2(
    out: Path, results_root: Path | None = None, *, replace: bool = False
) -> dict[str, Any]:
    """Merge ``out``'s uap_v2 rows and summary into ``results_root/uap_v2/``.

    Parameters
    ----------
    out
        A GPU call's output folder (``uap_v2-rows.jsonl``, ``uap_v2-summary.json``).
    results_root
        Default ``results/`` of the checkout.
    replace
        Replace the committed rows instead of merging (needed when they came from another
        profile).

    Returns
    -------
    dict
        ``{"rows", "claim_rows", "victims", "excluded", "folder"}``.

    Raises
    ------
    InputError
        ``out`` holds no uap_v2 rows, or the folder holds rows of another profile and
        ``replace`` is false.
    """
    out = Path(out)
    src = out / ROWS_FILE
    if not src.is_file():
        raise InputError(
            f"{src}: no such file; expected the output folder of "
            "`python3 -m reproduce.attacks.device` (uap_v2-rows.jsonl)"
        )
    dest = Path(results_root or paths.ROOT / "results") / "uap_v2"
    dest.mkdir(parents=True, exist_ok=True)
    new = read_rows(src)
    summ = json.loads((out / SUMMARY_FILE).read_text()) if (out / SUMMARY_FILE).is_file() else {}
    env = summ.get("env") or {}
    device = env.get("gpu_name") or summ.get("device") or "unrecorded"
    if len(new):
        new = new.with_columns(
            profile=pl.lit(str(summ.get("profile", "unrecorded"))), device=pl.lit(str(device))
        )
    old_path = dest / "rows.parquet"
    rows = new
    if old_path.is_file() and len(new) and not replace:
        old = pl.read_parquet(old_path)
        theirs = set(old["profile"].unique()) if "profile" in old.columns else {"unrecorded"}
        ours = set(new["profile"].unique())
        if theirs != ours:
            raise InputError(
                f"{old_path}: holds rows of profile(s) {', '.join(sorted(theirs))}; {src} is "
                f"profile {', '.join(sorted(ours))}. Rows of different profiles are not mixed: "
                "pass --replace to replace them (git keeps the old ones)"
            )
        rows = pl.concat([old, new], how="diagonal_relaxed").unique(
            subset=[k for k in KEY if k in new.columns], keep="last", maintain_order=True
        )
    first = [c for c in ROW_COLUMNS if c in rows.columns]
    rows = rows.select(first + [c for c in rows.columns if c not in first])
    rows.write_parquet(old_path)
    rows.write_csv(dest / "rows.csv")
    claims = claim_rows(rows) if len(rows) else pl.DataFrame()
    claims.write_parquet(dest / "results.parquet")
    claims.write_csv(dest / "results.csv")
    if (out / SUMMARY_FILE).is_file():
        shutil.copyfile(out / SUMMARY_FILE, dest / "summary.json")
    attacked = rows.filter(~pl.col("excluded")) if len(rows) else rows
    return {
        "rows": len(rows),
        "claim_rows": len(claims),
        "victims": attacked["victim_run_id"].n_unique() if len(attacked) else 0,
        "excluded": int(rows["excluded"].sum()) if len(rows) else 0,
        "folder": str(dest),
    }


def compare_inner(gradient_out: Path, deepfool_out: Path) -> pl.DataFrame:
    """The same attacks made with the gradient and with the DeepFool inner step, side by side.

    Parameters
    ----------
    gradient_out, deepfool_out
        Output folders of two runs of the device entry point on the same victims and profile,
        ``--inner gradient`` and ``--inner deepfool``.

    Returns
    -------
    polars.DataFrame
        One row per (victim, norm, budget, source): fooling rate, perturbed accuracy, UAP norm
        over the budget and seconds of both, and the difference (DeepFool - gradient).
    """
    keys = ["dataset", "arch", "approach", "victim_run_id", "norm", "eps_ratio", "uap_source"]
    cols = ["fooling_rate", "perturbed_accuracy", "budget_used", "seconds"]

    def side(out: Path, tag: str) -> pl.DataFrame:
        r = read_rows(Path(out) / ROWS_FILE).filter(
            ~pl.col("excluded") & (pl.col("kind") == "budget_curve")
        )
        r = r.with_columns(budget_used=pl.col("uap_norm") / pl.col("eps"))
        return r.select(*keys, "clean_accuracy", *[pl.col(c).alias(f"{c}_{tag}") for c in cols])

    g = side(gradient_out, "gradient")
    d = side(deepfool_out, "deepfool").drop("clean_accuracy")
    both = g.join(d, on=keys, how="inner")
    return both.with_columns(
        fooling_diff=pl.col("fooling_rate_deepfool") - pl.col("fooling_rate_gradient")
    ).sort(keys)


if __name__ == "__main__":  # python -m reproduce.attacks.collect_v2 GRADIENT_OUT DEEPFOOL_OUT CSV
    if len(sys.argv) != 4:
        print("usage: python -m reproduce.attacks.collect_v2 GRADIENT_OUT DEEPFOOL_OUT CSV")
        raise SystemExit(2)
    compare_inner(Path(sys.argv[1]), Path(sys.argv[2])).write_csv(sys.argv[3])
