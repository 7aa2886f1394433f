"""Suites and run plans: suite files -> resolved configs -> planned runs with ids and shards.

Suites are YAML files (``reproduce/suites/<name>.yaml``) with profiles; each profile expands its
grids into :class:`~reproduce.engine.config.RunConfig` objects (:func:`expand_suite`), with
``--set`` overrides (:func:`apply_overrides`) and stable shards (:func:`select_shard`).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reproduce.datasets.checksum import data_checksum, native_resolution
from reproduce.engine.config import ConfigError, RunConfig, code_version, run_id
from review import paths
from review.errors import InputError

SUITE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def resolve_run(cfg: RunConfig) -> RunConfig:
    """Resolve ``cfg`` and fill the native resolution when it is ``None`` (and known)."""
    c = cfg.resolved()
    if c.resolution is None:
        native = native_resolution(c.dataset)
        if native:
            c = dataclasses.replace(c, resolution=native)
    return c


# ============================================================================ suites
def suites_dir() -> Path:
    """Folder of the packaged suite files (``reproduce/suites``)."""
    return Path(__file__).resolve().parents[1] / "suites"


def packaged_profiles() -> dict[str, list[str]]:
    """Profiles of every packaged suite, read from the suite files: ``{suite: [profile, ...]}``.

    Unreadable files are left out (:func:`load_suite` reports them when they are used).
    """
    out: dict[str, list[str]] = {}
    for path in sorted(suites_dir().glob("*.yaml")):
        try:
            out[path.stem] = list(load_suite(str(path)).profiles)
        except InputError:
            continue
    return out


@dataclass(frozen=True)
class Suite:
    """A parsed suite file.

    Attributes
    ----------
    name
        Suite name (run folders go under ``runs_dir()/<name>``).
    path
        The YAML file.
    description
        What the suite is for.
    profiles
        Profile name -> ``{"description", "defaults", "grids"}``.
    """

    name: str
    path: Path
    description: str
    profiles: dict[str, dict[str, Any]]


def load_suite(name_or_path: str) -> Suite:
    """Read a suite by name (``reproduce/suites/<name>.yaml``) or by path.

    Raises
    ------
    InputError
        Unknown suite (lists the packaged ones) or a malformed file (names the field).
    """
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        path = p
    else:
        path = suites_dir() / f"{name_or_path}.yaml"
    if not path.is_file():
        known = sorted(q.stem for q in suites_dir().glob("*.yaml"))
        raise InputError(
            f"unknown suite {name_or_path!r}: no file {path}; packaged suites: {', '.join(known)}"
        )
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), dict):
        raise InputError(f"{path}: expected a mapping with a 'profiles' mapping")
    name = str(data.get("suite") or path.stem)
    if not SUITE_NAME.match(name):
        raise InputError(f"{path}: suite name {name!r} must match {SUITE_NAME.pattern}")
    for prof, body in data["profiles"].items():
        if not isinstance(body, dict) or not isinstance(body.get("grids"), list):
            raise InputError(f"{path}: profile {prof!r} needs a 'grids' list")
    return Suite(name, path, str(data.get("description", "")), data["profiles"])


def _listify(v: Any) -> list[Any]:
    return list(v) if isinstance(v, list) else [v]


def expand_suite(
    suite: Suite, profile: str, overrides: Mapping[str, Any] | None = None
) -> list[RunConfig]:
    """Expand a profile's grids into resolved configs (cartesian product per grid, deduplicated).

    Each grid is a mapping field -> value or list of values, merged over the profile's
    ``defaults``; ``overrides`` (``--set``, :func:`parse_overrides`) replace fields of every
    grid *before* the configs are normalised, so an override is read as if the user had written
    it into each grid. Fields an approach does not use are normalised away
    (:meth:`RunConfig.resolved`), so duplicates collapse; the order is the grids' order.

    Raises
    ------
    InputError
        Unknown profile, or an invalid config (naming the grid and the field).
    """
    if profile not in suite.profiles:
        raise InputError(
            f"suite {suite.name!r} has no profile {profile!r}; profiles: "
            f"{', '.join(suite.profiles)}"
        )
    body = suite.profiles[profile]
    defaults = dict(body.get("defaults") or {})
    out: list[RunConfig] = []
    seen: set[str] = set()
    for gi, grid in enumerate(body["grids"], start=1):
        if not isinstance(grid, dict):
            raise InputError(f"{suite.path}: profile {profile} grid {gi}: expected a mapping")
        merged = {**defaults, **grid, **dict(overrides or {})}
        keys = list(merged)
        values = [
            [merged[k]]
            if k == "lr_grid" and not _is_nested_list(merged[k])
            else _listify(merged[k])
            for k in keys
        ]
        for combo in itertools.product(*values):
            row = dict(zip(keys, combo, strict=True))
            where = f"{suite.path.name}: profile {profile} grid {gi} ({_short(row)})"
            try:
                cfg = RunConfig.from_dict(row, where=where).resolved()
            except ConfigError as exc:
                msg = str(exc)
                raise ConfigError(msg if msg.startswith(where) else f"{where}: {msg}") from None
            key = json.dumps(cfg.to_dict(), sort_keys=True)
            if key not in seen:
                seen.add(key)
                out.append(cfg)
    return out


def _is_nested_list(v: Any) -> bool:
    return isinstance(v, list) and any(isinstance(x, list) for x in v)


def _short(row: dict[str, Any]) -> str:
    keys = ("dataset", "arch", "source", "approach", "k_blocks", "seed")
    return ", ".join(f"{k}={row[k]}" for k in keys if k in row)


def parse_overrides(sets: Sequence[str]) -> dict[str, Any]:
    """Parse ``--set FIELD=VALUE`` items (YAML values) into a mapping.

    Raises
    ------
    InputError
        Malformed item or unknown field.
    """
    changes: dict[str, Any] = {}
    names = {f.name for f in dataclasses.fields(RunConfig)}
    for item in sets:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise InputError(f"--set {item!r}: expected FIELD=VALUE, e.g. epochs=2")
        if key not in names:
            raise InputError(
                f"--set {item!r}: unknown field {key!r}; fields: {', '.join(sorted(names))}"
            )
        changes[key] = yaml.safe_load(raw)
    return changes


def apply_overrides(configs: Sequence[RunConfig], sets: Sequence[str]) -> list[RunConfig]:
    """Apply ``--set FIELD=VALUE`` overrides to already expanded configs, then deduplicate.

    Prefer ``expand_suite(suite, profile, parse_overrides(sets))``: here the configs were
    normalised before the override (a scratch row keeps ``source=random``).

    Raises
    ------
    InputError
        Malformed item or unknown field.
    """
    changes = parse_overrides(sets)
    if not changes:
        return list(configs)
    out, seen = [], set()
    for cfg in configs:
        c = RunConfig.from_dict({**cfg.to_dict(), **changes}, where="--set").resolved()
        key = json.dumps(c.to_dict(), sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """Parse ``--shard i/n`` (0 <= i < n).

    Raises
    ------
    InputError
        Anything else.
    """
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not m or int(m.group(2)) < 1 or int(m.group(1)) >= int(m.group(2)):
        raise InputError(f"--shard {text!r}: expected i/n with 0 <= i < n (e.g. 0/4 ... 3/4)")
    return int(m.group(1)), int(m.group(2))


def select_shard(run_ids: Sequence[str], shard: tuple[int, int] | None) -> list[int]:
    """Indices of the runs in shard ``(i, n)``: those whose id, as an integer, is i mod n.

    The assignment depends only on each run's id, so it is the same on every machine and does
    not change when other runs are added to the suite.
    """
    if shard is None:
        return list(range(len(run_ids)))
    i, n = shard
    return [j for j, rid in enumerate(run_ids) if int(rid, 16) % n == i]


@dataclass(frozen=True)
class PlannedRun:
    """A config with its identity."""

    config: RunConfig
    run_id: str
    data_checksum: str


def plan_runs(configs: Iterable[RunConfig], code: str | None = None) -> list[PlannedRun]:
    """Resolve each config and compute its data checksum and run id."""
    code = code_version() if code is None else code
    out = []
    for cfg in configs:
        c = resolve_run(cfg)
        dsum = data_checksum(c.dataset)
        out.append(PlannedRun(c, run_id(c, dsum, code), dsum))
    return out


def suite_dir(suite: str, runs_root: Path | None = None) -> Path:
    """``runs_dir()/<suite>``."""
    return (runs_root or paths.runs_dir()) / suite


def run_configs(
    suite: str,
    profile: str,
    *,
    sets: Sequence[str] = (),
    shard: tuple[int, int] | None = None,
) -> tuple[Suite, list[PlannedRun]]:
    """Load a suite, expand a profile with the overrides applied to its grids, select a shard."""
    s = load_suite(suite)
    planned = plan_runs(expand_suite(s, profile, parse_overrides(sets)))
    keep = select_shard([p.run_id for p in planned], shard)
    return s, [planned[i] for i in keep]
