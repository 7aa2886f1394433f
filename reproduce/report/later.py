"""The book's section "Later designs: fusion and CNN + transformer" (issue #18).

Reads the collected results of the ``later_designs`` suite (``results/later_designs``) when
they exist; otherwise the section says that the suite has not yet run on a GPU and prints the
exact commands with the cost model's prediction. What does not need a GPU is computed here in
any case: the parameters and forward FLOPs of every design (counted on the networks themselves,
random weights: the count does not depend on them).

The per-data-set effects drawn in the forest plots follow the rules written in
``reproduce/claims/claims_later.yaml`` (paired differences within a data set, the better single
backbone chosen on validation AUC for the fusion claims, REML + Knapp-Hartung pooling by
:mod:`review.stats`); the verdicts themselves are the claims engine's (:mod:`reproduce.claims`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import torch
import yaml

from reproduce.approaches.cnn_transformer import (
    DEPTH,
    FFN,
    HEADS,
    WIDTH,
    build_cnn_transformer,
)
from reproduce.approaches.fusion import build_fusion
from reproduce.device import cost
from reproduce.engine.config import RunConfig
from reproduce.engine.cost import count_flops
from reproduce.engine.plan import load_suite, run_configs
from reproduce.models.zoo import build_backbone, get_arch
from review import paths
from review.stats.plots import forest_plot

__all__ = [
    "CLAIMS_FILE",
    "SUITE",
    "arm_table",
    "auc_vs_compute",
    "claim_effects",
    "design_table",
    "differences_markdown",
    "forest",
    "load",
    "load_claims",
    "results_blocks",
    "status_markdown",
]

SUITE = "later_designs"
CLAIMS_FILE = Path(__file__).resolve().parents[1] / "claims" / "claims_later.yaml"
#: Labels of the approaches in tables and plots.
LABELS = {
    "feature_extractor": "feature extractor",
    "feature_extractor_hybrid": "feature extractor + SVM/RF",
    "fine_tuning": "fine-tune top blocks",
    "fine_tuning_from_scratch": "fine-tune all layers",
    "scratch": "from scratch",
    "fusion_frozen": "fusion, frozen",
    "fusion_finetune": "fusion, all layers",
    "cnn_transformer_frozen": "CNN + transformer, CNN frozen",
    "cnn_transformer_finetune": "CNN + transformer, all layers",
}
LATER = ("fusion_frozen", "fusion_finetune", "cnn_transformer_frozen", "cnn_transformer_finetune")


def load(folder: Path | None = None) -> pl.DataFrame | None:
    """The collected results of the suite (``status == ok`` rows), or ``None`` if not collected.

    Parameters
    ----------
    folder
        Folder of ``results.parquet``; default ``results/later_designs``.
    """
    path = (folder or paths.results_dir() / SUITE) / "results.parquet"
    if not path.is_file():
        return None
    df = pl.read_parquet(path).filter(pl.col("status") == "ok")
    if "arch2" not in df.columns:
        df = df.with_columns(pl.lit(None, pl.String).alias("arch2"))
    return df


def load_claims(path: Path | None = None) -> dict[str, Any]:
    """The registered claims of the later designs (``claims_later.yaml``)."""
    return yaml.safe_load((path or CLAIMS_FILE).read_text(encoding="utf-8"))


def _predicted(profile: str) -> tuple[int, float]:
    _, planned = run_configs(SUITE, profile)
    preds = cost.predict_runs(
        [p.config for p in cost.order_seed_major(planned)], cost.dataset_counts
    )
    return len(planned), sum(p["seconds"] for p in preds)


def status_markdown(df: pl.DataFrame | None) -> str:
    """What has run: the results' extent, or "not yet run on a GPU" with the exact commands."""
    if df is not None and df.height:
        devices = ", ".join(sorted(set(df["device_name"].drop_nulls().to_list()))) or "?"
        seeds = sorted(set(df["seed"].to_list()))
        return (
            f"**Results:** {df.height} runs of the `{SUITE}` suite on {devices}; "
            f"{df['dataset'].n_unique()} data sets, seeds {', '.join(map(str, seeds))}."
        )
    lines = [
        "**Not yet run on a GPU.** No results of the `later_designs` suite are committed; the "
        "claims below were registered before any result (`reproduce/claims/claims_later.yaml`). "
        "The runs are prepared:",
        "",
        "```bash",
    ]
    for profile in ("gpu", "gpu_extra"):
        n, s = _predicted(profile)
        lines += [
            f"tlreview reproduce plan {SUITE} --profile {profile}   # {n} runs, cost model "
            f"{s:.0f} s on one H200",
            f"tlreview reproduce pack {SUITE} --profile {profile} --part-mib 55 --out .pack",
            f"bash reproduce/device/run.sh PACK_DIR OUT_DIR {SUITE} {profile} 470 0   "
            "# on the GPU machine",
            "tlreview reproduce unpack OUT_DIR",
        ]
    lines += [
        f"tlreview reproduce collect {SUITE}   # both profiles' runs into results/{SUITE}",
        "```",
        "",
        "The whole path (pack, worker without polars, unpack, collect) is rehearsed on the CPU "
        "by the test suite with the `rehearsal` profile "
        "(`tests/device/test_later_designs_rehearsal.py`).",
    ]
    return "\n".join(lines)


