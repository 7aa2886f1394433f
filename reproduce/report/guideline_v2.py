"""What the book shows of the second registration (guideline_v2): claims, verdicts, GPU plan.

Everything is computed when the page is built: the claims and their changes are read from
``reproduce/claims/claims_v2.yaml``, the verdicts are decided by
:func:`reproduce.claims.pooled.evaluate_v2` on ``results/guideline_v2/results.parquet`` (every
claim is ``not_run`` while that file does not exist), and the GPU plan is the cost model's
prediction (:mod:`reproduce.device.cost`) of the profile in the worker's order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from reproduce.claims.claim import load_claim_set
from reproduce.claims.pooled import evaluate_v2
from reproduce.device import cost
from reproduce.engine.plan import run_configs
from review import paths

__all__ = [
    "CLAIMS_V2",
    "V2Results",
    "changes_table",
    "device_sequence",
    "effects_for_forest",
    "load_v2",
    "pilot_beside_v2",
    "plan_table",
    "verdict_sentences",
]

CLAIMS_V2 = Path(__file__).resolve().parents[1] / "claims" / "claims_v2.yaml"
SUITE = "guideline_v2"
PROFILE = "gpu"


@dataclass(frozen=True)
class V2Results:
    """The v2 suite's results (``None`` before its GPU run) and its verdicts."""

    results: pl.DataFrame | None
    verdicts: pl.DataFrame
    effects: pl.DataFrame
    timing: dict[str, Any] | None


def load_v2(results_dir: Path | None = None) -> V2Results:
    """Read the committed v2 results (if any) and decide every v2 guideline claim on them."""
    root = (results_dir or paths.results_dir()) / SUITE
    f = root / "results.parquet"
    results = pl.read_parquet(f) if f.is_file() else None
    cs = load_claim_set(CLAIMS_V2)
    verdicts, effects = evaluate_v2(
        results if results is not None else pl.DataFrame(), cs, SUITE, what=f
    )
    t = root / "device" / f"timing-{SUITE}.json"
    timing = json.loads(t.read_text()) if t.is_file() else None
    return V2Results(results, verdicts, effects, timing)


def changes_table() -> pl.DataFrame:
    """Each v2 claim: what it supersedes, its statement, and each change with its reason."""
    data = yaml.safe_load(CLAIMS_V2.read_text())
    rows = []
    for c in data["claims"]:
        if c["suite"] != SUITE:
            continue
        rows.append(
            {
                "claim": c["id"],
                "supersedes": c.get("supersedes"),
                "statement": " ".join(str(c["statement"]).split()),
                "changes (each with its reason)": " / ".join(c.get("changes", [])),
            }
        )
    for a in data.get("amendments", []):
        rows.append(
            {
                "claim": a["id"],
                "supersedes": None,
                "statement": f"Amendment of {a['date']} to {', '.join(a['applies_to'])}",
                "changes (each with its reason)": " ".join(
                    f"{a['change']} Reason: {a['reason']}".split()
                ),
            }
        )
    return pl.DataFrame(rows)


_SENTENCE = {
    "supported": "The evidence supports it",
    "contradicted": "The evidence contradicts it",
    "inconclusive": "The evidence cannot decide it",
    "insufficient_data": "Too few data sets to decide it",
    "not_run": "Not yet run on a GPU",
}


def verdict_sentences(r: V2Results) -> pl.DataFrame:
    """One plain sentence per claim, from the computed verdict."""
    data = yaml.safe_load(CLAIMS_V2.read_text())
    statements = {c["id"]: " ".join(str(c["statement"]).split()) for c in data["claims"]}
    rows = []
    for v in r.verdicts.iter_rows(named=True):
        est = v["estimate"]
        how = ""
        if est is not None:
            unit = "x" if v["scale"] == "ratio" else " AUC"
            how = (
                f": pooled {est:.3f}{unit} [{v['ci_low']:.3f}, {v['ci_high']:.3f}] over "
                f"{v['k_datasets']} data sets"
            )
        rows.append(
            {
                "claim": v["claim_id"],
                "verdict": v["verdict"],
                "in plain words": f"{_SENTENCE.get(v['verdict'], v['verdict'])}{how}.",
                "claim statement": statements.get(v["claim_id"], ""),
            }
        )
    return pl.DataFrame(rows)


