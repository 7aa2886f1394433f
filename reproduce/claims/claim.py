"""Typed, frozen claims and one strict loader for both registrations (v1 and v2).

A claims file is a pre-registration: every key it declares must mean something to the code that
decides the verdicts, and a key the code does not know is a mistake (a misspelled ``pair_on``
would otherwise pair on nothing). :func:`load_claim_set` therefore refuses

- unknown keys (top level, claim, arm, pooling, bootstrap, requires),
- unknown decisions, scales and aggregations,
- missing fields, and fields the claim's decision does not use (a ``margin`` on a superiority
  claim would be silently ignored),

with one line per problem naming the file, the claim id and the field.

Versions
--------
v1 (``reproduce/claims.yaml``, registered 2026-11-26, the pilot)
    Pairs are the unit; a percentile bootstrap CI (``bootstrap:`` block, required).
v2 (``claims_v2.yaml``, registered 2026-12-04)
    Data sets are the unit, pooled by random-effects meta-analysis (``pooling:`` block,
    ``min_seeds``, ``min_datasets``); every claim names the v1 claim it ``supersedes`` and its
    ``changes``. Dated ``amendments`` (registered before any v2 result) change how named claims
    are decided; each amendment id must be one the engine implements (:data:`AMENDMENTS`), so an
    amendment can never be registered and silently not applied.
Follow-up registrations (``claims_later.yaml``, registered 2026-12-04)
    New claims (no predecessor) decided by the v2 rules: the file names the v2 file in
    ``follows_rules_of`` (which must load as v2) and numbers its own ``version``. Its claims may
    declare ``b_best_of`` (arm b is, per data set and resolution, the better of the a row's
    architectures on validation AUC, :data:`BEST_OF_METRIC`) with ``b_same_approach`` (the a
    approach -> the single-backbone b approach). As the file's header says, a data set's effect
    and SE are taken over its pair cells (:attr:`ClaimSet.effect_unit` ``cell``), where v2 takes
    them over seeds (``seed``).

Arm fields may hold a list: a row matches when its field takes any of the values.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from review.errors import InputError
from review.stats.meta import METHODS, TESTS

__all__ = [
    "AGGREGATIONS",
    "AMENDMENTS",
    "ARM_FIELDS",
    "BEST_OF_FIELDS",
    "BEST_OF_METRIC",
    "DECISIONS",
    "PSEUDO_UAP_SOURCES",
    "SCALES",
    "Amendment",
    "Arm",
    "Arms",
    "Bootstrap",
    "Claim",
    "ClaimSet",
    "Pooling",
    "Reference",
    "Requires",
    "load_claim_set",
]

#: The project root (reference tables are named relative to it).
ROOT = Path(__file__).resolve().parents[2]

#: Decision rules a claim may name.
DECISIONS: tuple[str, ...] = ("superiority", "noninferiority", "below", "within", "slope_negative")
#: Scales of the paired effect.
SCALES: tuple[str, ...] = ("difference", "log_ratio")
#: How several rows of one arm in one pair cell are combined (``aggregate_within_pair``).
#: Without the key a cell must hold exactly one row per arm; cells that hold more are left out
#: and listed (never silently averaged).
AGGREGATIONS: tuple[str, ...] = ("mean", "median")
#: Amendments the v2 engine (:mod:`reproduce.claims.pooled`) implements, with what each does.
#: An amendment with another id is refused: it would be registered and never applied.
AMENDMENTS: dict[str, str] = {
    "A1_seed_invariant_arms": "a data set whose paired differences do not vary over seeds takes "
    "its SE from a paired bootstrap of the test images (seed-0 predictions)",
    "A2_full_training_set": "only rows with train_fraction == 1 enter",
}
#: Fields of one amendment (all required).
_AMENDMENT_KEYS = ("id", "date", "applies_to", "change", "reason")

#: ``uap_source`` values computed from the attack rows rather than read
#: (``noise_max``: the higher of the ``noise_white`` and ``noise_lowpass`` fooling rates of a cell;
#: ``natural_minus_noise_max``: ``natural`` minus that).
PSEUDO_UAP_SOURCES: tuple[str, ...] = ("noise_max", "natural_minus_noise_max")

#: Fields an arm may select on or a claim may pair on: the run-config columns of the result rows,
#: the attack columns of the UAP rows and the derived ``category`` (shallow/deep of the
#: architecture, from data/backbones.csv) and ``trainable_fraction_max`` (an upper bound on the
#: ``trainable_fraction`` column). A field outside this list is refused as a typo.
ARM_FIELDS: frozenset[str] = frozenset(
    {
        # run configuration (reproduce RunConfig)
        "dataset", "arch", "arch2", "source", "approach", "resolution", "k_blocks", "classifier",
        "train_fraction", "seed", "split_seed", "dedup", "epochs", "batch_size", "lr",
        "weight_decay", "optimizer", "schedule", "augment", "run_id", "suite",
        # attack rows (v1 and v2 UAP schemas)
        "uap_source", "norm", "eps_ratio", "targeted", "target_class", "victim_run_id",
        "train_seed", "method", "n_source", "n_source_images",
        # derived
        "category", "trainable_fraction_max",
    }
)  # fmt: skip

_COMMON_CLAIM_KEYS = frozenset(
    {
        "id", "suite", "statement", "source", "arms", "pair_on", "aggregate_within_pair",
        "metric", "scale", "decision", "margin", "threshold", "requires", "reference",
    }
)  # fmt: skip
#: Kinds of claims file: 1 and 2 are the two registrations; ``FOLLOWUP`` is a file of new claims
#: decided by the v2 rules (it has ``follows_rules_of``).
FOLLOWUP = "followup"
_CLAIM_KEYS = {
    1: _COMMON_CLAIM_KEYS | {"group_by"},
    2: _COMMON_CLAIM_KEYS | {"supersedes", "changes", "min_datasets", "min_seeds"},
    FOLLOWUP: _COMMON_CLAIM_KEYS | {"min_datasets", "min_seeds", "b_best_of", "b_same_approach"},
}
_TOP_KEYS = {
    1: {"required": {"version", "registered_on", "bootstrap", "claims"},
        "optional": {"metric_default"}},
    2: {"required": {"version", "registered_on", "supersedes_file", "pooling", "min_seeds",
                     "min_datasets", "claims"},
        "optional": {"metric_default", "design", "amendments"}},
    FOLLOWUP: {"required": {"version", "registered_on", "follows_rules_of", "pooling",
                            "min_seeds", "min_datasets", "claims"},
               "optional": {"metric_default", "design", "amendments"}},
}  # fmt: skip
#: The columns ``b_best_of`` may name: the architectures of a fusion row.
BEST_OF_FIELDS: frozenset[str] = frozenset({"arch", "arch2"})
#: ``b_best_of`` chooses arm b's architecture on this column (validation, never test).
BEST_OF_METRIC = "val_auc_macro_ovr"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REQUIRES_SPECIAL = {"cifar10_min_test_accuracy"}
_REFERENCE_TEXT = re.compile(r"^(?P<file>\S+\.csv) \((?P<method>.+) (?P<measure>AUC|ACC)\)$")


@dataclass(frozen=True)
class Arm:
    """Row filter of one arm: every field must take one of its values.

    Attributes
    ----------
    filters
        ``(field, values)`` pairs in the order the file gives them; ``trainable_fraction_max``
        holds one bound, every other field the accepted values.
    """

    filters: tuple[tuple[str, tuple[Any, ...]], ...]

    def get(self, name: str, default: Any = None) -> Any:
        """The accepted values of ``name`` (a tuple) or ``default``."""
        for f, v in self.filters:
            if f == name:
                return v
        return default

    def as_dict(self) -> dict[str, Any]:
        """The arm as the file wrote it (single values unwrapped)."""
        return {f: v[0] if len(v) == 1 else list(v) for f, v in self.filters}


@dataclass(frozen=True)
class Arms:
    """The two arms of a comparison (``b`` is ``None`` for a ``within`` claim)."""

    a: Arm
    b: Arm | None = None


@dataclass(frozen=True)
class Reference:
    """A published value to land within: rows of ``file`` with ``method``, column ``column``."""

    file: str
    method: str
    column: str

    @property
    def path(self) -> Path:
        """Absolute path of the reference table."""
        return ROOT / self.file


@dataclass(frozen=True)
class Requires:
    """Preconditions of a claim.

    Attributes
    ----------
    values
        v1: ``field -> values`` every one of which must occur in the results (else ``not_run``).
    cifar10_min_test_accuracy
        v2: CIFAR-10 checkpoints below this test accuracy are excluded and listed.
    """

    values: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    cifar10_min_test_accuracy: float | None = None


@dataclass(frozen=True)
class Bootstrap:
    """The v1 uncertainty: percentile bootstrap of the mean paired difference."""

    resamples: int
    seed: int
    level: float


@dataclass(frozen=True)
class Pooling:
    """The v2 pooling over data sets (random-effects meta-analysis with review.stats)."""

    method: str
    test: str
    level: float
    prediction_interval: bool


@dataclass(frozen=True)
class Claim:
    """One pre-registered claim, as read and checked by :func:`load_claim_set`.

    Attributes
    ----------
    id, version, suite, statement, source
        Identity, the ``version`` of the file it belongs to (1 or 2 for the two registrations;
        a follow-up file's own number), the suite whose results decide it, the claim in words
        and where it comes from.
    arms
        The compared arms (:class:`Arms`).
    pair_on
        Fields that must match for a row of arm a and a row of arm b to form a pair.
    aggregate_within_pair
        ``mean`` / ``median`` of several rows of one arm in one pair cell, or ``None``: a cell
        must then hold one row per arm (cells with more are left out and listed).
    metric, scale, decision, margin, threshold
        Result column, ``difference`` or ``log_ratio``, rule, and its margin (noninferiority,
        within) or threshold (below, on the ratio scale).
    requires, reference, group_by
        Preconditions; the published values of a ``within`` claim; v1's ``within`` groups.
    supersedes, changes
        v2: the v1 claim it replaces and a one-line reason per change.
    min_datasets, min_seeds
        v2 rules: the file's values unless the claim overrides them (``None`` for v1).
    b_best_of, b_same_approach
        Follow-up files: the a row's architecture fields (``arch``, ``arch2``) among which arm
        b's architecture is chosen on :data:`BEST_OF_METRIC` per data set and resolution, and
        the ``(a approach, b approach)`` pairs that say under which approach; ``()`` otherwise.
    """

    id: str
    version: int
    suite: str
    statement: str
    arms: Arms
    metric: str
    decision: str
    pair_on: tuple[str, ...] = ()
    source: str | None = None
    aggregate_within_pair: str | None = None
    scale: str = "difference"
    margin: float | None = None
    threshold: float | None = None
    requires: Requires = field(default_factory=Requires)
    reference: Reference | None = None
    group_by: tuple[str, ...] = ("dataset",)
    supersedes: str | None = None
    changes: tuple[str, ...] = ()
    min_datasets: int | None = None
    min_seeds: int | None = None
    b_best_of: tuple[str, ...] = ()
    b_same_approach: tuple[tuple[str, str], ...] = ()

    def b_approach_for(self, a_approach: str) -> str | None:
        """The single-backbone approach ``b_same_approach`` maps ``a_approach`` to."""
        return dict(self.b_same_approach).get(a_approach)


@dataclass(frozen=True)
class Amendment:
    """A dated change to how named claims are decided, registered before their results.

    Attributes
    ----------
    id
        One of :data:`AMENDMENTS` (the engine applies it by this id).
    date
        Registration date (ISO, ``YYYY-MM-DD``).
    applies_to
        Ids of the claims it changes (each a claim of the same file).
    change, reason
        What changes and why, as one line each.
    """

    id: str
    date: str
    applies_to: tuple[str, ...]
    change: str
    reason: str


@dataclass(frozen=True)
class ClaimSet:
    """A whole claims file: its header and its claims.

    Attributes
    ----------
    version
        The file's ``version``.
    rules
        The rules that decide its claims: 1 (the pilot's) or 2 (pooled over data sets; also a
        follow-up file's, whose ``follows_rules_of`` names the v2 file).
    effect_unit
        v2 rules: over what a data set's effect and SE are taken: ``seed`` (v2: pair
        differences averaged within each seed first) or ``cell`` (follow-up files: over the pair
        cells, as their header says); ``None`` for v1.
    """

    path: Path
    version: int
    registered_on: str
    claims: tuple[Claim, ...]
    rules: int = 0
    effect_unit: str | None = None
    follows_rules_of: str | None = None
    metric_default: str | None = None
    bootstrap: Bootstrap | None = None
    pooling: Pooling | None = None
    min_seeds: int | None = None
    min_datasets: int | None = None
    supersedes_file: str | None = None
    design: tuple[tuple[str, str], ...] = ()
    amendments: tuple[Amendment, ...] = ()

    def amendments_for(self, claim_id: str) -> tuple[Amendment, ...]:
        """The amendments that apply to ``claim_id``, in file order."""
        return tuple(a for a in self.amendments if claim_id in a.applies_to)

    def for_suite(self, suite: str) -> tuple[Claim, ...]:
        """The claims decided by ``suite``'s results."""
        return tuple(c for c in self.claims if c.suite == suite)

    @property
    def suites(self) -> tuple[str, ...]:
        """Suites named by the claims, in file order."""
        return tuple(dict.fromkeys(c.suite for c in self.claims))

    def get(self, claim_id: str) -> Claim:
        """The claim with ``claim_id``.

        Raises
        ------
        InputError
            If no claim has that id.
        """
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise InputError(f"{self.path}: no claim {claim_id!r}; claims: "
                         f"{', '.join(c.id for c in self.claims)}")  # fmt: skip


class _Problems:
    """Collects one line per problem: ``FILE: claim ID: field 'F': what is wrong``."""

    def __init__(self, path: Path):
        self.path = path
        self.lines: list[str] = []

    def add(self, where: str, fld: str | None, msg: str) -> None:
        at = f"{self.path}: {where}" + (f": field '{fld}'" if fld else "")
        self.lines.append(f"{at}: {msg}")

    def raise_if_any(self) -> None:
        if self.lines:
            raise InputError("\n".join(self.lines))


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _values(v: Any) -> tuple[Any, ...]:
    return tuple(v) if isinstance(v, list | tuple) else (v,)


def _arm(raw: Any, where: str, name: str, version: int, suite: str, pr: _Problems) -> Arm | None:
    if not isinstance(raw, Mapping) or not raw:
        pr.add(where, f"arms.{name}", "expected a non-empty mapping of field: value(s)")
        return None
    filters = []
    for f, v in raw.items():
        if f not in ARM_FIELDS:
            pr.add(where, f"arms.{name}.{f}", f"unknown arm field; expected one of "
                   f"{', '.join(sorted(ARM_FIELDS))}")  # fmt: skip
            continue
        vals = _values(v)
        if not vals or any(isinstance(x, Mapping | list) for x in vals):
            pr.add(where, f"arms.{name}.{f}", "expected a value or a list of values")
            continue
        if f == "trainable_fraction_max" and (len(vals) != 1 or not _is_number(vals[0])):
            pr.add(where, f"arms.{name}.{f}", "expected one number (an upper bound)")
            continue
        if f == "uap_source" and not suite.startswith("uap"):
            pr.add(where, f"arms.{name}.{f}", "only attack (uap) suites have uap_source")
        if f == "uap_source" and version == 1 and set(vals) & set(PSEUDO_UAP_SOURCES):
            pr.add(where, f"arms.{name}.{f}", "noise_max / natural_minus_noise_max are v2 only")
        filters.append((f, vals))
    return Arm(tuple(filters))


def _reference(raw: Any, where: str, pr: _Problems) -> Reference | None:
    if isinstance(raw, Mapping):
        unknown = set(raw) - {"file", "method", "column"}
        missing = {"file", "method", "column"} - set(raw)
        for k in sorted(unknown):
            pr.add(where, f"reference.{k}", "unknown key; expected file, method, column")
        for k in sorted(missing):
            pr.add(where, f"reference.{k}", "missing")
        if unknown or missing:
            return None
        ref = Reference(str(raw["file"]), str(raw["method"]), str(raw["column"]))
    elif isinstance(raw, str) and (m := _REFERENCE_TEXT.match(raw.strip())):
        column = "test_auc" if m["measure"] == "AUC" else "test_acc"
        ref = Reference(m["file"], m["method"], column)
    else:
        pr.add(where, "reference", "expected {file, method, column} or 'FILE.csv (METHOD AUC)'")
        return None
    if not ref.path.is_file():
        pr.add(where, "reference", f"reference table {ref.file} not found")
        return ref
    with ref.path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or ref.column not in rows[0] or "method" not in rows[0]:
        pr.add(where, "reference", f"{ref.file} has no 'method' and '{ref.column}' columns")
    elif not any(r["method"] == ref.method for r in rows):
        pr.add(where, "reference", f"{ref.file} has no row with method {ref.method!r}")
    return ref


def _requires(raw: Any, where: str, version: int, pr: _Problems) -> Requires:
    if raw is None:
        return Requires()
    if not isinstance(raw, Mapping):
        pr.add(where, "requires", "expected a mapping")
        return Requires()
    values, acc = [], None
    for k, v in raw.items():
        if k == "cifar10_min_test_accuracy":
            if version < 2:
                pr.add(where, f"requires.{k}", "v2 only")
            elif not _is_number(v) or not 0 < v <= 1:
                pr.add(where, f"requires.{k}", f"got {v!r}; expected a number in (0, 1]")
            else:
                acc = float(v)
        elif version == 1 and k in ARM_FIELDS and isinstance(v, list) and v:
            values.append((k, tuple(v)))
        else:
            pr.add(
                where,
                f"requires.{k}",
                "unknown requirement; expected "
                + ("FIELD: [values]" if version == 1 else "cifar10_min_test_accuracy"),
            )
    return Requires(tuple(values), acc)


def _fields(raw: Any, where: str, key: str, pr: _Problems) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw) or not raw:
        pr.add(where, key, "expected a non-empty list of field names")
        return ()
    for x in raw:
        if x not in ARM_FIELDS - {"trainable_fraction_max"}:
            pr.add(where, key, f"unknown field {x!r}; expected result columns such as "
                   "dataset, arch, source, train_fraction, seed")  # fmt: skip
    if len(set(raw)) != len(raw):
        pr.add(where, key, "a field is listed twice")
    return tuple(raw)


