"""Time every statistical analysis on a 121-row study table on one CPU core.

Usage::

    .venv/bin/python benchmarks/bench_stats.py [--rows 121] [--repeats 3] [--figures]

The committed table is used when it has at least ``--rows`` rows (the first ``--rows`` of
them); otherwise a SYNTHETIC table of that size is bootstrapped from the committed rows, or
drawn from the schema when the committed table is empty (``review.stats.synthetic``). The
process is pinned to one core (``os.sched_setaffinity``) and BLAS threads are limited to one
before numpy is imported. Printed: the cold time (first run, including imports of the
statistics modules), the best of ``--repeats`` warm runs of ``run_tables`` (every table of
``tlreview analyze``), optionally the figures, and the ratio to the 5-second goal.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

GOAL_S = 5.0


def main() -> int:
    """Run the benchmark and print the timings."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=121)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--figures", action="store_true", help="also time drawing the figures")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    warnings.simplefilter("ignore")

    t0 = time.perf_counter()
    from review.stats.analyze import AnalysisConfig, run_figures, run_tables
    from review.stats.synthetic import synthetic_studies
    from review.studies import load_studies

    t_import = time.perf_counter() - t0
    committed = load_studies()
    if committed.height >= args.rows:
        studies, label = committed.head(args.rows), f"committed table (first {args.rows} rows)"
    elif committed.height:
        studies = synthetic_studies(args.rows, seed=0, base=committed)
        label = f"SYNTHETIC: {args.rows} rows bootstrapped from the {committed.height} committed"
    else:
        studies = synthetic_studies(args.rows, seed=0)
        label = f"SYNTHETIC: {args.rows} rows drawn from the schema (committed table is empty)"
    cfg = AnalysisConfig()
    t1 = time.perf_counter()
    tables = run_tables(studies, cfg)
    first = time.perf_counter() - t1
    cold = time.perf_counter() - t0

    warm = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        run_tables(studies, cfg)
        warm.append(time.perf_counter() - t)
    best = min(warm)
    print(f"table: {label}")
    print(f"cores: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}")
    print(
        f"tables computed: {len(tables)}; meta-analysed studies: "
        f"{tables['effect_sizes'].height if tables['effect_sizes'].width else 0}"
    )
    print(
        f"imports: {t_import:.2f} s; first run of all analyses (lazy imports of statsmodels "
        f"etc. included): {first:.2f} s"
    )
    print(
        f"cold total (imports + load + first run): {cold:.2f} s  (ratio to {GOAL_S:.0f} s "
        f"goal: {cold / GOAL_S:.2f})"
    )
    print(
        f"warm run, best of {args.repeats}: {best:.2f} s  (ratio to {GOAL_S:.0f} s goal: "
        f"{best / GOAL_S:.2f})"
    )
    if args.figures:
        import matplotlib.pyplot as plt

        t = time.perf_counter()
        figs, _ = run_figures(studies, cfg)
        for f in figs.values():
            f.canvas.draw()
            plt.close(f)
        print(f"figures ({len(figs)}, drawn, not saved): {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
