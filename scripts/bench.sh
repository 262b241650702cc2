#!/usr/bin/env bash
# Runs every side-by-side benchmark (npm run bench); extra arguments (e.g. --quick) go to each one.
# Each prints its tables (medians of one interleaved run, load average, every contestant's settings)
# and ONE JSON line; --json FILE collects the lines.
set -euo pipefail
cd "$(dirname "$0")/.."
run() { echo "== node --import tsx $* =="; node --import tsx "$@"; }
reps=7; [[ " $* " == *" --quick "* ]] && reps=3
run bench/matmul.ts --sizes 128,256,512 --reps "$reps"
for b in train-mlp tiny-net inference conv lstm onnx quant; do run "bench/$b.ts" "$@"; done