def _claim(raw: Any, i: int, doc: Mapping, kind: int | str, pr: _Problems) -> Claim | None:
    """One claim of a file of ``kind`` (1, 2 or :data:`FOLLOWUP`), or ``None`` after problems."""
    version = 1 if kind == 1 else 2  # the rules that decide it
    if not isinstance(raw, Mapping):
        pr.add(f"claim #{i + 1}", None, "expected a mapping")
        return None
    cid = raw.get("id")
    where = f"claim {cid}" if isinstance(cid, str) and cid else f"claim #{i + 1}"
    n_before = len(pr.lines)
    label = "follow-up" if kind == FOLLOWUP else f"v{kind}"
    for k in sorted(set(raw) - _CLAIM_KEYS[kind]):
        pr.add(where, k, f"unknown key ({label} claims take: "
               f"{', '.join(sorted(_CLAIM_KEYS[kind]))})")  # fmt: skip
    metric = raw.get("metric", doc.get("metric_default"))
    for k, val in (("id", cid), ("suite", raw.get("suite")), ("statement", raw.get("statement")),
                   ("metric", metric), ("decision", raw.get("decision"))):  # fmt: skip
        if not isinstance(val, str) or not val.strip():
            pr.add(where, k, "missing" if val is None else f"got {val!r}; expected text")
    suite = str(raw.get("suite", ""))
    dec = raw.get("decision")
    if isinstance(dec, str) and dec not in DECISIONS:
        pr.add(where, "decision", f"got {dec!r}; expected one of {', '.join(DECISIONS)}")
    scale = raw.get("scale", "difference")
    if scale not in SCALES:
        pr.add(where, "scale", f"got {scale!r}; expected one of {', '.join(SCALES)}")
    agg = raw.get("aggregate_within_pair")
    if agg is not None and agg not in AGGREGATIONS:
        pr.add(where, "aggregate_within_pair",
               f"got {agg!r}; expected one of {', '.join(AGGREGATIONS)}")  # fmt: skip

    # arms
    arms_raw = raw.get("arms")
    arms = None
    if not isinstance(arms_raw, Mapping):
        pr.add(where, "arms", "missing" if arms_raw is None else "expected a mapping a:, b:")
    else:
        want = {"a"} if dec == "within" else {"a", "b"}
        for k in sorted(set(arms_raw) - want):
            takes = " and ".join(sorted(want))
            pr.add(where, f"arms.{k}", f"unknown arm; a {dec} claim takes {takes}")
        for k in sorted(want - set(arms_raw)):
            pr.add(where, f"arms.{k}", "missing")
        a = _arm(arms_raw.get("a"), where, "a", version, suite, pr) if "a" in arms_raw else None
        b = _arm(arms_raw.get("b"), where, "b", version, suite, pr) if "b" in arms_raw else None
        if a is not None:
            arms = Arms(a, b)

    # decision-specific fields: required where used, refused where not used
    uses = {
        "margin": dec in ("noninferiority", "within"),
        "threshold": dec == "below",
        "pair_on": dec != "within",
        "reference": dec == "within",
        "group_by": dec == "within" and version == 1,
    }
    for k, used in uses.items():
        if used and k not in raw and not (k == "group_by"):
            pr.add(where, k, f"missing (decision {dec} needs it)")
        if not used and k in raw:
            pr.add(where, k, f"not used by decision {dec}; remove it")
    if dec == "within" and "aggregate_within_pair" in raw:
        pr.add(where, "aggregate_within_pair", "not used by decision within; remove it")
    margin = raw.get("margin")
    if margin is not None and (not _is_number(margin) or margin <= 0):
        pr.add(where, "margin", f"got {margin!r}; expected a positive number")
    threshold = raw.get("threshold")
    if threshold is not None and (not _is_number(threshold) or threshold <= 0):
        pr.add(where, "threshold", f"got {threshold!r}; expected a positive number")
    if dec == "below" and scale != "log_ratio":
        pr.add(where, "scale", "decision below is stated on log ratios: needs scale: log_ratio")
    if dec != "below" and scale == "log_ratio":
        pr.add(where, "scale", f"log_ratio is only decided by 'below', not {dec}")

    pair_on = _fields(raw["pair_on"], where, "pair_on", pr) if "pair_on" in raw else ()
    if dec == "slope_negative" and pair_on and "train_fraction" not in pair_on:
        pr.add(where, "pair_on", "slope_negative needs train_fraction among the pair fields")
    if version == 2 and pair_on and not {"dataset", "seed"} <= set(pair_on):
        pr.add(where, "pair_on", "v2 pairs within data sets over seeds: needs dataset and seed")
    group_by = ("dataset",)
    if "group_by" in raw:
        group_by = _fields(raw["group_by"], where, "group_by", pr)
    if group_by != ("dataset",):
        pr.add(where, "group_by", "only [dataset] is implemented")
    reference = _reference(raw["reference"], where, pr) if "reference" in raw else None
    requires = _requires(raw.get("requires"), where, version, pr)

    supersedes, changes = raw.get("supersedes"), raw.get("changes")
    mins: dict[str, int | None] = {"min_datasets": None, "min_seeds": None}
    if kind == 2:
        if not isinstance(supersedes, str) or not supersedes:
            pr.add(where, "supersedes", "missing: name the v1 claim this one replaces")
        if (
            not isinstance(changes, list)
            or not changes
            or not all(isinstance(x, str) and x.strip() for x in changes)
        ):
            pr.add(where, "changes", "expected a non-empty list of one-line reasons")
    if version == 2:
        for k in mins:
            v = raw.get(k, doc.get(k))
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                pr.add(where, k, f"got {v!r}; expected a positive integer")
            else:
                mins[k] = v
    best_of, same = _best_of(raw, arms, dec, pair_on, where, pr) if kind == FOLLOWUP else ((), ())
    if len(pr.lines) > n_before or arms is None:
        return None
    return Claim(
        id=cid, version=int(doc["version"]), suite=suite,
        statement=" ".join(str(raw["statement"]).split()),
        arms=arms, metric=metric, decision=dec, pair_on=pair_on,
        source=" ".join(str(raw["source"]).split()) if raw.get("source") else None,
        aggregate_within_pair=agg, scale=scale,
        margin=float(margin) if margin is not None else None,
        threshold=float(threshold) if threshold is not None else None,
        requires=requires, reference=reference, group_by=group_by,
        supersedes=supersedes if kind == 2 else None,
        changes=tuple(" ".join(x.split()) for x in changes) if kind == 2 else (),
        min_datasets=mins["min_datasets"], min_seeds=mins["min_seeds"],
        b_best_of=best_of, b_same_approach=same,
    )  # fmt: skip


