// Builds safetensors files from header JSON text and data bytes, for tests that edit headers the way a
// buggy tool or an attacker would (the length prefix kept consistent so the edit itself is what is tested).

/** The file: 8-byte little-endian header length, the header text padded with spaces to 8 bytes, the data. */
export function safetensorsFile(headerText: string, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + data.length).fill(0x20, 8, 8 + padded);
  new DataView(out.buffer).setUint32(0, padded, true);
  out.set(json, 8);
  out.set(data, 8 + padded);
  return out;
}

/** Splits a file into its header text and data bytes. */
export function splitSafetensors(bytes: Uint8Array): { headerText: string; data: Uint8Array } {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return { headerText: new TextDecoder().decode(bytes.subarray(8, 8 + n)).trimEnd(), data: bytes.subarray(8 + n) };
}
