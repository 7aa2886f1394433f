#!/usr/bin/env bash
# One command for a GPU machine: verify the pack, run the suite's profile in ONE long-lived
# worker within a time budget, stream each finished run into OUT.
#
#   bash reproduce/device/run.sh PACK_DIR OUT_DIR [SUITE] [PROFILE] [BUDGET_S] [UAP_BUDGET_S]
#
# PACK_DIR  an unpacked pack (tlreview reproduce unpack-pack PART --into PACK_DIR, per part)
# OUT_DIR   where results go: runs-NN.tar.gz (run folders), timing-<suite>.json, env.json,
#           worker.log -- at most 8 files; bring them back and merge them with
#           `tlreview reproduce unpack OUT_DIR`.
# It uses only the device image (python3 with torch, timm, numpy, pandas, pyarrow, sklearn,
# yaml) plus this repository and the pack: no polars, no network. BENCH=1 also runs
# benchmarks/bench_pipeline.py (PneumoniaMNIST from the pack) after the two steps.
set -euo pipefail
PACK=${1:?usage: run.sh PACK_DIR OUT_DIR [SUITE] [PROFILE] [BUDGET_S] [UAP_BUDGET_S]}
OUT=${2:?usage: run.sh PACK_DIR OUT_DIR [SUITE] [PROFILE] [BUDGET_S] [UAP_BUDGET_S]}
SUITE=${3:-guideline_v2}
PROFILE=${4:-gpu}
BUDGET=${5:-330}
UAP_BUDGET=${6:-0}
PY=${PYTHON:-python3}
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$OUT"
export PYTHONPATH="$REPO${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
export TLREVIEW_PACK_DIR="$PACK" TLREVIEW_WEIGHTS_DIR="$PACK/weights"
export TLREVIEW_RUNS_DIR="${TLREVIEW_RUNS_DIR:-$HOME/tlreview-runs}"
export TLREVIEW_CACHE_DIR="${TLREVIEW_CACHE_DIR:-$HOME/tlreview-cache}"
export TLREVIEW_FEATURE_CACHE=refresh
DEVICE=${TLREVIEW_DEVICE:-cuda}
{
  echo "run.sh: suite=$SUITE profile=$PROFILE budget=${BUDGET}s uap_budget=${UAP_BUDGET}s device=$DEVICE"
  "$PY" -m reproduce.device.worker --suite "$SUITE" --profile "$PROFILE" --pack "$PACK" \
    --out "$OUT" --device "$DEVICE" --time-budget "$BUDGET" --keep-model-seeds 0,1 || echo "worker exit $?"
  if [ "$UAP_BUDGET" != "0" ]; then
    "$PY" -m reproduce.attacks.device --victims "$SUITE" --pack "$PACK" --out "$OUT" \
      --device "$DEVICE" --time-budget "$UAP_BUDGET" || echo "uap worker exit $?"
  fi
  if [ "${BENCH:-0}" != "0" ]; then  # the pipeline benchmark (regression check of issue #5)
    timeout "${BENCH_TIMEOUT:-75}" "$PY" benchmarks/bench_pipeline.py --device "$DEVICE" \
      --epochs 2 --n-train 3000 --json "$OUT/bench_pipeline.json" || echo "bench exit $?"
  fi
} 2>&1 | tee "$OUT/worker.log"
