"""Time validating and loading a large study table, against the 3-second goal of issue 11.

Usage::

    .venv/bin/python benchmarks/bench_studies.py [--rows 100000] [--repeats 3]

The table is SYNTHETIC: the valid test rows of ``tests/conftest.py`` repeated with distinct
ids and DOIs (varying approach, modality and backbones; every third title quoted, with a comma,
quotes and a line break), written to a temporary CSV. One CPU core
(``os.sched_setaffinity``). Printed, in one process: the time of ``validate_studies`` and of
``load_studies`` (validation + typed DataFrame, what the CLI's ``studies validate`` runs) on
``--rows`` rows and on a baseline of ``--rows / 10`` rows, their ratio (about 10 when the time
is proportional to the rows), and the ratio to the goal.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GOAL_S = 3.0


def write_table(path: Path, n: int) -> None:
    """Write ``n`` valid SYNTHETIC rows."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from conftest import synthetic_rows

    from review.schema import COLUMNS

    base = synthetic_rows(3)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for i in range(n):
            row = dict(base[i % 3])
            row["study_id"] = f"synthetic_{row['year']}_b{i}"
            row["doi"] = f"10.0000/synthetic.b{i}"
            if i % 3 == 0:  # quoted cells, as real titles with commas and quotes need
                row["title"] = f'Synthetic study {i}, "quoted"\nand on two lines'
            w.writerow(row)


def best_of(func, repeats: int) -> float:
    """Best wall time of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        func()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    """Run the benchmark and print the timings."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from review.studies import load_studies, validate_studies

    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.csv", Path(tmp) / "small.csv"
        n_small = max(1, args.rows // 10)
        write_table(big, args.rows)
        write_table(small, n_small)
        assert validate_studies(big) == [], "the synthetic table must be valid"
        v_small = best_of(lambda: validate_studies(small), args.repeats)
        v_big = best_of(lambda: validate_studies(big), args.repeats)
        l_small = best_of(lambda: load_studies(small), args.repeats)
        l_big = best_of(lambda: load_studies(big), args.repeats)
    print(f"table: SYNTHETIC, {args.rows} rows (baseline {n_small} rows); best of "
          f"{args.repeats}; 1 core")  # fmt: skip
    print(f"validate_studies: {v_big:.2f} s (baseline {v_small:.3f} s, ratio "
          f"{v_big / v_small:.1f} for {args.rows / n_small:.0f}x the rows)")  # fmt: skip
    print(f"load_studies (validate + load, as `studies validate`): {l_big:.2f} s (baseline "
          f"{l_small:.3f} s, ratio {l_big / l_small:.1f}); ratio to the {GOAL_S:.0f} s goal: "
          f"{l_big / GOAL_S:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