def _best_of(raw: Mapping, arms: Arms | None, dec: Any, pair_on: tuple[str, ...], where: str,
             pr: _Problems) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:  # fmt: skip
    """``b_best_of`` and ``b_same_approach`` (both or neither), checked against the arms."""
    has_best, has_same = "b_best_of" in raw, "b_same_approach" in raw
    if not has_best and not has_same:
        return (), ()
    if has_best != has_same:
        missing = "b_same_approach" if has_best else "b_best_of"
        pr.add(where, missing, "missing (b_best_of and b_same_approach go together)")
        return (), ()
    if dec == "within":
        pr.add(where, "b_best_of", "not used by decision within (one arm); remove it")
        return (), ()
    fields, mapping = raw["b_best_of"], raw["b_same_approach"]
    best: tuple[str, ...] = ()
    if (not isinstance(fields, list) or len(fields) < 2 or len(set(fields)) != len(fields)
            or not all(isinstance(f, str) and f in BEST_OF_FIELDS for f in fields)):  # fmt: skip
        allowed = ", ".join(sorted(BEST_OF_FIELDS))
        pr.add(where, "b_best_of", f"got {fields!r}; expected distinct architecture fields of "
               f"the a rows, from {allowed} (e.g. [arch, arch2])")  # fmt: skip
    else:
        best = tuple(fields)
        clash = sorted(set(pair_on) & (BEST_OF_FIELDS | {"approach"}))
        if clash:
            pr.add(where, "pair_on", f"{', '.join(clash)} differ between an a row and its best "
                   "single backbone: b_best_of pairs on the other fields")  # fmt: skip
    same: tuple[tuple[str, str], ...] = ()
    if (
        not isinstance(mapping, Mapping)
        or not mapping
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items())
    ):
        pr.add(where, "b_same_approach", f"got {mapping!r}; expected a mapping of arm a's "
               "approach: arm b's approach")  # fmt: skip
        return best, same
    same = tuple((str(k), str(v)) for k, v in mapping.items())
    if arms is None or arms.b is None:
        return best, same
    a_appr, b_appr = arms.a.get("approach"), arms.b.get("approach")
    if a_appr is None or b_appr is None:
        pr.add(where, "arms", "b_same_approach needs an approach in both arms")
        return best, same
    for k in sorted(set(mapping) - set(a_appr)):
        pr.add(where, f"b_same_approach.{k}", f"not an approach of arm a ({', '.join(a_appr)})")
    for k in sorted(set(a_appr) - set(mapping)):
        pr.add(where, "b_same_approach", f"arm a's approach {k!r} is not mapped")
    for k, v in sorted(mapping.items()):
        if v not in b_appr:
            pr.add(where, f"b_same_approach.{k}", f"{v!r} is not an approach of arm b "
                   f"({', '.join(b_appr)})")  # fmt: skip
    for v in sorted(set(b_appr) - set(mapping.values())):
        pr.add(where, "b_same_approach", f"arm b's approach {v!r} is not the image of any "
               "arm-a approach")  # fmt: skip
    return best, same


