"""The review's five transfer approaches, one registered strategy each.

Each strategy is a function ``fit(cfg, data, *, device, log, quiet) -> ApproachOutput``
registered with :func:`~reproduce.approaches.base.register_approach` under the approach names
of :data:`reproduce.engine.config.APPROACHES`; :func:`get` returns it by name:

* :mod:`reproduce.approaches.frozen`: ``feature_extractor``, ``feature_extractor_hybrid``;
* :mod:`reproduce.approaches.trained`: ``fine_tuning``, ``fine_tuning_from_scratch``,
  ``scratch``;

and two later designs beyond the review's taxonomy (issue #18):

* :mod:`reproduce.approaches.fusion`: ``fusion_frozen``, ``fusion_finetune`` (two backbones,
  ``arch`` and ``arch2``, pooled features fused into one head);
* :mod:`reproduce.approaches.cnn_transformer`: ``cnn_transformer_frozen``,
  ``cnn_transformer_finetune`` (a CNN's feature map as tokens of a small transformer).

Adding an approach is one decorated function in one module imported here (plus its name in
``APPROACHES`` and its test).
"""

from __future__ import annotations

import time

from reproduce.approaches import cnn_transformer, frozen, fusion, trained
from reproduce.approaches.base import (
    Approach,
    ApproachData,
    ApproachOutput,
    Log,
    SplitArrays,
    TransferModel,
    block_modules,
    build_backbone,
    get,
    prepare_model,
    register_approach,
    registered,
)
from reproduce.engine.config import RunConfig
from reproduce.engine.train import synchronize

__all__ = [
    "Approach",
    "ApproachData",
    "ApproachOutput",
    "SplitArrays",
    "TransferModel",
    "block_modules",
    "build_backbone",
    "cnn_transformer",
    "frozen",
    "fusion",
    "get",
    "prepare_model",
    "register_approach",
    "registered",
    "run_approach",
    "trained",
]


def run_approach(
    cfg: RunConfig,
    train: SplitArrays,
    val: SplitArrays,
    test: SplitArrays,
    *,
    n_classes: int,
    data_checksum: str,
    device: str,
    log: Log,
    full_train: SplitArrays | None = None,
    quiet: bool = True,
) -> ApproachOutput:
    """Run ``cfg.approach`` on the given splits.

    Parameters
    ----------
    cfg
        The resolved config (``resolution`` set).
    train, val, test
        Host arrays; ``train`` is already reduced to ``cfg.train_fraction``.
    n_classes
        Number of classes.
    data_checksum
        Data set checksum (part of the feature cache key).
    device
        Torch device.
    log
        Receives one record per epoch / candidate (written to ``metrics.jsonl``).
    full_train
        The whole training split (features are cached for it, then the fraction is selected
        by id); default ``train``.
    quiet
        No progress bars.

    Returns
    -------
    ApproachOutput
        Test probabilities and everything the result row needs.
    """
    data = ApproachData(
        train, val, test, full_train or train, n_classes=n_classes, data_checksum=data_checksum
    )
    approach = get(cfg.approach)
    synchronize(device)
    t0 = time.perf_counter()
    out = approach.fit(cfg, data, device=device, log=log, quiet=quiet)
    synchronize(device)
    out.compute_s = time.perf_counter() - t0
    return out
