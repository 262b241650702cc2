# Benchmark peer workloads in PyTorch, each the same net, data and step as the neurite benchmark:
# mlp-train, mlp-infer, cnn-train, lstm-train, and matmul (one product of bench/matmul-mlp.ts's shapes).
# build_step(torch, spec) returns a zero-argument step.
import numpy as np


def load(spec, key, shape):
    return np.fromfile(spec[key], dtype="<f4").reshape(shape).copy()


def mlp(torch, sizes, act):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU() if act == "relu" else torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def cnn(torch):
    """The net of examples/configs/cnn-fashion.json."""
    nn = torch.nn
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(1568, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10))


class LastStepLstm:
    def __init__(self, torch, inp, hidden, classes):
        self.lstm = torch.nn.LSTM(inp, hidden, batch_first=True)
        self.head = torch.nn.Linear(hidden, classes)

    def parameters(self):
        return list(self.lstm.parameters()) + list(self.head.parameters())

    def __call__(self, x):
        return self.head(self.lstm(x)[0][:, -1])


def train_step(torch, model, opt, loss_fn, xs, ys):
    state = {"k": 0}

    def step():
        i = state["k"] % len(xs)
        state["k"] += 1
        opt.zero_grad(set_to_none=True)
        loss_fn(model(xs[i]), ys[i]).backward()
        opt.step()
    return step


def matmul_step(torch, spec):
    """C = op(A) @ op(B) into preallocated Cs, for each of spec["shapes"] in turn (m, k, n, trans_a, trans_b);
    operands stored as neurite stores them (A^T as [k, m], B^T as [n, k])."""
    products = []
    for m, k, n, ta, tb in spec["shapes"]:
        a = torch.rand(k, m).t() if ta else torch.rand(m, k)
        b = torch.rand(n, k).t() if tb else torch.rand(k, n)
        products.append((a, b, torch.empty(m, n)))

    def step():
        for a, b, c in products:
            torch.mm(a, b, out=c)
    return step


def build_step(torch, spec):
    w = spec["workload"]
    if w == "matmul":
        return matmul_step(torch, spec)
    nb, batch = spec["n_batches"], spec["batch"]
    if w == "mlp-infer":
        model = mlp(torch, spec["sizes"], spec.get("act", "relu")).eval()
        xs = torch.from_numpy(load(spec, "x_path", (nb, batch, spec["sizes"][0])))
        state = {"k": 0}

        def infer():
            with torch.inference_mode():
                model(xs[state["k"] % nb]).numpy()
            state["k"] += 1
        return infer
    if w == "lstm-train":
        t, inp = spec["steps_t"], spec["input"]
        model = LastStepLstm(torch, inp, spec["hidden"], spec["classes"])
        xs = torch.from_numpy(load(spec, "x_path", (nb, batch, t, inp)))
    elif w == "cnn-train":
        model = cnn(torch).train()
        xs = torch.from_numpy(load(spec, "x_path", (nb, batch, 784)))
    elif w == "mlp-train":
        model = mlp(torch, spec["sizes"], spec.get("act", "relu"))
        xs = torch.from_numpy(load(spec, "x_path", (nb, batch, spec["sizes"][0])))
    else:
        raise ValueError(f"unknown workload {w}")
    if spec.get("loss", "ce") == "ce":
        ys = torch.from_numpy(load(spec, "y_path", (nb, batch))).long()
        loss_fn = torch.nn.CrossEntropyLoss()
    else:
        ys = torch.from_numpy(load(spec, "y_path", (nb, batch, spec["outputs"])))
        loss_fn = torch.nn.MSELoss()
    opt_cls = torch.optim.Adam if spec.get("optimizer", "adam") == "adam" else torch.optim.SGD
    return train_step(torch, model, opt_cls(model.parameters(), lr=spec.get("lr", 1e-3)), loss_fn, xs, ys)
