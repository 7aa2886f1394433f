"""The GPU path off the GPU: pack format, cost model, worker stream, and the CPU rehearsal.

Unit tests use SYNTHETIC arrays (made here). The rehearsal (marked ``data``) runs the real
path on real data on the CPU: ``tlreview reproduce pack`` of the ``gpu_rehearsal`` profile ->
``unpack-pack`` of every part -> the worker with polars blocked -> ``tlreview reproduce unpack``
-> ``collect``; a GPU session then has nothing left to debug but the GPU.
"""

from __future__ import annotations

import json
import os
import tarfile
from pathlib import Path

import numpy as np
import pytest
import torch

from reproduce.datasets.arrays import ImageArrays, SplitData, dedup_frame
from reproduce.datasets.pack import (
    PackError,
    read_pack_dataset,
    unpack_part,
    verify_pack,
    write_dataset_entry,
    write_parts,
)
from reproduce.device import cost
from reproduce.device.worker import ResultStream
from reproduce.engine.config import RunConfig
from reproduce.engine.heads import fit_logistic_head

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = os.environ.get("TLREVIEW_DATA_DIR")
WEIGHTS_DIR = os.environ.get("TLREVIEW_WEIGHTS_DIR")
needs_data = pytest.mark.skipif(
    not DATA_DIR or not Path(DATA_DIR).is_dir() or not WEIGHTS_DIR,
    reason="TLREVIEW_DATA_DIR / TLREVIEW_WEIGHTS_DIR not set (real data and the SqueezeNet "
    "weights, e.g. ../shared, not available)",
)


