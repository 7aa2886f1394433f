"""What one attack is: :class:`AttackSpec`, its identity :func:`attack_id`, and the suite's
attack grids (:class:`UAPProfile`, :func:`load_uap_profile`).

:class:`AttackSpec` names one attack on one trained run: the UAP's source (``natural`` =
CIFAR-10 images, ``training`` = the run's medical training images, ``random`` = noise of the same
norm), the norm and its budget ratio, targeted or not, the seed and the generation settings. Its
identity, :func:`attack_id`, hashes the run id, the resolved spec and the code version, so a rerun
is a cache hit.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reproduce.datasets.registry import get_spec
from reproduce.datasets.synthetic import SYNTHETIC
from reproduce.engine.config import canonical_json, code_version
from reproduce.engine.plan import apply_overrides, expand_suite, load_suite, plan_runs
from review.errors import AttackError

#: Norms of the budget.
NORMS: tuple[str, ...] = ("l2", "linf")


#: Where a UAP comes from: CIFAR-10 images, the run's medical training images, random noise.
UAP_SOURCES: tuple[str, ...] = ("natural", "training", "random")


@dataclass(frozen=True)
class UAPConfig:
    """How one UAP is made.

    Attributes
    ----------
    norm
        ``l2`` or ``linf``.
    eps_ratio
        Budget as a ratio of the mean Lp norm of the attacked images (e.g. 0.02, 0.04).
    targeted
        Push every image into ``target_class`` instead of away from its clean prediction.
    target_class
        Index of the target class (targeted attacks only; ``None`` otherwise).
    max_epochs
        Passes over the source images.
    step_ratio
        Step size as a fraction of ``eps``.
    batch_size
        Source images per step.
    seed
        Seeds the choice of source images, the batch order and the random control.
    """

    norm: str = "linf"
    eps_ratio: float = 0.04
    targeted: bool = False
    target_class: int | None = None
    max_epochs: int = 5
    step_ratio: float = 0.1
    batch_size: int = 64
    seed: int = 0

    def validated(self) -> UAPConfig:
        """Check every field; drop ``target_class`` from non-targeted attacks.

        Returns
        -------
        UAPConfig
            The normalised config.

        Raises
        ------
        AttackError
            Naming the field, its value and what is expected.
        """
        problems = []
        if self.norm not in NORMS:
            problems.append(f"norm={self.norm!r}: expected one of {', '.join(NORMS)}")
        if not (isinstance(self.eps_ratio, int | float) and 0 < float(self.eps_ratio) <= 1):
            problems.append(f"eps_ratio={self.eps_ratio!r}: expected 0 < value <= 1")
        if self.targeted and (
            not isinstance(self.target_class, int)
            or isinstance(self.target_class, bool)
            or self.target_class < 0
        ):
            problems.append(
                f"target_class={self.target_class!r}: a targeted attack needs a class index >= 0"
            )
        for name in ("max_epochs", "batch_size"):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                problems.append(f"{name}={v!r}: expected an integer >= 1")
        if not (0 < float(self.step_ratio) <= 1):
            problems.append(f"step_ratio={self.step_ratio!r}: expected 0 < value <= 1")
        if problems:
            raise AttackError("; ".join(problems))
        return dataclasses.replace(
            self,
            eps_ratio=float(self.eps_ratio),
            step_ratio=float(self.step_ratio),
            targeted=bool(self.targeted),
            target_class=int(self.target_class) if self.targeted else None,
        )


#: Name of the generation algorithm recorded in every row (see :mod:`reproduce.attacks.uap`).
METHOD = "sgd_uap_v1"


# ============================================================================ one attack
@dataclass(frozen=True)
class AttackSpec:
    """One attack on one trained run.

    Attributes
    ----------
    uap_source
        ``natural`` (CIFAR-10 training images), ``training`` (the run's medical training
        images) or ``random`` (noise of norm exactly ``eps``, the control).
    norm
        ``l2`` or ``linf``.
    eps_ratio
        Budget as a ratio of the mean Lp norm of the attacked (test) images.
    targeted
        Targeted attack (into ``target_class``).
    target_class
        Target class index (targeted only).
    seed
        Seeds the source images drawn, the batch order and the random control.
    n_source
        Source images drawn (without replacement; all when fewer exist).
    n_eval
        Test images attacked (a fixed random subset, the same for every attack on a run;
        ``None`` = the whole test split).
    max_epochs
        Passes over the source images.
    step_ratio
        Step size as a fraction of ``eps``.
    batch_size
        Source images per step.
    """

    # The generation settings default to UAPConfig's: one source for every UAP default.
    uap_source: str
    norm: str = UAPConfig.norm
    eps_ratio: float = UAPConfig.eps_ratio
    targeted: bool = UAPConfig.targeted
    target_class: int | None = UAPConfig.target_class
    seed: int = UAPConfig.seed
    n_source: int = 1000
    n_eval: int | None = None
    max_epochs: int = UAPConfig.max_epochs
    step_ratio: float = UAPConfig.step_ratio
    batch_size: int = UAPConfig.batch_size

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str = "attack") -> AttackSpec:
        """Build a spec from a mapping, rejecting unknown fields (named with ``where``)."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise AttackError(
                f"{where}: unknown field(s) {', '.join(unknown)}; expected some "
                f"of {', '.join(sorted(names))}"
            )
        missing = [n for n in ("uap_source", "norm", "eps_ratio") if n not in data]
        if missing:
            raise AttackError(f"{where}: missing field(s) {', '.join(missing)}")
        return cls(**data)

    def resolved(self) -> AttackSpec:
        """Validate, and normalise the fields the random control does not use.

        Raises
        ------
        AttackError
            Naming the field, its value and what is expected.
        """
        if self.uap_source not in UAP_SOURCES:
            raise AttackError(
                f"uap_source={self.uap_source!r}: expected one of {', '.join(UAP_SOURCES)}"
            )
        for name in ("n_source",):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise AttackError(f"{name}={v!r}: expected an integer >= 1")
        if self.n_eval is not None and (not isinstance(self.n_eval, int) or self.n_eval < 1):
            raise AttackError(f"n_eval={self.n_eval!r}: expected an integer >= 1 or null")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise AttackError(f"seed={self.seed!r}: expected an integer")
        u = self.uap_config().validated()
        spec = dataclasses.replace(
            self,
            eps_ratio=u.eps_ratio,
            targeted=u.targeted,
            target_class=u.target_class,
            step_ratio=u.step_ratio,
        )
        if spec.uap_source == "random":
            # the control is drawn, not optimised: no source images, passes or steps
            spec = dataclasses.replace(spec, n_source=1, max_epochs=1, step_ratio=1.0, batch_size=1)
        return spec

    def uap_config(self) -> UAPConfig:
        """The generation settings of :mod:`reproduce.attacks.uap`."""
        return UAPConfig(
            norm=self.norm,
            eps_ratio=self.eps_ratio,
            targeted=self.targeted,
            target_class=self.target_class,
            max_epochs=self.max_epochs,
            step_ratio=self.step_ratio,
            batch_size=self.batch_size,
            seed=self.seed,
        )

    def to_dict(self) -> dict[str, Any]:
        """Field name -> value."""
        return dataclasses.asdict(self)