def _bootstrap(raw: Any, pr: _Problems) -> Bootstrap | None:
    keys = {"resamples", "seed", "level"}
    if not isinstance(raw, Mapping):
        pr.add("bootstrap", None, "expected a mapping with resamples, seed, level")
        return None
    n = len(pr.lines)
    for k in sorted(set(raw) - keys):
        pr.add("bootstrap", k, "unknown key; expected resamples, seed, level")
    for k in sorted(keys - set(raw)):
        pr.add("bootstrap", k, "missing (no default: the registered value decides the CIs)")
    if {"resamples", "seed"} <= set(raw) and not all(
        isinstance(raw[k], int) and not isinstance(raw[k], bool) and raw[k] >= 0
        for k in ("resamples", "seed")
    ):
        pr.add("bootstrap", "resamples/seed", "expected non-negative integers")
    if "level" in raw and not (_is_number(raw["level"]) and 0 < raw["level"] < 1):
        pr.add("bootstrap", "level", f"got {raw['level']!r}; expected a number in (0, 1)")
    if len(pr.lines) > n:
        return None
    return Bootstrap(int(raw["resamples"]), int(raw["seed"]), float(raw["level"]))


def _pooling(raw: Any, pr: _Problems) -> Pooling | None:
    keys = {"method", "test", "level", "prediction_interval"}
    if not isinstance(raw, Mapping):
        pr.add("pooling", None, "expected a mapping with method, test, level, prediction_interval")
        return None
    n = len(pr.lines)
    for k in sorted(set(raw) - keys):
        pr.add("pooling", k, f"unknown key; expected {', '.join(sorted(keys))}")
    for k in sorted(keys - set(raw)):
        pr.add("pooling", k, "missing")
    if raw.get("method", "REML") not in METHODS or raw.get("method") == "FE":
        pr.add("pooling", "method", f"got {raw.get('method')!r}; expected a random-effects "
               f"estimator ({', '.join(m for m in METHODS if m != 'FE')})")  # fmt: skip
    if raw.get("test", "z") not in TESTS:
        pr.add("pooling", "test", f"got {raw.get('test')!r}; expected one of {', '.join(TESTS)}")
    if "level" in raw and not (_is_number(raw["level"]) and 0 < raw["level"] < 1):
        pr.add("pooling", "level", f"got {raw['level']!r}; expected a number in (0, 1)")
    if "prediction_interval" in raw and raw["prediction_interval"] is not True:
        pr.add("pooling", "prediction_interval", "the v2 rules need it: expected true")
    if len(pr.lines) > n:
        return None
    return Pooling(str(raw["method"]), str(raw["test"]), float(raw["level"]), True)


