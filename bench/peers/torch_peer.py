# Benchmark peer: one PyTorch workload as a small server, so the TS harness can interleave its timed
# chunks with neurite's and TF.js's in ONE run. Started by bench/peers/torch.ts.
# Usage: python3 torch_peer.py '<json spec>'; spec: workload, threads, allow_reference, data paths.
# Prints one JSON line (ready + BLAS report, or error), then answers stdin lines:
#   {"op": "warm", "ms": 500} -> {"per": seconds per step}   {"op": "run", "steps": k} -> {"sec": s}
import json
import os
import sys
import time

from torch_blas import blas_report, is_fair, limit_threads


def reply(obj) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main() -> None:
    spec = json.loads(sys.argv[1])
    threads = int(spec["threads"])
    # The runner sets these in the environment before python starts (OpenMP/OpenBLAS read them at load).
    for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(k, str(threads))
    try:
        import torch
        from torch_workloads import build_step
    except ImportError as e:
        reply({"error": f"torch not available: {e} (run scripts/bench-setup.sh)"})
        return
    torch.set_num_threads(threads)
    limit_threads(threads)
    torch.manual_seed(1)
    report = blas_report(torch)
    if not is_fair(report) and not spec.get("allow_reference", False):
        reply({"error": f"REFUSED: PyTorch runs on {report['verdict']}; install libopenblas0-pthread "
                        f"(scripts/bench-setup.sh) or pass --allow-reference-blas", "blas": report})
        return
    step = build_step(torch, spec)
    reply({"ready": True, "blas": report})
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "warm":
            t0, n = time.perf_counter(), 0
            while n < 3 or time.perf_counter() - t0 < cmd["ms"] / 1000:
                step()
                n += 1
            reply({"per": (time.perf_counter() - t0) / n})
        elif cmd["op"] == "run":
            t0 = time.perf_counter()
            for _ in range(cmd["steps"]):
                step()
            reply({"sec": time.perf_counter() - t0})
        else:
            return


if __name__ == "__main__":
    main()