def differences_markdown() -> str:
    """What differs from the two papers' settings (read from the suite and the code)."""
    suite = load_suite(SUITE)
    _, planned = run_configs(SUITE, "gpu")
    data = sorted({(p.config.dataset, int(p.config.resolution or 0)) for p in planned})
    seeds = sorted({p.config.seed for p in planned})
    pairs = sorted({(p.config.arch, p.config.arch2) for p in planned if p.config.arch2 is not None})
    names = ", ".join(f"{get_arch(a).display_name} + {get_arch(b).display_name}" for a, b in pairs)
    ds = ", ".join(f"{d} ({r} px)" for d, r in data)
    return "\n".join(
        [
            "| | paper | here |",
            "|---|---|---|",
            "| fusion data | Kvasir, 8-class GI endoscopy (Trinh & Nguyen 2021: F1 about 0.93) | "
            f"{ds}; Kvasir is not available here |",
            "| fusion backbones | DenseNet-121 + ResNet-101, ImageNet, fine-tuned | "
            f"{names} (ImageNet); CIFAR-10 ResNet-18 + DenseNet-121 only as the documented "
            "profile `gpu_cifar10` (ImageNet weights of ResNet/DenseNet are not obtainable "
            "here) |",
            "| hybrid data | parotid-gland and knee MRI (TransMed, Dai et al. 2021: +10.1 and "
            "+1.9 accuracy points over CNN baselines) | the same data sets as the fusion; the "
            "parotid set and MRNet are not available here |",
            "| hybrid input | several modalities per subject (multi-view tokens) | one image "
            "per subject: every run is single-view (`views: 1` in its record); the multi-view "
            "token path is implemented and tested on synthetic tensors only |",
            f"| hybrid transformer | TransMed's own | `torch.nn.TransformerEncoder`, {DEPTH} "
            f"pre-norm layers, width {WIDTH}, {HEADS} heads, feed-forward {FFN}, trained from "
            "scratch; class token, learned position embeddings |",
            f"| protocol | each paper's own | guideline_v2's: seeds {', '.join(map(str, seeds))}"
            ", 3-value learning-rate grids, converged L-BFGS heads for frozen features, "
            "single-backbone baselines in the same suite |",
            "",
            f"Suite file: `{suite.path.relative_to(paths.ROOT)}`.",
        ]
    )


