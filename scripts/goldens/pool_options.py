# Golden values for the torch options neurite supports on pooling and conv layers (ceil_mode,
# count_include_pad, divisor_override, padding='same'/'valid'): forward outputs and gradients.
# Run: /usr/bin/python3 scripts/goldens/pool_options.py  (PyTorch 1.13) → test/fixtures/pool_options.json
import json
import os

import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


def t(x):
    return {"shape": list(x.shape), "data": [float(v) for v in x.detach().reshape(-1).tolist()]}


def run_pool(name, layer, shape, opts):
    x = torch.randn(*shape, requires_grad=True)
    y = layer(x)
    g = torch.randn(*y.shape)
    y.backward(g)
    return {"name": name, "opts": opts, "x": t(x), "g": t(g), "y": t(y), "dx": t(x.grad)}


def run_conv(name, cin, cout, kernel, shape, opts, torch_opts):
    conv = torch.nn.Conv2d(cin, cout, kernel, **torch_opts)
    x = torch.randn(*shape, requires_grad=True)
    y = conv(x)
    g = torch.randn(*y.shape)
    y.backward(g)
    return {
        "name": name, "in": cin, "out": cout, "kernel": kernel, "opts": opts,
        "x": t(x), "weight": t(conv.weight), "bias": t(conv.bias), "g": t(g), "y": t(y),
        "dx": t(x.grad), "dweight": t(conv.weight.grad), "dbias": t(conv.bias.grad),
    }


N = torch.nn
max_cases = [
    run_pool("max k2 s2 ceil 5x5", N.MaxPool2d(2, 2, ceil_mode=True), [2, 2, 5, 5], {"kernel": 2, "stride": 2, "ceilMode": True}),
    run_pool("max k3 s2 p1 ceil 6x7", N.MaxPool2d(3, 2, 1, ceil_mode=True), [1, 2, 6, 7], {"kernel": 3, "stride": 2, "padding": 1, "ceilMode": True}),
    run_pool("max k2 s2 p1 ceil drops the window past the padding", N.MaxPool2d(2, 2, 1, ceil_mode=True), [1, 1, 5, 5], {"kernel": 2, "stride": 2, "padding": 1, "ceilMode": True}),
    run_pool("max k2 s3 dil2 ceil 8x7", N.MaxPool2d(2, 3, 0, dilation=2, ceil_mode=True), [1, 2, 8, 7], {"kernel": 2, "stride": 3, "dilation": 2, "ceilMode": True}),
    run_pool("max k[3,2] s[2,1] ceil 7x4", N.MaxPool2d((3, 2), (2, 1), ceil_mode=True), [2, 1, 7, 4], {"kernel": [3, 2], "stride": [2, 1], "ceilMode": True}),
]
avg_cases = [
    run_pool("avg k2 s2 ceil 5x5", N.AvgPool2d(2, 2, ceil_mode=True), [2, 2, 5, 5], {"kernel": 2, "stride": 2, "ceilMode": True}),
    run_pool("avg k2 s2 ceil 5x5 no pad count", N.AvgPool2d(2, 2, ceil_mode=True, count_include_pad=False), [1, 2, 5, 5], {"kernel": 2, "stride": 2, "ceilMode": True, "countIncludePad": False}),
    run_pool("avg k3 s2 p1 ceil 6x7", N.AvgPool2d(3, 2, 1, ceil_mode=True), [1, 2, 6, 7], {"kernel": 3, "stride": 2, "padding": 1, "ceilMode": True}),
    run_pool("avg k3 s2 p1 ceil 6x7 no pad count", N.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False), [1, 2, 6, 7], {"kernel": 3, "stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False}),
    run_pool("avg k3 s1 p1 no pad count", N.AvgPool2d(3, 1, 1, count_include_pad=False), [2, 1, 4, 5], {"kernel": 3, "stride": 1, "padding": 1, "countIncludePad": False}),
    run_pool("avg k2 s2 p1 ceil 5x5 (window dropped)", N.AvgPool2d(2, 2, 1, ceil_mode=True), [1, 1, 5, 5], {"kernel": 2, "stride": 2, "padding": 1, "ceilMode": True}),
    run_pool("avg k2 s2 ceil divisor 3", N.AvgPool2d(2, 2, ceil_mode=True, divisor_override=3), [1, 2, 5, 3], {"kernel": 2, "stride": 2, "ceilMode": True, "divisorOverride": 3}),
]
conv_cases = [
    run_conv("same k3", 2, 3, 3, [2, 2, 5, 6], {"padding": "same"}, {"padding": "same"}),
    run_conv("same k4 (extra zero right/bottom)", 2, 2, 4, [1, 2, 6, 5], {"padding": "same"}, {"padding": "same"}),
    run_conv("same k[2,3] dil[3,1]", 1, 2, [2, 3], [2, 1, 7, 6], {"padding": "same", "dilation": [3, 1]}, {"padding": "same", "dilation": (3, 1)}),
    run_conv("same k2 groups 2", 4, 2, 2, [1, 4, 4, 4], {"padding": "same", "groups": 2}, {"padding": "same", "groups": 2}),
    run_conv("valid k3", 2, 2, 3, [1, 2, 5, 5], {"padding": "valid"}, {"padding": "valid"}),
]

out = {
    "about": "PyTorch %s: MaxPool2d/AvgPool2d with ceil_mode, count_include_pad, divisor_override; Conv2d padding='same'/'valid'; float64, upstream gradient g" % torch.__version__,
    "maxPool": max_cases, "avgPool": avg_cases, "conv": conv_cases,
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "pool_options.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(path))
