"""``--set`` is applied to the grids before the configs are normalised (issue #12, bug 3).

Plans the packaged guideline smoke profile (no data read: the embedded BreastMNIST checksum is
the registry's) and checks what the user sees in a dry run.
"""

from __future__ import annotations

from review.cli import main


def _plan(sets: list[str]):  # noqa: ANN202 - (Suite, list[PlannedRun])
    from reproduce.engine.plan import run_configs

    return run_configs("guideline", "smoke", sets=sets)


def test_set_approach_from_scratch_on_a_profile_with_a_scratch_row() -> None:
    # before: "source='random' is training from scratch" though the user never set a source
    _, planned = _plan(["approach=fine_tuning_from_scratch"])
    assert len(planned) == 1
    assert planned[0].config.approach == "fine_tuning_from_scratch"
    assert planned[0].config.source == "imagenet"


def test_set_approach_feature_extractor_gives_one_run() -> None:
    # before: 3 runs, with the scratch row's source=random and the hybrid row's batch_size=1
    _, planned = _plan(["approach=feature_extractor"])
    assert [p.config.approach for p in planned] == ["feature_extractor"]
    assert planned[0].config.source == "imagenet"


def test_dry_run_shows_every_field_that_differs(capsys) -> None:  # noqa: ANN001
    assert (
        main(
            ["reproduce", "run", "guideline", "--profile", "smoke", "--dry-run", "--format", "csv"]
        )
        == 0
    )
    out = capsys.readouterr().out
    header = out.splitlines()[0].split(",")
    # the smoke rows differ in approach, source (scratch), k_blocks and the hybrid's recipe
    for field in ("approach", "source", "k_blocks", "batch_size", "lr"):
        assert field in header, header
    assert "all layers, from pretrained" in out


def test_dedup_strict_resolves_without_changing_existing_run_ids() -> None:
    from reproduce.engine.config import RunConfig, run_id

    base = {"dataset": "breastmnist", "arch": "efficientnet_lite0", "approach": "scratch"}
    plain = RunConfig.from_dict(base).resolved()
    exact = RunConfig.from_dict({**base, "dedup": "exact"}).resolved()
    strict = RunConfig.from_dict({**base, "dedup": "strict"}).resolved()
    off = RunConfig.from_dict({**base, "dedup": "off"}).resolved()
    assert run_id(plain, "x", "c") == run_id(exact, "x", "c")  # dedup_near not in the id
    assert (strict.dedup, strict.dedup_near, strict.dedup_arg) == (True, True, "strict")
    assert (off.dedup, off.dedup_near, off.dedup_arg) == (False, None, False)
    assert run_id(strict, "x", "c") != run_id(plain, "x", "c")


def test_resize_is_a_config_field_only_when_not_the_default() -> None:
    from reproduce.engine.config import ConfigError, RunConfig, run_id

    base = {"dataset": "breastmnist", "arch": "efficientnet_lite0", "approach": "scratch"}
    plain = RunConfig.from_dict(base).resolved()
    squash = RunConfig.from_dict({**base, "resize": "squash"}).resolved()
    pad = RunConfig.from_dict({**base, "resize": "pad"}).resolved()
    assert squash.resize is None and run_id(plain, "x", "c") == run_id(squash, "x", "c")
    assert pad.resize == "pad" and run_id(pad, "x", "c") != run_id(plain, "x", "c")
    import pytest

    with pytest.raises(ConfigError, match="resize='stretch': expected squash, pad or crop"):
        RunConfig.from_dict({**base, "resize": "stretch"}).resolved()
