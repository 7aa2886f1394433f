"""The later designs (issue #18) on the GPU path, off the GPU.

Unit tests (no data): the cost model and the pack know that a fusion run uses two backbones,
and a fusion or CNN + transformer run never refreshes an architecture's measured rate.

The rehearsal (marked ``data``) runs the ``later_designs`` suite's ``rehearsal`` profile on real
BreastMNIST on the CPU through the whole device path: ``tlreview reproduce pack`` -> ``unpack-pack``
-> the worker with polars blocked -> ``tlreview reproduce unpack`` -> ``collect``. Its numbers are
a rehearsal (1 epoch, 32 px, a quarter of the images), not results.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reproduce.device import cost
from reproduce.device.build_pack import pack_needs
from reproduce.engine.config import RunConfig
from reproduce.engine.plan import run_configs

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = os.environ.get("TLREVIEW_DATA_DIR")
needs_data = pytest.mark.skipif(
    not DATA_DIR or not Path(DATA_DIR).is_dir(),
    reason="TLREVIEW_DATA_DIR is not set (real data, e.g. ../shared/data, not available)",
)
TABLE = [
    cost.StepTime("h200", "a", 128, 128, 1000.0, 4000.0, 10.0, "test"),
    cost.StepTime("h200", "b", 128, 128, 3000.0, 12000.0, 5.0, "test"),
]
COUNTS = {"train": 1000, "val": 100, "test": 200}


def _cfg(**kw) -> RunConfig:
    base = {"dataset": "d", "arch": "a", "resolution": 128, "batch_size": 128, "epochs": 2,
            "lr_grid": [0.1, 0.01, 0.001]}  # fmt: skip
    return RunConfig.from_dict({**base, **kw}).resolved()


def test_fusion_costs_both_backbones_and_warms_up_both() -> None:
    one = cost.predict_run(_cfg(approach="fine_tuning_from_scratch"), COUNTS, TABLE, warm=True)
    fused = cost.predict_run(_cfg(approach="fusion_finetune", arch2="b"), COUNTS, TABLE, warm=True)
    # 6,000 training images through a (1000/s) then b (3000/s): 6 s + 2 s; evaluation likewise
    train = 6000 / 1000 + 6000 / 3000
    evals = (600 + 200) / 4000 + (600 + 200) / 12000
    assert fused["seconds"] == pytest.approx(train + evals + cost.RUN_OVERHEAD_S)
    assert fused["seconds"] > one["seconds"]
    cold = cost.predict_run(_cfg(approach="fusion_finetune", arch2="b"), COUNTS, TABLE, warm=False)
    assert cold["seconds"] - fused["seconds"] == pytest.approx(15.0)  # both warm-ups
    frozen = cost.predict_run(_cfg(approach="fusion_frozen", arch2="b"), COUNTS, TABLE)
    assert frozen["train_images"] == 0
    assert frozen["seconds"] == pytest.approx(
        1300 / 4000 + 1300 / 12000 + cost.HEAD_FIT_S + cost.RUN_OVERHEAD_S
    )
    # a worker that has warmed up `a` still pays `b`'s warm-up for the first fusion run
    runs = cost.predict_runs(
        [_cfg(approach="fine_tuning_from_scratch"), _cfg(approach="fusion_frozen", arch2="b")],
        lambda _: COUNTS,
        TABLE,
    )
    assert [r["warm"] for r in runs] == [False, False]


def test_cnn_transformer_costs_the_cnn_once_when_frozen() -> None:
    frozen = cost.predict_run(_cfg(approach="cnn_transformer_frozen"), COUNTS, TABLE)
    ft = cost.predict_run(_cfg(approach="cnn_transformer_finetune"), COUNTS, TABLE)
    mixer = 6000 / cost.MIXER_TRAIN_IMG_S + (600 + 200) / cost.MIXER_INFER_IMG_S
    assert frozen["seconds"] == pytest.approx(1300 / 4000 + mixer + cost.RUN_OVERHEAD_S)
    assert ft["seconds"] > 6000 / 1000 and "guessed" in ft["rate_source"]


def test_pack_needs_the_second_backbones_weights() -> None:
    _, planned = run_configs("later_designs", "gpu")
    needs = pack_needs([p.config for p in planned])
    assert needs["weights"] == [
        ("efficientnet_lite0", "imagenet"),
        ("efficientnet_lite2", "imagenet"),  # only ever the second backbone of a fusion
        ("squeezenet1_1", "imagenet"),
    ]
    _, extra = run_configs("later_designs", "gpu_extra")
    assert ("efficientnet_lite2", "imagenet") in pack_needs([p.config for p in extra])["weights"]


def test_gpu_profiles_fit_one_call_each() -> None:
    for profile in ("gpu", "gpu_extra"):
        _, planned = run_configs("later_designs", profile)
        preds = cost.predict_runs([p.config for p in cost.order_seed_major(planned)],
                                  cost.dataset_counts)  # fmt: skip
        assert sum(p["seconds"] for p in preds) <= 480, profile


@needs_data
@pytest.mark.data
@pytest.mark.slow
def test_rehearsal_pack_worker_without_polars_unpack_collect(rehearse) -> None:
    r = rehearse("later_designs", "rehearsal", 6)
    weights = sorted(f.name for f in (r.unpacked / "weights").iterdir())
    assert len(weights) == 2  # EfficientNet-Lite0 .pth and the SqueezeNet 1.1 HDF5
    table = r.table
    by = table.set_index("approach")
    assert by.loc["fusion_frozen", "arch2"] == "squeezenet1_1"
    assert table.loc[table["approach"] == "feature_extractor", "arch2"].isna().all()
    # cost accounting: the fusion's FLOPs are the two backbones' (within 1 %, + the head)
    fe = table[table["approach"] == "feature_extractor"].set_index("arch")["flops_per_image"]
    assert by.loc["fusion_frozen", "flops_per_image"] == pytest.approx(fe.sum(), rel=0.01)
    assert by.loc["fusion_finetune", "trainable_params"] == by.loc["fusion_finetune",
                                                                    "total_params"]  # fmt: skip
    for approach in ("cnn_transformer_frozen", "cnn_transformer_finetune"):
        assert json.loads(by.loc[approach, "selected"])["views"] == 1  # single-view, labelled
