"""The registered architectures, one module per family; importing this package registers them.

The order of the imports is the order of the registry (``tlreview reproduce models``).
"""

from reproduce.models.archs import torchvision

# isort: split
from reproduce.models.archs import squeezenet

# isort: split
from reproduce.models.archs import efficientnet_lite

# isort: split
from reproduce.models.archs import medmnist

__all__ = ["efficientnet_lite", "medmnist", "squeezenet", "torchvision"]