def design_table(resolutions: Sequence[int] = (128, 224), n_classes: int = 4) -> pl.DataFrame:
    """Parameters and forward GFLOPs per image of every design of the ``gpu`` profiles.

    Counted on the networks (random weights; the count does not depend on them) with
    :func:`reproduce.engine.cost.count_flops`; ``flops_vs_larger_single`` and
    ``flops_vs_smaller_single`` are the design's FLOPs over those of its more and its less
    expensive single backbone (F1c compares with the better one, which may be either).
    """
    rows = []
    singles: dict[tuple[str, int], float] = {}
    with torch.random.fork_rng():
        torch.manual_seed(0)
        for r in resolutions:
            for arch in ("efficientnet_lite0", "squeezenet1_1", "efficientnet_lite2"):
                bb = build_backbone(arch, "random")
                f = count_flops(bb, r, "cpu") + 2 * bb.spec.feature_dim * n_classes
                singles[(arch, r)] = f
                params = sum(p.numel() for p in bb.parameters())
                params += (bb.spec.feature_dim + 1) * n_classes
                rows.append(
                    (get_arch(arch).display_name, "single backbone", r, params, f, 1.0, 1.0)
                )
            for a2 in ("squeezenet1_1", "efficientnet_lite2"):
                cfg = RunConfig("synthetic", "efficientnet_lite0", "fusion_frozen", "random",
                                resolution=r, arch2=a2).resolved()  # fmt: skip
                m = build_fusion(cfg, n_classes)
                f = count_flops(m, r, "cpu")
                pair = (singles[("efficientnet_lite0", r)], singles[(a2, r)])
                name = f"EfficientNet-Lite0 + {get_arch(a2).display_name}"
                params = sum(p.numel() for p in m.parameters())
                rows.append((name, "fusion", r, params, f, f / max(pair), f / min(pair)))
            cfg = RunConfig("synthetic", "efficientnet_lite0", "cnn_transformer_frozen", "random",
                            resolution=r).resolved()  # fmt: skip
            m = build_cnn_transformer(cfg, n_classes)
            f = count_flops(m, r, "cpu")
            params = sum(p.numel() for p in m.parameters())
            ratio = f / singles[("efficientnet_lite0", r)]
            rows.append(("EfficientNet-Lite0 + transformer", "CNN + transformer", r, params, f,
                         ratio, ratio))  # fmt: skip
    return pl.DataFrame(
        rows,
        schema={
            "design": pl.String,
            "kind": pl.String,
            "resolution": pl.Int64,
            "params": pl.Int64,
            "flops_per_image": pl.Float64,
            "flops_vs_larger_single": pl.Float64,
            "flops_vs_smaller_single": pl.Float64,
        },
        orient="row",
    ).with_columns(
        (pl.col("params") / 1e6).alias("params_M"),
        (pl.col("flops_per_image") / 1e9).alias("gflops"),
    )


def _design(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.when(pl.col("arch2").is_not_null())
        .then(pl.col("arch") + pl.lit(" + ") + pl.col("arch2"))
        .otherwise(pl.col("arch"))
        .alias("backbones"),
        pl.col("approach").replace_strict(LABELS, default=pl.col("approach")).alias("design"),
    )


def arm_table(df: pl.DataFrame) -> pl.DataFrame:
    """Mean test AUC (and its range over seeds), FLOPs and device seconds per data set x arm."""
    return (
        _design(df)
        .group_by("dataset", "resolution", "design", "backbones", maintain_order=True)
        .agg(
            pl.len().alias("seeds"),
            pl.col("auc_macro_ovr").mean().alias("auc"),
            pl.col("auc_macro_ovr").min().alias("auc_min"),
            pl.col("auc_macro_ovr").max().alias("auc_max"),
            (pl.col("flops_per_image").mean() / 1e9).alias("gflops"),
            pl.col("compute_s").mean().alias("compute_s"),
        )
        .sort("dataset", "design", "backbones")
    )