def effects_for_forest(r: V2Results) -> pl.DataFrame:
    """Per-data-set effects and the pooled effect of each claim, in forest-plot columns."""
    rows = []
    for v in r.verdicts.iter_rows(named=True):
        if v["estimate"] is None:
            continue
        ref = -v["margin"] if v["decision"] == "noninferiority" else v["threshold"]
        for e in r.effects.filter(
            (pl.col("claim_id") == v["claim_id"]) & pl.col("included")
        ).iter_rows(named=True):
            rows.append(
                {
                    "panel": v["claim_id"],
                    "label": e["dataset"],
                    "estimate": e["estimate"],
                    "ci_low": e["ci_low"],
                    "ci_high": e["ci_high"],
                    "verdict": None,
                    "reference": ref,
                }
            )
        rows.append(
            {
                "panel": v["claim_id"],
                "label": "pooled (REML, Knapp-Hartung)",
                "estimate": v["estimate"],
                "ci_low": v["ci_low"],
                "ci_high": v["ci_high"],
                "pi_low": v["pi_low"],
                "pi_high": v["pi_high"],
                "verdict": v["verdict"],
                "reference": ref,
            }
        )
    return pl.DataFrame(rows)


def plan_table(profile: str = PROFILE, device: str = "h200") -> tuple[pl.DataFrame, float]:
    """Predicted GPU seconds per arm of the profile (cost model, one warm worker) and the total."""
    _, planned = run_configs(SUITE, profile)
    planned = cost.order_seed_major(planned)
    preds = cost.predict_runs([p.config for p in planned], cost.dataset_counts, None, device)
    rows = [
        {
            "architecture": p.config.arch,
            "approach": p.config.approach,
            "k_blocks": p.config.k_blocks,
            "runs": 1,
            "predicted_s": q["seconds"],
        }
        for p, q in zip(planned, preds, strict=True)
    ]
    df = (
        pl.DataFrame(rows)
        .group_by(["architecture", "approach", "k_blocks"], maintain_order=True)
        .agg(pl.col("runs").sum(), pl.col("predicted_s").sum())
    )
    return df, float(sum(q["seconds"] for q in preds))


def device_sequence() -> str:
    """The exact sequence of commands and device calls that runs the v2 GPU profile (Markdown)."""
    return (
        "```bash\n"
        "# here (CPU, real data under TLREVIEW_DATA_DIR, weights under TLREVIEW_WEIGHTS_DIR)\n"
        "tlreview reproduce plan guideline_v2 --profile gpu\n"
        "tlreview reproduce pack guideline_v2 --profile gpu --natural 2000 --part-mib 55 "
        "--out .pack\n"
        "echo /.pack/ >> .git/info/exclude\n"
        "# device call 1, carry ['.pack/part1.tar']:\n"
        "python3 -m reproduce.device.unpack_part .pack/part1.tar --into $HOME/tlpack\n"
        "# device call 2 (within 30 s), carry ['.pack/part2.tar'], timeout 580 s:\n"
        "python3 -m reproduce.device.unpack_part .pack/part2.tar --into $HOME/tlpack && \\\n"
        "  BENCH=1 bash reproduce/device/run.sh $HOME/tlpack $OUT guideline_v2 gpu 330 100\n"
        "# back here, with the files of $OUT:\n"
        "tlreview reproduce unpack OUT_FILES   # runs, timing, and the UAP rows of the call\n"
        "tlreview reproduce collect guideline_v2 --profile gpu --predictions --allow-missing\n"
        "tlreview reproduce verdicts guideline_v2 --claims v2\n"
        "```"
    )


def pilot_beside_v2(r: V2Results, pilot_verdicts: Path | None = None) -> pl.DataFrame:
    """The pilot's committed verdicts (v1, CPU, 32 px) beside the v2 verdict of each claim."""
    data = yaml.safe_load(CLAIMS_V2.read_text())
    sup = {c["supersedes"]: c["id"] for c in data["claims"] if c.get("supersedes")}
    f = pilot_verdicts or paths.results_dir() / "guideline" / "verdicts.csv"
    pilot = pl.read_csv(f) if f.is_file() else pl.DataFrame({"claim_id": [], "verdict": []})
    v2 = {v["claim_id"]: v["verdict"] for v in r.verdicts.iter_rows(named=True)}
    rows = []
    for p in pilot.iter_rows(named=True):
        new = sup.get(p["claim_id"])
        rows.append(
            {
                "pilot claim (v1)": p["claim_id"],
                "pilot verdict (CPU, 32 px)": p["verdict"],
                "pilot estimate": p.get("estimate"),
                "v2 claim": new,
                "v2 verdict": v2.get(new) if new else None,
            }
        )
    return pl.DataFrame(rows)
