// 16-bit model files: float16/bfloat16 weights halve the file, load back as float32, and move both ways with PyTorch's .half().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  nn, io, Rng, randn, tensor, serializeModel, deserializeModel, multiclassHead, halfBitsToFloat, floatToHalfBits,
} from '../../src/index.js';

const { decodeSafetensors, encodeSafetensors } = io;

const python = process.env.PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
const noTorch = probe.status === 0 ? undefined : `no PyTorch at ${python} (apt-get install python3-torch): ${(probe.error?.message ?? probe.stderr).trim().split('\n').pop()}`;

function bundle() {
  const module = nn.mlp({ sizes: [6, 128, 64, 3], activation: 'tanh', seed: 3 });
  return { module, head: multiclassHead({ numClasses: 3 }) };
}

test('a float16 model file is about half the float32 one, declares F16, and predicts within float16 rounding', () => {
  const b = bundle();
  const full = serializeModel(b);
  const half = serializeModel(b, { weightsDType: 'float16' });
  assert.ok(half.weights.byteLength < 0.52 * full.weights.byteLength, `${half.weights.byteLength} vs ${full.weights.byteLength}`);
  assert.ok(Object.values(half.json.tensors).every((t) => t.dtype === 'F16'));
  const loaded = deserializeModel(JSON.parse(JSON.stringify(half.json)), half.weights);
  for (const [name, t] of Object.entries(loaded.module.stateDict())) {
    assert.equal(t.dtype, 'float32', `${name} computes in float32`);
    const original = b.module.stateDict()[name]!.data;
    t.data.forEach((v, i) => assert.equal(v, halfBitsToFloat(floatToHalfBits(original[i]!)), `${name}[${i}] is the nearest float16`));
  }
  const x = randn([20, 6], { rng: new Rng(5) });
  const y32 = b.module.forward(x).data, y16 = loaded.module.forward(x).data;
  let worst = 0;
  y32.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - y16[i]!))));
  assert.ok(worst > 0 && worst < 5e-3, `max |float32 − float16| = ${worst}`);
});

test('bfloat16 model files round trip too', () => {
  const b = bundle();
  const bf = serializeModel(b, { weightsDType: 'bfloat16' });
  assert.ok(Object.values(bf.json.tensors).every((t) => t.dtype === 'BF16'));
  const loaded = deserializeModel(JSON.parse(JSON.stringify(bf.json)), bf.weights);
  const x = randn([4, 6], { rng: new Rng(1) });
  const diff = b.module.forward(x).sub(loaded.module.forward(x)).abs().max().item();
  assert.ok(diff < 5e-2, `bfloat16 keeps 8 bits of mantissa: ${diff}`);
});

test('an unknown weightsDType and a value beyond float16 range are errors, not silent damage', () => {
  assert.throws(() => serializeModel(bundle(), { weightsDType: 'int8' as never }),
    { message: `serializeModel: weightsDType "int8" is not a storage format; use 'float32', 'float16' or 'bfloat16'` });
  assert.throws(() => encodeSafetensors({ w: tensor([1, 70000]) }, undefined, { dtype: 'F16' }),
    { message: `encodeSafetensors: 'w'[1] = 70000 is beyond F16's range (largest finite 65504); store this tensor as F32` });
  assert.throws(() => encodeSafetensors({ w: tensor([1]) }, undefined, { dtype: 'I8' as never }), /options\.dtype "I8" is not a storage dtype neurite writes/);
});

const torchScript = `
import json, struct, sys, torch
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(6, 32), torch.nn.Tanh(), torch.nn.Linear(32, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3)).half()
def write(path, tensors):
    header, data, off = {}, b'', 0
    for k in sorted(tensors):
        raw = tensors[k].contiguous().view(torch.int16).numpy().tobytes()
        header[k] = {'dtype': 'F16', 'shape': list(tensors[k].shape), 'data_offsets': [off, off + len(raw)]}
        data += raw; off += len(raw)
    h = json.dumps(header).encode(); h += b' ' * (-len(h) % 8)
    open(path, 'wb').write(struct.pack('<Q', len(h)) + h + data)
def read(path):
    b = open(path, 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; header = json.loads(b[8:8 + n])
    return {k: torch.frombuffer(bytearray(b[8 + n + v['data_offsets'][0]: 8 + n + v['data_offsets'][1]]), dtype=torch.float16).reshape(v['shape'])
            for k, v in header.items() if k != '__metadata__' and v['dtype'] == 'F16'}
mode, folder = sys.argv[1], sys.argv[2]
x = torch.linspace(-2, 2, 5 * 6).reshape(5, 6)
if mode == 'write':
    write(folder + '/torch.safetensors', net.state_dict())
    json.dump(net.float()(x).tolist(), open(folder + '/torch-out.json', 'w'))
else:
    sd = read(folder + '/neurite.safetensors')
    net.load_state_dict(sd)
    print(json.dumps({'keys': sorted(sd), 'y': net.float()(x).tolist()}))
`;

test('PyTorch .half() weights load and predict as torch does; neurite F16 weights load in torch bit for bit', { skip: noTorch }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-f16-'));
  try {
    writeFileSync(join(dir, 'peer.py'), torchScript);
    const w = spawnSync(python, [join(dir, 'peer.py'), 'write', dir], { encoding: 'utf8' });
    assert.equal(w.status, 0, w.stderr);
    const decoded = decodeSafetensors(readFileSync(join(dir, 'torch.safetensors')));
    assert.ok(Object.values(decoded.storedDTypes).every((d) => d === 'F16'));
    const net = nn.mlp({ sizes: [6, 32, 16, 3], activation: 'tanh' });
    net.loadStateDict(decoded.tensors);
    const x = tensor(Array.from({ length: 30 }, (_, i) => -2 + (4 * i) / 29), { shape: [5, 6] });
    const ours = net.forward(x).data;
    const theirs = (JSON.parse(readFileSync(join(dir, 'torch-out.json'), 'utf8')) as number[][]).flat();
    theirs.forEach((v, i) => assert.ok(Math.abs(v - ours[i]!) < 1e-5, `output ${i}: torch ${v} vs neurite ${ours[i]}`));
    // neurite → torch: the F16 file neurite writes is what torch reads, and predicts the same
    writeFileSync(join(dir, 'neurite.safetensors'), serializeModel({ module: net, head: multiclassHead({ numClasses: 3 }) }, { weightsDType: 'float16' }).weights);
    const r = spawnSync(python, [join(dir, 'peer.py'), 'read', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const back = JSON.parse(r.stdout) as { keys: string[]; y: number[][] };
    assert.deepEqual(back.keys, Object.keys(net.stateDict()).sort());
    back.y.flat().forEach((v, i) => assert.ok(Math.abs(v - ours[i]!) < 1e-5, `torch on neurite's F16 file, output ${i}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
