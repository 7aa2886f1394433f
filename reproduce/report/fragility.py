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

from reproduce.claims.verdicts import evaluate_claims, load_claims
from reproduce.engine.plan import load_suite
from review import paths
from review.errors import MissingPathError
from review.figures import CONTENT_WIDTH, forest_plot, show_figure, verdict_forest_frame
from review.output import claim_card, show_table

if TYPE_CHECKING:  # matplotlib is imported when a figure is drawn
    from matplotlib.figure import Figure

__all__ = [
    "COLORS",
    "SOURCE_WORDS",
    "attacks_of",
    "examples",
    "fooling",
    "intro",
    "reading",
    "settings",
    "verdicts",
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
COLORS = {"natural": "#009E73", "training": "#D55E00", "random": "#0072B2"}
#: The UAP sources in words (legends).
SOURCE_WORDS = {
    "natural": "natural images",
    "training": "training images",
    "random": "random noise",
}
_APPROACH_ORDER = ["feature_extractor", "fine_tuning_from_scratch", "scratch"]
_SHORT = {
    "fine_tuning_from_scratch": "fine-tuned",
    "feature_extractor": "frozen",
    "scratch": "scratch",
    "fine_tuning": "top-k FT",
    "efficientnet_lite0": "EffNet-L0",
    "squeezenet1_1": "SqueezeNet",
}
_APPROACH_WORDS = {
    "feature_extractor": "frozen feature extractor",
    "fine_tuning_from_scratch": "fine-tuned (all layers from ImageNet)",
    "scratch": "from scratch",
}
_ARCH_WORDS = {"efficientnet_lite0": "EfficientNet-Lite0", "squeezenet1_1": "SqueezeNet 1.1"}
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
        f"{', '.join(_ARCH_WORDS.get(a, a) for a in sorted(ok['arch'].unique()))}; "
        f"{', '.join(_APPROACH_WORDS.get(a, a) for a in sorted(ok['approach'].unique()))})"
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


def attacks_of(ok: pl.DataFrame) -> list[tuple[bool, str, float]]:
    """The attack types of the results, ``(targeted, norm, eps_ratio)``, non-targeted first."""
    a = ok.select("targeted", "norm", "eps_ratio").unique().sort("targeted", "norm", "eps_ratio")
    return [(bool(t), str(n), float(e)) for t, n, e in a.iter_rows()]


def plot_fooling_rates(ok: pl.DataFrame, attack: tuple[bool, str, float]) -> Figure:
    """Mean fooling rate (bars) and seeds (dots) of one attack type: one data set per row,
    one group of bars per approach and architecture, one bar per UAP source."""
    import matplotlib.pyplot as plt  # matplotlib: imported only when a figure is drawn

    targeted, norm, eps_ratio = attack
    per = ok.filter(
        (pl.col("targeted") == targeted)
        & (pl.col("norm") == norm)
        & (pl.col("eps_ratio") == eps_ratio)
    )
    datasets = sorted(per["dataset"].unique())
    fig, axes = plt.subplots(
        len(datasets), 1, squeeze=False, figsize=(CONTENT_WIDTH, 2.9 * len(datasets) + 0.6),
        sharey=True,
    )  # fmt: skip
    for i, ds in enumerate(datasets):
        ax = axes[i][0]
        d = per.filter(pl.col("dataset") == ds)
        groups = [
            (a, ar)
            for a in _APPROACH_ORDER
            for ar in sorted(d["arch"].unique())
            if d.filter((pl.col("approach") == a) & (pl.col("arch") == ar)).height
        ]
        sources = [src for src in COLORS if src in d["uap_source"].to_list()]
        width = 0.8 / max(len(sources), 1)
        for k, src in enumerate(sources):
            for g, (a, ar) in enumerate(groups):
                sel = (pl.col("approach") == a) & (pl.col("arch") == ar)
                vals = d.filter(sel & (pl.col("uap_source") == src))["fooling_rate"].to_numpy()
                if len(vals) == 0:
                    continue
                x = g + (k - (len(sources) - 1) / 2) * width
                ax.bar(x, vals.mean(), width=width, color=COLORS[src],
                       label=SOURCE_WORDS[src] if g == 0 else None)  # fmt: skip
                ax.plot(np.full(len(vals), x), vals, "o", color="black", ms=3)
        ax.set_xticks(range(len(groups)))
        ax.set_xticklabels([f"{_SHORT.get(a, a)}\n{_SHORT.get(ar, ar)}" for a, ar in groups])
        ax.set_ylim(0, 1)
        ax.set_title(ds)
        ax.set_ylabel("fooling rate")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=len(labels), title="UAP made from",
               frameon=False)  # fmt: skip
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.75 / fig.get_figheight()))
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
        first_col = 1 if clean is not None else 0
        n_col = first_col + sub.height
        n_row = 2 if clean is not None else 1
        fig, axes = plt.subplots(n_row, n_col, squeeze=False,
                                 figsize=(CONTENT_WIDTH, 2.3 * n_row + 0.5))  # fmt: skip
        if clean is not None:
            axes[0][0].imshow(_show(clean))
            axes[0][0].set_title(
                f"clean image\ntrue: {classes[int(first['label'][0])]}\n"
                f"predicted: {classes[int(first['clean_pred'][0])]}",
                fontsize=10,
            )
        for k, row in enumerate(sub.iter_rows(named=True)):
            z = np.load(ex_dir / row["file"])
            v = z["perturbation"].astype(np.float32)
            span = max(float(np.abs(v).max()), 1e-12)
            ax_v = axes[0][first_col + k]
            ax_v.imshow(_show(0.5 + 0.5 * v / span))
            ax_v.set_title(
                f"{SOURCE_WORDS.get(row['uap_source'], row['uap_source'])}\n"
                f"(x{0.5 / span:.0f}), fools {row['fooling_rate']:.0%}",
                fontsize=10,
            )
            if clean is not None:
                ax_x = axes[1][first_col + k]
                ax_x.imshow(_show(clean + v))
                ax_x.set_title(f"attacked\npredicted: {classes[int(z['adv_pred'][0])]}",
                               fontsize=10)  # fmt: skip
        for ax in axes.ravel():
            ax.set_axis_off()
        if clean is not None:  # the clean image's column has no second row
            axes[1][0].set_visible(False)
        fig.suptitle(
            f"{ds}: {_SHORT.get(sub['arch'][0], sub['arch'][0])}, "
            f"{_SHORT.get(sub['approach'][0], sub['approach'][0])}, L-inf "
            f"{sub['eps_ratio'][0]:.0%} of the mean image norm",
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


# ----------------------------------------------------------------------------- page sections
# Each returns the blocks of one section of ``book/fragility.md`` (Markdown, tables through
# review.output.show_table, figures through review.figures.show_figure, claim cards), shown by
# reproduce.report.show.show.

_SRC = "results/uap/results.parquet"


def _in_words(df: pl.DataFrame) -> pl.DataFrame:
    """Codes of the approach, architecture and UAP source columns in words."""
    maps = {"approach": _APPROACH_WORDS, "arch": _ARCH_WORDS, "uap_source": SOURCE_WORDS}
    return df.with_columns(
        pl.col(c).replace(m) for c, m in maps.items() if c in df.columns
    )  # fmt: skip


def _attack_column(df: pl.DataFrame) -> pl.DataFrame:
    """``targeted, norm, eps_ratio`` as one ``attack`` column in words (first column)."""
    lab = [
        _attack_label(bool(t), "L-inf" if n == "linf" else "L2", float(e))
        for t, n, e in df.select("targeted", "norm", "eps_ratio").iter_rows()
    ]
    return df.drop("targeted", "norm", "eps_ratio").insert_column(
        0, pl.Series("attack", lab, dtype=pl.String)
    )


def intro(r: UAPResults | None) -> list[Any]:
    """What the committed pilot results hold (or how to produce them)."""
    return [header_markdown(r)]


def settings(r: UAPResults | None) -> list[Any]:
    """Hardware, profile and the attacked models of the pilot."""

    if r is None:
        return []
    return [
        settings_markdown(r),
        show_table(
            _in_words(models_table(r)).drop("resolution", "epochs"),
            f"The attacked models ({_join(sorted(r.runs['resolution'].unique()))} px, "
            f"{_join(sorted(r.runs['epochs'].unique()))} epochs): test metrics of each trained "
            "configuration, mean over seeds.",
            source="results/uap/runs.parquet (reproduce.report.fragility.models_table)",
            labels={"arch": "architecture", "n_train": "training images", "test_auc": "test AUC"},
            percent=["test_accuracy"],
        ),
    ]


def verdicts(r: UAPResults | None) -> list[Any]:
    """The pilot's claims at a glance: forest plot, table, one card per claim."""

    if r is None:
        return []
    v = r.verdicts
    claims = {c["id"]: c for c in load_claims()["claims"] if c.get("suite") == "uap"}
    src = f"reproduce.claims.verdicts.evaluate_claims({_SRC})"
    out: list[Any] = []
    if v["estimate"].is_not_null().any():
        out.append(show_figure(
            forest_plot(verdict_forest_frame(v, {k: k.split("_")[0] for k in v["claim_id"]})),
            alt="Forest plot of the three pilot UAP claims U1 to U3: each claim's mean paired "
                "difference in fooling rate with its 95 % bootstrap confidence interval, "
                "coloured by verdict, against a solid line at zero.",
            caption="The pilot's verdicts at a glance (v1, CPU, 32 px). Each marker is a claim's "
                    "mean paired difference in fooling rate (arm a − arm b) with its 95 % "
                    "bootstrap CI, coloured by verdict. Look at whether the interval clears the "
                    "solid line at zero: U1's interval crosses it (inconclusive).",
        ))  # fmt: skip
    out.append(show_table(
        v.select("claim_id", "verdict", "n_pairs", "mean_a", "mean_b", "estimate", "ci_low",
                 "ci_high", "p_wilcoxon"),
        "Every pilot UAP claim: its verdict, the pairs, each arm's mean fooling rate and the "
        "mean paired difference (a − b) with its bootstrap CI and Wilcoxon p.",
        source=src, as_words=["verdict"],
        labels={"claim_id": "claim", "n_pairs": "pairs", "mean_a": "arm a", "mean_b": "arm b",
                "estimate": "difference", "p_wilcoxon": "Wilcoxon p"},
    ))  # fmt: skip
    out += [claim_card(row, claims.get(row["claim_id"])) for row in v.to_dicts()]
    return out


def fooling(r: UAPResults | None) -> list[Any]:
    """Fooling rate by source, approach and architecture: one figure per attack type, then
    the per-source table and the share of the budget each source used."""

    if r is None:
        return []
    out: list[Any] = [seeds_note(r)]
    for att in attacks_of(r.ok):
        name = _attack_label(*att).replace("linf", "L-inf").replace("l2", "L2")
        what = (
            "the share of test images classified as the target class"
            if att[0]
            else "the share of test images whose prediction changes"
        )
        out.append(show_figure(
            plot_fooling_rates(r.ok, att),
            alt=f"Bar charts, one per data set, of the {name} fooling rate of the pilot models: "
                "for each training approach and architecture, three bars (UAP made from natural "
                "images, from the training images, random noise) with the seeds as dots.",
            caption=f"{name[0].upper()}{name[1:]} attack ({what}). Compare the green bar "
                    "(natural images) with the blue one (random noise of the same norm): U1 "
                    "asks whether green is higher; the orange bar (training images) is the "
                    "attacker with access to the medical data.",
        ))  # fmt: skip
    out.append(show_table(
        _in_words(_attack_column(source_table(r.ok))),
        "Mean fooling rate per attack, approach and UAP source (over models, seeds and data "
        "sets), with clean and perturbed accuracy beside it.",
        source=f"{_SRC} (reproduce.report.fragility.source_table)",
        labels={"uap_source": "UAP made from"},
        percent=["fooling_rate", "clean_accuracy", "perturbed_accuracy"],
    ))  # fmt: skip
    out.append(
        "**How much of the budget each source used** (`uap_norm / eps`). The random control "
        "always sits exactly on the budget; a generated UAP is projected *into* the ball and "
        "may stay inside it, so a UAP that beats the control does so with at most the same "
        "norm. A UAP stays near zero when the cross-entropy gradient vanishes on the source "
        "images (saturated softmax, mostly frozen-backbone models) or when the first steps "
        "already fool every source image; those rows are kept as they are."
    )
    b = budget_table(r.ok).with_columns(
        pl.col("norm").replace({"linf": "L-inf", "l2": "L2"})
    )  # fmt: skip
    out.append(show_table(
        _in_words(b),
        "Share of the budget used by each UAP source, over every attack of that norm.",
        source=f"{_SRC} (reproduce.report.fragility.budget_table)",
        labels={"uap_source": "UAP made from", "mean_share_of_eps": "mean",
                "min_share_of_eps": "minimum", "max_share_of_eps": "maximum"},
        percent=["mean_share_of_eps", "min_share_of_eps", "max_share_of_eps"],
    ))  # fmt: skip
    return out


def examples(r: UAPResults | None) -> list[Any]:
    """The stored example perturbations (and, with the data, an attacked image) per data set."""

    if r is None:
        return []
    figs, missing = example_figures(r)
    if not figs:
        return ["*No example perturbations were stored with these results.*"]
    index = pl.read_csv(r.folder / "examples" / "index.csv")
    order = index["dataset"].unique(maintain_order=True).to_list()
    lacking = {m.split(":")[0] for m in missing}
    out: list[Any] = []
    for ds, fig in zip(order, figs, strict=True):
        out.append(show_figure(
            fig,
            alt=f"{ds}: the non-targeted L-inf UAP made from natural images, from the training "
                "images and of random noise, each stretched to the full grey range"
                + (", above the same test image after each attack, beside the clean image."
                   if ds not in lacking else "."),
            caption=f"{ds}. Compare the random noise (every pixel at plus or minus eps, "
                    "hence saturated colours) with the UAPs made from images, whose pixels "
                    "take graded values; each title gives the UAP's fooling rate and how much "
                    "it was magnified to be visible (its true amplitude is a few per cent of "
                    "the pixel range).",
        ))  # fmt: skip
    if missing:
        out.append(
            "*The attacked test images are not committed (the data sets stay under "
            "`TLREVIEW_DATA_DIR`); without the data only the perturbations are shown.* "
            "Not found at build time: "
            + ", ".join(sorted({m.split(":")[0] for m in missing}))
            + " (`tlreview reproduce fetch DATASET` on a machine with internet)."
        )
    return out


def reading(r: UAPResults | None) -> list[Any]:
    """The closing paragraph of the pilot."""
    return [] if r is None else [reading_markdown(r)]
