"""Time the statistics (a 121-row study table; ``tlreview meta`` at scale) on one CPU core.

Usage::

    .venv/bin/python benchmarks/bench_stats.py [--rows 121] [--repeats 3] [--figures]
        [--meta-k 100000] [--no-meta] [--meta-only]

Meta-analysis at scale (issue 11): ``meta_summary`` (what ``tlreview meta`` computes: REML
pooling with Q-profile CIs and prediction interval, Egger-type test, Begg's test, trim-and-fill
and leave-one-out) on a SYNTHETIC effect set of ``--meta-k`` studies (seeded: ``vi ~ U(0.01,
0.5)``, ``yi ~ N(0.3, vi + 0.05)``), plus reading it from a CSV file as the CLI does. A baseline
of ``--meta-k / 10`` studies runs in the same process; printed are both times, their ratio,
the ratio to the 10-second goal, and the peak memory of each (``tracemalloc``, a separate run)
with their ratio (about 10 when memory is proportional to k).

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
META_GOAL_S = 10.0


def main() -> int:
    """Run the benchmark and print the timings."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=121)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--figures", action="store_true", help="also time drawing the figures")
    ap.add_argument("--meta-k", type=int, default=100_000, help="studies in the meta benchmark")
    ap.add_argument("--no-meta", action="store_true", help="skip the meta-analysis benchmark")
    ap.add_argument("--meta-only", action="store_true", help="only the meta-analysis benchmark")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    warnings.simplefilter("ignore")
    if not args.meta_only:
        bench_tables(args)
    if not args.no_meta:
        bench_meta(args.meta_k)
    return 0


def bench_meta(k: int) -> None:
    """Time and measure ``tlreview meta`` (REML, every secondary analysis) at k and k / 10."""
    import csv
    import tempfile
    import tracemalloc
    from pathlib import Path

    import numpy as np

    from review.commands.analysis import meta_summary, read_effect_sizes

    def data(n: int) -> tuple[list[float], list[float]]:
        rng = np.random.default_rng(20221)
        v = rng.uniform(0.01, 0.5, n)
        return list(rng.normal(0.3, np.sqrt(v + 0.05))), list(v)

    meta_summary(*data(50))  # warm the lazy imports
    rows = {}
    for n in (max(3, k // 10), k):
        y, v = data(n)
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "es.csv"
            with f.open("w", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(["yi", "vi"])
                w.writerows(zip(y, v, strict=True))
            t = time.perf_counter()
            read_effect_sizes(f, "yi", "vi")
            t_read = time.perf_counter() - t
        t = time.perf_counter()
        res = meta_summary(y, v, "REML", "z")
        t_meta = time.perf_counter() - t
        tracemalloc.start()
        meta_summary(y, v, "REML", "z")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        missing = [key for key, val in res.items() if val is None]
        rows[n] = (t_read, t_meta, peak, missing, res["notes"])
    (n0, base), (n1, big) = sorted(rows.items())
    print(f"meta (SYNTHETIC effects, REML, z, every secondary analysis), k = {n1:,} vs baseline "
          f"k = {n0:,} in the same process:")  # fmt: skip
    for n, (t_read, t_meta, peak, missing, notes) in sorted(rows.items()):
        print(f"  k = {n:>9,}: read CSV {t_read:.2f} s, analyses {t_meta:.2f} s, total "
              f"{t_read + t_meta:.2f} s; peak memory {peak / 2**20:.1f} MiB "
              f"({peak / n:.0f} B/study); null keys: {missing or 'none'}; notes: "
              f"{notes or 'none'}")  # fmt: skip
    total = big[0] + big[1]
    print(f"  time ratio k/baseline: {total / (base[0] + base[1]):.1f} (k ratio {n1 / n0:.0f}); "
          f"memory ratio: {big[2] / base[2]:.1f}")  # fmt: skip
    print(f"  k = {n1:,} total {total:.2f} s: ratio to the {META_GOAL_S:.0f} s goal "
          f"{total / META_GOAL_S:.2f}")  # fmt: skip


def bench_tables(args: argparse.Namespace) -> None:
    """Time every table of ``tlreview analyze`` on the study table (the original benchmark)."""

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


if __name__ == "__main__":
    raise SystemExit(main())
