"""Curation records behind the study table: search log, screening, PRISMA 2020 flow, second pass.

The PRISMA counts are computed from ``data/curation/records.csv`` and ``search_log.csv``, never
typed. The second, blind coding pass is drawn with a recorded seed (``second_pass_meta.json``)
and compared field by field (``second_pass.csv``, one row per study x field).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import polars as pl

from review import paths
from review.errors import Problem, StudyTableError
from review.schema import vocabulary

RECORD_COLUMNS = (
    "record_id", "query_id", "url", "title", "year", "decision", "exclusion_reason",
    "duplicate_of", "study_id", "curator", "note",
)  # fmt: skip
SEARCH_COLUMNS = (
    "query_id", "corpus", "query", "date", "n_results", "n_new_records", "curator",
)  # fmt: skip
SECOND_PASS_COLUMNS = (
    "study_id", "field", "first_pass", "second_pass", "coded", "agree", "resolved",
    "resolution_note",
)  # fmt: skip
DECISIONS = ("include", "exclude", "duplicate")
#: Fields re-coded in the blind second pass.
SECOND_PASS_FIELDS = (
    "year", "anatomical_region", "modality", "task", "backbones", "model_category",
    "tl_approach", "metric", "value",
)  # fmt: skip


def _read(path: Path, columns: tuple[str, ...]) -> pl.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"{path}: curation file not found")
    df = pl.read_csv(path, infer_schema=False)
    missing = [c for c in columns if c not in df.columns]
    extra = [c for c in df.columns if c not in columns]
    if missing or extra:
        raise StudyTableError(
            [
                Problem(str(path), 1, c, None, "a column named '" + c + "' (required)")
                for c in missing
            ]
            + [Problem(str(path), 1, c, c, "only the columns " + ", ".join(columns)) for c in extra]
        )
    return df.select(columns)


def load_records(path: str | Path | None = None) -> pl.DataFrame:
    """Load and check the screening records (one row per distinct record looked at).

    Raises
    ------
    StudyTableError
        Listing every row whose decision, exclusion reason or duplicate link is invalid.
    """
    path = Path(path) if path else paths.curation_dir() / "records.csv"
    df = _read(path, RECORD_COLUMNS)
    reasons = set(vocabulary("exclusion_reason"))
    ids = set(df["record_id"].to_list())
    problems = []
    for i, r in enumerate(df.iter_rows(named=True)):
        row = i + 2
        d = r["decision"]
        if d not in DECISIONS:
            problems.append(
                Problem(str(path), row, "decision", d, "one of " + ", ".join(DECISIONS))
            )
        if d == "exclude" and r["exclusion_reason"] not in reasons:
            problems.append(
                Problem(str(path), row, "exclusion_reason", r["exclusion_reason"],
                        "one of " + ", ".join(sorted(reasons)))
            )  # fmt: skip
        if d == "duplicate" and r["duplicate_of"] not in ids:
            problems.append(
                Problem(str(path), row, "duplicate_of", r["duplicate_of"], "an existing record_id")
            )
        if d == "include" and not r["study_id"]:
            problems.append(Problem(str(path), row, "study_id", "", "the included study's id"))
    if df["record_id"].n_unique() != df.height:
        dup = df.filter(pl.col("record_id").is_duplicated())["record_id"][0]
        problems.append(Problem(str(path), None, "record_id", dup, "unique record ids"))
    if problems:
        raise StudyTableError(problems)
    return df.with_columns(pl.col("year").cast(pl.Int64, strict=False))


def load_search_log(path: str | Path | None = None) -> pl.DataFrame:
    """Load the search log (one row per query)."""
    path = Path(path) if path else paths.curation_dir() / "search_log.csv"
    return _read(path, SEARCH_COLUMNS).with_columns(
        pl.col("n_results", "n_new_records").cast(pl.Int64)
    )


def prisma_flow(
    records: pl.DataFrame | None = None, search_log: pl.DataFrame | None = None
) -> dict:
    """PRISMA 2020 flow counts computed from the curation tables.

    Parameters
    ----------
    records, search_log
        Loaded tables; default the committed ones.

    Returns
    -------
    dict
        ``queries, identified, duplicates_removed, screened, excluded, excluded_by_reason
        (dict), included``. ``screened = identified - duplicates_removed`` and
        ``included = screened - excluded`` hold by construction of the decisions.
    """
    records = load_records() if records is None else records
    search_log = load_search_log() if search_log is None else search_log
    counts = dict(records.group_by("decision").len().iter_rows())
    by_reason = (
        records.filter(pl.col("decision") == "exclude")
        .group_by("exclusion_reason")
        .len()
        .sort(["len", "exclusion_reason"], descending=[True, False])
    )
    identified = records.height
    dups = counts.get("duplicate", 0)
    return {
        "queries": search_log.height,
        "identified": identified,
        "duplicates_removed": dups,
        "screened": identified - dups,
        "excluded": counts.get("exclude", 0),
        "excluded_by_reason": dict(by_reason.iter_rows()),
        "included": counts.get("include", 0),
    }


def draw_second_pass_sample(study_ids: list[str], fraction: float, seed: int) -> list[str]:
    """Draw the blind second-pass sample.

    Parameters
    ----------
    study_ids
        Included study ids (order does not matter: they are sorted first).
    fraction
        Share to draw; the sample size is ``ceil(fraction * n)``.
    seed
        Seed of :class:`random.Random`.

    Returns
    -------
    list of str
        Sorted sample of study ids.
    """
    pop = sorted(study_ids)
    k = -(-int(round(fraction * len(pop) * 1e6)) // 1_000_000)  # ceil without float noise
    return sorted(random.Random(seed).sample(pop, k))


def second_pass_meta(path: str | Path | None = None) -> dict:
    """The recorded seed, fraction and population of the second-pass sample."""
    path = Path(path) if path else paths.curation_dir() / "second_pass_meta.json"
    return json.loads(path.read_text(encoding="utf-8"))


def load_second_pass(path: str | Path | None = None) -> pl.DataFrame:
    """Load the second-pass comparison (one row per study x field)."""
    path = Path(path) if path else paths.curation_dir() / "second_pass.csv"
    df = _read(path, SECOND_PASS_COLUMNS)
    flags = {"true": True, "false": False}
    return df.with_columns(
        pl.col("coded").replace_strict(flags),
        pl.col("agree").replace_strict(flags, default=None, return_dtype=pl.Boolean),
    )


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa of two raters' nominal labels.

    Cross-checked against :func:`sklearn.metrics.cohen_kappa_score` in the tests.
    """
    if len(a) != len(b) or not a:
        raise ValueError("cohen_kappa needs two label lists of equal, non-zero length")
    n = len(a)
    cats = sorted(set(a) | set(b))
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pe = sum((a.count(c) / n) * (b.count(c) / n) for c in cats)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def agreement(second_pass: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per-field agreement of the two coding passes, with Cohen's kappa where it applies.

    Only studies the second coder could code (``coded``) count; a study whose source page the
    second coder could not retrieve is listed in ``second_pass.csv`` but left out here.

    Returns
    -------
    polars.DataFrame
        ``field, n, n_agree, agreement, kappa`` (kappa for ``tl_approach`` and
        ``model_category``; null elsewhere).
    """
    sp = load_second_pass() if second_pass is None else second_pass
    sp = sp.filter(pl.col("coded"))
    rows = []
    for field in SECOND_PASS_FIELDS:
        sub = sp.filter(pl.col("field") == field)
        if sub.height == 0:
            continue
        kappa = None
        if field in ("tl_approach", "model_category"):
            kappa = cohen_kappa(
                [v or "" for v in sub["first_pass"]], [v or "" for v in sub["second_pass"]]
            )
        n_agree = int(sub["agree"].sum())
        rows.append((field, sub.height, n_agree, n_agree / sub.height, kappa))
    return pl.DataFrame(
        rows,
        schema={"field": pl.String, "n": pl.Int64, "n_agree": pl.Int64,
                "agreement": pl.Float64, "kappa": pl.Float64},
        orient="row",
    )  # fmt: skip


def plot_prisma(flow: dict, ax=None):
    """Draw the PRISMA 2020 flow diagram of :func:`prisma_flow` and return the figure."""
    # matplotlib: imported only when a figure is drawn
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 5.8))
    else:
        fig = ax.figure
    ax.set_xlim(0, 10)
    ax.set_ylim(2.7, 10)
    ax.axis("off")

    def box(x, y, w, h, text):
        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.05", fc="#f4f6fb",
                                    ec="#34495e", lw=1.2))  # fmt: skip
        ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=10.5, wrap=True)

    def arrow(x0, y0, x1, y1):
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "->", "lw": 1.4, "color": "#34495e"})  # fmt: skip

    reasons = "\n".join(
        f"{k.replace('_', ' ')}: {v}" for k, v in flow["excluded_by_reason"].items()
    )
    box(0.3, 8.2, 5, 1.4,
        f"Records identified by {flow['queries']} searches\nof stored public pages\n"
        f"(n = {flow['identified']})")  # fmt: skip
    box(6.2, 8.2, 3.5, 1.4, f"Duplicates removed\n(n = {flow['duplicates_removed']})")
    box(0.3, 5.6, 5, 1.4, f"Records screened\n(title and abstract)\n(n = {flow['screened']})")
    box(6.2, 3.0, 3.5, 4.0, f"Records excluded\n(n = {flow['excluded']})\n\n{reasons}")
    box(0.3, 3.0, 5, 1.4, f"Studies included in the table\n(n = {flow['included']})")
    arrow(2.8, 8.2, 2.8, 7.05)
    arrow(5.3, 8.9, 6.2, 8.9)
    arrow(2.8, 5.6, 2.8, 4.45)
    arrow(5.3, 6.3, 6.2, 5.8)
    ax.set_title("PRISMA 2020 flow of the re-curation (computed from data/curation/)", fontsize=10)
    return fig
