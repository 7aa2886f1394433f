"""The tables, figures and text of the fragility chapter (``book/fragility.md``), computed from
the committed ``results/uap/`` folder: nothing here is typed in by hand.

:func:`load` reads the folder (``None`` when no results are committed); the other functions
take what it returns and give Markdown, polars frames or matplotlib figures.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
import yaml
from scipy import stats

from reproduce.claims.verdicts import evaluate_claims
from reproduce.engine.plan import load_suite
from review import paths
from review.errors import MissingPathError

if TYPE_CHECKING:  # matplotlib is imported when a figure is drawn
    from matplotlib.figure import Figure

__all__ = [
    "COLORS",
    "UAPResults",
    "budget_table",
    "example_figures",
    "header_markdown",
    "load",
    "models_table",
    "plot_fooling_rates",
    "profile_facts",
    "reading_markdown",
    "seeds_note",
    "settings_markdown",
    "source_table",
    "verdict_markdown",
]

#: Colour of each UAP source in the figures.
COLORS = {"natural": "#1b9e77", "training": "#d95f02", "random": "#7570b3"}
_APPROACH_ORDER = ["feature_extractor", "fine_tuning_from_scratch", "scratch"]
_SHORT = {
    "fine_tuning_from_scratch": "fine-tuned",
    "feature_extractor": "feat. extr.",
    "scratch": "scratch",
    "fine_tuning": "top-k FT",
    "efficientnet_lite0": "EffNet-L0",
    "squeezenet1_1": "SqueezeNet",
}
_MARKS = {
    "supported": "supported",
    "contradicted": "CONTRADICTED",
    "inconclusive": "inconclusive",
    "insufficient_data": "insufficient data",
    "not_run": "not run",
}


@dataclass(frozen=True)
class UAPResults:
    """The committed results of the ``uap`` suite.

    Attributes
    ----------
    folder
        ``results/uap``.
    rows
        Every attack row; ``ok`` the completed ones.
    runs
        The attacked runs' engine rows.
    env, config
        ``env.json`` and ``config.yaml`` of the sweep.
    verdicts
        The pre-registered claims decided on ``rows``.
    """

    folder: Path
    rows: pl.DataFrame
    ok: pl.DataFrame
    runs: pl.DataFrame
    env: dict[str, Any]
    config: dict[str, Any]
    verdicts: pl.DataFrame


def load(folder: Path | None = None) -> UAPResults | None:
    """Read ``results/uap`` (``None`` when no completed attack is committed)."""
    folder = folder or paths.results_dir() / "uap"
    f = folder / "results.parquet"
    if not f.is_file():
        return None
    rows = pl.read_parquet(f)
    ok = rows.filter(pl.col("status") == "ok")
    if ok.height == 0:
        return None
    return UAPResults(
        folder,
        rows,
        ok,
        pl.read_parquet(folder / "runs.parquet"),
        json.loads((folder / "env.json").read_text()),
        yaml.safe_load((folder / "config.yaml").read_text()),
        evaluate_claims(rows, "uap"),
    )


def header_markdown(r: UAPResults | None) -> str:
    """What the committed results hold (or how to produce them)."""
    if r is None:
        return (
            "**No results yet.** `results/uap/results.parquet` is not committed, so there is "
            "nothing to show: no verdicts, plots or examples. Produce it with `tlreview "
            "reproduce uap-suite --profile cpu` or `--profile gpu`, then commit `results/uap/`."
        )
    ok, n_err = r.ok, r.rows.height - r.ok.height
    return (
        f"The committed results hold **{ok.height} attacks** on **{ok['run_id'].n_unique()} "
        f"trained models** ({', '.join(sorted(ok['dataset'].unique()))}; "
        f"{', '.join(sorted(ok['arch'].unique()))}; "
        f"{', '.join(sorted(ok['approach'].unique()))})"
        + (f", plus {n_err} failed attack(s) recorded as errors" if n_err else "")
        + f", from the **`{r.config['profile']}` profile** of the `{r.config['suite']}` suite."
    )


def profile_facts(body: dict[str, Any]) -> dict[str, Any]:
    """The numbers a profile's text quotes, read from the profile itself.

    Returns
    -------
    dict
        ``resolutions``, ``epochs``, ``seeds`` (per configuration), ``n_source``,
        ``steps`` (UAP update steps: passes x source batches), ``budgets`` (norm -> eps ratios).
    """
    defaults = body.get("defaults") or {}
    grids = [{**defaults, **g} for g in body.get("grids", [])]
    attacks = body.get("attacks") or []

    def values(rows: list[dict], key: str) -> list:
        out = []
        for row in rows:
            v = row.get(key)
            for x in v if isinstance(v, list) else [v]:
                if x is not None and x not in out:
                    out.append(x)
        return out

    budgets: dict[str, list[float]] = {}
    for a in attacks:
        for norm in a["norm"] if isinstance(a["norm"], list) else [a["norm"]]:
            for eps in a["eps_ratio"] if isinstance(a["eps_ratio"], list) else [a["eps_ratio"]]:
                budgets.setdefault(norm, [])
                if eps not in budgets[norm]:
                    budgets[norm].append(eps)
    steps = [
        int(a.get("max_epochs", 5))
        * math.ceil(int(a.get("n_source", 1000)) / a.get("batch_size", 64))
        for a in attacks
    ]
    return {
        "resolutions": values(grids, "resolution"),
        "epochs": values(grids, "epochs"),
        "seeds": max((len(g["seed"]) if isinstance(g.get("seed"), list) else 1) for g in grids),
        "n_source": values(attacks, "n_source"),
        "steps": sorted(set(steps)),
        "budgets": budgets,
    }


def _join(xs: list) -> str:
    return " / ".join(str(x) for x in xs)


def settings_markdown(r: UAPResults) -> str:
    """Hardware, time and profile of the sweep, and how it differs from the ``gpu`` profile."""
    env, cfg, runs = r.env, r.config, r.runs
    lines = [
        f"* **Hardware:** {env['hardware']}; torch {env['torch']}, Python {env['python']}, "
        f"code `{env['code_version']}`, written {env['time_utc']}.",
        f"* **Time:** {float(runs['wall_s'].sum()) / 60:.1f} min training the {runs.height} "
        f"models and {float(r.rows['attack_s'].sum()) / 60:.1f} min attacking them (sums of the "
        "recorded wall times; the machine was shared with other jobs).",
        f"* **Profile `{cfg['profile']}`:** {' '.join(str(cfg['description']).split())}",
        f"* **UAP algorithm:** `{cfg['method']}` (gradient variant, see above).",
    ]
    if env.get("gpu_name") is None:
        here = profile_facts(cfg["profile_body"])
        gpu = profile_facts(load_suite(cfg["suite"]).profiles["gpu"])
        lines.append(
            f"* **These are CPU-profile numbers ({env['cpu_count']} CPU cores): a reduced grid.** "
            f"{_join(here['resolutions'])} px, {_join(here['epochs'])} epochs, {here['seeds']} "
            f"seeds, UAPs from {_join(here['n_source'])} source images in "
            f"{_join(here['steps'])} steps. They test the claims' direction on small models; the "
            f"`gpu` profile ({_join(gpu['resolutions'])} px, {_join(gpu['epochs'])} epochs, "
            f"{gpu['seeds']} seeds, {_join(gpu['n_source'])} source images, budgets "
            + ", ".join(f"{k} {_join(v)}" for k, v in gpu["budgets"].items())
            + ") has not been run."
        )
    return "\n".join(lines)


def models_table(r: UAPResults) -> pl.DataFrame:
    """Test metrics of each attacked model, mean over seeds."""
    return (
        r.runs.filter(pl.col("status") == "ok")
        .group_by("dataset", "resolution", "arch", "approach")
        .agg(
            pl.len().alias("seeds"),
            pl.col("n_train").first(),
            pl.col("epochs").first(),
            pl.col("auc_macro_ovr").mean().alias("test_auc"),
            pl.col("accuracy").mean().alias("test_accuracy"),
        )
        .sort("dataset", "arch", "approach")
    )


def verdict_markdown(verdicts: pl.DataFrame) -> list[str]:
    """One Markdown quote per claim: verdict, estimate with its CI, pairs, detail."""
    out = []
    for v in verdicts.iter_rows(named=True):
        if v["estimate"] is not None:
            est = (
                f"mean paired difference in fooling rate **{v['estimate']:+.3f}** "
                f"(95 % CI {v['ci_low']:+.3f} to {v['ci_high']:+.3f}; arm a {v['mean_a']:.3f} "
                f"vs arm b {v['mean_b']:.3f}), {v['n_pairs']} pairs, Wilcoxon "
                f"p = {v['p_wilcoxon']:.2g}"
            )
        else:
            est = f"{v['n_pairs']} pairs"
        out.append(
            f"> **{v['claim_id']}: {_MARKS.get(v['verdict'], v['verdict'])}**  \n"
            f"> {v['statement']}  \n> {est}.  \n> *{v['detail']}*"
        )
    return out


def seeds_note(r: UAPResults) -> str:
    """Why the claims use paired differences: the t quantile of the seeds per configuration."""
    n = int(r.runs["seed"].n_unique())
    if n < 2:
        return "With one seed per configuration there is no interval over seeds."
    t = float(stats.t.ppf(0.975, n - 1))
    return (
        f"With {n} seeds per configuration a 95 % interval over seeds uses t = {t:.1f} "
        f"({n - 1} degree(s) of freedom), which is why the claims are decided on the paired "
        "differences across models instead."
    )


def _attack_label(targeted: bool, norm: str, eps_ratio: float) -> str:
    return f"{'targeted' if targeted else 'non-targeted'}, {norm} {eps_ratio:.0%}"


def plot_fooling_rates(ok: pl.DataFrame) -> Figure:
    """Mean fooling rate (bars) and seeds (dots) per data set x attack, approach and source."""
    import matplotlib.pyplot as plt  # matplotlib: imported only when a figure is drawn

    per = ok.with_columns(
        pl.struct("targeted", "norm", "eps_ratio")
        .map_elements(
            lambda r: _attack_label(r["targeted"], r["norm"], r["eps_ratio"]),
            return_dtype=pl.String,
        )
        .alias("attack")
    )
    datasets = sorted(per["dataset"].unique())
    attacks = (
        per.select("targeted", "norm", "eps_ratio", "attack")
        .unique()
        .sort("targeted", "norm", "eps_ratio")["attack"]
        .to_list()
    )
    fig, axes = plt.subplots(
        len(datasets),
        len(attacks),
        squeeze=False,
        figsize=(4.4 * len(attacks), 3.0 * len(datasets)),
        sharey=True,
    )
    for i, ds in enumerate(datasets):
        for j, att in enumerate(attacks):
            ax = axes[i][j]
            d = per.filter((pl.col("dataset") == ds) & (pl.col("attack") == att))
            groups = [
                (a, ar)
                for a in _APPROACH_ORDER
                for ar in sorted(d["arch"].unique())
                if d.filter((pl.col("approach") == a) & (pl.col("arch") == ar)).height
            ]
            sources = [s for s in COLORS if s in d["uap_source"].to_list()]
            width = 0.8 / max(len(sources), 1)
            for k, src in enumerate(sources):
                for g, (a, ar) in enumerate(groups):
                    vals = d.filter(
                        (pl.col("approach") == a)
                        & (pl.col("arch") == ar)
                        & (pl.col("uap_source") == src)
                    )["fooling_rate"].to_numpy()
                    if len(vals) == 0:
                        continue
                    x = g + (k - (len(sources) - 1) / 2) * width
                    ax.bar(
                        x,
                        vals.mean(),
                        width=width,
                        color=COLORS[src],
                        label=src if (g == 0) else None,
                    )
                    ax.plot(np.full(len(vals), x), vals, "o", color="black", ms=2.5)
            ax.set_xticks(range(len(groups)))
            ax.set_xticklabels(
                [f"{_SHORT.get(a, a)}\n{_SHORT.get(ar, ar)}" for a, ar in groups], fontsize=7
            )
            ax.set_ylim(0, 1)
            ax.set_title(f"{ds}: {att}", fontsize=9)
            if j == 0:
                ax.set_ylabel("fooling rate")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="center right", title="UAP source", fontsize=8)
    fig.tight_layout(rect=(0, 0, 0.9, 1))
    return fig


def source_table(ok: pl.DataFrame) -> pl.DataFrame:
    """Mean fooling rate per attack type, approach and source, with clean/perturbed accuracy."""
    return (
        ok.group_by("targeted", "norm", "eps_ratio", "approach", "uap_source")
        .agg(
            pl.len().alias("attacks"),
            pl.col("fooling_rate").mean(),
            pl.col("clean_accuracy").mean(),
            pl.col("perturbed_accuracy").mean(),
        )
        .sort("targeted", "norm", "approach", "uap_source")
    )


def budget_table(ok: pl.DataFrame) -> pl.DataFrame:
    """How much of the budget each source used (``uap_norm / eps``: mean, min, max)."""
    return (
        ok.with_columns((pl.col("uap_norm") / pl.col("eps")).alias("used"))
        .group_by("norm", "uap_source")
        .agg(
            pl.col("used").mean().alias("mean_share_of_eps"),
            pl.col("used").min().alias("min_share_of_eps"),
            pl.col("used").max().alias("max_share_of_eps"),
        )
        .sort("norm", "uap_source")
    )


def _show(img: np.ndarray) -> np.ndarray:
    return np.clip(np.transpose(np.asarray(img, dtype=np.float32), (1, 2, 0)), 0, 1)


def example_figures(r: UAPResults) -> tuple[list[Figure], list[str]]:
    """Per data set, the stored non-targeted L-inf UAPs and (with the real data) one attacked
    test image before and after; returns the figures and the data sets whose image is missing.
    """
    import matplotlib.pyplot as plt  # matplotlib: imported only when a figure is drawn

    # torch: the image is rebuilt through the attack code (the run's own preprocessing)
    from reproduce.attacks.execute import example_image

    ex_dir = r.folder / "examples"
    if not (ex_dir / "index.csv").is_file():
        return [], []
    index = pl.read_csv(ex_dir / "index.csv")
    figs, missing = [], []
    for ds in index["dataset"].unique(maintain_order=True).to_list():
        sub = index.filter(pl.col("dataset") == ds).sort(
            pl.col("uap_source").replace_strict(
                {"natural": 0, "training": 1, "random": 2}, default=3, return_dtype=pl.Int64
            )
        )
        classes = sub["classes"][0].split(";")
        first = np.load(ex_dir / sub["file"][0])
        run = r.runs.filter(pl.col("run_id") == sub["run_id"][0]).row(0, named=True)
        try:
            clean = example_image(run, str(first["image_id"][0]))
        except (MissingPathError, FileNotFoundError, KeyError) as exc:
            missing.append(f"{ds}: {exc}".splitlines()[0])
            clean = None
        per = 2 if clean is not None else 1
        n_ax = (1 if clean is not None else 0) + per * sub.height
        fig, axes = plt.subplots(1, n_ax, figsize=(2.0 * n_ax, 2.5))
        axes = np.atleast_1d(axes)
        if clean is not None:
            axes[0].imshow(_show(clean))
            axes[0].set_title(
                f"clean\ntrue {classes[int(first['label'][0])]}\n"
                f"pred {classes[int(first['clean_pred'][0])]}",
                fontsize=7,
            )
        for k, row in enumerate(sub.iter_rows(named=True)):
            z = np.load(ex_dir / row["file"])
            v = z["perturbation"].astype(np.float32)
            span = max(float(np.abs(v).max()), 1e-12)
            ax_v = axes[(1 if clean is not None else 0) + per * k]
            ax_v.imshow(_show(0.5 + 0.5 * v / span))
            ax_v.set_title(
                f"{row['uap_source']} UAP\n(x{0.5 / span:.0f}, fool {row['fooling_rate']:.0%})",
                fontsize=7,
            )
            if clean is not None:
                ax_x = axes[2 + per * k]
                ax_x.imshow(_show(clean + v))
                ax_x.set_title(f"perturbed\npred {classes[int(z['adv_pred'][0])]}", fontsize=7)
        for ax in axes:
            ax.set_axis_off()
        fig.suptitle(
            f"{ds}: {sub['arch'][0]}, {sub['approach'][0]}, L-inf "
            f"{sub['eps_ratio'][0]:.0%} of the mean image norm",
            fontsize=9,
        )
        fig.tight_layout()
        figs.append(fig)
    return figs, missing


def reading_markdown(r: UAPResults) -> str:
    """The closing paragraph: mean fooling rates by source and the verdicts, in words."""
    by_src = (
        r.ok.filter(~pl.col("targeted"))
        .group_by("uap_source")
        .agg(pl.col("fooling_rate").mean())
        .sort("uap_source")
    )
    text = ", ".join(
        f"{k} {v:.1%}" for k, v in zip(by_src["uap_source"], by_src["fooling_rate"], strict=True)
    )
    facts = profile_facts(r.config["profile_body"])
    vd = dict(zip(r.verdicts["claim_id"], r.verdicts["verdict"], strict=True))
    return (
        f"Averaged over every non-targeted attack, the fooling rates are: {text}. The three "
        "pre-registered claims come out as "
        + "; ".join(f"**{k}** {_MARKS.get(v, v)}" for k, v in vd.items())
        + ". A verdict is only as strong as the grid behind it: on this grid the models are "
        f"trained at {_join(facts['resolutions'])} px for {_join(facts['epochs'])} epochs and "
        f"the UAPs are made from {_join(facts['n_source'])} source images in "
        f"{_join(facts['steps'])} steps, so absolute fooling rates are not comparable to the "
        "papers' 224-px models; the paired comparisons between sources on the *same* model and "
        "budget are what the claims test."
    )
