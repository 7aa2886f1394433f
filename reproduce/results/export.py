"""Export a collected suite's provenance and verdicts beside its results table.

``python -m reproduce.results.export --profile cpu`` writes ``configs.jsonl``, ``env.json``,
``pretrain_cifar10.json`` and ``verdicts.csv`` beside ``results/guideline/results.parquet``
(:func:`export_bundle`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
from collections.abc import Sequence
from pathlib import Path

import polars as pl
import yaml

from reproduce.claims.verdicts import evaluate_claims
from reproduce.engine.io import atomic_write_json, atomic_write_text
from review import paths
from review.errors import USER_ERRORS, InputError

__all__ = ["SUITE", "export_bundle", "main"]

#: The suite whose results are exported.
SUITE = "guideline"


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def export_bundle(
    profile: str,
    *,
    out_dir: Path | None = None,
    runs_root: Path | None = None,
    commands: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> list[Path]:
    """Write the provenance and verdicts beside ``results.parquet`` (run ``collect`` first).

    Files: ``configs.jsonl`` (each run's resolved config and identity, from its
    ``config.yaml``), ``env.json`` (the distinct run environments, the hardware and the
    commands), ``pretrain_cifar10.json`` (recipe and CIFAR-10 test accuracy of every
    ``cifar10`` checkpoint the results use) and ``verdicts.csv``
    (:func:`reproduce.claims.verdicts.evaluate_claims` on the collected rows).

    Parameters
    ----------
    profile
        The suite profile the results come from (recorded).
    out_dir
        Default ``results/guideline``.
    runs_root
        Default :func:`review.paths.runs_dir`.
    commands
        The exact commands that produced the results (recorded).
    notes
        Free-text notes recorded in ``env.json`` (e.g. what could not run).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    review.errors.InputError
        No ``results.parquet`` in ``out_dir``.
    """

    out = out_dir or paths.results_dir() / SUITE
    res_file = out / "results.parquet"
    if not res_file.is_file():
        raise InputError(f"{res_file}: not found; run `tlreview reproduce collect {SUITE}` first")
    df = pl.read_parquet(res_file)
    root = (runs_root or paths.runs_dir()) / SUITE
    written: list[Path] = []

    lines, envs = [], {}
    for rid in df["run_id"].to_list():
        cfg_file = root / rid / "config.yaml"
        if cfg_file.is_file():
            lines.append(json.dumps(yaml.safe_load(cfg_file.read_text()), sort_keys=True))
        env_file = root / rid / "env.json"
        if env_file.is_file():
            e = json.loads(env_file.read_text())
            key = json.dumps(
                {k: v for k, v in e.items() if k not in ("time_utc", "hostname")}, sort_keys=True
            )
            envs.setdefault(key, {"env": e, "runs": 0})["runs"] += 1
    written.append(atomic_write_text(out / "configs.jsonl", "".join(f"{x}\n" for x in lines)))

    devices = sorted(set(df["device_name"].drop_nulls().to_list()))
    env = {
        "suite": SUITE,
        "profile": profile,
        "hardware": {
            "kind": "CPU" if all(d == "cpu" for d in devices) else ", ".join(devices),
            "cpu_model": _cpu_model(),
            "machine": platform.machine(),
            "note": "compute_s / wall_s are CPU seconds on this shared machine, not GPU seconds",
        },
        "n_runs": df.height,
        "status_counts": dict(df.group_by("status").len().rows()),
        "first_finished_utc": df["finished_utc"].min(),
        "last_finished_utc": df["finished_utc"].max(),
        "run_environments": [
            {"runs": v["runs"], **{k: x for k, x in v["env"].items() if k != "time_utc"}}
            for v in envs.values()
        ],
        "commands": list(commands),
        "notes": list(notes),
    }
    written.append(atomic_write_json(out / "env.json", env))

    pre = []
    if "cifar10" in set(df["source"].drop_nulls().to_list()):
        # torch (through the model code) only when CIFAR-10 checkpoints are exported
        from reproduce.models.backbone import cifar10_checkpoint_path, read_pretrained

        for arch in sorted(set(df.filter(pl.col("source") == "cifar10")["arch"].to_list())):
            path = cifar10_checkpoint_path(arch)
            if path.is_file():
                ck = read_pretrained(path)
                pre.append(
                    {
                        "arch": arch,
                        "test_accuracy": ck["test_accuracy"],
                        "recipe": ck["recipe"],
                        "sha256": _sha256(path),
                    }
                )
    written.append(atomic_write_json(out / "pretrain_cifar10.json", pre))

    verdicts = evaluate_claims(df, SUITE)
    written.append(atomic_write_text(out / "verdicts.csv", verdicts.write_csv()))
    return written


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m reproduce.results.export --profile cpu [--command CMD] [--note TEXT]``."""
    ap = argparse.ArgumentParser(
        prog="python -m reproduce.results.export",
        description="Write configs.jsonl, env.json, pretrain_cifar10.json and verdicts.csv "
        "beside results/guideline/results.parquet (run `tlreview reproduce collect` first).",
    )
    ap.add_argument("--profile", required=True)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--runs-dir", type=Path, default=None)
    ap.add_argument("--command", dest="commands", action="append", default=[])
    ap.add_argument("--note", dest="notes", action="append", default=[])
    args = ap.parse_args(argv)

    try:
        for p in export_bundle(
            args.profile,
            out_dir=args.out,
            runs_root=args.runs_dir,
            commands=args.commands,
            notes=args.notes,
        ):
            print(p)
    except USER_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
