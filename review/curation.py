"""Curation records behind the study table: search log, screening, PRISMA 2020 flow, second pass.

The PRISMA counts are computed from ``data/curation/records.csv`` and ``search_log.csv``, never
typed. The second, blind coding pass is drawn with a recorded seed (``second_pass_meta.json``)
and compared field by field (``second_pass.csv``, one row per study x field).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from review import paths
from review.errors import Problem, StudyTableError
from review.schema import COLUMNS, FIELD_BY_NAME, vocabulary
from review.studies import _check_value, load_studies, validate_studies

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
#: ``query_id`` prefix of the second curation pass's look-ups (evidence, not new records).
EVIDENCE_QUERY_PREFIX = "p2-"
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
        (dict), included, evidence_queries``. ``screened = identified - duplicates_removed``
        and ``included = screened - excluded`` hold by construction of the decisions.
        ``queries`` counts the searches for records; the second curation pass's look-ups for
        evidence on included studies (``query_id`` starting :data:`EVIDENCE_QUERY_PREFIX`)
        identify no records and are counted apart as ``evidence_queries``.
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
    n_evidence = int(search_log["query_id"].str.starts_with(EVIDENCE_QUERY_PREFIX).sum())
    return {
        "queries": search_log.height - n_evidence,
        "identified": identified,
        "duplicates_removed": dups,
        "screened": identified - dups,
        "excluded": counts.get("exclude", 0),
        "excluded_by_reason": dict(by_reason.iter_rows()),
        "included": counts.get("include", 0),
        "evidence_queries": n_evidence,
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


# ---------------------------------------------------------------------------------------------
# Second curation pass (issue 15): apply the region patches to the study table
# ---------------------------------------------------------------------------------------------

#: Columns of a pass-2 change file ``<part>_changes.csv`` (one row per changed field).
PATCH_CHANGE_COLUMNS = ("study_id", "field", "before", "after", "evidence", "url", "note")
#: Columns of a pass-2 evidence file ``<part>_evidence.csv`` (one row per examined study).
PATCH_EVIDENCE_COLUMNS = ("study_id", "evidence_tl", "evidence_backbones", "url")
#: Columns of ``data/curation/pass2_log.csv`` (one row per change in effect).
PASS2_LOG_COLUMNS = (
    "part", "patch_file", "patch_row", "study_id", "field", "before", "after", "evidence", "url",
    "note",
)  # fmt: skip
#: Fields a patch may not change (the id links the table, the records and the samples).
_FROZEN_FIELDS = ("study_id",)
#: One URL, or several separated by " ; " (e.g. one for the approach, one for the backbones).
_URL_RE = r"https?://\S+(?:\s*;\s*https?://\S+)*"


def _patch_parts(patch_dir: Path) -> list[str]:
    """The part names (``a``, ``b``...) of the patch files in ``patch_dir``, sorted."""
    parts = set()
    for suffix in ("_changes.csv", "_evidence.csv", "_searches.csv"):
        parts |= {p.name[: -len(suffix)] for p in patch_dir.glob(f"*{suffix}")}
    return sorted(parts)


def _read_text_table(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a small CSV as text (header checked against ``columns``)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        problems = [
            Problem(str(path), 1, c, None, f"a column named '{c}' (required)")
            for c in columns
            if c not in header
        ] + [
            Problem(str(path), 1, c, c, "only the columns " + ", ".join(columns))
            for c in header
            if c not in columns
        ]
        if problems:
            raise StudyTableError(problems)
        return [{c: (r[c] or "") for c in columns} for r in reader]


def _read_studies_text(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.reader(fh) if r]
    return rows[0], rows[1:]


def _write_csv_text(path: Path, header: list[str] | tuple[str, ...], rows: list[list[str]]) -> None:
    """Write a CSV with minimal quoting, keeping an existing file's line ends (else LF).

    ``studies.csv`` has CRLF line ends (Python's csv module), the search log LF (polars):
    rewriting either keeps its bytes wherever its rows are unchanged.
    """
    end = "\r\n" if path.exists() and b"\r\n" in path.read_bytes()[:4096] else "\n"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=end)
    w.writerow(list(header))
    w.writerows(rows)
    text = buf.getvalue()
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_bytes(text.encode("utf-8"))


def apply_pass2(
    patch_dir: str | Path | None = None,
    studies_path: str | Path | None = None,
    search_log_path: str | Path | None = None,
    log_path: str | Path | None = None,
    records_path: str | Path | None = None,
    *,
    write: bool = True,
) -> pl.DataFrame:
    """Apply the second-pass patch files to the study table (idempotent).

    Each part ``<p>`` of ``patch_dir`` may hold ``<p>_changes.csv``
    (:data:`PATCH_CHANGE_COLUMNS`), ``<p>_evidence.csv`` (:data:`PATCH_EVIDENCE_COLUMNS`) and
    ``<p>_searches.csv`` (the search-log columns). A change is applied when the table's current
    value equals its ``before``; when the table already holds its ``after`` it counts as
    applied (so a second run changes nothing); otherwise nothing is written and the conflict is
    reported. Two patches giving one study's field different new values are a conflict, as is
    an evidence kind in ``<p>_evidence.csv`` that contradicts the ``evidence`` of the same
    study's ``tl_approach`` / ``backbones`` change; a change of those two fields without an
    evidence row sets ``evidence_tl`` / ``evidence_backbones`` from the change. The patched
    table must validate, and a changed ``source_url`` must be a page screened for the study.

    Parameters
    ----------
    patch_dir
        Folder of the patch files (default ``data/curation/pass2``).
    studies_path, search_log_path, log_path
        The study table, the search log (the searches are appended once, by ``query_id``) and
        the log of changes in effect (``PASS2_LOG_COLUMNS``) to write. Defaults: the committed
        files; the log is ``data/curation/pass2_log.csv``.
    records_path
        Screening records used to check a changed ``source_url``; default the committed
        ``records.csv`` when the committed table is patched, else no check.
    write
        ``False`` checks everything and returns the summary without writing.

    Returns
    -------
    polars.DataFrame
        One row per part: ``part, changes, applied_now, already_applied, evidence_rows,
        evidence_set_now, searches, searches_appended``.

    Raises
    ------
    StudyTableError
        Listing every problem (patch file, row, field, value, expectation); nothing is written.
    FileNotFoundError
        If ``patch_dir`` holds no patch files.

    Notes
    -----
    Every row carried ``abstract`` in both evidence fields before the second pass, so the log
    records evidence changes as ``abstract -> <kind>``.
    """
    default_table = studies_path is None
    patch_dir = Path(patch_dir) if patch_dir else paths.curation_dir() / "pass2"
    studies_path = Path(studies_path) if studies_path else paths.studies_csv()
    search_log_path = (
        Path(search_log_path) if search_log_path else paths.curation_dir() / "search_log.csv"
    )
    log_path = Path(log_path) if log_path else paths.curation_dir() / "pass2_log.csv"
    if records_path is None and default_table:
        records_path = paths.curation_dir() / "records.csv"
    parts = _patch_parts(patch_dir) if patch_dir.is_dir() else []
    if not parts:
        raise FileNotFoundError(
            f"{patch_dir}: no pass-2 patch files (<part>_changes.csv, <part>_evidence.csv, "
            "<part>_searches.csv)"
        )
    header, rows = _read_studies_text(studies_path)
    col = {c: i for i, c in enumerate(header)}
    row_of = {r[col["study_id"]]: i for i, r in enumerate(rows)}
    kinds = vocabulary("evidence")
    problems: list[Problem] = []
    claimed: dict[tuple[str, str], tuple[str, int, str]] = {}  # (sid, field) -> file, row, after
    new_values: dict[tuple[int, str], tuple[str, str, int]] = {}  # (row, field) -> value, src
    change_evidence: dict[tuple[str, str], tuple[str, str, int, str, str]] = {}
    log_rows: list[list[str]] = []
    names = ("changes", "applied_now", "already_applied", "evidence_rows", "evidence_set_now",
             "searches", "searches_appended")  # fmt: skip
    summary = {part: dict.fromkeys(names, 0) for part in parts}

    def bad(name: str, line: int, field: str, value: str | None, expected: str) -> None:
        problems.append(Problem(name, line, field, value, expected))

    def known_study(name: str, line: int, sid: str) -> bool:
        if sid not in row_of:
            bad(name, line, "study_id", sid, f"a study_id of {studies_path}")
        return sid in row_of

    def claim(name: str, line: int, sid: str, field: str, after: str) -> bool:
        prev = claimed.get((sid, field))
        if prev and prev[2] != after:
            bad(
                name,
                line,
                field if field.startswith("evidence_") else "after",
                after,
                f"no conflict: {prev[0]} row {prev[1]} sets {sid}.{field} to {prev[2]!r}",
            )
        claimed.setdefault((sid, field), (name, line, after))
        return prev is None

    def texts(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
        return list(enumerate(_read_text_table(path, columns), 2)) if path.exists() else []

    for part in parts:  # 1. field changes
        path = patch_dir / f"{part}_changes.csv"
        for line, r in texts(path, PATCH_CHANGE_COLUMNS):
            name, sid, field, after = str(path), r["study_id"], r["field"], r["after"]
            summary[part]["changes"] += 1
            if field not in COLUMNS or field in _FROZEN_FIELDS:
                bad(name, line, "field", field, "a study-table column other than "
                    + ", ".join(_FROZEN_FIELDS))  # fmt: skip
                continue
            if r["evidence"] not in kinds:
                bad(name, line, "evidence", r["evidence"], "one of: " + ", ".join(kinds))
            if not re.fullmatch(_URL_RE, r["url"]):
                bad(
                    name,
                    line,
                    "url",
                    r["url"],
                    "the URL of the source (http..., several separated by ' ; ')",
                )
            if not known_study(name, line, sid):
                continue
            current = rows[row_of[sid]][col[field]]
            if current not in (r["before"], after):
                bad(name, line, "before", r["before"], f"the table's current {sid}.{field} "
                    f"{current!r} ({studies_path}, row {row_of[sid] + 2})")  # fmt: skip
                continue
            if not claim(name, line, sid, field, after):
                continue
            summary[part]["applied_now" if current != after else "already_applied"] += 1
            new_values[(row_of[sid], field)] = (after, name, line)
            if field in ("tl_approach", "backbones"):
                change_evidence[(sid, field)] = (r["evidence"], name, line, part, r["url"])
            log_rows.append([part, path.name, str(line), sid, field, r["before"], after,
                             r["evidence"], r["url"], r["note"]])  # fmt: skip
    targets = (("evidence_tl", "tl_approach"), ("evidence_backbones", "backbones"))
    for part in parts:  # 2. evidence kinds
        path = patch_dir / f"{part}_evidence.csv"
        for line, r in texts(path, PATCH_EVIDENCE_COLUMNS):
            name, sid = str(path), r["study_id"]
            summary[part]["evidence_rows"] += 1
            if not known_study(name, line, sid):
                continue
            for field, target in targets:
                kind = r[field]
                ce = change_evidence.get((sid, target))
                if kind not in kinds:
                    bad(name, line, field, kind, "one of: " + ", ".join(kinds))
                elif ce and ce[0] != kind:
                    bad(name, line, field, kind, f"the evidence of the {target} change in "
                        f"{ce[1]} row {ce[2]} ({ce[0]!r})")  # fmt: skip
                elif kind != "abstract" and not re.fullmatch(_URL_RE, r["url"]):
                    bad(
                        name,
                        line,
                        "url",
                        r["url"],
                        f"the URL of the {kind} source (http..., several separated by ' ; ')",
                    )
                elif claim(name, line, sid, field, kind):
                    current = rows[row_of[sid]][col[field]]
                    summary[part]["evidence_set_now"] += current != kind
                    new_values[(row_of[sid], field)] = (kind, name, line)
                    if kind != "abstract":
                        log_rows.append(
                            [
                                part,
                                path.name,
                                str(line),
                                sid,
                                field,
                                "abstract",
                                kind,
                                kind,
                                r["url"],
                                f"kind of source {target} rests on",
                            ]
                        )
    for (sid, target), (kind, name, line, part, url) in change_evidence.items():
        field = dict((t, f) for f, t in targets)[target]
        if (sid, field) not in claimed and kind != "abstract":  # 3. implied by a change
            claimed[(sid, field)] = (name, line, kind)
            summary[part]["evidence_set_now"] += rows[row_of[sid]][col[field]] != kind
            new_values[(row_of[sid], field)] = (kind, name, line)
            log_rows.append([part, Path(name).name, str(line), sid, field, "abstract", kind,
                             kind, url, f"kind of source {target} rests on"])  # fmt: skip
    existing = _read_text_table(search_log_path, SEARCH_COLUMNS)  # 4. searches
    seen = {r["query_id"]: r for r in existing}
    appended: list[dict[str, str]] = []
    for part in parts:
        path = patch_dir / f"{part}_searches.csv"
        for line, r in texts(path, SEARCH_COLUMNS):
            name = str(path)
            summary[part]["searches"] += 1
            for f in ("n_results", "n_new_records"):
                if not re.fullmatch(r"\d+", r[f]):
                    bad(name, line, f, r[f], "a whole number >= 0")
            empty = [f for f in ("query_id", "corpus", "query", "date", "curator") if not r[f]]
            if empty:
                bad(name, line, empty[0], "", "a value (required)")
                continue
            prev = seen.get(r["query_id"])
            if prev is None:
                seen[r["query_id"]] = r
                appended.append(r)
                summary[part]["searches_appended"] += 1
            elif prev != r:
                bad(name, line, "query_id", r["query_id"], "a query_id that is new to the "
                    "search log, or the same row as the logged one")  # fmt: skip
    if problems:
        raise StudyTableError(problems)
    new_rows = [list(r) for r in rows]
    for (i, field), (value, _, _) in new_values.items():
        new_rows[i][col[field]] = value
    with tempfile.TemporaryDirectory() as tmp:  # 5. the patched table must validate
        patched = Path(tmp) / studies_path.name
        _write_csv_text(patched, header, new_rows)
        for p in validate_studies(patched):
            i = p.row - 2 if p.row else -1
            src = new_values.get((i, p.field or ""))
            sid = new_rows[i][col["study_id"]] if 0 <= i < len(new_rows) else "?"
            if src:
                bad(src[1], src[2], p.field, p.value, f"{p.expected} (study {sid})")
            else:
                bad(str(studies_path), p.row, p.field, p.value,
                    f"{p.expected} (study {sid}, after patching)")  # fmt: skip
    if records_path is not None and Path(records_path).exists():  # 6. URLs screened
        recs = load_records(records_path)
        for (i, field), (value, name, line) in new_values.items():
            if field != "source_url":
                continue
            sid = new_rows[i][col["study_id"]]
            rid = recs.filter(pl.col("study_id") == sid)["record_id"].to_list()
            pages = recs.filter(pl.col("record_id").is_in(rid) | pl.col("duplicate_of").is_in(rid))
            if value not in pages["url"].to_list():
                bad(name, line, "after", value, f"a URL screened for {sid} in {records_path} "
                    "(its include record or a duplicate of it)")  # fmt: skip
    if problems:
        raise StudyTableError(problems)
    if write:
        _write_csv_text(studies_path, header, new_rows)
        _write_csv_text(search_log_path, SEARCH_COLUMNS,
                        [[r[c] for c in SEARCH_COLUMNS] for r in existing + appended])  # fmt: skip
        _write_csv_text(log_path, PASS2_LOG_COLUMNS, log_rows)
    return pl.DataFrame([{"part": p, **c} for p, c in summary.items()],
                        schema={"part": pl.String, **dict.fromkeys(names, pl.Int64)})  # fmt: skip


def load_pass2_log(path: str | Path | None = None) -> pl.DataFrame:
    """Load ``data/curation/pass2_log.csv`` (one row per second-pass change in effect)."""
    path = Path(path) if path else paths.curation_dir() / "pass2_log.csv"
    return _read(path, PASS2_LOG_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Blind third-coder check after the second pass (issue 15)
# ---------------------------------------------------------------------------------------------

#: Fields the third coder re-codes from the source, blind to the table.
THIRD_PASS_FIELDS = ("year", "modality", "backbones", "model_category", "tl_approach")
#: Columns of ``data/curation/third_pass.csv`` (the third coder's own codes, one row per study).
THIRD_PASS_COLUMNS = ("study_id", "coded", "source", *THIRD_PASS_FIELDS, "evidence_tl", "note")
#: Fields whose agreement is also summarised by Cohen's kappa.
KAPPA_FIELDS = ("tl_approach", "model_category")


def draw_third_pass_sample(study_ids: list[str], n: int, seed: int) -> list[str]:
    """Draw the blind third-coder sample: ``n`` study ids, seeded, independent of the order.

    Parameters
    ----------
    study_ids
        The table's study ids (sorted before drawing).
    n
        Sample size.
    seed
        Seed of :class:`random.Random` (recorded in ``third_pass_meta.json``).

    Returns
    -------
    list of str
        Sorted sample.
    """
    pop = sorted(study_ids)
    if not 0 < n <= len(pop):
        raise ValueError(f"draw_third_pass_sample: n={n} must be in [1, {len(pop)}]")
    return sorted(random.Random(seed).sample(pop, n))


def third_pass_meta(path: str | Path | None = None) -> dict:
    """The recorded seed, size, population and drawing time of the third-coder sample."""
    path = Path(path) if path else paths.curation_dir() / "third_pass_meta.json"
    return json.loads(path.read_text(encoding="utf-8"))


def load_third_pass(path: str | Path | None = None) -> pl.DataFrame:
    """Load the third coder's codes (``data/curation/third_pass.csv``, one row per study).

    Raises
    ------
    StudyTableError
        If a coded value is not a term of its vocabulary (file, row, field named).
    """
    path = Path(path) if path else paths.curation_dir() / "third_pass.csv"
    df = _read(path, THIRD_PASS_COLUMNS)
    problems = []
    for i, r in enumerate(df.iter_rows(named=True)):
        if r["coded"] not in ("true", "false"):
            problems.append(Problem(str(path), i + 2, "coded", r["coded"], "true or false"))
        if r["coded"] != "true":
            continue
        for f in (*THIRD_PASS_FIELDS, "evidence_tl"):
            v = r[f] or ""
            why = _check_value(FIELD_BY_NAME[f], v) if v else None
            if why or (not v and FIELD_BY_NAME[f].required):
                problems.append(Problem(str(path), i + 2, f, v, why or "a value (required)"))
    if problems:
        raise StudyTableError(problems)
    return df.with_columns(pl.col("coded") == "true")


def _as_text(field: str, value) -> str:
    if value is None:
        return ""
    if field == "backbones":
        items = value if isinstance(value, list) else str(value).split(";")
        return ";".join(sorted(x for x in items if x))
    return str(value)


def third_pass_comparison(
    third: pl.DataFrame | None = None, studies: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The third coder's codes beside the table's, one row per coded study x field.

    Backbone lists are compared as sets (order does not matter).

    Returns
    -------
    polars.DataFrame
        ``study_id, field, table, third_pass, agree``.
    """
    third = load_third_pass() if third is None else third
    studies = load_studies() if studies is None else studies
    by_id = {r["study_id"]: r for r in studies.iter_rows(named=True)}
    rows = []
    for r in third.filter(pl.col("coded")).iter_rows(named=True):
        t = by_id.get(r["study_id"])
        if t is None:
            raise StudyTableError([Problem("third_pass.csv", None, "study_id", r["study_id"],
                                           "a study_id of the table")])  # fmt: skip
        for f in THIRD_PASS_FIELDS:
            a, b = _as_text(f, t[f]), _as_text(f, r[f])
            rows.append((r["study_id"], f, a, b, a == b))
    return pl.DataFrame(
        rows,
        schema={"study_id": pl.String, "field": pl.String, "table": pl.String,
                "third_pass": pl.String, "agree": pl.Boolean},
        orient="row",
    )  # fmt: skip


def third_pass_agreement(comparison: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per-field agreement of the table with the blind third coder, and overall.

    Parameters
    ----------
    comparison
        Output of :func:`third_pass_comparison` (default: of the committed files).

    Returns
    -------
    polars.DataFrame
        ``field, n, n_agree, agreement, kappa``: one row per field of
        :data:`THIRD_PASS_FIELDS` (Cohen's kappa, :func:`cohen_kappa`, for
        :data:`KAPPA_FIELDS`) and a last row ``all fields`` pooling every comparison.
    """
    cmp_ = third_pass_comparison() if comparison is None else comparison
    rows = []
    for field in THIRD_PASS_FIELDS:
        sub = cmp_.filter(pl.col("field") == field)
        if sub.height == 0:
            continue
        kappa = None
        if field in KAPPA_FIELDS:
            kappa = cohen_kappa(sub["table"].to_list(), sub["third_pass"].to_list())
        k = int(sub["agree"].sum())
        rows.append((field, sub.height, k, k / sub.height, kappa))
    if cmp_.height:
        k = int(cmp_["agree"].sum())
        rows.append(("all fields", cmp_.height, k, k / cmp_.height, None))
    return pl.DataFrame(
        rows,
        schema={"field": pl.String, "n": pl.Int64, "n_agree": pl.Int64,
                "agreement": pl.Float64, "kappa": pl.Float64},
        orient="row",
    )  # fmt: skip


def pass2_summary(log: pl.DataFrame | None = None) -> pl.DataFrame:
    """What the second pass changed: changes per field and kind of evidence.

    Parameters
    ----------
    log
        :func:`load_pass2_log` (default: the committed log).

    Returns
    -------
    polars.DataFrame
        ``field, evidence, n_changes, n_unknown_resolved`` (the last counts ``tl_approach``
        changes away from ``unclear`` and ``model_category`` changes away from ``other``),
        sorted by field and count.
    """
    log = load_pass2_log() if log is None else log
    unknown = {"tl_approach": "unclear", "model_category": "other"}
    resolved = pl.lit(False)
    for f, u in unknown.items():
        resolved = resolved | ((pl.col("field") == f) & (pl.col("before") == u)
                               & (pl.col("after") != u))  # fmt: skip
    return (
        log.with_columns(resolved.alias("_resolved"))
        .group_by("field", "evidence")
        .agg(pl.len().cast(pl.Int64).alias("n_changes"),
             pl.col("_resolved").sum().cast(pl.Int64).alias("n_unknown_resolved"))
        .sort(["field", "n_changes"], descending=[False, True])
    )  # fmt: skip


#: Columns the third coder may see before coding (bibliographic only, none of the coded fields).
WORKSHEET_COLUMNS = ("study_id", "title", "first_author", "venue", "doi", "pmid", "source_url")


def start_third_pass(
    n: int,
    seed: int,
    studies: pl.DataFrame | None = None,
    meta_path: str | Path | None = None,
    drawn_at: str | None = None,
) -> pl.DataFrame:
    """Draw the third-coder sample, record it, and return the blind worksheet.

    Parameters
    ----------
    n, seed
        Sample size and seed (:func:`draw_third_pass_sample`).
    studies
        The table (default: the committed one); only its ``study_id`` decides the sample.
    meta_path
        Where to record seed, size, population and time (default
        ``data/curation/third_pass_meta.json``); an existing record is never overwritten.
    drawn_at
        Time stamp to record (default: now, UTC).

    Returns
    -------
    polars.DataFrame
        The sampled studies with :data:`WORKSHEET_COLUMNS` only: none of the fields the third
        coder re-codes is shown.
    """
    studies = load_studies() if studies is None else studies
    meta_path = Path(meta_path) if meta_path else paths.curation_dir() / "third_pass_meta.json"
    population = sorted(studies["study_id"].to_list())
    sample = draw_third_pass_sample(population, n, seed)
    meta = {
        "seed": seed,
        "n": n,
        "drawn_at": drawn_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "method": "review.curation.draw_third_pass_sample(population, n, seed)",
        "fields": list(THIRD_PASS_FIELDS),
        "population": population,
        "sample": sample,
    }
    if meta_path.exists():
        old = json.loads(meta_path.read_text(encoding="utf-8"))
        if (old["seed"], old["n"], old["population"]) != (seed, n, population):
            raise FileExistsError(f"{meta_path}: a different third-pass sample is recorded")
    else:
        meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return studies.filter(pl.col("study_id").is_in(sample)).select(WORKSHEET_COLUMNS)
