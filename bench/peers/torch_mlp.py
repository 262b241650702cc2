# Benchmark peer: the same MLP training steps in PyTorch on one CPU thread; called by bench/*.ts.
# Usage: python3 torch_mlp.py '<json spec>'  — spec: sizes, act, optimizer, lr, loss, batch, n_batches,
# x_path / y_path (raw little-endian float32, row-major), chunks, chunk_ms. Prints ONE JSON line.
import json
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OMP_NUM_THREADS", "1")


def main() -> None:
    spec = json.loads(sys.argv[1])
    try:
        import numpy as np
        import torch
    except ImportError as e:
        print(json.dumps({"error": f"torch not available: {e}"}))
        return
    torch.set_num_threads(1)
    torch.manual_seed(1)
    sizes, batch, nb = spec["sizes"], spec["batch"], spec["n_batches"]
    xs = torch.from_numpy(np.fromfile(spec["x_path"], dtype="<f4").reshape(nb, batch, sizes[0]).copy())
    ys = torch.from_numpy(np.fromfile(spec["y_path"], dtype="<f4").reshape(nb, batch, sizes[-1]).copy())
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU() if spec["act"] == "relu" else torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    opt = (torch.optim.Adam if spec["optimizer"] == "adam" else torch.optim.SGD)(model.parameters(), lr=spec["lr"])
    if spec["loss"] == "ce":
        labels = ys.argmax(dim=2)
        loss_fn = torch.nn.CrossEntropyLoss()
    else:
        labels = ys
        loss_fn = torch.nn.MSELoss()
    k = 0

    def step() -> None:
        nonlocal k
        i = k % nb
        k += 1
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[i]), labels[i])
        loss.backward()
        opt.step()

    t0 = time.perf_counter()
    warm = 0
    while warm < 3 or time.perf_counter() - t0 < 0.5:
        step()
        warm += 1
    per = (time.perf_counter() - t0) / warm
    steps = max(1, round(spec.get("chunk_ms", 400) / 1000 / per))
    rates = []
    for _ in range(spec.get("chunks", 7)):
        s = time.perf_counter()
        for _ in range(steps):
            step()
        rates.append(steps / (time.perf_counter() - s))
    print(json.dumps({"median": statistics.median(rates), "chunks": sorted(rates), "stepsPerChunk": steps,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
