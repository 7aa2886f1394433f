"""Run configs, identities, suite expansion, overrides and shards (no training here)."""

from __future__ import annotations

import dataclasses

import pytest

from reproduce.engine.config import ConfigError, RunConfig, run_id
from reproduce.engine.plan import (
    apply_overrides,
    expand_suite,
    load_suite,
    parse_shard,
    plan_runs,
    select_shard,
)
from review.errors import InputError

BASE = RunConfig(dataset="synthetic", arch="tiny2", approach="feature_extractor", resolution=16)


def test_run_id_is_stable_and_sensitive():
    rid = run_id(BASE, "d1", "c1")
    assert len(rid) == 16 and int(rid, 16) >= 0
    assert run_id(BASE, "d1", "c1") == rid
    assert run_id(BASE, "d2", "c1") != rid  # data changed
    assert run_id(BASE, "d1", "c2") != rid  # code changed
    assert run_id(dataclasses.replace(BASE, seed=1), "d1", "c1") != rid
    # fields the approach does not use do not fork the identity
    assert run_id(dataclasses.replace(BASE, k_blocks=3, augment=False), "d1", "c1") == rid


def test_resolved_normalises_and_validates():
    s = RunConfig(dataset="x", arch="a", approach="scratch", source="imagenet").resolved()
    assert s.source == "random"
    h = RunConfig(dataset="x", arch="a", approach="feature_extractor_hybrid").resolved()
    assert h.classifier == "auto" and h.augment is False
    g = RunConfig(dataset="x", arch="a", approach="scratch", lr_grid=(0.01,)).resolved()
    assert g.lr == 0.01 and g.lr_grid == ()
    with pytest.raises(ConfigError, match="k_blocks"):
        RunConfig(dataset="x", arch="a", approach="fine_tuning").resolved()
    with pytest.raises(ConfigError, match="use approach='scratch'"):
        RunConfig(
            dataset="x", arch="a", approach="fine_tuning_from_scratch", source="random"
        ).resolved()
    with pytest.raises(ConfigError, match="approach='nope'"):
        RunConfig(dataset="x", arch="a", approach="nope").resolved()
    with pytest.raises(ConfigError, match="unknown field"):
        RunConfig.from_dict({"dataset": "x", "arch": "a", "approach": "scratch", "lrr": 1})


def test_tiny_suite_expands_and_dedups(tiny_suite):
    suite = load_suite(str(tiny_suite))
    cfgs = expand_suite(suite, "smoke")
    assert [c.approach for c in cfgs] == [
        "feature_extractor",
        "feature_extractor_hybrid",
        "fine_tuning_from_scratch",
        "scratch",
        "fine_tuning",
        "fine_tuning",
    ]
    assert {c.k_blocks for c in cfgs if c.approach == "fine_tuning"} == {1, 2}
    with pytest.raises(InputError, match="no profile 'gpu'"):
        expand_suite(suite, "gpu")


def test_packaged_guideline_suite_expands():
    suite = load_suite("guideline")
    sizes = {p: len(expand_suite(suite, p)) for p in ("smoke", "cpu", "gpu")}
    assert 0 < sizes["smoke"] < sizes["cpu"] < sizes["gpu"]
    smoke = plan_runs(expand_suite(suite, "smoke"), code="test")
    assert len({p.run_id for p in smoke}) == len(smoke)


def test_overrides():
    out = apply_overrides([BASE, dataclasses.replace(BASE, seed=1)], ["seed=5", "epochs=2"])
    assert len(out) == 1 and out[0].seed == 5 and out[0].epochs == 2
    with pytest.raises(InputError, match="unknown field"):
        apply_overrides([BASE], ["nope=1"])
    with pytest.raises(InputError, match="FIELD=VALUE"):
        apply_overrides([BASE], ["epochs"])


def test_shards_partition_the_runs():
    ids = [run_id(dataclasses.replace(BASE, seed=s), "d", "c") for s in range(40)]
    parts = [select_shard(ids, (i, 3)) for i in range(3)]
    flat = sorted(j for p in parts for j in p)
    assert flat == list(range(40))
    assert all(parts)  # 40 random ids: every shard gets some
    assert parse_shard("1/3") == (1, 3)
    for bad in ("3/3", "x", "1/0", "-1/2", "1"):
        with pytest.raises(InputError, match="--shard"):
            parse_shard(bad)


def test_suite_profile_defaults_state_only_what_differs_from_runconfig():
    import dataclasses

    from reproduce.engine.plan import suites_dir

    default = {
        f.name: f.default
        for f in dataclasses.fields(RunConfig)
        if f.default is not f.default_factory
    }
    repeated = []
    for path in sorted(suites_dir().glob("*.yaml")):
        suite = load_suite(str(path))
        for name, body in suite.profiles.items():
            for key, value in (body.get("defaults") or {}).items():
                if key in default and type(value) is type(default[key]) and value == default[key]:
                    repeated.append(f"{path.name} {name}: {key}: {value}")
    assert not repeated, "profile defaults repeat RunConfig's:\n" + "\n".join(repeated)