def _design(raw: Any, pr: _Problems) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    out = []
    if not isinstance(raw, list):
        pr.add("design", None, "expected a list of {change, reason}")
        return ()
    for j, d in enumerate(raw):
        if not isinstance(d, Mapping) or set(d) != {"change", "reason"}:
            pr.add(f"design #{j + 1}", None, "expected exactly the keys change and reason")
            continue
        out.append((" ".join(str(d["change"]).split()), " ".join(str(d["reason"]).split())))
    return tuple(out)


def _amendments(raw: Any, claims: Sequence[Claim | None], pr: _Problems) -> tuple[Amendment, ...]:
    """The ``amendments`` list: every field required, unknown keys and claim ids refused."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        pr.add("top level", "amendments", "expected a non-empty list of amendments")
        return ()
    by_id = {c.id: c for c in claims if c is not None}
    out: list[Amendment] = []
    seen: set[str] = set()
    for j, a in enumerate(raw):
        if not isinstance(a, Mapping):
            pr.add(
                f"amendment #{j + 1}", None, "expected a mapping with " + ", ".join(_AMENDMENT_KEYS)
            )
            continue
        aid = a.get("id")
        where = f"amendment {aid}" if isinstance(aid, str) and aid else f"amendment #{j + 1}"
        n = len(pr.lines)
        for k in sorted(set(a) - set(_AMENDMENT_KEYS)):
            pr.add(where, k, f"unknown key; an amendment takes {', '.join(_AMENDMENT_KEYS)}")
        for k in _AMENDMENT_KEYS:
            if k not in a:
                pr.add(where, k, "missing")
        if isinstance(aid, str) and aid:
            if aid in seen:
                pr.add(where, "id", "used by more than one amendment")
            seen.add(aid)
            if aid not in AMENDMENTS:
                pr.add(where, "id", f"no such amendment is implemented (it would never be "
                       f"applied); expected one of {', '.join(AMENDMENTS)}")  # fmt: skip
        elif "id" in a:
            pr.add(where, "id", f"got {aid!r}; expected text")
        date = a.get("date")
        date = date.isoformat() if isinstance(date, dt.date) else date
        if "date" in a and not (isinstance(date, str) and _ISO_DATE.match(date)):
            pr.add(where, "date", f"got {a.get('date')!r}; expected YYYY-MM-DD")
        for k in ("change", "reason"):
            if k in a and not (isinstance(a[k], str) and a[k].strip()):
                pr.add(where, k, f"got {a[k]!r}; expected text")
        targets = a.get("applies_to")
        if "applies_to" in a:
            if (not isinstance(targets, list) or not targets
                    or not all(isinstance(t, str) for t in targets)):  # fmt: skip
                pr.add(where, "applies_to", "expected a non-empty list of claim ids")
                targets = []
            for t in targets:
                if t not in by_id:
                    pr.add(where, "applies_to", f"unknown claim id {t!r}; claims: "
                           f"{', '.join(by_id)}")  # fmt: skip
            if len(set(targets)) != len(targets):
                pr.add(where, "applies_to", "a claim is listed twice")
            if aid == "A1_seed_invariant_arms":
                for t in targets:
                    c = by_id.get(t)
                    if c is not None and (c.metric != "auc_macro_ovr" or c.scale != "difference"
                                          or c.decision in ("within", "slope_negative")
                                          or c.aggregate_within_pair == "median"):  # fmt: skip
                        pr.add(where, "applies_to", f"claim {t}: A1 bootstraps the AUC "
                               "difference of two arms: needs metric auc_macro_ovr, scale "
                               "difference, a two-arm decision (not within/slope_negative) and "
                               "no median aggregation (A1 averages an arm's runs)")  # fmt: skip
                    if c is not None and c.b_best_of:
                        pr.add(where, "applies_to", f"claim {t}: A1 bootstraps the runs of both "
                               "arms as selected, not the best-of choice: not implemented for "
                               "b_best_of claims")  # fmt: skip
        if len(pr.lines) > n:
            continue
        out.append(Amendment(id=aid, date=date, applies_to=tuple(targets),
                             change=" ".join(a["change"].split()),
                             reason=" ".join(a["reason"].split())))  # fmt: skip
    return tuple(out)


def load_claim_set(path: str | Path) -> ClaimSet:
    """Read and check a claims file (v1 or v2 from its ``version``; a follow-up file of new
    claims under the v2 rules when it has ``follows_rules_of``).

    Parameters
    ----------
    path
        The YAML file.

    Returns
    -------
    ClaimSet

    Raises
    ------
    InputError
        One line per problem: ``FILE: claim ID: field 'F': what is wrong``. Unknown keys, unknown
        decisions, missing fields and fields a decision does not use are all refused.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: claims file not found")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from exc
    pr = _Problems(path)
    if not isinstance(doc, Mapping):
        raise InputError(f"{path}: expected a mapping with version, registered_on and claims")
    version = doc.get("version")
    kind: int | str
    if "follows_rules_of" in doc:
        kind = FOLLOWUP
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise InputError(f"{path}: field 'version': got {version!r}; expected a positive "
                             "integer (the follow-up file's own version)")  # fmt: skip
    elif version in (1, 2):
        kind = version
    else:
        raise InputError(f"{path}: field 'version': got {version!r}; expected 1 or 2")
    rules = 1 if kind == 1 else 2
    spec = _TOP_KEYS[kind]
    label = "follow-up" if kind == FOLLOWUP else f"v{version}"
    for k in sorted(set(doc) - spec["required"] - spec["optional"]):
        pr.add("top level", k, f"unknown key for a {label} claims file")
    for k in sorted(spec["required"] - set(doc)):
        pr.add("top level", k, "missing")
    metric_default = doc.get("metric_default")
    if metric_default is not None and not isinstance(metric_default, str):
        pr.add("top level", "metric_default", "expected a column name")
    raw_claims = doc.get("claims")
    if not isinstance(raw_claims, list) or not raw_claims:
        pr.add("top level", "claims", "expected a non-empty list")
        raw_claims = []
    bootstrap = _bootstrap(doc.get("bootstrap"), pr) if rules == 1 else None
    pooling = _pooling(doc.get("pooling"), pr) if rules == 2 else None
    design = _design(doc.get("design"), pr) if rules == 2 else ()
    follows = doc.get("follows_rules_of") if kind == FOLLOWUP else None
    if kind == FOLLOWUP:
        _check_follows(path, follows, pr)
    if rules == 2:
        for k in ("min_seeds", "min_datasets"):
            v = doc.get(k)
            if k in doc and (not isinstance(v, int) or isinstance(v, bool) or v < 1):
                pr.add("top level", k, f"got {v!r}; expected a positive integer")
    claims = [_claim(c, i, doc, kind, pr) for i, c in enumerate(raw_claims)]
    ids = [c.id for c in claims if c is not None]
    for dup in sorted({x for x in ids if ids.count(x) > 1}):
        pr.add(f"claim {dup}", "id", "used by more than one claim")
    supersedes_file = doc.get("supersedes_file") if version == 2 else None
    if version == 2 and isinstance(supersedes_file, str):
        _check_supersedes(path, supersedes_file, claims, pr)
    amendments = _amendments(doc.get("amendments"), claims, pr) if rules == 2 else ()
    pr.raise_if_any()
    return ClaimSet(
        path=path, version=version, registered_on=str(doc["registered_on"]),
        claims=tuple(c for c in claims if c is not None), metric_default=metric_default,
        bootstrap=bootstrap, pooling=pooling,
        min_seeds=doc.get("min_seeds") if rules == 2 else None,
        min_datasets=doc.get("min_datasets") if rules == 2 else None,
        supersedes_file=supersedes_file, design=design, amendments=amendments,
        rules=rules, effect_unit={1: None, 2: "seed", FOLLOWUP: "cell"}[kind],
        follows_rules_of=follows,
    )  # fmt: skip


