"""The fixed columns of a run's result row and of an attack row, derived from :class:`RunConfig`.

The config columns are not copied by hand: they are read from ``dataclasses.fields(RunConfig)``
(in declaration order), so a new config field becomes a result column by itself. Column types
are plain names (``str``, ``int``, ``float``, ``bool``) so that the engine, which writes one row
per run, needs no data-frame library; :func:`reproduce.results.collect.polars_schema` turns a
schema into polars dtypes for the collected tables.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from reproduce.engine.config import RunConfig

__all__ = [
    "ATTACK_SCHEMA",
    "CONFIG_COLUMNS",
    "CONFIG_KEYS",
    "RECIPE_FIELDS",
    "RESULT_SCHEMA",
    "column_type",
    "config_columns",
    "normalise_row",
]

#: Column type names a schema may use.
TYPES = ("str", "int", "float", "bool")


def column_type(annotation: str) -> str:
    """The column type of a dataclass field annotation (``"int | None"`` -> ``"int"``).

    Tuples (``lr_grid``) are stored as ``;``-joined text (:func:`config_columns`).

    Examples
    --------
    >>> column_type("int | None"), column_type("tuple[float, ...]"), column_type("bool")
    ('int', 'str', 'bool')
    """
    text = str(annotation).replace(" ", "")
    if text.startswith("tuple"):
        return "str"
    base = text.split("|")[0]
    if base not in TYPES:
        raise TypeError(f"RunConfig annotation {annotation!r}: no column type for it")
    return base


#: RunConfig field -> column type, in declaration order.
CONFIG_COLUMNS: dict[str, str] = {
    f.name: column_type(f.type) for f in dataclasses.fields(RunConfig)
}

#: RunConfig fields of the training recipe and the replication: held fixed within a comparison
#: (or replicated over), so they do not name an arm.
RECIPE_FIELDS: tuple[str, ...] = (
    "classifier", "seed", "split_seed", "dedup", "batch_size", "lr", "lr_grid", "weight_decay",
    "optimizer", "schedule", "augment",
)  # fmt: skip


def _arm_keys() -> tuple[str, ...]:
    keys: list[str] = []
    for name in CONFIG_COLUMNS:
        if name not in RECIPE_FIELDS:
            keys.append(name)
            if name == "arch":
                keys.append("category")  # the review's shallow/deep class of the architecture
    return tuple(keys)


#: The columns that name an arm (a configuration compared across seeds): every RunConfig field
#: but the recipe, plus the architecture's category. New RunConfig fields join by themselves.
CONFIG_KEYS: tuple[str, ...] = _arm_keys()


def config_columns(cfg: RunConfig) -> dict[str, Any]:
    """The config as result columns (tuples joined with ``;``)."""
    d = cfg.to_dict()
    for k, v in d.items():
        if isinstance(v, list | tuple):
            d[k] = ";".join(repr(x) for x in v)
    return d


#: Column -> type of a result row (``result.json``), in order.
RESULT_SCHEMA: dict[str, str] = {
    "run_id": "str",
    "suite": "str",
    "status": "str",
    "error": "str",
    **CONFIG_COLUMNS,
    # test metrics (evaluated once)
    "auc_macro_ovr": "float",
    "accuracy": "float",
    "balanced_accuracy": "float",
    # selection on the validation split
    "val_auc_macro_ovr": "float",
    "val_accuracy": "float",
    "val_balanced_accuracy": "float",
    "best_epoch": "int",
    "selected_lr": "float",
    "selected_classifier": "str",
    "selected": "str",
    "head_iterations": "int",
    "head_converged": "bool",
    # cost
    "wall_s": "float",
    "compute_s": "float",
    "gpu_s": "float",
    "feature_extract_s": "float",
    "feature_cache_hit": "bool",
    "trainable_params": "int",
    "total_params": "int",
    "flops_per_image": "float",
    # data
    "n_train": "int",
    "n_val": "int",
    "n_test": "int",
    "n_classes": "int",
    "dedup_removed": "int",
    "classes": "str",
    # provenance
    "data_checksum": "str",
    "code_version": "str",
    "device": "str",
    "device_name": "str",
    "torch_version": "str",
    "finished_utc": "str",
}

#: RunConfig fields an attack row does not repeat (they do not change the attacked network's
#: architecture or training in ways the attack analysis groups by).
_NOT_IN_ATTACK_ROWS = ("classifier", "dedup", "lr_grid", "weight_decay")
#: RunConfig fields renamed in an attack row (the attack has its own ``seed``).
_ATTACK_RENAMES = {"seed": "train_seed"}


def _attack_config_columns() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, kind in CONFIG_COLUMNS.items():
        if name in _NOT_IN_ATTACK_ROWS:
            continue
        out[_ATTACK_RENAMES.get(name, name)] = kind
        if name == "arch":
            out["category"] = "str"  # the review's shallow/deep category of the architecture
    return out


#: Column -> type of an attack row, in order: the attacked run's config columns (derived from
#: RunConfig), then the attack's settings, its outcome and provenance.
ATTACK_SCHEMA: dict[str, str] = {
    "attack_id": "str",
    "run_id": "str",
    "suite": "str",
    "status": "str",
    "error": "str",
    **_attack_config_columns(),
    "run_auc": "float",
    "run_accuracy": "float",
    "classes": "str",
    # the attack
    "uap_source": "str",
    "norm": "str",
    "eps_ratio": "float",
    "targeted": "bool",
    "target_class": "int",
    "target_name": "str",
    "seed": "int",
    "method": "str",
    "n_source": "int",
    "n_eval": "int",
    "max_epochs": "int",
    "step_ratio": "float",
    "attack_batch_size": "int",
    # outcome
    "fooling_rate": "float",
    "clean_accuracy": "float",
    "perturbed_accuracy": "float",
    "changed_rate": "float",
    "clean_target_rate": "float",
    "source_fooling_rate": "float",
    "eps": "float",
    "mean_image_norm": "float",
    "uap_norm": "float",
    "uap_l2": "float",
    "uap_linf": "float",
    "epochs_run": "int",
    "attack_s": "float",
    # provenance
    "code_version": "str",
    "device": "str",
    "device_name": "str",
    "torch_version": "str",
    "finished_utc": "str",
}


def normalise_row(
    row: dict[str, Any], schema: dict[str, str] | None = None, name: str = "RESULT_SCHEMA"
) -> dict[str, Any]:
    """Order ``row`` by a fixed schema (missing columns ``None``, NaN -> ``None``).

    Parameters
    ----------
    row
        One result row.
    schema
        Column -> type mapping; default :data:`RESULT_SCHEMA`.
    name
        The schema's name, for the error message.

    Raises
    ------
    KeyError
        A column outside the schema (a programming error: the schema is fixed).
    """
    schema = RESULT_SCHEMA if schema is None else schema
    extra = set(row) - set(schema)
    if extra:
        raise KeyError(f"columns outside {name}: {sorted(extra)}")
    out = {}
    for k in schema:
        v = row.get(k)
        if isinstance(v, float) and math.isnan(v):
            v = None
        out[k] = v
    return out
