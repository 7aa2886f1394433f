"""Data sets of the reproduction engine: registry, loading, splits, duplicates, description.

See :func:`load_splits` for the loading pipeline and :data:`REGISTRY` for the registered data.
"""

from reproduce.datasets.arrays import ImageArrays, SplitData
from reproduce.datasets.describe import describe_datasets, registry_frame
from reproduce.datasets.load import (
    DEDUP_POLICIES,
    find_duplicates,
    load_splits,
    preflight,
    stratified_group_split,
)
from reproduce.datasets.registry import REGISTRY, DatasetError, DatasetSpec, FileSpec, get_spec
from reproduce.datasets.sources import DatasetWarning

__all__ = [
    "DEDUP_POLICIES",
    "REGISTRY",
    "DatasetError",
    "DatasetSpec",
    "DatasetWarning",
    "FileSpec",
    "ImageArrays",
    "SplitData",
    "describe_datasets",
    "find_duplicates",
    "get_spec",
    "load_splits",
    "preflight",
    "registry_frame",
    "stratified_group_split",
]
