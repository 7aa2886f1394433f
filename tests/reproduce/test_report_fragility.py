"""The numbers the fragility chapter quotes are read from the suite file, not typed in."""

from __future__ import annotations

from reproduce.engine.plan import load_suite
from reproduce.report.fragility import profile_facts


def test_profile_facts_of_the_cpu_profile_match_its_grids():
    facts = profile_facts(load_suite("uap").profiles["cpu"])
    assert facts["resolutions"] == [32] and facts["epochs"] == [3] and facts["seeds"] == 2
    # 128 source images in batches of 32 = 4 steps per pass, 3 passes
    assert facts["n_source"] == [128] and facts["steps"] == [12]
    assert facts["budgets"] == {"linf": [0.02], "l2": [0.04]}


def test_profile_facts_of_the_gpu_profile_list_both_budgets_per_norm():
    facts = profile_facts(load_suite("uap").profiles["gpu"])
    assert facts["resolutions"] == [224] and facts["epochs"] == [20] and facts["seeds"] == 5
    assert facts["budgets"] == {"linf": [0.02, 0.04], "l2": [0.02, 0.04]}
    assert facts["steps"] == [10 * 32]  # 2,000 source images in batches of 64: 32 per pass
