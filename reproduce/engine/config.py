"""One typed, frozen configuration per reproduction run, and the run's identity.

A :class:`RunConfig` names everything that decides a run's result: the data set and resolution,
the source model (architecture x source of its weights), the transfer approach of the review's
taxonomy and its parameter (``k_blocks`` for block-wise fine-tuning, ``classifier`` for the
hybrid feature extractor), the training fraction, the seed and the optimisation settings.

:meth:`RunConfig.resolved` normalises fields that an approach does not use (so that, say, a
feature-extractor run does not fork into several identities because a grid also varied
``k_blocks``), and :func:`run_id` hashes the canonical JSON of the resolved config together with
the data set's checksum and the code version. Two runs with the same identity are the same run:
rerunning is a cache hit, and shards or machines merge their results by this identity.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from review import paths
from review.errors import ConfigError

__all__ = [
    "APPROACHES",
    "APPROACH_LABELS",
    "approach_label",
    "CLASSIFIERS",
    "FROZEN_APPROACHES",
    "FUSION_APPROACHES",
    "OPTIMIZERS",
    "SCHEDULES",
    "SOURCES",
    "ConfigError",
    "RunConfig",
    "canonical_json",
    "code_version",
    "run_id",
]

#: The review's transfer approaches (Kim et al. 2022, taxonomy of transfer learning).
APPROACHES: tuple[str, ...] = (
    "feature_extractor",
    "feature_extractor_hybrid",
    "fine_tuning",
    "fine_tuning_from_scratch",
    "scratch",
    # Later designs (issue #18), beyond the review's taxonomy:
    "fusion_frozen",
    "fusion_finetune",
    "cnn_transformer_frozen",
    "cnn_transformer_finetune",
)
#: Approaches that fuse two backbones (``arch`` and ``arch2``).
FUSION_APPROACHES: tuple[str, ...] = ("fusion_frozen", "fusion_finetune")
#: Plain words for each approach, shown wherever a user reads (run lines, dry runs, status);
#: the data keep the review's terms. ``fine_tuning_from_scratch`` is the review's name for
#: fine-tuning ALL layers starting FROM the pretrained weights, easily confused with ``scratch``.
APPROACH_LABELS: dict[str, str] = {
    "feature_extractor": "frozen backbone, linear classifier",
    "feature_extractor_hybrid": "frozen backbone, SVM / random forest",
    "fine_tuning": "top k blocks fine-tuned, from pretrained",
    "fine_tuning_from_scratch": "all layers, from pretrained",
    "scratch": "all layers, from random initialisation",
    "fusion_frozen": "two frozen backbones, features fused",
    "fusion_finetune": "two backbones fused, fine-tuned",
    "cnn_transformer_frozen": "frozen CNN features, transformer head",
    "cnn_transformer_finetune": "CNN + transformer head, fine-tuned",
}


def approach_label(approach: str) -> str:
    """Plain label of an approach (the name itself when it has none)."""
    return APPROACH_LABELS.get(approach, approach)


#: Where a backbone's initial weights come from.
SOURCES: tuple[str, ...] = ("imagenet", "cifar10", "random")
#: Classifiers of the hybrid approach (``auto``: chosen on the validation split).
CLASSIFIERS: tuple[str, ...] = ("auto", "svm", "rf")
OPTIMIZERS: tuple[str, ...] = ("adam", "adamw", "sgd")
SCHEDULES: tuple[str, ...] = ("constant", "cosine", "multistep")

#: Approaches whose backbone is frozen and whose features are extracted once and cached.
#: ``fusion_frozen`` caches the two backbones' fused features; ``cnn_transformer_frozen`` extracts
#: the CNN's feature maps once and trains only the token mixer and head on them.
FROZEN_APPROACHES: tuple[str, ...] = (
    "feature_extractor",
    "feature_extractor_hybrid",
    "fusion_frozen",
    "cnn_transformer_frozen",
)

#: Fields added after run ids were first published: left out of a run's identity when ``None``,
#: so that every config that does not use them keeps the run id it had before they existed.
_NEW_OPTIONAL_FIELDS: tuple[str, ...] = ("arch2", "dedup_near", "resize")


@dataclass(frozen=True)
class RunConfig:
    """Everything that decides one run's result.

    Attributes
    ----------
    dataset
        Registered data set name (``breastmnist``, ...), ``folder:PATH`` or ``synthetic``.
    resolution
        Side in pixels the network sees; ``None`` = the data set's native resolution.
    arch
        Architecture name from the model registry (``resnet18``, ``efficientnet_lite0``, ...).
    source
        ``imagenet``, ``cifar10`` or ``random``. ``scratch`` always resolves to ``random``.
    approach
        One of :data:`APPROACHES`. The later designs: ``fusion_frozen`` / ``fusion_finetune``
        (two backbones, ``arch`` and ``arch2``, frozen / every layer trained) and
        ``cnn_transformer_frozen`` / ``cnn_transformer_finetune`` (the CNN ``arch`` frozen /
        every layer trained, tokens of its last feature map into a small transformer).
    arch2
        The second architecture of a fusion approach (same ``source`` as ``arch``); resolved to
        ``None`` for every other approach, and then left out of the run id.
    k_blocks
        Number of top blocks unfrozen by ``fine_tuning`` (ignored, and resolved to ``None``,
        for every other approach).
    classifier
        Classifier of ``feature_extractor_hybrid``: ``svm``, ``rf`` or ``auto`` (the better on
        the validation split). Resolved to ``None`` for other approaches.
    train_fraction
        Stratified, seeded fraction of the training split used (learning curves); 1.0 = all.
    seed
        Seed of the initialisation of the new layers, the batch order, augmentation and the
        training fraction.
    split_seed
        Seed of the stratified split for data sets without an official one.
    dedup
        Remove exact duplicates of an earlier split's images from the evaluation splits
        (``True``); ``False`` keeps them. Everything found is reported either way. The values
        ``"exact"``, ``"strict"`` and ``"off"`` (``--dedup``) are accepted and resolved.
    dedup_near
        Also remove near duplicates of an earlier split's images (``--dedup strict``); ``None``
        (the default) keeps and reports them. Enters the run id only when set.
    resize
        How non-square images of a folder data set become square: ``None`` / ``"squash"``
        (the default: resized without keeping the aspect ratio), ``"pad"`` or ``"crop"``.
        Enters the run id only when not the default.
    epochs
        Training epochs (the best epoch by validation AUC is kept).
    batch_size
        Mini-batch size.
    lr
        Learning rate (used when ``lr_grid`` is empty).
    lr_grid
        Learning rates tried; the best by validation AUC is kept. Empty = ``(lr,)``.
    weight_decay
        Weight decay.
    optimizer
        ``adam``, ``adamw`` or ``sgd`` (momentum 0.9).
    schedule
        Learning-rate schedule over the epochs: ``constant``, ``cosine`` or ``multistep``
        (x0.1 at 50 % and 75 % of the epochs, MedMNIST v2's protocol).
    augment
        Random flips and small random crops on the device during training (not for the frozen
        approaches, whose features are extracted once).
    """

    dataset: str
    arch: str
    approach: str
    source: str = "imagenet"
    resolution: int | None = None
    arch2: str | None = None
    k_blocks: int | None = None
    classifier: str | None = None
    train_fraction: float = 1.0
    seed: int = 0
    split_seed: int = 0
    dedup: bool = True
    dedup_near: bool | None = None
    resize: str | None = None
    epochs: int = 10
    batch_size: int = 128
    lr: float = 1e-3
    lr_grid: tuple[float, ...] = field(default_factory=tuple)
    weight_decay: float = 0.0
    optimizer: str = "adam"
    schedule: str = "cosine"
    augment: bool = True

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str = "config") -> RunConfig:
        """Build a config from a mapping (e.g. one expanded suite row), rejecting unknown keys.

        Parameters
        ----------
        data
            Field name -> value.
        where
            Where the mapping came from, for error messages.

        Returns
        -------
        RunConfig
            The config (not yet resolved).
        """
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ConfigError(
                f"{where}: unknown field(s) {', '.join(unknown)}; expected some of "
                f"{', '.join(sorted(names))}"
            )
        missing = [n for n in ("dataset", "arch", "approach") if n not in data]
        if missing:
            raise ConfigError(f"{where}: missing required field(s) {', '.join(missing)}")
        kwargs = dict(data)
        if "lr_grid" in kwargs:
            grid = kwargs["lr_grid"]
            if grid is None:
                grid = ()
            elif isinstance(grid, int | float):
                grid = (grid,)
            kwargs["lr_grid"] = tuple(float(v) for v in grid)
        return cls(**kwargs)

    def resolved(self) -> RunConfig:
        """Validate and normalise the fields an approach does not use.

        Returns
        -------
        RunConfig
            A config whose canonical JSON is the run's identity: ``scratch`` has source
            ``random``; ``k_blocks`` is kept only for ``fine_tuning``; ``classifier`` only for the
            hybrid (default ``auto``); ``arch2`` only for the fusion approaches (where it is
            required and must differ from ``arch``); ``augment`` is ``False`` for the frozen
            approaches; the ``lr_grid`` is sorted and, when it has one value, folded into ``lr``.

        Raises
        ------
        ConfigError
            Naming the field, its value and what is expected.
        """
        c = self
        problems: list[str] = []
        if c.approach not in APPROACHES:
            problems.append(f"approach={c.approach!r}: expected one of {', '.join(APPROACHES)}")
        if c.source not in SOURCES:
            problems.append(f"source={c.source!r}: expected one of {', '.join(SOURCES)}")
        if c.optimizer not in OPTIMIZERS:
            problems.append(f"optimizer={c.optimizer!r}: expected one of {', '.join(OPTIMIZERS)}")
        if c.schedule not in SCHEDULES:
            problems.append(f"schedule={c.schedule!r}: expected one of {', '.join(SCHEDULES)}")
        if not c.dataset or not isinstance(c.dataset, str):
            problems.append(f"dataset={c.dataset!r}: expected a data set name")
        if not c.arch or not isinstance(c.arch, str):
            problems.append(f"arch={c.arch!r}: expected an architecture name")
        if c.resolution is not None and (not isinstance(c.resolution, int) or c.resolution < 8):
            problems.append(f"resolution={c.resolution!r}: expected an integer >= 8 or null")
        if not (0.0 < float(c.train_fraction) <= 1.0):
            problems.append(f"train_fraction={c.train_fraction!r}: expected 0 < value <= 1")
        for name in ("epochs", "batch_size"):
            v = getattr(c, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                problems.append(f"{name}={v!r}: expected an integer >= 1")
        if float(c.lr) <= 0 or any(float(v) <= 0 for v in c.lr_grid):
            problems.append(f"lr={c.lr!r}, lr_grid={c.lr_grid!r}: learning rates must be > 0")
        if float(c.weight_decay) < 0:
            problems.append(f"weight_decay={c.weight_decay!r}: expected >= 0")
        if c.resize not in (None, "squash", "pad", "crop"):
            problems.append(f"resize={c.resize!r}: expected squash, pad or crop")
        if c.dedup not in (True, False, "exact", "strict", "off"):
            problems.append(f"dedup={c.dedup!r}: expected true (exact), false (off) or strict")
        if problems:
            raise ConfigError("; ".join(problems))

        changes: dict[str, Any] = {}
        # --dedup exact|strict|off: exact = True, off = False (existing run ids do not change);
        # strict = True plus dedup_near
        near = bool(c.dedup_near) or c.dedup == "strict"
        changes["dedup"] = {"exact": True, "off": False, "strict": True}.get(
            str(c.dedup), bool(c.dedup)
        )
        changes["dedup_near"] = True if near else None
        changes["resize"] = None if c.resize in (None, "squash") else c.resize
        source = c.source
        if c.approach == "scratch":
            source = "random"
        elif c.approach in ("fine_tuning", "fine_tuning_from_scratch") and source == "random":
            raise ConfigError(
                f"approach={c.approach!r} with source='random' is training from scratch: use "
                "approach='scratch' (the non-transfer baseline) instead"
            )
        changes["source"] = source
        if c.approach in FUSION_APPROACHES:
            a2 = c.arch2
            if not a2 or not isinstance(a2, str):
                raise ConfigError(
                    f"arch2={a2!r}: approach {c.approach!r} fuses two backbones and needs the "
                    "second architecture's name"
                )
            if a2 == c.arch:
                raise ConfigError(
                    f"arch2={a2!r} equals arch: fusion needs two different architectures"
                )
        else:
            changes["arch2"] = None
        if c.approach == "fine_tuning":
            k = c.k_blocks
            if not isinstance(k, int) or isinstance(k, bool) or k < 1:
                raise ConfigError(
                    f"k_blocks={k!r}: fine_tuning needs the number of top blocks to unfreeze "
                    "(an integer >= 1)"
                )
        else:
            changes["k_blocks"] = None
        if c.approach == "feature_extractor_hybrid":
            clf = c.classifier or "auto"
            if clf not in CLASSIFIERS:
                raise ConfigError(f"classifier={clf!r}: expected one of {', '.join(CLASSIFIERS)}")
            changes["classifier"] = clf
        else:
            changes["classifier"] = None
        if c.approach in FROZEN_APPROACHES:
            changes["augment"] = False
        if c.approach == "feature_extractor_hybrid":
            # scikit-learn classifiers: no epochs, batches or learning rates.
            changes.update(
                epochs=1,
                batch_size=1,
                lr=1.0,
                lr_grid=(),
                weight_decay=0.0,
                optimizer="adam",
                schedule="constant",
            )
        grid = tuple(sorted({float(v) for v in c.lr_grid}))
        if len(grid) == 1:
            changes["lr"], grid = grid[0], ()
        changes["lr_grid"] = grid
        changes["lr"] = float(changes.get("lr", c.lr))
        changes["train_fraction"] = float(c.train_fraction)
        changes["weight_decay"] = float(changes.get("weight_decay", c.weight_decay))
        return dataclasses.replace(c, **changes)

    # ------------------------------------------------------------------ views
    def to_dict(self) -> dict[str, Any]:
        """Field name -> value (tuples as lists), in declaration order."""
        d = dataclasses.asdict(self)
        d["lr_grid"] = list(self.lr_grid)
        return d

    @property
    def dedup_arg(self) -> bool | str:
        """The loader's ``dedup`` argument: ``True`` / ``False``, or ``"strict"`` with
        ``dedup_near`` (booleans as before, so packs and feature caches keep their keys)."""
        if self.dedup_near or self.dedup == "strict":
            return "strict"
        return self.dedup in (True, "exact")

    @property
    def learning_rates(self) -> tuple[float, ...]:
        """The learning rates tried (``lr_grid`` or ``(lr,)``)."""
        return self.lr_grid or (self.lr,)


@dataclass(frozen=True)
class PretrainRecipe:
    """How an architecture is pretrained on CIFAR-10 for the ``cifar10`` source (the one place
    its defaults are written; ``tlreview reproduce pretrain`` flags fall through to it).

    Attributes
    ----------
    epochs, batch_size, lr, weight_decay, optimizer, schedule
        Training (AdamW, cosine schedule, best epoch by the validation split).
    resolution
        Input side (CIFAR-10 is 32 px).
    seed
        Seed of the initialisation, batch order, augmentation and training fraction.
    train_fraction
        Stratified, seeded fraction of the CIFAR-10 training split used (1.0 = all; a short
        recipe for a CPU). Validation and test are whole.
    """

    epochs: int = 30
    resolution: int = 32
    batch_size: int = 512
    lr: float = 2e-3
    weight_decay: float = 0.05
    optimizer: str = "adamw"
    schedule: str = "cosine"
    seed: int = 0
    train_fraction: float = 1.0

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.resolution < 8 or self.batch_size < 1:
            raise ConfigError(
                "pretrain: epochs >= 1, batch_size >= 1 and resolution >= 8 expected; got "
                f"epochs={self.epochs}, batch_size={self.batch_size}, resolution={self.resolution}"
            )
        if not 0.0 < float(self.train_fraction) <= 1.0:
            raise ConfigError(f"train_fraction={self.train_fraction!r}: expected 0 < value <= 1")
        if self.optimizer not in OPTIMIZERS or self.schedule not in SCHEDULES:
            raise ConfigError(
                f"pretrain: optimizer {self.optimizer!r} / schedule {self.schedule!r}; expected "
                f"one of {OPTIMIZERS} / {SCHEDULES}"
            )


def canonical_json(data: dict[str, Any]) -> str:
    """JSON with sorted keys and no whitespace: the same mapping always gives the same text."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


@lru_cache(maxsize=1)
def _git_sha() -> str | None:
    env = os.environ.get("TLREVIEW_GIT_SHA")
    if env:
        return env.strip()
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    sha = out.stdout.strip()
    return sha if out.returncode == 0 and sha else None


def git_sha() -> str | None:
    """The checkout's git commit (``TLREVIEW_GIT_SHA`` overrides; ``None`` outside git).

    The override lets a copy of the tree without ``.git`` (e.g. on a GPU machine) keep the
    identity of the commit it was copied from.
    """
    return _git_sha()


#: Version of what a run computes. Bump it when a change to the engine, the data pipeline or the
#: approaches changes the result of an existing configuration: every run id changes with it, so
#: old results are no longer reused. The git commit is deliberately NOT part of the identity (it
#: is recorded in each run's ``env.json``): otherwise every commit would invalidate every result,
#: and runs could not accumulate across commits, sessions and machines.
#: History: 1 (2026-11-26) the pilot; 2 (2026-12-04) the feature extractor's head is fitted to
#: convergence (L-BFGS logistic regression, L2 chosen on validation) and CUDA runs use fixed
#: batch shapes (ragged last training batch dropped, evaluation batches padded); near-duplicate
#: groups are kept in one split by default, which changes BUSI's seeded split.
ENGINE_VERSION = 2


def code_version() -> str:
    """The code part of a run's identity: ``tlreview-engine-<ENGINE_VERSION>``."""
    return f"tlreview-engine-{ENGINE_VERSION}"


def run_id(config: RunConfig, data_checksum: str, code: str | None = None) -> str:
    """The run's identity: 16 hex digits of a SHA-256.

    Parameters
    ----------
    config
        The run's config; it is resolved first, so equivalent configs share an identity.
    data_checksum
        Checksum of the data set's files (changes when the data change).
    code
        Code version (default :func:`code_version`).

    Returns
    -------
    str
        ``sha256(canonical JSON of {config, data, code})[:16]``; fields added later
        (``arch2``) enter the JSON only when set, so older configs keep their ids.
    """
    cfg = config.resolved().to_dict()
    for name in _NEW_OPTIONAL_FIELDS:
        if cfg.get(name) is None:
            cfg.pop(name, None)
    payload = {
        "config": cfg,
        "data": data_checksum,
        "code": code_version() if code is None else code,
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()[:16]
