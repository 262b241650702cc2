#!/usr/bin/env bash
# Installs the benchmarks' peers from Debian: PyTorch WITH OpenBLAS (python3-torch only *recommends*
# it; without it torch runs on netlib's reference BLAS, ~10x slower, and bench/ refuses that peer),
# threadpoolctl (how the peer reports the BLAS it really loaded) and the Fashion-MNIST data set.
# Usage: sudo bash scripts/bench-setup.sh   (or npm run bench:setup as root)
set -euo pipefail
apt-get update
apt-get install -y python3-torch libopenblas0-pthread python3-threadpoolctl dataset-fashion-mnist
# Which libblas.so.3 the alternatives system selects (OpenBLAS's pthread build should win, priority 100).
update-alternatives --display libblas.so.3-x86_64-linux-gnu || true
/usr/bin/python3 "$(dirname "$0")/../bench/peers/torch_blas.py" 1