def _synthetic_splits(side: int, channels: int, n: int = 40, seed: int = 0) -> SplitData:
    """SYNTHETIC smooth images (JPEG-friendly) with labels 0/1."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:side, 0:side] / side

    def split(k: int, tag: str) -> ImageArrays:
        imgs = []
        for _ in range(k):
            a, b = rng.uniform(0.2, 1.0, 2)
            img = (255 * (0.5 + 0.5 * np.sin(6 * a * xx + 4 * b * yy))).astype(np.uint8)
            imgs.append(np.repeat(img[..., None], channels, axis=2))
        labels = (np.arange(k) % 2).astype(np.int64)
        ids = np.array([f"synthetic:{tag}:{i}" for i in range(k)])
        return ImageArrays(np.stack(imgs), labels, ids)

    return SplitData(
        name="synthetic-pack",
        resolution=side,
        classes=("a", "b"),
        train=split(n, "train"),
        val=split(n // 4, "val"),
        test=split(n // 4, "test"),
        dedup=dedup_frame([{"split": "test", "class": "a", "reason": "x", "n_found": 1,
                            "n_removed": 1}]),
        native_resolution=side,
    )  # fmt: skip


def _pack(tmp_path: Path, data: SplitData, part_bytes: int = 2**20) -> tuple[Path, dict]:
    root = tmp_path / "build"
    meta = write_dataset_entry(data, root / "data/x.npz", data_checksum="registry-sum")
    meta.update(path="data/x.npz", split_seed=0, dedup_flag=True)
    parts = write_parts(root, tmp_path / "parts", part_bytes=part_bytes, meta={"datasets": [meta]})
    return tmp_path / "parts", {"meta": meta, "parts": parts}


def test_small_entry_is_stored_losslessly_and_keeps_the_registry_checksum(tmp_path: Path) -> None:
    data = _synthetic_splits(16, 3)
    parts, info = _pack(tmp_path, data)
    assert info["meta"]["encoding"] == "raw"
    assert info["meta"]["data_checksum"] == "registry-sum"
    into = tmp_path / "unpacked"
    for p in info["parts"]:
        unpack_part(parts / p["name"], into)
    verify_pack(into)
    back = read_pack_dataset(into / "data/x.npz")
    for split in ("train", "val", "test"):
        np.testing.assert_array_equal(getattr(back, split).images, getattr(data, split).images)
        np.testing.assert_array_equal(getattr(back, split).labels, getattr(data, split).labels)
        assert list(getattr(back, split).ids) == list(getattr(data, split).ids)
    assert int(back.dedup["n_removed"].sum()) == 1


def test_large_entry_is_jpeg_in_chunks_split_over_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reproduce.datasets.pack as pack

    monkeypatch.setattr(pack, "RAW_LIMIT", 1000)  # force JPEG
    monkeypatch.setattr(pack, "CHUNK", 20_000)  # force several side files
    data = _synthetic_splits(64, 1, n=60)
    parts, info = _pack(tmp_path, data, part_bytes=300_000)
    assert info["meta"]["encoding"].startswith("jpeg")
    assert info["meta"]["data_checksum"].startswith(info["meta"]["encoding"] + ":")
    assert len(info["meta"]["chunks"]["train"]) > 1
    assert len(info["parts"]) >= 2 and all(p["bytes"] <= 300_000 for p in info["parts"])
    into = tmp_path / "unpacked"
    with pytest.raises(PackError, match="missing"):
        unpack_part(parts / info["parts"][0]["name"], into)
        verify_pack(into)
    for p in info["parts"][1:]:
        unpack_part(parts / p["name"], into)
    verify_pack(into)
    back = read_pack_dataset(into / "data/x.npz")
    assert back.train.images.shape == data.train.images.shape
    err = np.abs(back.train.images.astype(int) - data.train.images.astype(int)).mean()
    assert err < 3.0  # JPEG at quality 85 on smooth images: a few grey levels at most


def test_a_corrupted_file_is_named(tmp_path: Path) -> None:
    parts, info = _pack(tmp_path, _synthetic_splits(16, 1))
    into = tmp_path / "unpacked"
    unpack_part(parts / info["parts"][0]["name"], into)
    f = into / "data/x.npz"
    raw = bytearray(f.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    f.write_bytes(bytes(raw))
    with pytest.raises(PackError, match=r"x\.npz: sha256 differs"):
        verify_pack(into)


def test_a_file_larger_than_a_part_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "b"
    (root / "data").mkdir(parents=True)
    (root / "data/big.bin").write_bytes(b"x" * 600_000)
    with pytest.raises(PackError, match="does not fit a part"):
        write_parts(root, tmp_path / "p", part_bytes=500_000, meta={})


def test_cost_model_counts_learning_rates_epochs_and_one_warm_up_per_shape() -> None:
    table = [cost.StepTime("h200", "a", 128, 128, 1000.0, 4000.0, 10.0, "test")]
    cfg = RunConfig.from_dict(
        {"dataset": "d", "arch": "a", "approach": "scratch", "resolution": 128,
         "batch_size": 128, "epochs": 2, "lr_grid": [0.1, 0.01, 0.001]}
    ).resolved()  # fmt: skip
    counts = {"train": 1000, "val": 100, "test": 200}
    p = cost.predict_run(cfg, counts, table, "h200", warm=True)
    # 3 lrs x 2 epochs x 1000 images at 1000/s + 3 x 2 x 100 val at 4000/s + 200 test at 4000/s
    assert p["seconds"] == pytest.approx(6.0 + 0.15 + 0.05 + cost.RUN_OVERHEAD_S)
    runs = cost.predict_runs([cfg, cfg], lambda _: counts, table, "h200")
    assert runs[0]["seconds"] - runs[1]["seconds"] == pytest.approx(10.0)
    # A rate missing from the table is scaled by the pixel ratio from the nearest one.
    big = cost.predict_run(
        RunConfig.from_dict({**cfg.to_dict(), "resolution": 256}).resolved(), counts, table
    )
    assert big["train_images"] == 6000 and "scaled" in big["rate_source"]
    assert big["seconds"] > 4 * 6.0


def test_refresh_table_replaces_measured_rates(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(cost.TABLE.read_text())
    n = cost.refresh_table(
        [{"arch": "squeezenet1_1", "resolution": 224, "batch_size": 128, "train_img_s": 9000}],
        "h200",
        "measured in a test",
        path,
    )
    assert n == 1
    rows = {(t.arch, t.resolution, t.batch_size): t for t in cost.load_table(path)}
    assert rows[("squeezenet1_1", 224, 128)].train_img_s == 9000
    assert rows[("squeezenet1_1", 224, 128)].infer_img_s == 27000


def test_result_stream_keeps_every_run_readable(tmp_path: Path) -> None:
    stream = ResultStream(tmp_path / "out", "suite")
    for i in range(3):
        run = tmp_path / "runs" / f"run{i}"
        run.mkdir(parents=True)
        (run / "result.json").write_text(json.dumps({"i": i}))
        (run / "model.pt").write_bytes(b"kept on the machine")
        stream.add(run)
    with tarfile.open(tmp_path / "out/runs-00.tar.gz", "r:gz", ignore_zeros=True) as tar:
        names = sorted(tar.getnames())
    assert names == [f"suite/run{i}/result.json" for i in range(3)]


def test_lbfgs_head_matches_scikit_learn_logistic_regression() -> None:
    """Same objective as sklearn.linear_model.LogisticRegression(C=C) (multinomial, lbfgs).

    Reference: ``LogisticRegression(C=fit.C, tol=1e-10, max_iter=10000).fit(Z, y)`` on the
    standardised SYNTHETIC features ``Z``; probabilities agree to 1e-3.
    """
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    w = rng.normal(size=(20, 3))
    x = rng.normal(size=(300, 20)).astype(np.float32)
    y = (x @ w + rng.normal(size=(300, 3))).argmax(1)
    xv = rng.normal(size=(100, 20)).astype(np.float32)
    yv = (xv @ w).argmax(1)
    fit = fit_logistic_head(torch.tensor(x), torch.tensor(y), torch.tensor(xv), torch.tensor(yv), 3)
    assert fit.converged and fit.n_iter > 0 and len(fit.history) == 5
    mu, sd = x.mean(0).astype(np.float64), x.std(0).astype(np.float64)
    ref = LogisticRegression(C=fit.C, tol=1e-10, max_iter=10000).fit((x - mu) / sd, y)
    np.testing.assert_allclose(
        fit.predict_proba(torch.tensor(xv)), ref.predict_proba((xv - mu) / sd), atol=1e-3
    )
    folded = fit.as_module()
    with torch.no_grad():
        p = torch.softmax(folded(torch.tensor(xv)), 1).numpy()
    np.testing.assert_allclose(p, ref.predict_proba((xv - mu) / sd), atol=1e-3)


@needs_data
@pytest.mark.data
@pytest.mark.slow
def test_cpu_rehearsal_pack_worker_without_polars_unpack_collect(rehearse) -> None:
    r = rehearse("guideline_v2", "gpu_rehearsal", 7)
    assert r.parts and all(p["bytes"] <= 60 * 2**20 for p in r.parts)
    assert len(list(r.out.iterdir())) <= 8
    table = r.table
    fe = table[table["approach"] == "feature_extractor"]
    assert fe["head_iterations"].gt(0).all() and fe["head_converged"].all()
    ft = table[table["approach"] == "fine_tuning_from_scratch"]
    assert ft["lr_grid"].str.count(";").eq(2).all()  # three learning rates tried
