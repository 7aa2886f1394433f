"""A cost model of reproduction runs on a GPU: predicted seconds from steps and measured rates.

Each run's seconds are predicted from the images it must push through the network (training
epochs x training images x learning rates tried, plus the validation and test passes, or one
feature-extraction pass for the frozen approaches) divided by a committed table of measured
rates per (device, architecture, resolution, batch size): ``reproduce/device/step_times.csv``.
A rate missing from the table is scaled from the nearest measured resolution of the same
architecture by the pixel ratio (a conservative guess: small images rarely fill the GPU).
A per-run fixed cost and one warm-up per (architecture, resolution, batch size) in a worker's
life are added.

The later designs (issue #18): a fusion run pushes each image through both backbones (their
seconds per image add); ``cnn_transformer_frozen`` extracts the CNN's feature maps once and
trains the token mixer on them, ``cnn_transformer_finetune`` adds the mixer's seconds per image
to the CNN's. The mixer's rate (:data:`MIXER_TRAIN_IMG_S`) is a guess until a GPU measures it.

The table is seeded with the bare train-step rates of issue #19 and refreshed from the timing
summary of every GPU run (:func:`refresh_table`).

This module imports neither polars nor torch.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reproduce.datasets.registry import get_spec

__all__ = [
    "RATE_APPROACHES",
    "RUN_OVERHEAD_S",
    "StepTime",
    "TABLE",
    "dataset_counts",
    "load_table",
    "order_seed_major",
    "predict_run",
    "predict_runs",
    "refresh_table",
]

TABLE = Path(__file__).resolve().parent / "step_times.csv"
#: Fixed cost of one run (model build, FLOP count, writing the run folder), seconds.
RUN_OVERHEAD_S = 0.7
#: Seconds to fit a head on cached features (L-BFGS over a small C grid) or a hybrid classifier.
HEAD_FIT_S = 2.0
HYBRID_FIT_S = 8.0
FROZEN = ("feature_extractor", "feature_extractor_hybrid", "fusion_frozen")
#: Approaches whose steady training rate is that of the architecture alone (backbone + linear
#: head): only their measurements refresh the table (a fusion or CNN + transformer run's rate is
#: not the rate of ``arch``).
RATE_APPROACHES = ("fine_tuning", "fine_tuning_from_scratch", "scratch")
#: The token mixer of ``cnn_transformer_*`` (<= 50 tokens x 192 wide, 2 layers) on one H200,
#: images/s for training and inference. A GUESS (launch-bound small kernels), not a measurement:
#: the worker's timing summary of a first GPU run replaces it in a later edit.
MIXER_TRAIN_IMG_S = 20000.0
MIXER_INFER_IMG_S = 60000.0
_COLUMNS = (
    "device",
    "arch",
    "resolution",
    "batch_size",
    "train_img_s",
    "infer_img_s",
    "warmup_s",
    "source",
)


@dataclass(frozen=True)
class StepTime:
    """Measured throughput of one (device, arch, resolution, batch size)."""

    device: str
    arch: str
    resolution: int
    batch_size: int
    train_img_s: float
    infer_img_s: float
    warmup_s: float
    source: str


def load_table(path: Path | None = None) -> list[StepTime]:
    """Read the step-time table (default :data:`TABLE`)."""
    rows = []
    with (path or TABLE).open(newline="") as f:
        for r in csv.DictReader(f):
            rows.append(
                StepTime(
                    r["device"],
                    r["arch"],
                    int(r["resolution"]),
                    int(r["batch_size"]),
                    float(r["train_img_s"]),
                    float(r["infer_img_s"]),
                    float(r["warmup_s"]),
                    r["source"],
                )
            )
    return rows


def _rate(table: Sequence[StepTime], device: str, arch: str, res: int, bs: int) -> StepTime:
    cands = [t for t in table if t.device == device and t.arch == arch]
    if not cands:
        # Unknown architecture: half the slowest measured one (a guess, said as such).
        base = [t for t in table if t.device == device]
        if not base:
            raise ValueError(f"no step times for device {device!r} in {TABLE}")
        slow = min(base, key=lambda t: t.train_img_s * (t.resolution / res) ** 2)
        scale = 0.5 * min(1.0, (slow.resolution / res) ** 2)
        return StepTime(
            device,
            arch,
            res,
            bs,
            slow.train_img_s * scale,
            slow.infer_img_s * scale,
            30.0,
            "guess",
        )

    def dist(t: StepTime) -> tuple[float, float]:
        return (abs(math.log(t.resolution / res)), abs(math.log(t.batch_size / bs)))

    best = min(cands, key=dist)
    if best.resolution == res and best.batch_size == bs:
        return best
    scale = min(1.0, (best.resolution / res) ** 2) if res > best.resolution else 1.0
    return StepTime(
        device,
        arch,
        res,
        bs,
        best.train_img_s * scale,
        best.infer_img_s * scale,
        best.warmup_s,
        f"scaled from {best.resolution} px batch {best.batch_size}",
    )


def dataset_counts(name: str) -> dict[str, int]:
    """Training/validation/test sizes of a registered data set (for predictions without data).

    Data sets without an official split use the engine's 70/10/20 split of the published count.
    """
    spec = get_spec(name)
    c = dict(spec.expected_counts)
    total = sum(c.values())
    if "val" in c and "train" in c:
        return {"train": c["train"], "val": c["val"], "test": c.get("test", 0)}
    return {"train": int(0.7 * total), "val": int(0.1 * total), "test": int(0.2 * total)}


def predict_run(
    cfg: Any,
    counts: dict[str, int],
    table: Sequence[StepTime],
    device: str = "h200",
    *,
    warm: bool = True,
) -> dict[str, Any]:
    """Predicted seconds of one run.

    Parameters
    ----------
    cfg
        A resolved :class:`~reproduce.engine.config.RunConfig` (``resolution`` set).
    counts
        ``{"train", "val", "test"}`` sizes of the data set.
    table
        Step times (:func:`load_table`).
    device
        Device key of the table (``h200``).
    warm
        Whether the worker has already paid the warm-up of this (arch, resolution, batch) (for
        a fusion, of both architectures; otherwise both warm-ups are added).

    Returns
    -------
    dict
        ``seconds``, ``train_images`` (images pushed through training), ``rate_source``.
    """
    res = int(cfg.resolution or 224)
    bs = int(cfg.batch_size)
    archs = [cfg.arch] + ([cfg.arch2] if getattr(cfg, "arch2", None) else [])
    rates = [_rate(table, device, a, res, bs) for a in archs]
    # Several networks in one step (fusion: two backbones, one after the other): the times add.
    train_rate = 1.0 / sum(1.0 / r.train_img_s for r in rates)
    infer_rate = 1.0 / sum(1.0 / r.infer_img_s for r in rates)
    n_train = max(1, int(round(counts["train"] * float(cfg.train_fraction))))
    n_val, n_test = counts["val"], counts["test"]
    lrs = len(cfg.lr_grid) or 1
    if cfg.approach in FROZEN:
        seconds = (counts["train"] + n_val + n_test) / infer_rate
        seconds += HYBRID_FIT_S if cfg.approach == "feature_extractor_hybrid" else HEAD_FIT_S
        train_images = 0
    elif cfg.approach == "cnn_transformer_frozen":
        # the CNN's feature maps once (the training fraction), then the mixer on them
        seconds = (n_train + n_val + n_test) / infer_rate
        train_images = cfg.epochs * n_train * lrs
        seconds += train_images / MIXER_TRAIN_IMG_S
        seconds += (lrs * cfg.epochs * n_val + n_test) / MIXER_INFER_IMG_S
    else:
        if cfg.approach == "cnn_transformer_finetune":
            train_rate = 1.0 / (1.0 / train_rate + 1.0 / MIXER_TRAIN_IMG_S)
            infer_rate = 1.0 / (1.0 / infer_rate + 1.0 / MIXER_INFER_IMG_S)
        train_images = cfg.epochs * n_train * lrs
        seconds = train_images / train_rate
        seconds += lrs * cfg.epochs * n_val / infer_rate + n_test / infer_rate
    seconds += RUN_OVERHEAD_S + (0.0 if warm else sum(r.warmup_s for r in rates))
    source = "; ".join(dict.fromkeys(r.source for r in rates))
    if cfg.approach.startswith("cnn_transformer"):
        source += "; token mixer: guessed rate"
    return {"seconds": seconds, "train_images": train_images, "rate_source": source}


def _shape_keys(cfg: Any) -> set[tuple[str, int, int]]:
    """The (arch, resolution, batch) shapes a run warms up: both backbones of a fusion."""
    archs = [cfg.arch] + ([cfg.arch2] if getattr(cfg, "arch2", None) else [])
    return {(a, int(cfg.resolution or 0), int(cfg.batch_size)) for a in archs}


def predict_runs(
    configs: Iterable[Any],
    counts_of: Any,
    table: Sequence[StepTime] | None = None,
    device: str = "h200",
) -> list[dict[str, Any]]:
    """Predictions for runs executed in order by one worker (each shape warms up once).

    Parameters
    ----------
    configs
        Resolved configs in execution order.
    counts_of
        Callable ``dataset name -> counts`` (default-style :func:`dataset_counts`).
    table, device
        As :func:`predict_run`.

    Returns
    -------
    list of dict
        One prediction per config (``seconds``, ``train_images``, ``rate_source``, ``warm``).
    """
    table = list(table) if table is not None else load_table()
    seen: set[tuple[str, int, int]] = set()
    out = []
    for cfg in configs:
        keys = _shape_keys(cfg)
        warm = keys <= seen
        seen |= keys
        p = predict_run(cfg, counts_of(cfg.dataset), table, device, warm=warm)
        out.append({**p, "warm": warm})
    return out


def refresh_table(
    measured: Iterable[dict[str, Any]], device: str, source: str, path: Path | None = None
) -> int:
    """Replace or add the table's rows with rates measured by a GPU worker.

    Parameters
    ----------
    measured
        Rows with ``arch, resolution, batch_size, train_img_s, infer_img_s, warmup_s``
        (the ``rates`` of a worker's timing summary).
    device
        Device key (``h200``).
    source
        Provenance written in the ``source`` column (card, torch version, date, commit).
    path
        Default :data:`TABLE`.

    Returns
    -------
    int
        Rows written or replaced.
    """
    path = path or TABLE
    rows = {(t.device, t.arch, t.resolution, t.batch_size): t for t in load_table(path)}
    n = 0
    for m in measured:
        if not m.get("train_img_s") and not m.get("infer_img_s"):
            continue
        key = (device, m["arch"], int(m["resolution"]), int(m["batch_size"]))
        old = rows.get(key)
        train = float(m.get("train_img_s") or (old.train_img_s if old else 0.0))
        rows[key] = StepTime(
            device,
            m["arch"],
            int(m["resolution"]),
            int(m["batch_size"]),
            train,
            float(m.get("infer_img_s") or (old.infer_img_s if old else 3.0 * train)),
            float(m.get("warmup_s") or (old.warmup_s if old else 15.0)),
            source,
        )
        n += 1
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(_COLUMNS)
        for t in sorted(
            rows.values(), key=lambda t: (t.device, t.arch, t.resolution, t.batch_size)
        ):
            w.writerow(
                [
                    t.device,
                    t.arch,
                    t.resolution,
                    t.batch_size,
                    f"{t.train_img_s:.0f}",
                    f"{t.infer_img_s:.0f}",
                    f"{t.warmup_s:.1f}",
                    t.source,
                ]
            )
    return n


def order_seed_major(planned: Sequence[Any]) -> list[Any]:
    """The worker's order: stable by seed, the suite's grid order (claim priority) within a seed.

    A time budget that runs out then loses the last seeds of every claim, not whole claims.
    """
    return sorted(planned, key=lambda p: p.config.seed)
