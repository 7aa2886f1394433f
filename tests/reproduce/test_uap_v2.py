"""The second-round UAP path (reproduce/attacks/device.py) rehearsed on the CPU.

Everything here is SYNTHETIC: the victims are SqueezeNet 1.1 networks trained from random
initialisation by the engine on the synthetic data sets for two epochs, and the "natural"
images of the tiny pack are smooth random textures made below. The numbers test the plumbing
(rows, exclusions, curves, budget), not fragility.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from reproduce.attacks import device as dev
from reproduce.attacks.uap import lp_norm
from reproduce.engine.config import RunConfig
from reproduce.engine.execute import execute_run
from review.errors import InputError

ROOT = Path(__file__).resolve().parents[2]

#: Runs a module as a GPU machine would: polars unimportable (an import hook).
BLOCK = ROOT / "tests" / "device" / "block_polars.py"


def _synthetic_natural(n: int = 96, seed: int = 0) -> np.ndarray:
    """SYNTHETIC stand-ins for CIFAR-10: smooth random colour textures, uint8 (n, 32, 32, 3)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:32, 0:32] / 32
    out = np.empty((n, 32, 32, 3), np.uint8)
    for i in range(n):
        f = rng.uniform(1, 6, (3, 2))
        ph = rng.uniform(0, 6.3, 3)
        for c in range(3):
            out[i, :, :, c] = 127.5 + 120 * np.sin(f[c, 0] * xx * 6.3 + f[c, 1] * yy * 6.3 + ph[c])
    return out


