"""``tlreview meta`` and ``review.stats`` never fall over (issue 11, meta-analysis part).

Every input here is SYNTHETIC and generated in the test: random effect sets from seeded
generators, hand-written edge cases (equal effects, equal variances, k = 1..3), and files
written into ``tmp_path`` (latin-1, binary, directory, FIFO, ``0_5``...).
"""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from review.cli import main
from review.commands.analysis import META_KEYS, SECONDARY, meta_summary
from review.errors import InputError
from review.stats import bias, meta

METHODS = ("FE", "DL", "PM", "REML", "ML")
TESTS = ("z", "knha")


def _run(capsys, path, *args: str) -> tuple[int, str, str]:
    code = main(["meta", str(path), *args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def _write(tmp_path, text: str | bytes, name: str = "es.csv"):
    f = tmp_path / name
    if isinstance(text, bytes):
        f.write_bytes(text)
    else:
        f.write_text(text, encoding="utf-8")
    return f


def _assert_pooled(res: dict) -> None:
    assert res["estimate"] is not None and math.isfinite(res["estimate"])
    assert res["se"] is not None and res["se"] >= 0
    for name, keys in SECONDARY.items():
        if any(res[k] is None for k in keys):
            assert name in res["notes"], (name, res["notes"])


# --- k = 3 and other small sets: the pooled estimate always comes back ---------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("test", TESTS)
def test_random_k3_sets_always_pool(method, test):
    # 40 SYNTHETIC k = 3 sets; before the fix ~30 % lost everything to trim-and-fill
    rng = np.random.default_rng(11)
    for _ in range(40):
        y, v = rng.normal(0, 1, 3), rng.uniform(0.01, 1, 3)
        _assert_pooled(meta_summary(list(y), list(v), method, test))


def test_trimfill_that_trims_to_one_study_is_computed():
    # SYNTHETIC: the first of the seeded sets above on which trim-and-fill used to raise
    y, v = [1.304, 0.947, -0.704], [0.936, 0.818, 0.013]
    tf = bias.trimfill(meta.rma(y, v))
    assert tf.k0 == 2 and tf.fit.k == 5 and math.isfinite(float(tf.fit.beta[0]))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("test", TESTS)
def test_equal_variances_keep_the_estimate_and_note_the_tests(method, test):
    res = meta_summary([0.1, 0.4, 0.3], [0.05, 0.05, 0.05], method, test)
    _assert_pooled(res)
    assert res["egger_z"] is None and "sei is constant" in res["notes"]["egger"]
    assert res["trimfill_k0"] is None and "all equal" in res["notes"]["trimfill"]
    assert res["begg_tau"] is None and "all equal" in res["notes"]["begg"]
    assert res["leave1out_estimate"] is not None and len(res["leave1out_estimate"]) == 3


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("test", TESTS)
def test_equal_effects_keep_the_estimate(method, test):
    # before the fix: ZeroDivisionError in _kendall_r
    res = meta_summary([0.2, 0.2, 0.2, 0.2], [0.01, 0.02, 0.03, 0.05], method, test)
    _assert_pooled(res)
    assert res["estimate"] == pytest.approx(0.2)
    assert res["begg_tau"] is None and "effect sizes are all equal" in res["notes"]["begg"]
    assert res["trimfill_k0"] == 0


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("test", TESTS)
def test_one_study_is_pooled_as_metafor_does(method, test):
    res = meta_summary([0.3], [0.04], method, test)
    assert res["estimate"] == 0.3 and res["se"] == pytest.approx(0.2)
    assert res["test"] == "z" and "k = 1" in res["notes"]["model"]
    assert res["ci_low"] == pytest.approx(0.3 - stats.norm.ppf(0.975) * 0.2)
    for name in SECONDARY:
        assert "at least 3" in res["notes"][name]


def test_k1_and_k2_through_the_cli(tmp_path, capsys):
    code, out, _ = _run(capsys, _write(tmp_path, "yi,vi\n0.5,0.1\n"), "--yi", "yi", "--vi", "vi")
    assert code == 0 and json.loads(out)["estimate"] == 0.5
    code, out, _ = _run(capsys, _write(tmp_path, "yi,vi\n0.5,0.1\n0.7,0.2\n"), "--yi", "yi",
                        "--vi", "vi")  # fmt: skip
    assert code == 0 and list(json.loads(out)) == list(META_KEYS)


# --- bad files and values: one line each, exit 2 --------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("yi,vi\n0.1,0.1\n1e300,0.1\n", "row 3, column 'yi': got '1e300'; expected an effect size"),
        ("yi,vi\n0.1,0.1\n0.2,1e-300\n", "row 3, column 'vi': got '1e-300'; expected a sampling"),
        ("yi,vi\n0.1,0.1\n0.2,1e300\n", "row 3, column 'vi': got '1e300'; expected a sampling"),
        ("yi,vi\n0.1,1e-20\n0.2,1e10\n", "the sampling variances span 1.0e+30"),
        ("yi,vi\n0_5,0.1\n0.2,0.1\n", "row 2, column 'yi': got '0_5'; expected a number"),
        ("yi,vi\n0.5,0.1\n0.2,1_0\n", "row 3, column 'vi': got '1_0'; expected a number"),
        ("yi,vi\n\uff10.5,0.1\n0.2,0.1\n", "row 2, column 'yi'"),  # full-width digit
        ("yi,vi\n\u0660.5,0.1\n0.2,0.1\n", "row 2, column 'yi'"),  # Arabic-Indic digit
        ("yi,vi\nnan,0.1\n0.2,0.1\n", "row 2, column 'yi': got 'nan'"),
        ("yi,vi\ninf,0.1\n0.2,0.1\n", "row 2, column 'yi': got 'inf'"),
        ("yi,vi\n0.1,0.1\n\n0.2,x\n", "row 4, column 'vi'"),  # a blank line is a row
        ('yi,vi,note\n0.1,0.1,"two\nlines"\n0.2,x,a\n', "row 3, column 'vi'"),  # quoted newline
        ("yi,vi,yi\n0.1,0.1,0.3\n", "row 1: column 'yi' appears 2 times"),
        ("yi,vi\n", "no rows"),
        ("", "the file is empty"),
    ],
)
def test_bad_values_are_one_line_errors(tmp_path, capsys, content, expected):
    f = _write(tmp_path, content)
    code, out, err = _run(capsys, f, "--yi", "yi", "--vi", "vi")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and str(f) in lines[0], err


