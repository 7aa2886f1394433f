"""Benchmark the device-resident training pipeline against conventional input pipelines.

In ONE process, on the SAME configuration (model, data, resolution, batch size, epochs,
augmentation: random flips and random square crops of 72-100 % of the area, resized), it trains:

(a) reference style: torch ``DataLoader`` with 0 workers, PIL transforms per image, fp32 (like
    MedMNIST's reference training script);
(b) tuned conventional: as many workers as CPU cores, pinned memory, bf16 autocast and
    channels-last on CUDA;
(c) this project's pipeline (:mod:`reproduce.engine.train`): the data set on the device as uint8,
    batched resize + augmentation on the device, bf16 + channels-last on CUDA;
(d) the bare model on synthetic tensors already on the device (the ceiling for (c)).

It prints training images/s of each, the ratios c/a, c/b, c/d and the test accuracy and AUC of
(a)-(c) after the same training. The issue's setting (CUDA): ResNet-18 at 224 px from the 28 px
PneumoniaMNIST arrays::

    python benchmarks/bench_pipeline.py --device cuda --epochs 3

A tiny CPU run (numbers NOT representative of a GPU)::

    python benchmarks/bench_pipeline.py --device cpu --quick

Data: PneumoniaMNIST from ``TLREVIEW_DATA_DIR`` (or a device pack, ``TLREVIEW_PACK_DIR``) when
available, else the engine's SYNTHETIC data
set (``--dataset synthetic``). ``--json PATH`` also writes the numbers as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reproduce.engine.device import resolve_device  # noqa: E402
from reproduce.engine.env import environment  # noqa: E402
from reproduce.engine.train import (
    DeviceArrays,
    ImagePrep,
    classification_metrics,
    fit,
    predict,
    synchronize,
)

MIN_AREA = 0.85**2  # ImagePrep's min_scale (side) as an area fraction


class Normalize(nn.Module):
    """Map RGB in [0, 1] to [-1, 1] (the model's first step in every pipeline)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - 0.5) / 0.5


def make_model(arch: str, n_classes: int, seed: int) -> nn.Module:
    """The same freshly initialised torchvision model for every pipeline."""
    import torchvision

    torch.manual_seed(seed)
    return nn.Sequential(Normalize(), torchvision.models.get_model(arch, num_classes=n_classes))


class PILDataset(Dataset):
    """Per-image PIL transforms over uint8 arrays (the conventional pipeline)."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, resolution: int, train: bool):
        from torchvision import transforms as T

        self.images, self.labels = images, labels
        steps: list[Any] = []
        if train:
            steps += [
                T.RandomResizedCrop(resolution, scale=(MIN_AREA, 1.0), ratio=(1.0, 1.0)),
                T.RandomHorizontalFlip(),
            ]
        else:
            steps += [T.Resize((resolution, resolution))]
        steps += [
            T.Grayscale(num_output_channels=3)
            if images.shape[-1] == 1
            else T.Lambda(lambda im: im),
            T.ToTensor(),
        ]
        self.tf = T.Compose(steps)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int]:
        a = self.images[i]
        im = Image.fromarray(a[..., 0] if a.shape[-1] == 1 else a)
        return self.tf(im), int(self.labels[i])


def _loader(ds: Dataset, bs: int, workers: int, pin: bool, shuffle: bool, seed: int) -> DataLoader:
    g = torch.Generator()
    g.manual_seed(seed)
    return DataLoader(
        ds,
        batch_size=bs,
        shuffle=shuffle,
        num_workers=workers,
        pin_memory=pin,
        persistent_workers=workers > 0,
        generator=g,
        drop_last=False,
    )


def train_conventional(
    model: nn.Module,
    data: dict,
    args: argparse.Namespace,
    device: str,
    *,
    workers: int,
    tuned: bool,
) -> dict[str, Any]:
    """Train with a DataLoader; return images/s (training) and test metrics."""
    cuda = device.startswith("cuda")
    amp = tuned and cuda
    pin = tuned and cuda
    model = model.to(device)
    if tuned and cuda:
        model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    tr = _loader(
        PILDataset(data["x_train"], data["y_train"], args.resolution, True),
        args.batch_size,
        workers,
        pin,
        True,
        args.seed,
    )
    n_img, seconds = 0, 0.0
    for epoch in range(args.epochs):
        model.train()
        synchronize(device)
        t0 = time.perf_counter()
        for xb, yb in tr:
            xb = xb.to(device, non_blocking=pin)
            yb = yb.to(device, non_blocking=pin)
            if tuned and cuda:
                xb = xb.contiguous(memory_format=torch.channels_last)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
                loss = F.cross_entropy(model(xb).float(), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            n_img += len(yb)
        synchronize(device)
        if epoch > 0 or args.epochs == 1:  # epoch 1 of several: warm-up, not timed
            seconds += time.perf_counter() - t0
        else:
            n_img = 0
    te = _loader(
        PILDataset(data["x_test"], data["y_test"], args.resolution, False),
        2 * args.batch_size,
        workers,
        pin,
        False,
        args.seed,
    )
    model.eval()
    probs = []
    with torch.no_grad():
        for xb, _ in te:
            xb = xb.to(device)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
                probs.append(torch.softmax(model(xb).float(), 1).cpu())
    p = torch.cat(probs).numpy()
    return {"images_per_s": n_img / seconds, **classification_metrics(data["y_test"], p)}


def train_device(
    model: nn.Module, data: dict, args: argparse.Namespace, device: str
) -> dict[str, Any]:
    """Train with this project's pipeline (reproduce.engine.train.fit)."""
    cuda = device.startswith("cuda")
    model = model.to(device)
    if cuda:
        model = model.to(memory_format=torch.channels_last)
    prep = ImagePrep(args.resolution, augment=True, channels_last=cuda)
    dtr = DeviceArrays.from_images(data["x_train"], data["y_train"], data["ids_train"], device)
    dte = DeviceArrays.from_images(data["x_test"], data["y_test"], data["ids_test"], device)
    step = torch.compile(model) if args.compile else None
    times: list[float] = []
    res = fit(
        model,
        dtr,
        dte,
        prep=prep,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        schedule="constant",
        seed=args.seed,
        device=device,
        restore_best=False,
        on_epoch=lambda r: times.append(r["train_seconds"]),
        step_fn=step,
    )
    timed = times[1:] if len(times) > 1 else times  # epoch 1 of several is the warm-up
    ips = len(dtr) * len(timed) / sum(timed)
    probs = predict(model, dte, prep, batch_size=2 * args.batch_size, device=device)
    del res
    return {"images_per_s": ips, **classification_metrics(data["y_test"], probs)}


def bare_model(
    model: nn.Module, args: argparse.Namespace, device: str, n_classes: int, compiled: bool = False
) -> dict[str, Any]:
    """Training throughput on synthetic tensors already on the device (SYNTHETIC input)."""
    cuda = device.startswith("cuda")
    model = model.to(device)
    if cuda:
        model = model.to(memory_format=torch.channels_last)
    fwd = torch.compile(model) if compiled else model
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    x = torch.rand(args.batch_size, 3, args.resolution, args.resolution, device=device)
    if cuda:
        x = x.contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, n_classes, (args.batch_size,), device=device)

    def step() -> None:
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=cuda):
            loss = F.cross_entropy(fwd(x).float(), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    model.train()
    for _ in range(args.warmup_steps):
        step()
    synchronize(device)
    t0 = time.perf_counter()
    for _ in range(args.bare_steps):
        step()
    synchronize(device)
    return {"images_per_s": args.bare_steps * args.batch_size / (time.perf_counter() - t0)}


def load_data(args: argparse.Namespace) -> tuple[dict[str, np.ndarray], str]:
    """Train/test uint8 arrays (N, H, W, C) at native resolution."""
    name = args.dataset
    if name == "auto":
        real = os.environ.get("TLREVIEW_DATA_DIR") or os.environ.get("TLREVIEW_PACK_DIR")
        name = "pneumoniamnist" if real else "synthetic"
    if name.startswith("synthetic"):
        from reproduce.datasets.synthetic import synthetic_splits

        s = synthetic_splits(name)
    else:
        from reproduce.datasets.load import load_data as load_any  # a device pack, or the data

        s = load_any(name)
    d = {
        "x_train": s.train.images,
        "y_train": np.asarray(s.train.labels).reshape(-1),
        "ids_train": np.asarray(s.train.ids),
        "x_test": s.test.images,
        "y_test": np.asarray(s.test.labels).reshape(-1),
        "ids_test": np.asarray(s.test.ids),
    }
    if args.n_train:
        rng = np.random.default_rng(0)
        for split, n in (("train", args.n_train), ("test", args.n_test)):
            idx = np.sort(rng.permutation(len(d[f"y_{split}"]))[:n])
            for k in ("x", "y", "ids"):
                d[f"{k}_{split}"] = d[f"{k}_{split}"][idx]
    d["n_classes"] = len(s.classes)
    return d, name


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table (returns 0)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--device", default="auto")
    ap.add_argument(
        "--quick",
        action="store_true",
        help="tiny CPU-sized setting: 32 px, 512 train / 256 test images, 2 epochs",
    )
    ap.add_argument("--dataset", default="auto", help="pneumoniamnist, synthetic, ... (auto)")
    ap.add_argument("--arch", default="resnet18")
    ap.add_argument("--resolution", type=int, default=224)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument(
        "--epochs",
        type=int,
        default=3,
        help="training epochs; the first of several is an untimed warm-up",
    )
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="workers of the tuned baseline (default: CPU cores)",
    )
    ap.add_argument("--n-train", type=int, default=0, help="subsample the training set")
    ap.add_argument("--n-test", type=int, default=0)
    ap.add_argument("--bare-steps", type=int, default=50)
    ap.add_argument("--warmup-steps", type=int, default=5)
    ap.add_argument(
        "--compile",
        action="store_true",
        help="also torch.compile the model in (c) and report compiled bare speed",
    )
    ap.add_argument(
        "--threads",
        type=int,
        default=0,
        help="torch CPU threads (default: torch's; --quick uses 1, which is stable "
        "on a shared machine)",
    )
    ap.add_argument("--skip", default="", help="comma list of a,b,c,d to skip")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.quick:
        args.resolution, args.batch_size, args.epochs = 32, 64, 2
        args.n_train, args.n_test = args.n_train or 512, args.n_test or 256
        args.bare_steps, args.warmup_steps = 16, 8
        args.threads = args.threads or 1
    if args.threads:
        torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    if device == "cpu":
        torch.manual_seed(args.seed)
    data, name = load_data(args)
    k = data["n_classes"]
    skip = set(filter(None, args.skip.split(",")))
    env = environment(device)
    print(
        f"device {device} ({env['gpu_name'] or 'cpu'}), torch {env['torch']}, "
        f"{os.cpu_count()} CPU cores, {torch.get_num_threads()} torch thread(s); "
        f"{args.arch} at {args.resolution} px from "
        f"{data['x_train'].shape[1]} px {name} arrays; {len(data['y_train'])} train / "
        f"{len(data['y_test'])} test images; batch {args.batch_size}; {args.epochs} epoch(s)"
    )
    out: dict[str, Any] = {
        "config": {k2: (str(v) if isinstance(v, Path) else v) for k2, v in vars(args).items()},
        "dataset": name,
        "env": env,
        "results": {},
    }
    runs = [
        (
            "a",
            "reference (DataLoader, 0 workers, PIL, fp32)",
            lambda m: train_conventional(m, data, args, device, workers=0, tuned=False),
        ),
        (
            "b",
            f"tuned ({args.workers} workers, pinned, bf16, channels_last)",
            lambda m: train_conventional(m, data, args, device, workers=args.workers, tuned=True),
        ),
        (
            "c",
            "this pipeline (device-resident uint8, batched GPU resize/augment)",
            lambda m: train_device(m, data, args, device),
        ),
        (
            "d",
            "bare model (synthetic tensors on the device)",
            lambda m: bare_model(m, args, device, k),
        ),
    ]
    if args.compile:
        runs.append(
            (
                "d_compiled",
                "bare model, torch.compile",
                lambda m: bare_model(m, args, device, k, compiled=True),
            )
        )
    for key, label, fn in runs:
        if key in skip:
            continue
        t0 = time.perf_counter()
        r = fn(make_model(args.arch, k, args.seed))
        r["label"], r["wall_s"] = label, time.perf_counter() - t0
        out["results"][key] = r
        acc = (
            f"  test acc {r['accuracy']:.4f}  auc {r['auc_macro_ovr']:.4f}"
            if "accuracy" in r
            else ""
        )
        print(f"({key}) {label:62s} {r['images_per_s']:10.1f} img/s{acc}", flush=True)
    res = out["results"]
    ratios = {}
    for other in ("a", "b", "d"):
        if "c" in res and other in res:
            ratios[f"c/{other}"] = res["c"]["images_per_s"] / res[other]["images_per_s"]
    out["ratios"] = ratios
    print("ratios: " + ", ".join(f"{k2} = {v:.2f}" for k2, v in ratios.items()))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
