"""The second round of the fragility chapter (``book/fragility.md``, issue 14), computed from
``results/uap_v2/`` (written by ``tlreview reproduce uap-collect OUT`` from a GPU call).

:func:`load_v2` reads the folder (``None`` when nothing is committed); the other functions take
what it returns and give Markdown, polars frames or matplotlib figures. Nothing is typed in by
hand: settings, counts, resolutions and architectures are read from the rows and the summary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import yaml

from review import paths
from review.figures import forest_plot, show_figure
from review.output import show_table

if TYPE_CHECKING:  # matplotlib is imported when a figure is drawn
    from matplotlib.figure import Figure

__all__ = [
    "COMMAND",
    "MINAGI_OPERATING_POINTS",
    "V2Results",
    "differences_markdown",
    "edges_table",
    "effects_forest",
    "excluded_table",
    "curve_norms",
    "load_v2",
    "n_curve_markdown",
    "n_curve_table",
    "brittle_markdown",
    "plot_budget_curves",
    "second_round",
    "side_by_side_markdown",
    "status_markdown",
    "verdicts_side_by_side",
]

#: The GPU command that produces the second round (after the guideline_v2 worker), and the
#: step that brings its rows home.
COMMAND = (
    "bash reproduce/device/run.sh PACK OUT guideline_v2 gpu 330 100   # on the GPU machine: "
    "the guideline_v2 worker keeps seeds 0 and 1's models, then\n"
    "python3 -m reproduce.attacks.device --victims guideline_v2 --pack PACK --out OUT "
    "--device cuda --time-budget 100\n"
    "tlreview reproduce uap-collect OUT                              # here: -> results/uap_v2/\n"
    "tlreview reproduce verdicts uap_v2 --claims v2"
)
#: The CPU run of the second round (sessions without a GPU): victims, attacks, collection.
CPU_COMMAND = (
    "export TLREVIEW_DATA_DIR=../shared/data TLREVIEW_WEIGHTS_DIR=../shared/weights\n"
    "tlreview reproduce run guideline_v2 --profile cpu_victims --device cpu --keep-model "
    "--runs-dir RUNS\n"
    "python -m reproduce.attacks.device --victims guideline_v2 --profile cpu --runs-dir RUNS "
    "--out OUT --device cpu\n"
    "tlreview reproduce uap-collect OUT\n"
    "tlreview reproduce verdicts uap_v2 --claims v2"
)
#: Profiles whose numbers are results (real data, real models); any other is a rehearsal.
RESULT_PROFILES = ("gpu", "cpu")
#: Minagi et al.'s operating point per norm (the budget ratio zeta), marked in the curves.
MINAGI_OPERATING_POINTS = {"linf": 0.02, "l2": 0.04}
#: Colour of each UAP source in the figures.
COLORS = {
    "natural": "#1b9e77",
    "training": "#d95f02",
    "noise_white": "#7570b3",
    "noise_lowpass": "#e7298a",
}
_DS = {
    "brain_mri": "brain MRI",
    "busi": "BUSI",
    "pneumoniamnist": "PneumoniaMNIST",
    "retinamnist": "RetinaMNIST",
    "breastmnist": "BreastMNIST",
}
_NORM = {"linf": "L-inf", "l2": "L2"}
_SHORT = {
    "fine_tuning_from_scratch": "all layers from ImageNet",
    "scratch": "scratch",
    "efficientnet_lite0": "EfficientNet-Lite0",
    "squeezenet1_1": "SqueezeNet 1.1",
}


@dataclass(frozen=True)
class V2Results:
    """The committed second-round results.

    Attributes
    ----------
    folder
        ``results/uap_v2``.
    rows
        Every row (``rows.parquet``), excluded victims included.
    claims
        The rows the v2 claims read (``results.parquet``), with the derived noise_max rows.
    summary
        The GPU call's ``summary.json`` (empty when absent).
    verdicts
        ``verdicts.csv`` when the v2 claims were decided, else ``None``.
    effects
        ``effects.csv`` (per data set) when the v2 claims were decided, else ``None``.
    """

    folder: Path
    rows: pl.DataFrame
    claims: pl.DataFrame
    summary: dict[str, Any]
    verdicts: pl.DataFrame | None
    effects: pl.DataFrame | None = None


def load_v2(folder: Path | None = None) -> V2Results | None:
    """Read ``results/uap_v2`` (``None`` when no rows are committed)."""
    folder = folder or paths.results_dir() / "uap_v2"
    f = folder / "rows.parquet"
    if not f.is_file():
        return None
    rows = pl.read_parquet(f)
    if rows.height == 0:
        return None
    claims = folder / "results.parquet"
    summ = folder / "summary.json"
    verd = folder / "verdicts.csv"
    eff = folder / "effects.csv"
    return V2Results(
        folder,
        rows,
        pl.read_parquet(claims) if claims.is_file() else pl.DataFrame(),
        json.loads(summ.read_text()) if summ.is_file() else {},
        pl.read_csv(verd, schema_overrides=_NUMBERS) if verd.is_file() else None,
        pl.read_csv(eff, schema_overrides={**_NUMBERS, "included": pl.Boolean})
        if eff.is_file()
        else None,
    )


#: Columns of verdicts.csv / effects.csv read as numbers even when every value is empty.
_NUMBERS = dict.fromkeys(("estimate", "se", "ci_low", "ci_high", "pi_low", "pi_high"), pl.Float64)


def status_markdown(v: V2Results | None) -> str:
    """Where the second round stands: not yet run (with the command), or what it holds."""
    if v is None:
        return (
            "**The second round has not yet run on a GPU.** `results/uap_v2/` is not committed, "
            "so its budget curves and verdicts cannot be shown yet. It is produced by one GPU "
            "call and one step here:\n\n```bash\n" + COMMAND + "\n```"
        )
    s = v.summary
    attacked = v.rows.filter(~pl.col("excluded"))
    env = s.get("env", {})
    where = env.get("gpu_name") or s.get("device") or "an unrecorded device"
    if where == "cpu":
        where = f"the CPU ({env.get('cpu_count', '?')} cores, torch {env.get('torch', '?')})"
    n_not = len(s.get("not_started_budget", []))
    n_ex = v.rows.filter(pl.col("excluded")).height
    profile = s.get("profile")
    text = (
        f"The second round holds **{attacked.height} attacks** on "
        f"**{attacked['victim_run_id'].n_unique()} models** of `{s.get('victims_suite', '?')}`"
        f" ({', '.join(_DS.get(d, d) for d in sorted(attacked['dataset'].unique()))}), made on "
        f"{where} with the "
        f"`{profile or '?'}` profile of `reproduce/suites/uap_v2.yaml`"
        + ("" if profile in RESULT_PROFILES else " (**a rehearsal: its numbers are not results**)")
        + (
            f"; {n_ex} model(s) were excluded as collapsed"
            if n_ex
            else "; no model was excluded as collapsed (none predicted over 95 % one class)"
        )
        + (f" and {n_not} were not started within the time budget" if n_not else "")
        + "."
    )
    if profile == "cpu":
        text += (
            "\n\n**A CPU run, not the registered GPU test.** No GPU was available to the session "
            "that made it, so the victims were trained and attacked on the CPU at reduced scale "
            "(what that changes is listed below). The models and data are real and every number "
            "below comes from them; the verdicts are those of the registered rules applied to "
            "this smaller run. It was made by\n\n```bash\n" + CPU_COMMAND + "\n```\n\n"
            "The registered GPU run replaces it (`uap-collect --replace`):\n\n```bash\n"
            + COMMAND
            + "\n```"
        )
    return text


def differences_markdown(v: V2Results | None) -> str:
    """What differs from Minagi et al.'s setting, with this round's values read from the data."""
    train = ""
    if v is None:
        res = (
            "128 px (PneumoniaMNIST, RetinaMNIST upsampled from 28 px) and 224 px (BUSI, brain MRI)"
        )
        archs, n_nat, passes = "EfficientNet-Lite0 and SqueezeNet 1.1", "1,000", 1
        datasets = "brain MRI, BUSI, PneumoniaMNIST and RetinaMNIST"
        seeds, n_eval = "two training seeds", "up to 500"
    else:
        a = v.rows.filter(~pl.col("excluded"))
        by_res = a.group_by("resolution").agg(pl.col("dataset").unique().sort()).sort("resolution")
        res = " and ".join(
            f"{r} px ({', '.join(_DS.get(d, d) for d in dss)})" for r, dss in by_res.iter_rows()
        )
        archs = " and ".join(_SHORT.get(x, x) for x in sorted(a["arch"].unique()))
        gen = v.summary.get("settings", {}).get("generation", {})
        n_nat = f"{int(gen.get('n_source', 0)):,}" if gen else "?"
        passes = int(gen.get("max_epochs", 1)) if gen else 1
        datasets = ", ".join(_DS.get(d, d) for d in sorted(v.rows["dataset"].unique()))
        k = a["seed"].n_unique()
        seeds = f"{k} training seed{'s' if k > 1 else ''}"
        n_eval = f"up to {int(a['n_eval'].max()):,}" if "n_eval" in a.columns else "all"
        if "victim_epochs" in v.rows.columns:
            t = (
                v.rows.group_by("dataset", "arch", "approach")
                .agg(pl.col("victim_epochs").first(), pl.col("victim_lr").first(),
                     pl.col("victim_train_fraction").first())
            )  # fmt: skip
            frac = t.filter(pl.col("victim_train_fraction") < 1)
            train = (
                f"* **Training**: {t['victim_epochs'].min()}-{t['victim_epochs'].max()} epochs, "
                "one learning rate per model ("
                + ", ".join(f"{x:g}" for x in sorted(t["victim_lr"].unique()))
                + ")"
                + (
                    ", on "
                    + ", ".join(
                        f"{r['victim_train_fraction']:.0%} of {_DS.get(r['dataset'], r['dataset'])}"
                        for r in frac.unique("dataset").sort("dataset").iter_rows(named=True)
                    )
                    + "'s training images"
                    if frac.height
                    else ""
                )
                + ", against well-trained models there (their clean accuracy is shown beside "
                "every fooling rate)."
            )
    lines = [
        "**What differs from Minagi et al.'s setting** (their models and data are not "
        "available offline):",
        "",
        f"* **Resolution**: {res} here, against 224-299 px native images there.",
        f"* **Architectures**: {archs} (the networks whose ImageNet weights are "
        "obtainable here), against VGG, ResNet, Inception and DenseNet models there.",
        "* **Natural images**: CIFAR-10 images (32 px) upsampled to the model's resolution, "
        "the only natural-image set available offline, against ImageNet-like natural "
        f"images at full resolution there; {n_nat} images per natural-image UAP (the "
        "number-of-images curve below shows whether more would help).",
        "* **Algorithm**: the mini-batched gradient variant of the UAP iteration ("
        + ("one pass" if passes == 1 else f"{passes} passes")
        + " over the source images) rather than the DeepFool inner step (the side-by-side "
        "below).",
        f"* **Data sets**: {datasets}, against skin lesions, retinal OCT and chest X-ray there; "
        f"{seeds} per model, {n_eval} test images per attack.",
    ]
    if train:
        lines.append(train)
    return "\n".join(lines)


def excluded_table(v: V2Results) -> pl.DataFrame:
    """The collapsed models left out, with their clean accuracy and class shares."""
    ex = v.rows.filter(pl.col("excluded"))
    return ex.select(
        "dataset",
        "resolution",
        pl.col("arch").replace(_SHORT),
        pl.col("approach").replace(_SHORT),
        "clean_accuracy",
        pl.col("class_shares").alias("test predictions per class"),
    ).sort("dataset", "arch", "approach")


def edges_table(v: V2Results) -> pl.DataFrame:
    """At the operating points: fooling rate per source, the natural-over-noise edge and the
    clean accuracy beside them, one row per model (and training seed) and norm."""
    c = v.claims
    if c.height == 0:
        return pl.DataFrame()
    wide = c.pivot(
        on="uap_source",
        index=["dataset", "arch", "approach", "seed", "norm", "eps_ratio", "clean_accuracy"],
        values="fooling_rate",
        aggregate_function="mean",
    )
    order = [
        s
        for s in ("natural", "training", "noise_white", "noise_lowpass", "natural_minus_noise_max")
        if s in wide.columns
    ]
    return (
        wide.sort("dataset", "arch", "approach", "norm", "seed")
        .select(
            pl.col("dataset").replace(_DS),
            pl.col("arch").replace(_SHORT),
            pl.col("approach").replace(_SHORT),
            "seed",
            pl.col("norm").replace(_NORM),
            "eps_ratio",
            "clean_accuracy",
            *order,
        )
        .rename({"natural_minus_noise_max": "natural - max(noise)"})
    )


def n_curve_table(v: V2Results) -> pl.DataFrame:
    """Fooling rate against the number of natural source images (the n-curve victims)."""
    n = v.rows.filter(pl.col("kind") == "n_curve")
    if n.height == 0:
        return pl.DataFrame()
    return n.select(
        "dataset",
        pl.col("arch").replace(_SHORT),
        pl.col("approach").replace(_SHORT),
        "norm",
        "eps_ratio",
        pl.col("n_source_images").alias("natural images"),
        "passes",
        "fooling_rate",
        "clean_accuracy",
    ).sort("dataset", "arch", "approach", "natural images")


def curve_norms(v: V2Results) -> list[str]:
    """The norms with a budget curve (more than one budget ratio) on some model."""
    a = v.rows.filter(~pl.col("excluded") & (pl.col("kind") == "budget_curve"))
    n = a.group_by("victim_run_id", "norm").agg(pl.col("eps_ratio").n_unique().alias("k"))
    have = set(n.filter(pl.col("k") > 1)["norm"])
    return [x for x in ("linf", "l2") if x in have]


def n_curve_markdown(v: V2Results) -> str:
    """Whether the fooling rate had levelled off over the number of natural images, in words
    (empty when there is no curve)."""
    n = v.rows.filter(pl.col("kind") == "n_curve").sort("n_source_images")
    if n.height < 2:
        return ""
    gen = v.summary.get("settings", {}).get("generation", {})
    used = int(gen.get("n_source", 0))
    first, last = n.row(0, named=True), n.row(n.height - 1, named=True)
    at_used = n.filter(pl.col("n_source_images") == used)
    change = last["fooling_rate"] - n.row(n.height - 2, named=True)["fooling_rate"]
    who = (
        f"{_DS.get(first['dataset'], first['dataset'])}, {_SHORT.get(first['arch'])}, "
        f"{_SHORT.get(first['approach'])}, {_NORM.get(first['norm'], first['norm'])} "
        f"{first['eps_ratio']:.0%}"
    )
    text = (
        f"**Number of natural images.** On {who}, the fooling rate went from "
        f"{first['fooling_rate']:.3f} with {first['n_source_images']:,} images to "
        f"{last['fooling_rate']:.3f} with {last['n_source_images']:,} "
        f"({change:+.3f} over the last step). "
    )
    if abs(change) <= 0.02:
        return text + "It had levelled off."
    text += "It had **not** levelled off"
    if at_used.height and used < last["n_source_images"]:
        gap = last["fooling_rate"] - at_used["fooling_rate"][0]
        text += (
            f": the UAPs of this round use {used:,} images, {gap:+.3f} against "
            f"{last['n_source_images']:,} on this model, so the natural- and training-image "
            "fooling rates of this round are likely **understated** (the noise controls, made "
            "from no images, are not)"
        )
    return text + "."


def brittle_markdown(v: V2Results) -> str:
    """Models that every source, noise included, fools equally at the smallest budget: their
    predictions break under any small perturbation (empty when there is none)."""
    a = v.rows.filter(~pl.col("excluded") & (pl.col("kind") == "budget_curve"))
    if a.height == 0:
        return ""
    lo = a.group_by("victim_run_id", "norm").agg(pl.col("eps_ratio").min().alias("lo"))
    low = a.join(lo, on=["victim_run_id", "norm"]).filter(pl.col("eps_ratio") == pl.col("lo"))
    g = low.group_by("victim_run_id", "dataset", "arch", "approach", "norm", "lo").agg(
        pl.col("fooling_rate").min().alias("fmin"),
        pl.col("fooling_rate").max().alias("fmax"),
        pl.col("fooling_rate").filter(pl.col("uap_source") == "noise_white").max().alias("white"),
    )
    hit = g.filter((pl.col("fmax") > 0.1) & (pl.col("white") >= 0.9 * pl.col("fmax")))
    if hit.height == 0:
        return ""
    names = sorted(
        {
            f"{_DS.get(r['dataset'], r['dataset'])}, {_SHORT.get(r['arch'])}, "
            f"{_SHORT.get(r['approach'])}"
            for r in hit.iter_rows(named=True)
        }
    )
    upsampled = all(str(d).endswith("mnist") for d in hit["dataset"])
    return (
        "**Models broken by any perturbation.** White noise at the smallest budget already "
        "fools at least 90 % as many test images as the strongest UAP of that budget on: "
        + "; ".join(names)
        + ". Such a model changes its prediction under nearly any small change of its input, "
        "so natural-image UAPs can have little edge over noise on it"
        + (
            " (all of them were trained on MedMNIST images upsampled from 28 px, which hold "
            "no fine detail: a plausible cause, not tested here)"
            if upsampled
            else ""
        )
        + ". Such models stay in the claims (their clean predictions are not collapsed), "
        "and their natural-over-noise edge counts as evidence."
    )


def plot_budget_curves(v: V2Results, norm: str) -> Figure:
    """Fooling rate against the budget ratio for one norm: one row per model (architecture and
    training), one column per data set, one line per UAP source; the model's clean accuracy in
    each panel, Minagi et al.'s operating point as the dotted vertical line. Models attacked at
    the operating points only (the second training seed) are not drawn."""
    import matplotlib.pyplot as plt  # heavy: only when a figure is drawn

    a = v.rows.filter(
        ~pl.col("excluded") & (pl.col("kind") == "budget_curve") & (pl.col("norm") == norm)
    )
    k = a.group_by("victim_run_id").agg(pl.col("eps_ratio").n_unique().alias("k"))
    a = a.join(k.filter(pl.col("k") > 1), on="victim_run_id", how="semi")
    models = a.select("arch", "approach").unique().sort("arch", "approach")
    datasets = sorted(a["dataset"].unique())
    ratios = sorted(a["eps_ratio"].unique())
    fig, axes = plt.subplots(
        models.height,
        len(datasets),
        figsize=(2.5 * len(datasets) + 1.2, 2.3 * models.height + 0.9),
        squeeze=False,
        sharex=True,
        sharey=True,
    )
    for i, m in enumerate(models.iter_rows(named=True)):
        for j, ds in enumerate(datasets):
            ax = axes[i][j]
            mrows = a.filter(
                (pl.col("arch") == m["arch"])
                & (pl.col("approach") == m["approach"])
                & (pl.col("dataset") == ds)
            )
            if norm in MINAGI_OPERATING_POINTS:
                ax.axvline(MINAGI_OPERATING_POINTS[norm], color="grey", ls=":", lw=1)
            if mrows.height == 0:
                ax.text(0.5, 0.5, "not attacked\n(excluded or not run)", ha="center",
                        va="center", transform=ax.transAxes, fontsize=8, color="grey")  # fmt: skip
            else:
                for src, col in COLORS.items():
                    s = mrows.filter(pl.col("uap_source") == src).sort("eps_ratio")
                    if s.height:
                        ax.plot(s["eps_ratio"], s["fooling_rate"], "o-", color=col, ms=3,
                                label=src)  # fmt: skip
                ax.text(0.03, 0.96, f"clean acc {mrows['clean_accuracy'][0]:.2f}",
                        transform=ax.transAxes, va="top", fontsize=8)  # fmt: skip
            ax.set_xscale("log")
            ax.set_xticks(ratios, [f"{r:.1%}".replace(".0%", "%") for r in ratios])
            ax.minorticks_off()
            ax.set_ylim(-0.02, 1.02)
            if i == 0:
                ax.set_title(_DS.get(ds, ds))
            if j == 0:
                ax.set_ylabel(
                    f"{_SHORT.get(m['arch'], m['arch'])}\n"
                    f"{_SHORT.get(m['approach'], m['approach'])}\nfooling rate",
                    fontsize=8,
                )
            if i == models.height - 1:
                ax.set_xlabel(f"budget ratio ({norm})")
    handles, labels = [], []
    for ax in axes.flat:
        h, lab = ax.get_legend_handles_labels()
        if len(h) > len(handles):
            handles, labels = h, lab
    fig.legend(handles, labels, loc="upper center", ncol=4, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.4 / (2.3 * models.height + 0.9)))
    return fig


def verdicts_side_by_side(v: V2Results | None, pilot: pl.DataFrame | None) -> pl.DataFrame:
    """The v2 claims (U1v2-U3v2) beside the pilot claims they supersede: the primary analysis
    (L-inf 2 %) with its pooled estimate and 95 % CI, and the secondary one (L2 4 %)."""

    doc = yaml.safe_load((paths.ROOT / "reproduce" / "claims" / "claims_v2.yaml").read_text())
    v2 = [c for c in doc["claims"] if c.get("suite") == "uap_v2"]
    pv = {} if pilot is None else dict(zip(pilot["claim_id"], pilot["verdict"], strict=True))
    missing = "not yet run" if v is None else "not yet decided"
    found: dict[tuple[str, str], dict[str, Any]] = {}
    if v is not None and v.verdicts is not None and "claim_id" in v.verdicts.columns:
        for r in v.verdicts.iter_rows(named=True):
            found[(r["claim_id"], str(r.get("analysis", "")).split(":")[0])] = r

    def said(cid: str, analysis: str) -> str:
        r = found.get((cid, analysis))
        if r is None:
            return missing
        if r.get("estimate") is None:
            return str(r["verdict"])
        return (
            f"{r['verdict']}: {r['estimate']:+.3f} [{r['ci_low']:+.3f}, {r['ci_high']:+.3f}], "
            f"{r['k_datasets']} data sets"
        )

    return pl.DataFrame(
        {
            "pilot claim": [c["supersedes"] for c in v2],
            "pilot verdict (CPU, 32 px)": [pv.get(c["supersedes"]) for c in v2],
            "v2 claim": [c["id"] for c in v2],
            "v2 verdict": [said(c["id"], "primary") for c in v2],
            "v2 secondary (L2 4 %)": [said(c["id"], "secondary") for c in v2],
        }
    )


def _rate_axes(fig: Figure) -> Figure:
    """Limit every panel of a forest plot of rate differences to [-1, 1] (the possible range)."""
    for ax in fig.axes:
        lo, hi = ax.get_xlim()
        if lo < -1.05 or hi > 1.05:
            ax.set_xlim(max(lo, -1.05), min(hi, 1.05))
    return fig


def effects_forest(v: V2Results) -> pl.DataFrame:
    """The per-data-set and pooled effects of the v2 claims, as :func:`review.figures.forest_plot`
    input: one panel per claim and operating point (the difference in fooling rate, arm a - arm
    b), data sets left out of the pooling not drawn (their reasons are in ``effects.csv``)."""
    if v.verdicts is None or v.effects is None:
        return pl.DataFrame()
    rows = []
    for r in v.verdicts.iter_rows(named=True):
        panel = f"{r['claim_id']} · {r['analysis']}"
        e = v.effects.filter(
            (pl.col("claim_id") == r["claim_id"]) & (pl.col("analysis") == r["analysis"])
        )
        for x in e.filter(pl.col("included").fill_null(False)).iter_rows(named=True):
            rows.append({"panel": panel, "label": _DS.get(x["dataset"], x["dataset"]),
                         "estimate": x["estimate"], "ci_low": x["ci_low"],
                         "ci_high": x["ci_high"], "verdict": None})  # fmt: skip
        rows.append({"panel": panel, "label": "pooled (REML, Knapp-Hartung)",
                     "estimate": r["estimate"], "ci_low": r["ci_low"], "ci_high": r["ci_high"],
                     "pi_low": r.get("pi_low"), "pi_high": r.get("pi_high"),
                     "verdict": r["verdict"]})  # fmt: skip
    return pl.DataFrame(rows, infer_schema_length=None).with_columns(
        null=pl.lit(0.0), log_x=pl.lit(False)
    )


def side_by_side_markdown(path: Path | None = None) -> str:
    """The DeepFool inner step against the gradient step on one model, summarised from
    ``results/uap_v2/deepfool_side_by_side.csv`` (empty string when absent)."""
    path = path or paths.results_dir() / "uap_v2" / "deepfool_side_by_side.csv"
    if not path.is_file():
        return ""
    d = pl.read_csv(path).filter(pl.col("uap_source").is_in(["natural", "training"]))
    if d.height == 0:
        return ""
    m = d.row(0, named=True)
    wins = int((d["fooling_rate_gradient"] >= d["fooling_rate_deepfool"]).sum())
    used = min(d["budget_used_gradient"].min(), d["budget_used_deepfool"].min())
    if wins == d.height:
        verdict = (
            "The gradient variant is therefore used as the stronger and cheaper substitute; a "
            "weaker attack would understate fragility, not overstate it."
        )
    else:
        verdict = (
            f"DeepFool fooled more in {d.height - wins} case(s): the gradient variant may "
            "understate fragility there."
        )
    return (
        f"**Gradient step or DeepFool step?** On one model ({m['dataset']}, "
        f"{_SHORT.get(m['arch'], m['arch'])}, {_SHORT.get(m['approach'], m['approach'])}, "
        f"clean accuracy {m['clean_accuracy']:.2f}; a CPU run, `results/uap_v2/README.md`), the "
        f"same {d.height} natural- and training-image UAPs were made with both inner steps: the "
        f"gradient step fooled at least as many test images in {wins} of {d.height} "
        f"(mean fooling rate {d['fooling_rate_gradient'].mean():.3f} against "
        f"{d['fooling_rate_deepfool'].mean():.3f} with DeepFool; largest difference "
        f"{(d['fooling_rate_gradient'] - d['fooling_rate_deepfool']).max():+.3f}) in "
        f"{d['seconds_gradient'].sum() / d['seconds_deepfool'].sum():.2f} times DeepFool's "
        f"time; the smallest UAP of either used {used:.0%} of its budget. " + verdict
    )


def second_round(v: V2Results | None, pilot: pl.DataFrame | None) -> list[Any]:
    """The blocks of the chapter's second-round section: its status (with the commands while
    ``results/uap_v2/results.parquet`` is absent), what differs from Minagi et al., the
    DeepFool side-by-side, the v2 claims beside the pilot's and, once run, its tables and
    budget curves."""

    out: list[Any] = [status_markdown(v), differences_markdown(v)]
    side = side_by_side_markdown()
    if side:
        out.append(side)
    out.append(show_table(
        verdicts_side_by_side(v, pilot),
        "The v2 claims (registered 2026-12-04, before any v2 result) beside the pilot claims "
        "they supersede.",
        source="reproduce/claims/claims_v2.yaml, results/uap/results.parquet, "
               "results/uap_v2/verdicts.csv",
        as_words=["pilot verdict (CPU, 32 px)", "v2 verdict", "v2 secondary (L2 4 %)"],
    ))  # fmt: skip
    if v is None:
        return out
    forest = effects_forest(v)
    if forest.height:
        out.append(show_figure(
            _rate_axes(forest_plot(forest)),
            alt="Forest plots of the v2 fragility claims: per data set and pooled difference in "
                "fooling rate with 95 % intervals, one panel per claim and operating point.",
            caption="The v2 claims, per data set (mean of the training seeds' paired "
                    "differences with its t interval: with two seeds it has one degree of "
                    "freedom, hence the width) and pooled (REML, Knapp-Hartung; thin line: "
                    "prediction interval). A difference of two rates lies in [-1, 1]; "
                    "intervals reaching past that are cut at the panel's edge. Right of 0: "
                    "arm a fools more.",
        ))  # fmt: skip
    ex = excluded_table(v)
    if ex.height:
        out.append(show_table(
            ex, "Excluded (collapsed) models: over 95 % of their test predictions in one class.",
            source="results/uap_v2/rows.parquet", percent=["clean_accuracy"],
        ))  # fmt: skip
    ed = edges_table(v)
    if ed.height:
        out.append(show_table(
            ed, "At the operating points (L-inf 2 %, L2 4 %): fooling rate per source and the "
                "natural-over-noise edge, the model's clean accuracy beside them.",
            source="results/uap_v2/results.parquet", labels={"arch": "architecture"},
        ))  # fmt: skip
    for norm in curve_norms(v):
        name = {"linf": "L-inf", "l2": "L2"}.get(norm, norm)
        out.append(show_figure(
            plot_budget_curves(v, norm),
            alt=f"Line charts of fooling rate against the {name} budget ratio (log scale), one "
                "row per model, one column per data set, one line per UAP source.",
            caption=f"Budget curves, {name}. Look at the gap between the natural-image line "
                    "and the two noise lines at the dotted line, Minagi et al.'s operating "
                    "point; the clean accuracy of each model is in its panel.",
        ))  # fmt: skip
    for text in (brittle_markdown(v), n_curve_markdown(v)):
        if text:
            out.append(text)
    nc = n_curve_table(v)
    visits = int((v.summary.get("settings", {}).get("n_curve") or {}).get("min_image_visits", 0))
    if nc.height:
        out.append(show_table(
            nc, "Fooling rate against the number of natural images (each count visited at "
                f"least {visits:,} times): has it levelled off?",
            source="results/uap_v2/rows.parquet", labels={"arch": "architecture"},
        ))  # fmt: skip
    return out