def test_same_column_for_yi_and_vi_is_refused(tmp_path, capsys):
    code, _, err = _run(capsys, _write(tmp_path, "yi,vi\n0.1,0.1\n"), "--yi", "vi", "--vi", "vi")
    assert code == 2 and "--yi and --vi both name column 'vi'" in err


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("yi,vi\n0.1,0.1\ncaf\xe9,0.2\n".encode("latin-1"), "row 3: byte 0xe9 is not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a NUL byte (a binary file?)"),
        (b"yi,vi\n0.1,0.1\n\xff\xfe\x00\x01", "row 3: a NUL byte"),
    ],
)
def test_latin1_and_binary_files(tmp_path, capsys, data, expected):
    code, _, err = _run(capsys, _write(tmp_path, data), "--yi", "yi", "--vi", "vi")
    assert code == 2 and len(err.strip().splitlines()) == 1 and expected in err, err


def test_a_directory_is_a_one_line_error(tmp_path, capsys):
    code, _, err = _run(capsys, tmp_path, "--yi", "yi", "--vi", "vi")
    assert code == 2 and "is a directory" in err and len(err.strip().splitlines()) == 1


@pytest.mark.timeout(30)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a POSIX FIFO")
def test_a_fifo_does_not_hang(tmp_path, capsys):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code, _, err = _run(capsys, fifo, "--yi", "yi", "--vi", "vi")
    assert code == 2 and "not a regular file" in err


@pytest.mark.parametrize("vi", [[1e-300, 1e-300], [1e300, 2e300], [1e-300, 1.0]])
def test_rma_on_extreme_values_is_an_input_error_or_a_fit(vi):
    # the library function: either a finite fit or InputError, never another exception
    try:
        fit = meta.rma([0.1, 0.2], vi)
    except InputError:
        return
    assert np.all(np.isfinite(fit.beta))


def test_tiny_and_huge_scales_are_rescaled_exactly(tmp_path, capsys):
    # SYNTHETIC: a set and the same set in units 1e12 times smaller give the same z, p, I²
    rng = np.random.default_rng(3)
    y, v = rng.normal(0.3, 0.4, 12), rng.uniform(0.01, 0.2, 12)
    base = meta_summary(list(y), list(v))
    small = meta_summary(list(y * 1e-12), list(v * 1e-24))
    assert small["estimate"] == pytest.approx(base["estimate"] * 1e-12, rel=1e-6)
    assert small["tau2"] == pytest.approx(base["tau2"] * 1e-24, rel=1e-5)
    assert small["p_val"] == pytest.approx(base["p_val"], rel=1e-6)
    assert small["i2"] == pytest.approx(base["i2"], rel=1e-5)
    assert small["egger_z"] == pytest.approx(base["egger_z"], rel=1e-5)


