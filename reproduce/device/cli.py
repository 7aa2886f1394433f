"""``tlreview reproduce plan|pack|unpack-pack|unpack``: the GPU path from this machine's side.

plan SUITE --profile P --device h200
    Predicted seconds of every run of a profile on one GPU (cost model), in the worker's order.
pack SUITE --profile P --out DIR
    Everything the profile needs on a bare GPU machine, in parts of at most 60 MiB.
unpack-pack PART --into DIR
    Unpack one part (on the GPU machine; plain Python, no polars) and check its checksums.
unpack OUT
    Merge the run folders a GPU call brought back into the runs folder (for ``collect``), copy
    its timing summary and environment to ``results/<suite>/device/``, and refresh the cost
    model's table from the rates it measured.

The worker itself runs as ``python3 -m reproduce.device.worker`` (or ``reproduce/device/run.sh``)
on the GPU machine: see reproduce/device/README.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tarfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import polars as pl

from reproduce.attacks.collect_v2 import collect_uap_v2
from reproduce.datasets.pack import unpack_part
from reproduce.device import cost
from reproduce.engine.plan import run_configs, suite_dir
from review import paths
from review.errors import InputError
from review.output import FORMATS, write_frame

__all__ = ["register_device", "unpack_results"]


def register_device(s: argparse._SubParsersAction) -> None:
    """Add ``plan``, ``pack``, ``unpack-pack`` and ``unpack`` to ``tlreview reproduce``."""
    pl_ = s.add_parser("plan", help="predicted GPU seconds of a profile (cost model)")
    pl_.add_argument("suite", help="suite name (reproduce/suites/NAME.yaml) or YAML path")
    pl_.add_argument("--profile", required=True, help="profile of the suite")
    pl_.add_argument("--device", default="h200", help="device key of the cost table (h200)")
    pl_.add_argument("--format", choices=(*FORMATS, "summary"), default="summary")
    pl_.set_defaults(func=_plan_cmd)

    pk = s.add_parser("pack", help="pack a profile's data and weights for a GPU machine")
    pk.add_argument("suite", help="suite name or YAML path")
    pk.add_argument("--profile", required=True)
    pk.add_argument("--out", type=Path, required=True, help="folder for part*.tar + manifest")
    pk.add_argument("--natural", type=int, default=0, help="CIFAR-10 images for UAPs (0: none)")
    pk.add_argument("--part-mib", type=int, default=60, help="part size limit (MiB)")
    pk.add_argument("--format", choices=("text", "json"), default="text")
    pk.set_defaults(func=_pack_cmd)

    up = s.add_parser("unpack-pack", help="unpack one pack part and check its checksums")
    up.add_argument("part", type=Path)
    up.add_argument("--into", type=Path, required=True)
    up.set_defaults(func=_unpack_pack_cmd)

    ur = s.add_parser("unpack", help="merge a GPU call's results (runs-*.tar.gz) into runs/")
    ur.add_argument("out", type=Path, help="the folder the GPU call wrote ($OUT, fetched)")
    ur.add_argument("--runs-dir", type=Path, default=None)
    ur.add_argument("--results-dir", type=Path, default=None, help="default results/")
    ur.add_argument("--no-refresh-costs", action="store_true")
    ur.set_defaults(func=_unpack_cmd)


def _plan_cmd(args: argparse.Namespace) -> int:
    _, planned = run_configs(args.suite, args.profile)
    planned = cost.order_seed_major(planned)
    preds = cost.predict_runs([p.config for p in planned], cost.dataset_counts, None, args.device)
    total = sum(p["seconds"] for p in preds)
    if args.format == "json":
        print(json.dumps({"predicted_total_s": round(total, 1), "runs": len(planned)}))
        return 0
    rows = [
        {
            "run_id": p.run_id,
            "dataset": p.config.dataset,
            "resolution": p.config.resolution,
            "arch": p.config.arch
            + (f"+{p.config.arch2}" if getattr(p.config, "arch2", None) else ""),
            "approach": p.config.approach,
            "k_blocks": p.config.k_blocks,
            "seed": p.config.seed,
            "lrs": len(p.config.lr_grid) or 1,
            "epochs": p.config.epochs,
            "predicted_s": round(q["seconds"], 2),
            "warm": q["warm"],
            "rate": q["rate_source"],
        }
        for p, q in zip(planned, preds, strict=True)
    ]
    if args.format == "summary":
        by: dict[str, float] = defaultdict(float)
        for r in rows:
            by[f"{r['arch']} {r['approach']}"] += r["predicted_s"]
        for k, v in sorted(by.items(), key=lambda kv: -kv[1]):
            print(f"{v:8.1f} s  {k}")
        cum, cut = 0.0, None
        for i, r in enumerate(rows):
            cum += r["predicted_s"]
            if cut is None and cum > 480:
                cut = i
        print(
            f"{args.suite}/{args.profile}: {len(rows)} runs, predicted {total:.0f} s on one "
            f"{args.device} (one warm worker, seed-major order)"
            + (f"; a 480 s budget ends before run {cut + 1}" if cut is not None else "")
        )
        return 0
    write_frame(pl.DataFrame(rows), args.format)
    return 0


def _pack_cmd(args: argparse.Namespace) -> int:
    from reproduce.device.build_pack import build_pack  # torch: the model files' locations

    _, planned = run_configs(args.suite, args.profile)
    echo = (lambda s: None) if args.format == "json" else (lambda s: print(s, file=sys.stderr))
    info = build_pack(
        args.suite,
        args.profile,
        args.out,
        configs=[p.config for p in planned],
        natural_images=args.natural,
        part_bytes=args.part_mib * 2**20,
        echo=echo,
    )
    if args.format == "json":
        print(json.dumps({"bytes": info["bytes"], "parts": info["parts"]}))
    else:
        for p in info["parts"]:
            print(f"{args.out / p['name']}  {p['bytes'] / 2**20:.1f} MiB  ({p['files']} files)")
        print(f"total {info['bytes'] / 2**20:.1f} MiB in {len(info['parts'])} part(s)")
    return 0


def _unpack_pack_cmd(args: argparse.Namespace) -> int:
    info = unpack_part(args.part, args.into)
    print(json.dumps(info))
    return 0


def unpack_results(
    out: Path,
    *,
    runs_root: Path | None = None,
    results_root: Path | None = None,
    refresh_costs: bool = True,
) -> dict[str, Any]:
    """Merge a GPU call's ``runs-*.tar.gz`` into the runs folder; keep its timing and env.

    A run folder already present with ``status = ok`` is kept (runs are identified by their
    id: the same id is the same run); others are replaced. Members are checked to stay inside
    ``<suite>/<run_id>/``.

    Returns
    -------
    dict
        ``{"added", "kept", "suites", "timing": [paths]}``.
    """
    out = Path(out)
    tars = sorted(out.glob("runs-*.tar.gz"))
    if (
        not tars
        and not list(out.glob("timing-*.json"))
        and not (out / "uap_v2-rows.jsonl").exists()
    ):
        raise InputError(f"{out}: no runs-*.tar.gz or timing-*.json: not the output of a GPU call")
    runs_root = runs_root or paths.runs_dir()
    results_root = results_root or paths.ROOT / "results"
    added, kept, suites = 0, 0, set()
    for t in tars:
        # One gzip member (one small tar) per run: read past each end-of-archive marker.
        with tarfile.open(t, "r:gz", ignore_zeros=True) as tar:
            members = tar.getmembers()
            folders: dict[tuple[str, str], list[tarfile.TarInfo]] = defaultdict(list)
            for m in members:
                parts = Path(m.name).parts
                if len(parts) != 3 or ".." in parts or m.name.startswith("/") or not m.isfile():
                    raise InputError(f"{t}: unexpected member {m.name!r} (suite/run_id/file)")
                folders[(parts[0], parts[1])].append(m)
            for (suite, rid), ms in folders.items():
                suites.add(suite)
                final = suite_dir(suite, runs_root) / rid
                if _status_of(final) == "ok":
                    kept += 1
                    continue
                tmp = final.parent / f".unpack-{rid}"
                shutil.rmtree(tmp, ignore_errors=True)
                tmp.mkdir(parents=True)
                for m in ms:
                    src = tar.extractfile(m)
                    assert src is not None
                    (tmp / Path(m.name).name).write_bytes(src.read())
                if final.exists():
                    shutil.rmtree(final)
                tmp.rename(final)
                added += 1
    timing = []
    for f in sorted(out.glob("timing-*.json")):
        summary = json.loads(f.read_text())
        suite = summary["suite"]
        dest = results_root / suite / "device"
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest / f.name)
        if (out / "env.json").is_file():
            shutil.copyfile(out / "env.json", dest / "env.json")
        if (out / "worker.log").is_file():
            shutil.copyfile(out / "worker.log", dest / "worker.log")
        timing.append(str(dest / f.name))
        if refresh_costs:
            _refresh_costs(summary, out)
    uap = None
    if (out / "uap_v2-rows.jsonl").is_file():  # the attack step of the same call
        uap = collect_uap_v2(out, results_root)
    return {"added": added, "kept": kept, "suites": sorted(suites), "timing": timing, "uap": uap}


def _status_of(folder: Path) -> str | None:
    try:
        return json.loads((folder / "result.json").read_text()).get("status")
    except (OSError, ValueError, AttributeError):
        return None


def _refresh_costs(summary: dict[str, Any], out: Path) -> None:
    env = json.loads((out / "env.json").read_text()) if (out / "env.json").is_file() else {}
    gpu = str(env.get("gpu_name") or "")
    if "H200" not in gpu:
        return
    shapes: dict[tuple[str, int, int], list[float]] = defaultdict(list)
    for r in summary.get("runs", []):
        # only runs whose network is the architecture alone measure its rate
        if r.get("steady_img_s") and r.get("approach") in cost.RATE_APPROACHES:
            shapes[(r["arch"], int(r["resolution"]), int(r["batch_size"]))].append(
                float(r["steady_img_s"])
            )
    measured = [
        {
            "arch": a,
            "resolution": res,
            "batch_size": bs,
            "train_img_s": sorted(v)[len(v) // 2],
        }
        for (a, res, bs), v in shapes.items()
    ]
    source = f"measured: {gpu}, torch {env.get('torch')}, tlreview {env.get('git_sha', '')[:10]}"
    cost.refresh_table(measured, "h200", source)


def _unpack_cmd(args: argparse.Namespace) -> int:
    info = unpack_results(
        args.out,
        runs_root=args.runs_dir,
        results_root=args.results_dir,
        refresh_costs=not args.no_refresh_costs,
    )
    print(
        f"unpacked: {info['added']} run(s) added, {info['kept']} already complete "
        f"({', '.join(info['suites']) or 'no suite'}); timing: {', '.join(info['timing'])}"
    )
    return 0
