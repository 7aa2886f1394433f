"""``tlreview studies``: validate, list, count and query the study table."""

from __future__ import annotations

import argparse
import json
import sys

import polars as pl

from review import query
from review.curation import apply_pass2, load_records, load_search_log, prisma_flow
from review.errors import InputError
from review.output import FORMATS, write_frame
from review.studies import StudyTableError, load_studies


def _add_common(p: argparse.ArgumentParser, fmt: bool = True) -> None:
    p.add_argument(
        "--studies",
        metavar="PATH",
        default=None,
        help="study table CSV (default: the committed data/studies.csv)",
    )
    if fmt:
        p.add_argument("--format", choices=FORMATS, default="table", help="output format")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``studies`` group to the CLI."""
    p = sub.add_parser(
        "studies",
        help="validate, list, count and query the study table",
        description="Validate, list, count and query the study table.",
    )
    s = p.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)

    v = s.add_parser("validate", help="check a study table and list every problem")
    v.add_argument(
        "path", nargs="?", default=None, help="CSV file (default: the committed data/studies.csv)"
    )
    v.add_argument("--format", choices=FORMATS, default="table", help="output format")
    v.set_defaults(func=_validate)

    ls = s.add_parser(
        "list",
        help="list studies, optionally filtered",
        description="List studies. Example: tlreview studies list --where "
        "\"year >= 2019 AND modality = 'xray'\" --contains backbones=resnet50 "
        "--columns study_id,year,backbones",
    )
    ls.add_argument("--where", help="SQL condition over the study columns")
    ls.add_argument(
        "--contains",
        action="append",
        default=[],
        metavar="FIELD=TERM",
        help="keep studies whose list field contains TERM (repeatable)",
    )
    ls.add_argument("--columns", help="comma-separated columns to show")
    ls.add_argument(
        "--all",
        action="store_true",
        help="every column in the table view (default: a compact view; csv/json have all)",
    )
    _add_common(ls)
    ls.set_defaults(func=_list)

    c = s.add_parser("count", help="count studies by one field, or cross-tabulate two")
    c.add_argument("by", help="field to count by (list fields count each term)")
    c.add_argument("by2", nargs="?", default=None, help="second field: cross-tabulate")
    c.add_argument(
        "--where",
        help="SQL condition over the study columns, applied first "
        "(e.g. \"evidence_tl = 'full_text'\")",
    )
    _add_common(c)
    c.set_defaults(func=_count)

    q = s.add_parser("sql", help="run SQL over the tables studies, study_backbones, backbones")
    q.add_argument("query", help='e.g. "SELECT modality, COUNT(*) AS n FROM studies GROUP BY 1"')
    q.add_argument(
        "--limit",
        type=_positive_int,
        default=query.DEFAULT_LIMIT,
        metavar="N",
        help=f"most rows to print (default {query.DEFAULT_LIMIT:,}); queries are also "
        f"cancelled after {query.DEFAULT_TIMEOUT_S:g} s",
    )
    _add_common(q)
    q.set_defaults(func=_sql)

    pr = s.add_parser(
        "prisma",
        help="PRISMA 2020 flow counts computed from data/curation/",
        description="Print the PRISMA 2020 flow (records identified, duplicates removed, "
        "screened, excluded by reason, included), computed from the curation records.",
    )
    pr.add_argument("--records", default=None, help="records CSV (default data/curation/)")
    pr.add_argument("--search-log", default=None, help="search log CSV (default data/curation/)")
    pr.add_argument("--format", choices=FORMATS, default="table", help="output format")
    pr.set_defaults(func=_prisma)

    ap = s.add_parser(
        "apply-pass2",
        help="apply the second-pass patch files to the study table (idempotent)",
        description="Apply data/curation/pass2/<part>_changes.csv and <part>_evidence.csv to "
        "data/studies.csv (each change's 'before' must match the table; conflicts are refused "
        "with file, row and field), append <part>_searches.csv to the search log and write "
        "data/curation/pass2_log.csv. Running it again changes nothing.",
    )
    ap.add_argument("--patches", metavar="DIR", default=None, help="patch folder")
    ap.add_argument("--studies", metavar="PATH", default=None, help="study table to patch")
    ap.add_argument("--search-log", default=None, help="search log CSV to append to")
    ap.add_argument("--log", default=None, help="where to write the log of applied changes")
    ap.add_argument("--check", action="store_true", help="check only; write nothing")
    ap.add_argument("--format", choices=FORMATS, default="table", help="output format")
    ap.set_defaults(func=_apply_pass2)


def _validate(args: argparse.Namespace) -> int:
    target = args.path or "data/studies.csv"
    try:
        n = load_studies(args.path).height  # validates once, then loads the checked rows
    except StudyTableError as exc:
        for p in exc.problems:
            print(f"error: {p}", file=sys.stderr)
        print(f"{target}: {len(exc.problems)} problem(s)", file=sys.stderr)
        return 2
    if args.format == "json":
        print(f'{{"path": "{target}", "valid": true, "n_studies": {n}}}')
    elif args.format == "csv":
        print(f"path,valid,n_studies\n{target},true,{n}")
    else:
        print(f"{target}: valid ({n} studies)")
    return 0


def _list(args: argparse.Namespace) -> int:
    contains = {}
    for item in args.contains:
        field, sep, term = item.partition("=")
        if not sep or not field or not term:
            raise InputError(f"--contains {item!r}: expected FIELD=TERM, e.g. backbones=resnet50")
        contains[field] = term
    cols = [c.strip() for c in args.columns.split(",")] if args.columns else None
    compact = cols is None and not args.all and args.format == "table"
    df = query.filter_studies(
        load_studies(args.studies),
        where=args.where,
        contains=contains,
        columns=list(COMPACT_STUDY_COLUMNS) if compact else cols,
    )
    write_frame(df, args.format)
    if compact:
        print("(compact view: --all or --columns for other columns)", file=sys.stderr)
    return 0


#: Columns of the default table view of ``tlreview studies list`` (28 columns do not fit).
COMPACT_STUDY_COLUMNS = (
    "study_id",
    "year",
    "modality",
    "anatomical_region",
    "task",
    "backbones",
    "tl_approach",
    "best_approach",
    "metric",
    "value",
)


def _count(args: argparse.Namespace) -> int:
    df = load_studies(args.studies)
    if args.where:
        df = query.filter_studies(df, where=args.where)
    out = query.count_by(args.by, df) if args.by2 is None else query.crosstab(args.by, args.by2, df)
    write_frame(out, args.format)
    return 0


def _prisma(args: argparse.Namespace) -> int:

    flow = prisma_flow(load_records(args.records), load_search_log(args.search_log))
    if args.format == "json":
        print(json.dumps(flow, indent=1))
        return 0
    rows = [(k, v) for k, v in flow.items() if k != "excluded_by_reason"]
    rows += [(f"excluded: {k}", v) for k, v in flow["excluded_by_reason"].items()]
    write_frame(pl.DataFrame(rows, schema=["step", "n"], orient="row"), args.format)
    return 0


def _positive_int(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number >= 1")
    return int(text)


def _sql(args: argparse.Namespace) -> int:
    query.check_select(args.query)  # refuse before loading anything
    out, cut = query.sql_limited(args.query, load_studies(args.studies), limit=args.limit)
    write_frame(out, args.format)
    if cut:
        print(
            f"note: more than {args.limit:,} rows match; the first {args.limit:,} are shown "
            "(raise --limit to see more)",
            file=sys.stderr,
        )
    return 0


def _apply_pass2(args: argparse.Namespace) -> int:
    summary = apply_pass2(
        args.patches, args.studies, args.search_log, args.log, write=not args.check
    )
    write_frame(summary, args.format)
    return 0
