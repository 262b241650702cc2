# Benchmark peer helper: thread settings and the BLAS PyTorch really runs on, so a peer on
# reference BLAS cannot slip into a table unnoticed. Imported by torch_peer.py; run alone to print it.
import json
import os
import re
import sys

BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OMP_WAIT_POLICY", "MKL_NUM_THREADS")


def blas_report(torch) -> dict:
    """What BLAS this torch runs on: threadpoolctl's view (the truth) beside torch's build config.

    `torch.__config__.show()` says BLAS_INFO=generic for Debian's build whatever libblas.so.3 is
    selected; threadpoolctl looks at the libraries actually loaded.
    """
    config = torch.__config__.show()
    found = re.search(r"\bBLAS_INFO=([^,\s]+)", config)
    build_blas = found.group(1) if found else "?"
    try:
        from threadpoolctl import threadpool_info
        pools = threadpool_info()
    except ImportError:
        pools = None
    blas = [p for p in pools or [] if p.get("user_api") == "blas"]
    openblas = next((p for p in blas if p.get("internal_api") == "openblas"), None)
    if pools is None:
        verdict = "UNKNOWN (python3-threadpoolctl missing: run scripts/bench-setup.sh)"
    elif openblas is not None:
        verdict = "openblas"
    elif blas:
        verdict = f"{blas[0].get('internal_api')} (not OpenBLAS)"
    else:
        verdict = "REFERENCE (no optimised BLAS loaded: netlib libblas.so.3)"
    return {
        "torch": torch.__version__, "build_blas_info": build_blas, "verdict": verdict,
        "openblas_version": openblas and openblas.get("version"), "openblas_kernel": openblas and openblas.get("architecture"),
        "openblas_threads": openblas and openblas.get("num_threads"), "blas_file": blas[0].get("filepath") if blas else None,
        "torch_threads": torch.get_num_threads(), "env": {k: os.environ.get(k) for k in BLAS_ENV if os.environ.get(k) is not None},
    }


def limit_threads(threads: int) -> None:
    """Caps OpenBLAS (and OpenMP) at `threads` even where the environment was not honoured."""
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(threads)
    except ImportError:
        pass


def is_fair(report: dict) -> bool:
    """True when the peer runs on an optimised BLAS (OpenBLAS or another threadpoolctl names)."""
    return not report["verdict"].startswith(("REFERENCE", "UNKNOWN"))


if __name__ == "__main__":
    import torch
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(n)
    limit_threads(n)
    print(json.dumps(blas_report(torch), indent=1))