# --- Kendall: exact below the switch, normal approximation above (R cor.test's n < 50) -----


@pytest.mark.parametrize("n", [10, 49, 50, 120])
def test_kendall_switch_matches_scipy(n):
    rng = np.random.default_rng(n)
    x, y = rng.normal(size=n), rng.normal(size=n) + 0.3 * np.arange(n) / n
    tau, p, how = bias._kendall_r(x, y)
    method = "exact" if n <= bias.KENDALL_EXACT_MAX_N else "asymptotic"
    ref = stats.kendalltau(x, y, method=method)  # scipy.stats.kendalltau(x, y, method=...)
    assert tau == pytest.approx(ref.statistic, rel=1e-12)
    assert p == pytest.approx(ref.pvalue, rel=1e-12)
    assert how.startswith("exact" if method == "exact" else "normal approximation")
    if n == 50:  # the switch is real: the exact p differs there
        assert p != pytest.approx(stats.kendalltau(x, y, method="exact").pvalue, rel=1e-9)


def test_kendall_on_a_constant_is_not_computed():
    with pytest.raises(ArithmeticError, match="all equal"):
        bias._kendall_r(np.zeros(5), np.arange(5.0))


# --- leave-one-out: the vectorised solver agrees with refitting ----------------------------


@pytest.mark.parametrize(
    ("method", "test"),
    [("FE", "z"), ("DL", "knha"), ("PM", "z"), ("ML", "knha"), ("REML", "z"), ("REML", "knha")],
)
@pytest.mark.parametrize("kind", ["heterogeneous", "homogeneous", "outlier"])
def test_fast_leave_one_out_matches_refitting(method, test, kind):
    rng = np.random.default_rng([METHODS.index(method), TESTS.index(test), len(kind)])
    k = bias.LEAVE1OUT_FAST_MIN_K
    v = rng.uniform(0.01, 0.5, k)
    tau2 = {"heterogeneous": 0.08, "homogeneous": 0.0, "outlier": 0.02}[kind]
    y = rng.normal(0.4, np.sqrt(v + tau2))
    if kind == "outlier":
        y[7], v[7] = 6.0, 0.002  # one precise, extreme study
    fit = meta.rma(y, v, method=method, test=test)
    fast = bias.leave_one_out(fit, fast=True)
    slow = bias.leave_one_out(fit, fast=False)
    assert fast.schema == slow.schema
    for col in ("estimate", "se", "ci_low", "ci_high", "p_val", "tau2", "i2", "q", "q_p"):
        a, b = fast[col].to_numpy(), slow[col].to_numpy()
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10, err_msg=col)


# --- property-based: random valid effect sets always pool -----------------------------------

_finite = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False)
_var = st.floats(min_value=1e-6, max_value=1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pairs=st.lists(st.tuples(_finite, _var), min_size=1, max_size=25),
    method=st.sampled_from(METHODS),
    test=st.sampled_from(TESTS),
    scale=st.sampled_from([1e-12, 1.0, 1e9]),
)
def test_property_random_valid_sets_always_give_a_pooled_estimate(pairs, method, test, scale):
    y = [a * scale for a, _ in pairs]
    v = [b * scale**2 for _, b in pairs]
    res = meta_summary(y, v, method, test)
    _assert_pooled(res)
    assert res["k"] == len(pairs)
    json.dumps(res)  # serialisable as the CLI prints it


# --- tlreview analyze on a table whose studies are identical --------------------------------


def test_analyze_on_identical_studies_does_not_fall_over(tmp_path, capsys):
    import importlib.util

    import polars as pl

    spec = importlib.util.spec_from_file_location(
        "tlreview_tests_shared_m", os.path.join(os.path.dirname(__file__), "..", "conftest.py")
    )
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    rows = conf.synthetic_rows(4)
    for r in rows:  # SYNTHETIC: four studies with the same accuracy on the same test-set size
        r.update(metric="accuracy", value="0.9", n_test="100")
    table = conf.write_table(tmp_path / "studies.csv", rows)
    assert main(["analyze", "--studies", str(table), "--out", str(tmp_path / "out")]) == 0
    small = pl.read_csv(tmp_path / "out" / "tables" / "small_study_tests.csv")
    assert small.height == 3 and "not computed" in small["note"][2]
    assert (tmp_path / "out" / "figures" / "funnel_accuracy.png").exists()
