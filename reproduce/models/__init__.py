"""Source models of the reproduction engine: architecture x source registry and backbones."""

from reproduce.models.backbone import (
    Backbone,
    available_offline,
    build_backbone,
    cifar10_checkpoint_path,
    read_pretrained,
    save_pretrained,
)
from reproduce.models.describe import describe_models
from reproduce.models.registry import (
    ARCHS,
    SOURCE_NAMES,
    ArchSpec,
    ModelError,
    Preprocessing,
    SourceSpec,
    get_arch,
    source_spec,
)

__all__ = [
    "ARCHS",
    "SOURCE_NAMES",
    "ArchSpec",
    "Backbone",
    "ModelError",
    "Preprocessing",
    "SourceSpec",
    "available_offline",
    "build_backbone",
    "cifar10_checkpoint_path",
    "describe_models",
    "get_arch",
    "read_pretrained",
    "save_pretrained",
    "source_spec",
]
