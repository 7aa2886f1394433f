"""Presentation of DataFrames: the CLI's ``--format`` writer and the report's table helper.

* :func:`write_frame` writes a frame as an aligned text table, CSV or JSON (every command's
  ``--format`` option).
* :func:`show_table` is the one way the book shows a table: great_tables for short tables,
  an interactive (search, sort, pages) DataTables table from itables for long ones, both
  self-contained (no CDN: the book reads offline). Numbers get three significant digits,
  intervals read ``[low, high]``, missing values a dash, column labels are words, and every
  table says which file or function it comes from.
* :func:`format_frame` is the formatting step of :func:`show_table` on its own (one string
  per cell), for tests and for callers that build their own layout.
* :func:`claim_card` renders one pre-registered claim and its verdict as a short card.
"""

from __future__ import annotations

import html
import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import polars as pl

FORMATS = ("table", "csv", "json")

#: What a missing value looks like in the report.
DASH = "—"
#: Colour of each verdict, Okabe & Ito's blue and vermillion (they differ for every kind of
#: colour vision); the figures (:mod:`review.figures`) use the same colours.
VERDICT_COLOURS: dict[str, str] = {
    "supported": "#0072B2",
    "contradicted": "#D55E00",
    "inconclusive": "#7f7f7f",
    "insufficient_data": "#b0b0b0",
    "not_run": "#b0b0b0",
}
#: Verdicts in words.
VERDICT_WORDS: dict[str, str] = {
    "supported": "supported",
    "contradicted": "contradicted",
    "inconclusive": "inconclusive",
    "insufficient_data": "insufficient data",
    "not_run": "not run",
}
#: Tables with more rows than this are shown interactively (search, sort, pages).
MAX_STATIC_ROWS = 15


def _flatten_lists(df: pl.DataFrame, sep: str = ";") -> pl.DataFrame:
    lists = [c for c, t in df.schema.items() if isinstance(t, pl.List)]
    return df.with_columns(pl.col(c).list.join(sep) for c in lists) if lists else df


def write_frame(df: pl.DataFrame, fmt: str = "table", out: TextIO | None = None) -> None:
    """Write ``df`` to ``out`` (default standard output).

    Parameters
    ----------
    df
        The frame.
    fmt
        ``table`` (aligned, all rows and columns), ``csv`` (list columns joined by ``;``) or
        ``json`` (a list of records; list columns as JSON arrays).
    out
        Text stream.
    """
    out = sys.stdout if out is None else out
    if fmt == "csv":
        out.write(_flatten_lists(df).write_csv())
    elif fmt == "json":
        out.write(json.dumps(df.to_dicts(), ensure_ascii=False, indent=1, default=str) + "\n")
    elif fmt == "table":
        with pl.Config(
            tbl_rows=-1,
            tbl_cols=-1,
            fmt_str_lengths=60,
            tbl_hide_dataframe_shape=True,
            tbl_hide_column_data_types=True,
            tbl_width_chars=200,
            fmt_table_cell_list_len=-1,
        ):
            out.write(f"{df}\n({df.height} rows)\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")


# ----------------------------------------------------------------------------- formatting
#: Column labels used when the caller gives none (otherwise: underscores become spaces).
DEFAULT_LABELS: dict[str, str] = {
    "n": "n",
    "k": "k",
    "df": "df",
    "df1": "df (numerator)",
    "df2": "df (denominator)",
    "study_id": "study",
    "se": "SE",
    "i2": "I² (%)",
    "tau2": "τ²",
    "q": "Q",
    "z": "z",
    "p_val": "p",
    "q_p": "p (Q)",
    "qm_p": "p (moderators)",
    "r2": "R² (%)",
    "chi2": "χ²",
    "auc": "AUC",
    "auc_macro_ovr": "test AUC",
    "sha256": "SHA-256",
}


