#!/usr/bin/python3
# Makes test/fixtures/onnx/: small PyTorch models exported by torch.onnx.export, with inputs and PyTorch's outputs.
#
# Run: /usr/bin/python3 scripts/make-onnx-fixtures.py   (Debian python3-torch 1.13). torch.onnx.export needs no pip
# packages: with `import onnx` blocked (sys.modules['onnx'] = None) it writes byte-identical files. Seeded: reruns reproduce them.
# Each model M gets M.onnx and M.json = { "input": {shape, data}, "output": {shape, data}, "torch": version, "opset": N }.
import json
import os
import sys

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'onnx')
OPSET = 14


class Mlp(nn.Module):
    """4 → 16 (ReLU) → 8 (tanh) → 3 logits."""
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.out = nn.Linear(4, 16), nn.Linear(16, 8), nn.Linear(8, 3)

    def forward(self, x):
        return self.out(torch.tanh(self.fc2(torch.relu(self.fc1(x)))))


class Cnn(nn.Module):
    """[N, 1, 8, 8] → conv 3x3 (pad 1) → BatchNorm → ReLU → max pool 2 → flatten → 3 logits."""
    def __init__(self):
        super().__init__()
        self.conv, self.bn, self.fc = nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        return self.fc(torch.flatten(nn.functional.max_pool2d(torch.relu(self.bn(self.conv(x))), 2), 1))


class Recurrent(nn.Module):
    """[N, T, 3] → LSTM or GRU (hidden 5, batch first; optionally 2 layers, bidirectional) → last step → 1 output."""
    def __init__(self, cell, layers=1, bidirectional=False):
        super().__init__()
        self.rnn = cell(3, 5, num_layers=layers, bidirectional=bidirectional, batch_first=True)
        self.fc = nn.Linear(10 if bidirectional else 5, 1)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(y[:, -1, :])


class TakeOutput(nn.Module):
    """The output sequence of a recurrent layer (drops the final state)."""
    def forward(self, pair):
        return pair[0]


def tensor_json(t):
    return {'shape': list(t.shape), 'data': [float(v) for v in t.detach().reshape(-1).tolist()]}


def export(name, model, x):
    model.eval()
    path = os.path.join(OUT, f'{name}.onnx')
    torch.onnx.export(model, (x,), path, input_names=['x'], output_names=['y'], opset_version=OPSET,
                      dynamic_axes={'x': {0: 'batch'}, 'y': {0: 'batch'}}, do_constant_folding=True,
                      # PRESERVE (model in eval mode) keeps BatchNormalization a node instead of folding it into Conv.
                      training=torch.onnx.TrainingMode.PRESERVE)
    with torch.no_grad():
        y = model(x)
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'opset': OPSET, 'input': tensor_json(x), 'output': tensor_json(y)}, f)
    print(f'{name}: {os.path.getsize(path)} bytes, output {list(y.shape)}', file=sys.stderr)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    export('mlp', Mlp(), torch.randn(5, 4))
    cnn = Cnn()
    cnn.train()
    with torch.no_grad():  # non-trivial running statistics for the exported (eval) BatchNorm
        for _ in range(5):
            cnn(torch.randn(16, 1, 8, 8) * 2 + 0.5)
    export('cnn', cnn, torch.randn(2, 1, 8, 8))
    export('lstm', Recurrent(nn.LSTM), torch.randn(2, 6, 3))
    export('gru', Recurrent(nn.GRU), torch.randn(2, 6, 3))
    export('lstm2bi', Recurrent(nn.LSTM, layers=2, bidirectional=True), torch.randn(2, 6, 3))
    export('rnnrelu', nn.Sequential(nn.RNN(3, 4, nonlinearity='relu', batch_first=True), TakeOutput()), torch.randn(2, 5, 3))


if __name__ == '__main__':
    main()