def _check_follows(path: Path, follows: Any, pr: _Problems) -> None:
    """A follow-up file's ``follows_rules_of`` must name a claims file that loads as v2."""
    if not isinstance(follows, str) or not follows:
        pr.add("top level", "follows_rules_of", f"got {follows!r}; expected the v2 claims file")
        return
    candidates = [ROOT / follows, path.parent / Path(follows).name]
    target = next((p for p in candidates if p.is_file()), None)
    if target is None:
        pr.add("top level", "follows_rules_of", f"{follows} not found")
        return
    try:
        rules = load_claim_set(target).rules
    except InputError as exc:
        pr.add("top level", "follows_rules_of", f"{target} does not load: {exc}")
        return
    if rules != 2:
        pr.add("top level", "follows_rules_of", f"{follows} is not a v2 claims file (the rules "
               "a follow-up file follows are v2's)")  # fmt: skip


def _check_supersedes(
    path: Path, supersedes_file: str, claims: Sequence[Claim | None], pr: _Problems
) -> None:
    """Each v2 claim must supersede a claim of the v1 file the header names."""
    # the v1 file may have moved with the package layout: try the name as given, then beside us
    candidates = [ROOT / supersedes_file, path.parent / Path(supersedes_file).name]
    v1 = next((p for p in candidates if p.is_file()), None)
    if v1 is None:
        pr.add("top level", "supersedes_file", f"{supersedes_file} not found")
        return
    try:
        old = {c.id for c in load_claim_set(v1).claims}
    except InputError as exc:
        pr.add("top level", "supersedes_file", f"{v1} does not load: {exc}")
        return
    for c in claims:
        if c is not None and c.supersedes not in old:
            pr.add(f"claim {c.id}", "supersedes", f"{c.supersedes!r} is not a claim of {v1.name}")