def _select(df: pl.DataFrame, arm: dict[str, Any]) -> pl.DataFrame:
    for k, v in arm.items():
        if k not in df.columns:
            return df.clear()
        df = df.filter(pl.col(k).is_in(v) if isinstance(v, list) else pl.col(k) == v)
    return df


def claim_effects(df: pl.DataFrame, claim: dict[str, Any], min_seeds: int = 2) -> pl.DataFrame:
    """Per-data-set effect of one claim as ``claims_later.yaml`` defines it.

    Rows of arm a and arm b are paired on ``pair_on`` within a data set; with ``b_best_of``,
    arm b is, per data set, resolution and fusion pair, the single backbone (of ``arch`` and
    ``arch2``, under ``b_same_approach``) with the higher mean validation AUC. The effect is the
    mean paired difference (log ratio for ``scale: log_ratio``), its variance the squared
    standard error over the cells.

    Returns
    -------
    polars.DataFrame
        ``dataset, n_pairs, yi, vi`` (data sets with fewer than ``min_seeds`` pairs, or no
        spread to estimate a variance from, are left out).
    """
    metric = claim["metric"]
    log = claim.get("scale") == "log_ratio"
    a = _select(df, claim["arms"]["a"])
    b = _select(df, claim["arms"]["b"])
    pair_on = [k for k in claim["pair_on"] if k in df.columns]
    diffs: list[tuple[str, float]] = []
    if "b_best_of" in claim:
        same = claim["b_same_approach"]
        groups = a.group_by("dataset", "resolution", "approach", "arch", "arch2")
        for (ds, res, appr, arch, arch2), ga in groups:
            cand = b.filter(
                (pl.col("dataset") == ds)
                & (pl.col("resolution") == res)
                & (pl.col("approach") == same.get(appr))
                & pl.col("arch").is_in([arch, arch2])
            )
            if cand.is_empty():
                continue
            val = (
                cand.group_by("arch")
                .agg(pl.col("val_auc_macro_ovr").mean())
                .sort("val_auc_macro_ovr", descending=True)
            )
            best = cand.filter(pl.col("arch") == val["arch"][0])
            diffs += _paired(ga, best, pair_on, metric, log)
    else:
        for (ds,), ga in a.group_by("dataset"):
            diffs += _paired(ga, b.filter(pl.col("dataset") == ds), pair_on, metric, log)
    cells = pl.DataFrame(diffs, schema={"dataset": pl.String, "d": pl.Float64}, orient="row")
    out = (
        cells.group_by("dataset")
        .agg(
            pl.len().alias("n_pairs"),
            pl.col("d").mean().alias("yi"),
            (pl.col("d").std(ddof=1) ** 2 / pl.len()).alias("vi"),
        )
        .filter((pl.col("n_pairs") >= min_seeds) & (pl.col("vi") > 0))
        .sort("dataset")
    )
    return out


def _paired(
    a: pl.DataFrame, b: pl.DataFrame, pair_on: list[str], metric: str, log: bool
) -> list[tuple[str, float]]:
    ka = a.group_by(pair_on).agg(pl.col(metric).mean().alias("ya"))
    kb = b.group_by(pair_on).agg(pl.col(metric).mean().alias("yb"))
    j = ka.join(kb, on=pair_on, how="inner")
    out = []
    for r in j.iter_rows(named=True):
        ya, yb = r["ya"], r["yb"]
        if ya is None or yb is None:
            continue
        if log:
            if ya <= 0 or yb <= 0:
                continue
            out.append((r["dataset"], math.log(ya / yb)))
        else:
            out.append((r["dataset"], float(ya - yb)))
    return out