#: Codes whose words are not just the code with spaces (field names of the study table).
VALUE_WORDS: dict[str, str] = {
    "tl_approach": "transfer approach",
    "model_category": "model category",
    "anatomical_region": "anatomical region",
    "backbone_most_used": "most used backbone family",
    "backbone_family_studies": "backbone family (studies)",
    "size_band": "data-set size",
    "n_images": "images",
    "log10_n_images": "log10 images",
    "dataset_public": "data set public",
    "compared_with_experts": "compared with experts",
    "xray": "X-ray",
    "ct": "CT",
    "mri": "MRI",
    "oct": "OCT",
    "pet": "PET",
    "auc": "AUC",
}


def words(name: str) -> str:
    """A snake_case name or code as words (``tl_approach`` -> ``transfer approach``,
    ``fine_tuning`` -> ``fine tuning``)."""
    s = str(name).strip()
    return VALUE_WORDS.get(s, s.replace("_", " "))


def label_of(column: str, labels: Mapping[str, str] | None = None) -> str:
    """The column label: ``labels[column]``, a default label, or the name in words."""
    if column in DEFAULT_LABELS and not (labels and column in labels):
        return DEFAULT_LABELS[column]
    text = labels[column] if labels and column in labels else words(column)
    return _capitalise(text)


def _capitalise(text: str) -> str:
    """First letter upper case, except one-letter statistical symbols (n, k, p)."""
    if len(text) == 1 or text.split(" ")[0] in ("n", "k", "p", "df", "z"):
        return text
    if not ("a" <= text[:1] <= "z"):  # τ², I², numbers: as written
        return text
    return text[:1].upper() + text[1:]


def _is_missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_number(x: Any, digits: int = 3) -> str:
    """A number for a reader: ``digits`` significant digits, a dash for a missing value.

    Integers keep every digit (thousands separated from 10,000 up, so years stay ``2019``);
    floats of 10^digits and more are rounded to an integer, small ones below 0.001 use an
    exponent (``7.63e-6``). ``True``/``False`` read ``yes``/``no``.
    """
    if _is_missing(x):
        return DASH
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return f"{x:,}" if abs(x) >= 10_000 else str(x)
    x = float(x)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    a = abs(x)
    if a == 0:
        return "0"
    if a >= 10**digits:
        return fmt_number(int(round(x)), digits)
    if a >= 1e-3:
        s = f"{x:#.{digits}g}"
        s = s.rstrip(".") if s.endswith(".") else s
    else:
        mant, exp = f"{x:.{digits - 1}e}".split("e")
        s = f"{mant}e{int(exp)}"
    return s.replace("-", "−")


def fmt_p(p: Any, digits: int = 3) -> str:
    """A p value: :func:`fmt_number`, or ``< 0.0001`` below that."""
    if _is_missing(p):
        return DASH
    return "< 0.0001" if float(p) < 1e-4 else fmt_number(float(p), digits)


def fmt_interval(low: Any, high: Any, digits: int = 3, percent: bool = False) -> str:
    """An interval as ``[low, high]`` (a dash when both ends are missing)."""
    if _is_missing(low) and _is_missing(high):
        return DASH
    f = 100.0 if percent else 1.0
    lo = DASH if _is_missing(low) else fmt_number(f * float(low), digits)
    hi = DASH if _is_missing(high) else fmt_number(f * float(high), digits)
    return f"[{lo}, {hi}]" + (" %" if percent else "")


def _smart_quotes(s: str) -> str:
    out, opened = [], False
    for ch in s:
        if ch == '"':
            out.append("”" if opened else "“")
            opened = not opened
        else:
            out.append(ch)
    s = "".join(out)
    if s.startswith("'"):
        s = "‘" + s[1:]
    return s


def fmt_value(x: Any, digits: int = 3) -> str:
    """Any cell value as text: numbers by :func:`fmt_number`, lists joined with commas,
    mappings as ``key: value`` pairs in words, strings with typographic quotes."""
    if _is_missing(x):
        return DASH
    if isinstance(x, bool | int | float):
        return fmt_number(x, digits)
    if isinstance(x, Mapping):
        return "; ".join(f"{words(k)}: {fmt_value(v, digits)}" for k, v in x.items()) or DASH
    if isinstance(x, list | tuple | pl.Series):
        items = [fmt_value(v, digits) for v in x if not _is_missing(v)]
        return ", ".join(items) if items else DASH
    s = str(x).strip()
    return _smart_quotes(s) if s else DASH


