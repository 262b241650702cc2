# Writes test/fixtures/half-rounding.json: float32 bit patterns and PyTorch's float16/bfloat16 rounding of them.
# Usage: /usr/bin/python3 scripts/make-half-fixture.py   (Debian python3-torch; the test compares neurite's rounding)
import json, struct, random
import torch

random.seed(0)
bits = [0x00000000, 0x80000000, 0x3f800000, 0x477fe000, 0x477ff000, 0x477fefff, 0x7f7fffff, 0x7f800000, 0xff800000,
        0x33800000, 0x33000000, 0x33000001, 0x387fc000, 0x38800000, 0x00000001, 0x3f808000, 0x3f818000]
bits += [random.getrandbits(32) for _ in range(3000)]
# values near float16's range, where the rounding cases are dense
bits += [struct.unpack('<I', struct.pack('<f', random.uniform(-70000, 70000)))[0] for _ in range(1000)]
bits += [struct.unpack('<I', struct.pack('<f', random.uniform(-1e-4, 1e-4)))[0] for _ in range(1000)]
bits = [b for b in bits if not ((b >> 23) & 0xff == 0xff and b & 0x7fffff)]  # NaN payloads differ by design
x = torch.tensor([struct.unpack('<f', struct.pack('<I', b))[0] for b in bits], dtype=torch.float32)
half = x.half().view(torch.int16).tolist()
bf = x.bfloat16().view(torch.int16).tolist()
out = {'torch': torch.__version__, 'float32Bits': bits, 'float16Bits': [h & 0xffff for h in half], 'bfloat16Bits': [h & 0xffff for h in bf]}
with open('test/fixtures/half-rounding.json', 'w') as f:
    json.dump(out, f)
print(f'wrote test/fixtures/half-rounding.json ({len(bits)} values, torch {torch.__version__})')
