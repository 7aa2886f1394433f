"""Adversarial fragility of trained runs: universal adversarial perturbations (UAPs).

:mod:`reproduce.attacks.uap` generates UAPs (non-targeted and targeted, L2 or L-inf budget set
as a ratio of the mean image norm) and the random control of the same norm;
:mod:`reproduce.attacks.metrics` computes fooling rates, accuracies and CIs over seeds;
:mod:`reproduce.attacks.suite` attacks run folders kept by the engine (``--keep-model``) and runs
the ``uap`` suite (Minagi, Hirano & Takemoto 2022, J. Imaging 8:38);
:mod:`reproduce.attacks.cli` adds ``tlreview reproduce attack`` and ``uap-suite``.

Importing this package does not import torch; the submodules do.
"""