def attack_id(run_id: str, spec: AttackSpec, code: str | None = None) -> str:
    """The attack's identity: 16 hex digits of SHA-256 over run id, resolved spec, method, code.

    Parameters
    ----------
    run_id
        The attacked run.
    spec
        The attack (resolved first).
    code
        Code version (default :func:`reproduce.engine.config.code_version`).

    Returns
    -------
    str
        The id.
    """
    payload = {
        "run_id": run_id,
        "attack": spec.resolved().to_dict(),
        "method": METHOD,
        "code": code_version() if code is None else code,
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()[:16]


# ============================================================================ the suite
@dataclass(frozen=True)
class UAPProfile:
    """A profile of a UAP suite file, expanded.

    Attributes
    ----------
    suite
        Suite name (run folders go under ``runs_dir()/<suite>``).
    profile
        Profile name.
    description
        What the profile is for.
    planned
        The runs to train (:class:`reproduce.engine.plan.PlannedRun`).
    attacks
        The profile's attack grids (mappings of :class:`AttackSpec` fields to values or
        lists; ``seed: run`` = the attacked run's seed).
    body
        The profile's mapping as written in the file.
    path
        The suite file.
    """

    suite: str
    profile: str
    description: str
    planned: list[Any]
    attacks: list[dict[str, Any]]
    body: dict[str, Any]
    path: Path


def load_uap_profile(
    suite: str = "uap", profile: str = "smoke", sets: Sequence[str] = ()
) -> UAPProfile:
    """Read a UAP suite file and expand one profile's runs (the engine's expansion).

    Parameters
    ----------
    suite
        Suite name or YAML path.
    profile
        Profile name.
    sets
        ``FIELD=VALUE`` overrides of the run configs (as ``tlreview reproduce run --set``).

    Raises
    ------
    AttackError
        A profile without an ``attacks`` list.
    review.errors.InputError
        Unknown suite or profile, invalid run configs.
    """

    s = load_suite(suite)
    planned = plan_runs(apply_overrides(expand_suite(s, profile), sets))
    body = s.profiles[profile]
    attacks = body.get("attacks")
    if not isinstance(attacks, list) or not attacks:
        raise AttackError(
            f"{s.path}: profile {profile!r} needs an 'attacks' list of grids "
            "(mappings of attack fields to values)"
        )
    return UAPProfile(
        s.name, profile, str(body.get("description", "")).strip(), planned, attacks, body, s.path
    )


def classes_of(dataset: str) -> tuple[str, ...]:
    """Class names of a data set, in label order (registry, ``folder:PATH`` or synthetic)."""

    if dataset in SYNTHETIC:
        return tuple(f"class{c}" for c in range(SYNTHETIC[dataset][0]))

    return tuple(get_spec(dataset).classes)


def resolve_target(value: Any, dataset: str, where: str) -> int | None:
    """A target given as an index, a class name, or a mapping data set -> index or name."""
    if isinstance(value, dict):
        if dataset not in value and "*" not in value:
            raise AttackError(
                f"{where}: target_class names no target for data set {dataset!r} "
                f"(keys: {', '.join(map(str, value))}; '*' = any other)"
            )
        value = value.get(dataset, value.get("*"))
    if value is None or isinstance(value, int):
        return value
    classes = classes_of(dataset)
    if str(value) not in classes:
        raise AttackError(
            f"{where}: target_class {value!r} is not a class of {dataset} ({', '.join(classes)})"
        )
    return classes.index(str(value))