def _is_p_column(name: str) -> bool:
    n = name.lower()
    return n in ("p", "pval", "p_value") or n.startswith("p_") or n.endswith("_p")


def _interval_pairs(columns: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    """``{low column: (merged key, low, high)}`` for ``X_low``/``X_high`` pairs of CIs/PIs."""
    pairs = {}
    for c in columns:
        for kind in ("ci", "pi"):
            suffix = f"{kind}_low"
            if c.endswith(suffix):
                prefix = c[: -len(suffix)]
                high = f"{prefix}{kind}_high"
                if high in columns:
                    pairs[c] = (f"{prefix}{kind}", c, high)
    return pairs


def _to_polars(df: Any) -> pl.DataFrame:
    if isinstance(df, pl.DataFrame):
        return df
    if isinstance(df, pl.LazyFrame):
        return df.collect()
    # A pandas frame can exist only when pandas is already imported: no import needed here.
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(df, pd.DataFrame):
        named = [n for n in (df.index.names or []) if n is not None]
        return pl.from_pandas(df.reset_index() if named else df)
    raise TypeError(f"expected a polars or pandas DataFrame, got {type(df).__name__}")


def _integral(s: pl.Series) -> bool:
    vals = s.drop_nulls().drop_nans() if s.dtype.is_float() else s.drop_nulls()
    return (
        vals.len() > 0 and bool((vals.round(0) == vals).all()) and bool((vals.abs() < 1e15).all())
    )


def format_frame(
    df: Any,
    labels: Mapping[str, str] | None = None,
    *,
    digits: int = 3,
    percent: Sequence[str] = (),
    as_words: Sequence[str] = (),
    level: float | None = 0.95,
    hide: Sequence[str] = (),
) -> pl.DataFrame:
    """Every cell of ``df`` as the text a reader sees (a frame of strings, labels as names).

    Parameters
    ----------
    df
        A polars or pandas DataFrame (a named pandas index becomes columns).
    labels
        Column labels (``{column: label}``); other columns get :func:`label_of`. A merged
        interval is labelled by its key: ``ci`` for ``ci_low``/``ci_high``, ``tau2_ci`` for
        ``tau2_ci_low``/``tau2_ci_high``, ``pi`` for ``pi_low``/``pi_high``.
    digits
        Significant digits of floats.
    percent
        Columns of proportions shown as percentages (``0.448`` -> ``44.8 %``).
    as_words
        Columns of codes shown in words (``feature_extractor`` -> ``feature extractor``).
    level
        Confidence level named in the labels of merged intervals (``95 % CI``); ``None``
        names none.
    hide
        Columns left out.

    Returns
    -------
    polars.DataFrame
        One String column per shown column, in order, named by its label.
    """
    d = _to_polars(df).drop([c for c in hide if c in _to_polars(df).columns])
    pairs = _interval_pairs(d.columns)
    highs = {h for _, _, h in pairs.values()}
    lvl = "" if level is None else f"{100 * level:g} % "
    out: dict[str, list[str]] = {}
    for c in d.columns:
        if c in highs:
            continue
        if c in pairs:
            key, lo, hi = pairs[c]
            prefix = key[:-2].rstrip("_")
            kind = key[-2:].upper()
            default = f"{lvl}{kind}" if not prefix else f"{label_of(prefix, labels)} {lvl}{kind}"
            name = labels[key] if labels and key in labels else default
            pct = lo in percent
            out[name] = [fmt_interval(a, b, digits, pct) for a, b in zip(d[lo], d[hi], strict=True)]
            continue
        s = d[c]
        name = label_of(c, labels)
        if c in percent:
            vals = [DASH if _is_missing(v) else f"{fmt_number(100 * v, digits)} %" for v in s]
        elif _is_p_column(c) and s.dtype.is_numeric():
            vals = [fmt_p(v, digits) for v in s]
        elif s.dtype.is_float() and _integral(s):
            vals = [DASH if _is_missing(v) else fmt_number(int(round(v))) for v in s]
        elif c in as_words:
            vals = [DASH if _is_missing(v) else words(fmt_value(v, digits)) for v in s]
        else:
            vals = [fmt_value(v, digits) for v in s.to_list()]
        if name in out:
            raise ValueError(f"two columns would both be labelled {name!r}; pass labels")
        out[name] = vals
    return pl.DataFrame(out, schema=dict.fromkeys(out, pl.String))


# ----------------------------------------------------------------------------- rendering
_ITABLES_LOADED = False


@dataclass(frozen=True)
class Table:
    """A formatted table ready to display (``_repr_html_``) or embed (:attr:`html`)."""

    html: str
    frame: pl.DataFrame = field(repr=False)
    caption: str = ""
    source: str = ""
    interactive: bool = False

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"Table({self.caption!r}, {self.frame.height} rows, source {self.source!r})"


def _numeric_like(values: Sequence[str]) -> bool:
    seen = False
    for v in values:
        if v == DASH:
            continue
        t = v.replace("−", "-").replace(",", "").removesuffix(" %").replace("< ", "")
        try:
            float(t)
        except ValueError:
            return False
        seen = True
    return seen


def _static_html(shown: pl.DataFrame) -> str:
    # great_tables: the report's static tables only (about 1 s to import; the CLI's writer in
    # this module must start without it)
    from great_tables import GT, loc, style

    right = [c for c in shown.columns if _numeric_like(shown[c].to_list())]
    intervals = [c for c in shown.columns if _interval_like(shown[c].to_list())]
    gt = (
        GT(shown)
        .cols_align("right", columns=right)
        .cols_align("left", columns=[c for c in shown.columns if c not in right])
        .tab_style(style.text(weight="bold"), loc.column_labels())
        .tab_options(
            table_font_size="14px",
            column_labels_font_size="14px",
            data_row_padding="4px",
            table_margin_left="0px",
            table_margin_right="0px",
        )
    )
    if intervals or right:  # keep "[a, b]", "< 0.0001" and numbers on one line
        gt = gt.tab_style(style.text(whitespace="nowrap"), loc.body(columns=intervals + right))
    return gt.as_raw_html()


def _interval_like(values: Sequence[str]) -> bool:
    vals = [v for v in values if v != DASH]
    return bool(vals) and all(v.startswith("[") and v.rstrip(" %").endswith("]") for v in vals)


_DT_CSS = (
    "<style>.tlr-table table.dataTable{margin-left:0 !important;font-size:14px}"
    ".tlr-table table.dataTable td{vertical-align:top}"
    ".tlr-table table.dataTable td.tlr-long{min-width:26em;max-width:40em;white-space:normal}"
    ".tlr-table table.dataTable td.tlr-nowrap{white-space:nowrap}</style>"
)


def _interactive_html(shown: pl.DataFrame, page_length: int) -> str:
    global _ITABLES_LOADED
    # itables: the report's interactive tables only (about 2 s to import, with pandas)
    from itables import options as itables_options
    from itables.javascript import generate_init_offline_itables_html, to_html_datatable

    numeric = [i for i, c in enumerate(shown.columns) if _numeric_like(shown[c].to_list())]
    # columns of sentences get room to wrap instead of being squeezed into a tall sliver
    long = [i for i, c in enumerate(shown.columns)
            if (shown[c].str.len_chars().mean() or 0) > 30]  # fmt: skip
    # Nulls go to the browser as nulls (DataTables' type detection treats them as empty, so a
    # numeric column still sorts as numbers) and are drawn as a dash.
    data = shown.with_columns(pl.col(c).replace(DASH, None) for c in shown.columns)
    parts = [_DT_CSS]
    if not _ITABLES_LOADED:
        # The DataTables bundle, inlined once per page: the book works without a network.
        parts.append(generate_init_offline_itables_html(itables_options.dt_bundle))
        _ITABLES_LOADED = True
    parts.append(
        to_html_datatable(
            data,
            connected=False,
            showIndex=False,
            show_dtypes=False,
            maxBytes=0,
            maxColumns=0,
            pageLength=page_length,
            lengthMenu=[page_length, 25, 50, 100],
            classes="display compact cell-border",
            columnDefs=[
                {"targets": "_all", "defaultContent": DASH},
                {"targets": numeric, "className": "dt-right tlr-nowrap"},
                {"targets": long, "className": "tlr-long"},
            ],
            order=[],
            display_logo_when_loading=False,
        )
    )
    return "\n".join(parts)


def show_table(
    df: Any,
    caption: str,
    *,
    source: str,
    labels: Mapping[str, str] | None = None,
    digits: int = 3,
    percent: Sequence[str] = (),
    as_words: Sequence[str] = (),
    level: float | None = 0.95,
    hide: Sequence[str] = (),
    interactive: bool | None = None,
    page_length: int = 10,
    note: str | None = None,
) -> Table:
    """Show a table in the report (the one table helper of the book).

    Parameters
    ----------
    df
        A polars or pandas DataFrame: raw numbers, unrounded (formatting happens here).
    caption
        What the table shows, in a sentence.
    source
        The file or function the numbers come from (``results/guideline/verdicts.csv``,
        ``review.stats.trends.trend_tests``), printed under the table.
    labels, digits, percent, as_words, level, hide
        Formatting, as in :func:`format_frame`.
    interactive
        ``True``: search, sort and pages (itables' DataTables, inlined for offline reading);
        ``False``: a static great_tables table; ``None`` (default): interactive when the
        table has more than :data:`MAX_STATIC_ROWS` rows.
    page_length
        Rows per page of an interactive table.
    note
        A further sentence printed with the source (e.g. what a dash means here).

    Returns
    -------
    Table
        Displays itself in a notebook (``_repr_html_``); the HTML is :attr:`Table.html`.
        Both kinds scroll sideways inside their own box when wider than the page.
    """
    if not caption or not source:
        raise ValueError("show_table needs a caption and the source of its numbers")
    shown = format_frame(
        df, labels, digits=digits, percent=percent, as_words=as_words, level=level, hide=hide
    )
    inter = shown.height > MAX_STATIC_ROWS if interactive is None else interactive
    if shown.width == 0:
        body = "<p><em>No columns to show.</em></p>"
    elif shown.height == 0:
        body = "<p><em>No rows.</em></p>"
    elif inter:
        body = _interactive_html(shown, page_length)
    else:
        body = _static_html(shown)
    extra = f" {html.escape(note)}" if note else ""
    out = (
        '<div class="tlr-table" style="margin: 0.5em 0 1.5em 0; max-width: 100%;">'
        f'<p class="tlr-caption" style="margin-bottom: 0.3em;"><strong>Table.</strong> '
        f"{html.escape(caption)}</p>"
        f'<div class="tlr-scroll" style="overflow-x: auto; max-width: 100%;">{body}</div>'
        '<p class="tlr-source" style="font-size: 0.85em; color: #555; margin-top: 0.3em;">'
        f"Source: <code>{html.escape(source)}</code>.{extra}</p></div>"
    )
    return Table(html=out, frame=shown, caption=caption, source=source, interactive=inter)


# ----------------------------------------------------------------------------- claim cards
#: Config values of the claims' arms in words (``reproduce/claims/claims.yaml``).
ARM_WORDS: dict[str, dict[str, str]] = {
    "approach": {
        "feature_extractor": "frozen backbone as a feature extractor (only a new classifier "
        "layer trained)",
        "feature_extractor_hybrid": "frozen backbone's features fed to a separate classifier "
        "(SVM or random forest)",
        "fine_tuning": "fine-tuning only the top blocks",
        "fine_tuning_from_scratch": "fine-tuning all layers from pretrained weights",
        "scratch": "training from random initialisation (no transfer)",
    },
    "category": {"deep": "deep backbones", "shallow": "shallow backbones"},
    "source": {
        "imagenet": "ImageNet weights",
        "cifar10": "CIFAR-10 pretraining",
        "random": "random initial weights",
    },
    "arch": {
        "efficientnet_lite0": "EfficientNet-Lite0",
        "efficientnet_lite1": "EfficientNet-Lite1",
        "efficientnet_lite2": "EfficientNet-Lite2",
        "resnet18": "ResNet-18",
        "resnet50": "ResNet-50",
        "squeezenet1_1": "SqueezeNet 1.1",
        "alexnet": "AlexNet",
        "densenet121": "DenseNet-121",
        "vgg16": "VGG-16",
    },
    "uap_source": {
        "natural": "perturbation made from natural images (CIFAR-10)",
        "training": "perturbation made from the medical training images",
        "random": "random noise of the same norm",
    },
}


def arm_in_words(arm: Mapping[str, Any]) -> str:
    """One arm of a claim (a row filter such as ``{approach: fine_tuning, k_blocks: 2}``)
    in words: ``fine-tuning only the top 2 blocks``."""
    parts = []
    for key, value in arm.items():
        if key == "k_blocks":
            continue
        if key == "approach" and value == "fine_tuning" and "k_blocks" in arm:
            parts.append(f"fine-tuning only the top {arm['k_blocks']} blocks")
        elif key in ARM_WORDS and str(value) in ARM_WORDS[key]:
            parts.append(ARM_WORDS[key][str(value)])
        elif key == "resolution":
            parts.append(f"{value} px images")
        elif key == "dataset":
            parts.append(f"data set {value}")
        else:
            parts.append(f"{words(key)} {words(fmt_value(value))}")
    if "k_blocks" in arm and not ("approach" in arm and arm["approach"] == "fine_tuning"):
        parts.append(f"top {arm['k_blocks']} blocks")
    return ", ".join(parts) if parts else "every run"


_RULES = {
    "superiority": "superiority: supported if the whole CI lies above 0, contradicted if it "
    "lies below 0",
    "noninferiority": "non-inferiority with margin {margin}: supported if the CI's lower end is "
    "above −{margin}, contradicted if its upper end is below −{margin}",
    "below": "ratio below {threshold}: supported if the CI's upper end is below {threshold}, "
    "contradicted if its lower end is above it",
    "within": "within ±{margin} of the published value on every data set",
    "slope_negative": "supported if the CI of the slope of the paired gap on log(training "
    "fraction) lies below 0",
}
_EFFECTS = {
    "below": "geometric-mean ratio of {metric} (a / b)",
    "slope_negative": "slope of the {metric} gap (a − b) per unit log(training fraction)",
}
_METRIC_WORDS = {
    "auc_macro_ovr": "test AUC",
    "accuracy": "test accuracy",
    "balanced_accuracy": "balanced accuracy",
    "compute_s": "compute time",
    "fooling_rate": "fooling rate",
}


def _param(x: Any) -> str:
    return DASH if _is_missing(x) else f"{float(x):g}".replace("-", "−")


@dataclass(frozen=True)
class Card:
    """A rendered claim card; displays itself in a notebook."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def claim_card(row: Mapping[str, Any], claim: Mapping[str, Any] | None = None) -> Card:
    """A short card for one claim: the claim in words, its verdict, the arms, the result.

    Parameters
    ----------
    row
        The claim's verdict, a row of :func:`reproduce.claims.verdicts.evaluate_claims` or of
        ``results/<suite>/verdicts.csv``: ``claim_id, statement, metric, decision, verdict``
        and, where estimated, ``estimate, ci_low, ci_high, conf_level, n_pairs, n_unpaired,
        p_wilcoxon, mean_a, mean_b, margin, threshold, detail``.
    claim
        The claim's entry of ``reproduce/claims/claims.yaml`` (for its ``arms`` and ``source``);
        without it the arms are not shown.

    Returns
    -------
    Card
        HTML with the verdict's colour and badge (:data:`VERDICT_COLOURS`);
        ``Card.text`` is the same content as plain text.
    """
    verdict = str(row.get("verdict") or "not_run")
    colour = VERDICT_COLOURS.get(verdict, "#6e6e6e")
    badge_text = "#ffffff" if verdict in ("supported", "contradicted", "inconclusive") else "#111"
    metric = _METRIC_WORDS.get(str(row.get("metric")), words(row.get("metric") or "metric"))
    dec = str(row.get("decision") or "")
    rule = _RULES.get(dec, words(dec)).format(
        margin=_param(row.get("margin")), threshold=_param(row.get("threshold"))
    )
    items: list[tuple[str, str]] = []
    arms = (claim or {}).get("arms") or {}
    if arms:
        items.append(
            ("Compared", "; ".join(f"arm {k}: {arm_in_words(v)}" for k, v in arms.items()))
        )
    est = row.get("estimate")
    if verdict == "not_run":
        items.append(("Result", f"not run ({row.get('detail') or 'no runs of these arms'})"))
    elif _is_missing(est):
        items.append(("Result", words(VERDICT_WORDS.get(verdict, verdict))))
    else:
        what = _EFFECTS.get(dec, "mean paired difference in {metric} (a − b)").format(metric=metric)
        level = row.get("conf_level")
        lvl = f"{100 * float(level):g} %" if not _is_missing(level) else "95 %"
        res = (
            f"{what} = {fmt_number(est)}, {lvl} CI "
            f"{fmt_interval(row.get('ci_low'), row.get('ci_high'))}"
        )
        n = row.get("n_pairs")
        if not _is_missing(n):
            res += f", {int(n)} pairs"
        p = row.get("p_wilcoxon")
        if not _is_missing(p):
            ps = fmt_p(p)
            res += f"; Wilcoxon p {ps}" if ps.startswith("<") else f"; Wilcoxon p = {ps}"
        items.append(("Result", res))
        if not _is_missing(row.get("mean_a")) and not _is_missing(row.get("mean_b")):
            items.append(
                (
                    "Arm means",
                    f"arm a {fmt_number(row['mean_a'])}, arm b {fmt_number(row['mean_b'])} "
                    f"({metric}{', seconds' if row.get('metric') == 'compute_s' else ''})",
                )
            )
    items.append(("Rule", rule))
    if (claim or {}).get("source"):
        items.append(("Claim from", str(claim["source"])))
    cid = html.escape(str(row.get("claim_id", "")))
    plain = str(row.get("statement") or (claim or {}).get("statement") or "")
    statement = html.escape(plain)
    lis = "".join(f"<li><strong>{html.escape(k)}:</strong> {html.escape(v)}</li>" for k, v in items)
    badge = html.escape(VERDICT_WORDS.get(verdict, words(verdict)).upper())
    out = (
        f'<div class="tlr-card tlr-verdict-{html.escape(verdict)}" style="border-left: 6px '
        f"solid {colour}; background: #f7f8fa; padding: 0.6em 1em; margin: 0.8em 0; "
        'border-radius: 4px;">'
        f'<p style="margin: 0 0 0.3em 0;"><span style="background: {colour}; color: '
        f"{badge_text}; font-weight: bold; padding: 0.1em 0.5em; border-radius: 3px; "
        f'font-size: 0.85em; letter-spacing: 0.03em;">{badge}</span> '
        f"<strong>{cid}</strong></p>"
        f'<p style="margin: 0 0 0.4em 0;">{statement}</p>'
        f'<ul style="margin: 0; padding-left: 1.2em;">{lis}</ul></div>'
    )
    text = "\n".join(
        [f"{row.get('claim_id', '')}: {badge}", plain, *(f"- {k}: {v}" for k, v in items)]
    )
    return Card(out, text)