def forest(df: pl.DataFrame, claim: dict[str, Any], min_seeds: int = 2) -> Any:
    """Forest plot of one claim's per-data-set effects and their REML + Knapp-Hartung pool,
    or ``None`` when fewer than two data sets have effects."""
    eff = claim_effects(df, claim, min_seeds)
    if eff.height < 2:
        return None
    log = claim.get("scale") == "log_ratio"
    margin = claim.get("margin")
    fig = forest_plot(
        eff,
        label="dataset",
        extra=["n_pairs"],
        method="REML",
        test="knha",
        transform=np.exp if log else None,
        xlabel=f"{'ratio' if log else 'difference'} of {claim['metric']} (a vs b)",
        title=claim["id"],
    )
    ax = fig.axes[-1]
    if margin is not None:
        ax.axvline(-float(margin), color="tab:red", ls="--", lw=1)
    ax.axvline(1.0 if log else 0.0, color="0.5", lw=0.8)
    if claim.get("threshold") is not None:
        ax.axvline(float(claim["threshold"]), color="tab:red", ls="--", lw=1)
    return fig


def auc_vs_compute(df: pl.DataFrame, others: pl.DataFrame | None = None) -> Any:
    """Mean test AUC against forward GFLOPs per image, one panel per data set: the later designs
    beside the review's approaches (this suite's baselines, plus ``others``, e.g. the
    guideline_v2 results, when given)."""
    import matplotlib.pyplot as plt  # matplotlib: only when a figure is drawn

    frames = [df] + ([others] if others is not None and others.height else [])
    cols = ["dataset", "approach", "arch", "arch2", "auc_macro_ovr", "flops_per_image"]
    rows = pl.concat(
        [
            (f if "arch2" in f.columns else f.with_columns(pl.lit(None, pl.String).alias("arch2")))
            .select(cols)
            .with_columns(pl.col("arch2").cast(pl.String))
            for f in frames
        ]
    )
    summ = (
        _design(rows)
        .group_by("dataset", "approach", "design", "backbones")
        .agg(
            pl.col("auc_macro_ovr").mean(), (pl.col("flops_per_image").mean() / 1e9).alias("gflops")
        )
    )
    sets = sorted(summ["dataset"].unique().to_list())
    fig, axes = plt.subplots(1, len(sets), figsize=(4.2 * len(sets), 3.6), squeeze=False)
    markers = dict(zip(LABELS, "osDv^PX*p", strict=False))
    for ax, ds in zip(axes[0], sets, strict=True):
        sub = summ.filter(pl.col("dataset") == ds)
        for r in sub.iter_rows(named=True):
            later = r["approach"] in LATER
            ax.scatter(r["gflops"], r["auc_macro_ovr"], marker=markers.get(r["approach"], "o"),
                       color="tab:red" if later else "0.35", s=40 if later else 25,
                       label=r["design"])  # fmt: skip
        ax.set_xscale("log")
        ax.set_title(ds, fontsize=9)
        ax.set_xlabel("GFLOPs per image (forward)")
        ax.set_ylabel("test AUC (mean over seeds)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    uniq = dict(zip(labels, handles, strict=True))
    fig.legend(uniq.values(), uniq.keys(), fontsize=7, loc="lower center", ncol=4)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    return fig


def results_blocks(df: pl.DataFrame | None) -> list[Any]:
    """The results part of the section, for :func:`reproduce.report.show.show`: the arm table,
    AUC against compute beside the review's approaches (``results/guideline_v2`` when
    collected), and one forest plot per registered claim."""
    if df is None:
        return [
            "*No results yet: the arm table, the AUC-against-compute plot and the forest plots "
            "appear here once `results/later_designs` is collected.*"
        ]
    blocks: list[Any] = [
        arm_table(df),
        auc_vs_compute(df, load(paths.results_dir() / "guideline_v2")),
    ]
    for claim in load_claims()["claims"]:
        blocks.append(f"**{claim['id']}**: {claim['statement']}")
        fig = forest(df, claim)
        blocks.append(
            fig if fig is not None else "*Fewer than two data sets with effects (>= 2 seeds each).*"
        )
    return blocks