def _collapse(src: Path, dst: Path) -> None:
    """Copy a kept run and make its head predict class 0 for every image (a collapsed model)."""
    shutil.copytree(src, dst)
    ckpt = torch.load(dst / "model.pt", map_location="cpu", weights_only=True)
    sd = ckpt["state_dict"]
    bias = [k for k, v in sd.items() if k.endswith("bias") and v.ndim == 1][-1]
    weight = bias[: -len("bias")] + "weight"
    sd[weight] = torch.zeros_like(sd[weight])
    sd[bias] = torch.tensor([10.0] + [-10.0] * (sd[bias].numel() - 1))
    torch.save(ckpt, dst / "model.pt")


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two SYNTHETIC victims (+ one collapsed copy), a tiny pack, and one run of the entry point
    with polars blocked."""
    tmp = tmp_path_factory.mktemp("uapv2")
    runs = tmp / "runs"
    folders = {}
    # SqueezeNet 1.1 from random initialisation (no weight file needed) on the two SYNTHETIC
    # data sets; the toy ``tiny2`` of the engine tests ends up predicting one class on them
    # (its BatchNorm statistics after one epoch), which the exclusion rule then (rightly) drops.
    for dataset in ("synthetic", "synthetic3"):
        cfg = RunConfig(
            dataset=dataset,
            arch="squeezenet1_1",
            approach="scratch",
            resolution=32,
            epochs=2,
            batch_size=32,
            lr=0.001,
        )
        out = execute_run(cfg, suite="guideline_v2", runs_root=runs, device="cpu", keep_model=True)
        assert out.status == "ok", out.result.get("error")
        folders[dataset] = out.folder
    collapsed = runs / "guideline_v2" / "zz-collapsed-copy"
    _collapse(folders["synthetic"], collapsed)
    pack = tmp / "pack"
    (pack / "natural").mkdir(parents=True)
    np.savez(pack / "natural" / "cifar10.npz", images=_synthetic_natural())
    out = tmp / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TLREVIEW_RUNS_DIR": str(runs)}
    cmd = [
        sys.executable,
        str(BLOCK),
        "reproduce.attacks.device",
        "--victims",
        "guideline_v2",
        "--profile",
        "rehearsal",
        "--pack",
        str(pack),
        "--out",
        str(out),
        "--runs-dir",
        str(runs),
        "--device",
        "cpu",
        "--time-budget",
        "600",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [json.loads(ln) for ln in (out / dev.ROWS_FILE).read_text().splitlines()]
    summary = json.loads((out / dev.SUMMARY_FILE).read_text())
    return {
        "rows": rows,
        "summary": summary,
        "folders": folders,
        "collapsed": collapsed,
        "log": proc.stderr,
        "runs": runs,
        "pack": pack,
        "out": out,
    }


def test_device_module_imports_without_polars() -> None:
    code = "import sys; sys.modules['polars'] = None; import reproduce.attacks.device"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_rehearsal_rows_have_the_schema_and_every_attack(rehearsal: dict) -> None:
    rows, prof = rehearsal["rows"], dev.load_profile("rehearsal")
    for r in rows:
        assert list(r)[: len(dev.ROW_COLUMNS)] == list(dev.ROW_COLUMNS)
    attacked = [r for r in rows if not r["excluded"]]
    assert {r["victim_run_id"] for r in attacked} == {f.name for f in rehearsal["folders"].values()}
    curve = [r for r in attacked if r["kind"] == "budget_curve"]
    n_points = len(prof["budget_curve"]["norm"]) * len(prof["budget_curve"]["eps_ratio"])
    assert len(curve) == 2 * n_points * len(prof["sources"])
    for r in attacked:
        assert 0.0 <= r["fooling_rate"] <= 1.0
        assert 0.0 <= r["clean_accuracy"] <= 1.0 and 0.0 <= r["perturbed_accuracy"] <= 1.0
        assert r["uap_norm"] <= r["eps"] * (1 + 1e-6)
        assert r["eps"] == pytest.approx(r["eps_ratio"] * r["mean_image_norm"])
        if r["uap_source"].startswith("noise_"):
            assert r["n_source_images"] == 0
            assert r["uap_norm"] == pytest.approx(r["eps"], rel=1e-5)  # same norm as the budget
        assert (r["target_gain"] is None) == (not r["targeted"])
    op = [r for r in curve if r["operating_point"]]
    assert {(r["norm"], r["eps_ratio"]) for r in op} == {
        (o["norm"], o["eps_ratio"]) for o in prof["operating_points"]
    }
    # a victim's clean accuracy is the same beside every fooling rate
    for rid in {r["victim_run_id"] for r in attacked}:
        assert len({r["clean_accuracy"] for r in attacked if r["victim_run_id"] == rid}) == 1


@pytest.mark.slow
def test_rehearsal_excludes_the_collapsed_model_with_its_class_shares(rehearsal: dict) -> None:
    excl = [r for r in rehearsal["rows"] if r["excluded"]]
    assert [r["victim_run_id"] for r in excl] == [rehearsal["collapsed"].name]
    shares = json.loads(excl[0]["class_shares"])
    assert max(shares.values()) == 1.0 and excl[0]["fooling_rate"] is None
    s = rehearsal["summary"]
    assert [e["victim_run_id"] for e in s["excluded"]] == [rehearsal["collapsed"].name]
    assert len(s["victims"]) == 2 and not s["errors"] and not s["not_started_budget"]


@pytest.mark.slow
def test_rehearsal_has_targeted_gain_and_the_number_of_images_curve(rehearsal: dict) -> None:
    prof = dev.load_profile("rehearsal")
    rows = rehearsal["rows"]
    tgt = [r for r in rows if r["kind"] == "targeted"]
    assert len(tgt) == 2 and all(-1 <= r["target_gain"] <= 1 for r in tgt)
    ncurve = [r for r in rows if r["kind"] == "n_curve"]
    assert [r["n_source_images"] for r in ncurve] == prof["n_curve"]["n_source"]
    assert len({r["victim_run_id"] for r in ncurve}) == 1
    # every image count is visited at least min_image_visits times
    for r in ncurve:
        assert r["passes"] * r["n_source_images"] >= prof["n_curve"]["min_image_visits"]


@pytest.mark.slow
def test_no_victim_starts_that_cannot_finish(rehearsal: dict, tmp_path: Path) -> None:
    s = dev.run_attacks(
        "guideline_v2",
        out=tmp_path / "o",
        profile="rehearsal",
        pack=rehearsal["pack"],
        runs_root=rehearsal["runs"],
        device="cpu",
        time_budget=1e-3,
        echo=lambda _: None,
    )
    assert len(s["not_started_budget"]) == 3 and not s["victims"]
    assert not (tmp_path / "o" / dev.ROWS_FILE).exists()


@pytest.mark.slow
def test_an_interrupted_call_resumes_without_losing_or_duplicating_rows(
    rehearsal: dict, tmp_path: Path
) -> None:
    out = tmp_path / "o"
    shutil.copytree(rehearsal["out"], out)
    summ = json.loads((out / dev.SUMMARY_FILE).read_text())
    last = summ["victims"].pop()  # the call "died" after this victim's rows, before its summary
    (out / dev.SUMMARY_FILE).write_text(json.dumps(summ))
    with (out / dev.ROWS_FILE).open("a") as fh:
        fh.write('{"victim_run_id": "cut-by-a-kill", "fool')  # and a write cut short
    logs: list[str] = []
    s = dev.run_attacks(
        "guideline_v2",
        out=out,
        profile="rehearsal",
        pack=rehearsal["pack"],
        runs_root=rehearsal["runs"],
        device="cpu",
        echo=logs.append,
    )
    assert any("resuming" in ln and "2 victim(s) already done" in ln for ln in logs)
    rows = [json.loads(ln) for ln in (out / dev.ROWS_FILE).read_text().splitlines()]
    key = ("victim_run_id", "kind", "norm", "eps_ratio", "uap_source", "targeted",
           "n_source_images")  # fmt: skip
    assert len({tuple(r[k] for k in key) for r in rows}) == len(rows) == len(rehearsal["rows"])
    assert sorted(v["victim_run_id"] for v in s["victims"]) == sorted(
        v["victim_run_id"] for v in rehearsal["summary"]["victims"]
    )
    redone = [r for r in rows if r["victim_run_id"] == last["victim_run_id"]]
    assert redone and len(redone) == sum(
        r["victim_run_id"] == last["victim_run_id"] for r in rehearsal["rows"]
    )
    with pytest.raises(InputError, match="profile 'rehearsal', not 'gpu'"):
        dev.run_attacks(
            "guideline_v2", out=out, profile="gpu", runs_root=rehearsal["runs"], device="cpu"
        )


@pytest.mark.parametrize("norm", ["l2", "linf"])
def test_lowpass_noise_has_the_budget_norm_and_is_smoother_than_white(norm: str) -> None:
    eps = 0.7 if norm == "l2" else 0.03
    low = dev.noise_uap("noise_lowpass", (3, 64, 64), norm, eps, seed=1, grid=8)
    white = dev.noise_uap("noise_white", (3, 64, 64), norm, eps, seed=1, grid=8)
    for v in (low, white):
        n = float(lp_norm(v[None], norm)[0])
        assert n <= eps and n == pytest.approx(eps, rel=1e-6)

    def roughness(v: torch.Tensor) -> float:  # mean neighbour difference / mean magnitude
        return float((v[:, :, 1:] - v[:, :, :-1]).abs().mean() / v.abs().mean())

    assert roughness(low) < 0.25 * roughness(white)


def test_only_curve_seeds_get_the_budget_curve() -> None:
    prof = dev.load_profile("cpu")
    assert dev.is_full(prof, 0) and not dev.is_full(prof, 1)
    assert dev.is_full({k: v for k, v in prof.items() if k != "curve_seeds"}, 1)
    full = dev.attack_counts(prof, 500, 300, n_curve=True)
    ops = dev.attack_counts(prof, 500, 300, n_curve=True, full=False)
    n_src = len(prof["sources"])
    assert ops["uaps"] == len(prof["operating_points"]) * n_src
    n_curve = len(prof["n_curve"]["n_source"])
    assert full["uaps"] == 4 * 2 * n_src + 1 + n_curve  # 4 ratios x 2 norms, targeted, n-curve
    # generated UAPs: 2 sources x 2 passes x 256 images per point
    assert ops["grad_images"] == len(prof["operating_points"]) * 2 * 2 * 256


def test_class_shares_and_exclusion_threshold() -> None:
    assert dev.class_shares(np.array([1, 1, 1, 0]), 2) == [0.25, 0.75]
    assert all(math.isnan(x) for x in dev.class_shares(np.array([], int), 2))


def test_profile_errors_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no profile 'nope'"):
        dev.load_profile("nope")
    bad = tmp_path / "s.yaml"
    bad.write_text(
        "profiles:\n  p: {victims: {}, budget_curve: {norm: [linf], eps_ratio: [0.02]},"
        " sources: [natural, radio], generation: {n_source: 1}, operating_points: []}\n"
    )
    with pytest.raises(InputError, match="radio"):
        dev.load_profile("p", bad)


def test_gpu_profile_estimate_is_written_in_the_suite_file() -> None:
    prof = dev.load_profile("gpu")
    tab = dev.estimate_table(prof, dev.GPU_VICTIMS)
    total = sum(r["seconds"] for r in tab)
    text = dev.SUITE_FILE.read_text()
    assert f"total {total:.1f} s for {len(tab)} victims" in text


class _Linear2(torch.nn.Module):
    """A SYNTHETIC linear 2-class model on (N, 3, 4, 4) inputs (DeepFool is exact on it)."""

    def __init__(self) -> None:
        super().__init__()
        g = torch.Generator().manual_seed(3)
        self.w = torch.nn.Parameter(torch.randn(2, 48, generator=g))
        self.b = torch.nn.Parameter(torch.tensor([0.3, -0.2]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(x.shape[0], -1) @ self.w.T + self.b


@pytest.mark.parametrize("norm", ["l2", "linf"])
def test_deepfool_step_reaches_the_linear_boundary_in_one_step(norm: str) -> None:
    from reproduce.attacks.uap import deepfool_steps

    model = _Linear2().eval()
    z = torch.rand(5, 3, 4, 4, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        f = model(z)
    c = f.argmax(1)
    w = (model.w[1 - c] - model.w[c]).detach()  # (N, 48): gradient of f_other - f_c
    gap = (f[torch.arange(5), 1 - c] - f[torch.arange(5), c]).abs()
    dual = w.norm(dim=1) if norm == "l2" else w.abs().sum(1)
    r = deepfool_steps(model, z, norm, max_iter=1, overshoot=0.02)
    size = lp_norm(r, norm)
    expected = 1.02 * (gap / dual + 1e-4)  # distance to the boundary in the dual norm, + overshoot
    torch.testing.assert_close(size.float(), expected.float(), rtol=1e-4, atol=1e-6)
    with torch.no_grad():
        assert bool((model(z + r).argmax(1) != c).all())


def test_deepfool_uap_respects_the_budget_and_fools_a_linear_model() -> None:
    from reproduce.attacks.spec import UAPConfig
    from reproduce.attacks.uap import generate_uap_deepfool

    model = _Linear2().eval()
    x = torch.rand(64, 3, 4, 4, generator=torch.Generator().manual_seed(1))
    eps = 0.3 * float(lp_norm(x, "l2").mean())
    cfg = UAPConfig(norm="l2", eps_ratio=0.3, max_epochs=2, batch_size=8, seed=0)
    r = generate_uap_deepfool(model, x, cfg, eps=eps)
    assert float(lp_norm(r.perturbation[None], "l2")[0]) <= eps
    assert r.source_fooling_rate > 0.2  # a linear 2-class model: one direction flips many


@pytest.mark.slow
def test_uap_collect_writes_all_rows_and_the_claim_rows(rehearsal: dict, tmp_path: Path) -> None:
    import polars as pl

    from reproduce.attacks.collect_v2 import collect_uap_v2
    from review.cli import main

    out = rehearsal["out"]
    assert main(["reproduce", "uap-collect", str(out), "--results-dir", str(tmp_path)]) == 0
    info = collect_uap_v2(out, tmp_path)  # a second merge of the same call changes nothing
    dest = tmp_path / "uap_v2"
    rows = pl.read_parquet(dest / "rows.parquet")
    assert len(rows) == len(rehearsal["rows"]) == info["rows"]
    assert info["excluded"] == 1 and info["victims"] == 2
    assert (dest / "summary.json").is_file() and (dest / "rows.csv").is_file()
    claims = pl.read_parquet(dest / "results.parquet")
    assert set(claims["uap_source"]) == {*dev.V2_SOURCES, "noise_max", "natural_minus_noise_max"}
    assert not claims["excluded"].any() and not claims["targeted"].any()
    for _, g in claims.group_by(["victim_run_id", "norm"]):
        fr = dict(zip(g["uap_source"], g["fooling_rate"], strict=True))
        assert fr["noise_max"] == max(fr["noise_white"], fr["noise_lowpass"])
        assert fr["natural_minus_noise_max"] == pytest.approx(fr["natural"] - fr["noise_max"])
    # one claim row per victim, norm and source: the operating points only
    assert len(claims) == 2 * 2 * (len(dev.V2_SOURCES) + 2)


@pytest.mark.slow
def test_uap_collect_never_mixes_profiles(rehearsal: dict, tmp_path: Path) -> None:
    import polars as pl

    from reproduce.attacks.collect_v2 import collect_uap_v2

    collect_uap_v2(rehearsal["out"], tmp_path)
    other = tmp_path / "other"
    shutil.copytree(rehearsal["out"], other)
    summ = json.loads((other / dev.SUMMARY_FILE).read_text())
    (other / dev.SUMMARY_FILE).write_text(json.dumps({**summ, "profile": "cpu"}))
    with pytest.raises(InputError, match=r"profile\(s\) rehearsal.*--replace"):
        collect_uap_v2(other, tmp_path)
    rows = pl.read_parquet(tmp_path / "uap_v2" / "rows.parquet")
    assert set(rows["profile"]) == {"rehearsal"} and set(rows["device"]) == {"cpu"}
    collect_uap_v2(other, tmp_path, replace=True)
    rows = pl.read_parquet(tmp_path / "uap_v2" / "rows.parquet")
    assert set(rows["profile"]) == {"cpu"} and len(rows) == len(rehearsal["rows"])
    from reproduce.report import fragility_v2 as f2

    text = f2.status_markdown(f2.load_v2(tmp_path / "uap_v2"))
    assert "A CPU run, not the registered GPU test" in text and "rehearsal" not in text
    assert f2.CPU_COMMAND in text and "uap-collect --replace" in text


def test_uap_collect_names_a_missing_rows_file(tmp_path: Path) -> None:
    from review.cli import main

    assert main(["reproduce", "uap-collect", str(tmp_path)]) == 2


def test_report_says_not_yet_run_with_the_command_when_absent(tmp_path: Path) -> None:
    from reproduce.report import fragility_v2 as f2

    assert f2.load_v2(tmp_path / "uap_v2") is None
    text = f2.status_markdown(None)
    assert "not yet run on a GPU" in text
    assert "python3 -m reproduce.attacks.device --victims guideline_v2" in text
    assert "tlreview reproduce uap-collect OUT" in text
    table = f2.verdicts_side_by_side(None, None)
    assert table["v2 claim"].to_list() == [
        "U1v2_natural_beats_noise_transfer",
        "U2v2_training_beats_natural",
        "U3v2_natural_edge_larger_for_transfer",
    ]
    assert set(table["v2 verdict"]) == {"not yet run"}


@pytest.mark.slow
def test_report_reads_collected_rows(rehearsal: dict, tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from reproduce.attacks.collect_v2 import collect_uap_v2
    from reproduce.report import fragility_v2 as f2

    collect_uap_v2(rehearsal["out"], tmp_path)
    v = f2.load_v2(tmp_path / "uap_v2")
    assert v is not None
    assert "rehearsal" in f2.status_markdown(
        v
    ) and "1 model(s) were excluded" in f2.status_markdown(v)
    assert "32 px (synthetic, synthetic3) here" in f2.differences_markdown(v)
    assert f2.excluded_table(v).height == 1
    edges = f2.edges_table(v)
    assert edges.height == 2 * 2  # two victims x two norms
    assert (edges["natural - max(noise)"] <= edges["natural"]).all()
    assert f2.n_curve_table(v)["natural images"].to_list() == [16, 32, 64]
    assert f2.n_curve_markdown(v).startswith("**Number of natural images.**")
    assert f2.curve_norms(v) == ["linf", "l2"]
    fig = f2.plot_budget_curves(v, "linf")
    assert len(fig.axes) == 1 * 2  # one model (SqueezeNet from scratch) x two data sets
    # the v2 claims decided on the collected table: the SYNTHETIC victims are all trained from
    # scratch, so no claim finds its transfer-learned arm, for both operating points
    from reproduce.claims.cli import verdicts_command

    dest = tmp_path / "uap_v2"
    verdicts_command("uap_v2", results=dest / "results.parquet", out=dest)
    v = f2.load_v2(dest)
    assert v.verdicts is not None and v.effects is not None
    side = f2.verdicts_side_by_side(v, None)
    assert set(side["v2 verdict"]) == set(side["v2 secondary (L2 4 %)"]) == {"not_run"}
    forest = f2.effects_forest(v)
    assert forest.height == 3 * 2  # pooled rows only (drawn as words), 3 claims x 2 points
    assert forest["panel"].n_unique() == 6


def test_brittle_models_are_named_from_the_rows() -> None:
    """SYNTHETIC rows: model b's white noise fools as much as its best UAP at the smallest
    budget (a model any small perturbation breaks); model a's does not."""
    import polars as pl

    from reproduce.report import fragility_v2 as f2

    rows = []
    for vid, ds, white in (("a", "busi", 0.02), ("b", "pneumoniamnist", 0.33)):
        for ratio in (0.01, 0.02):
            for src, fr in (("natural", 0.3), ("training", 0.33), ("noise_white", white),
                            ("noise_lowpass", 0.01)):  # fmt: skip
                rows.append({"victim_run_id": vid, "dataset": ds, "arch": "efficientnet_lite0",
                             "approach": "fine_tuning_from_scratch", "norm": "linf",
                             "eps_ratio": ratio, "uap_source": src, "fooling_rate": fr,
                             "excluded": False, "kind": "budget_curve",
                             "n_source_images": 256})  # fmt: skip
    v = f2.V2Results(Path("."), pl.DataFrame(rows), pl.DataFrame(), {}, None)
    text = f2.brittle_markdown(v)
    assert "PneumoniaMNIST, EfficientNet-Lite0" in text and "BUSI" not in text
    assert "upsampled from 28 px" in text
    assert f2.n_curve_markdown(v) == ""
