"""Source models of the reproduction engine, one module per job.

* :mod:`~reproduce.models.registry`: architectures x sources (specs, provenance, licences);
* :mod:`~reproduce.models.backbone`: building a backbone with its weights (torch);
* :mod:`~reproduce.models.pretrain`: CIFAR-10 pretraining (the ``cifar10`` source);
* :mod:`~reproduce.models.describe`: the registry as a table (``tlreview reproduce models``).

This package's ``__init__`` imports nothing, so reading the registry does not import torch.
"""
