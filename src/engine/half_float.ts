// IEEE half (f16) and bfloat16 → float32, for reading HF checkpoints, which are mostly
// stored in one of the two. Both are exact widenings: every f16 and bf16 value is a float32.

let f16Table: Float32Array | undefined;

/** One f16 bit pattern → its value (subnormals, ±Inf and NaN included). */
export function f16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** One bf16 bit pattern → its value: bf16 is the top half of a float32. */
export function bf16ToNumber(bits: number): number {
  const scratch = new Uint32Array([(bits & 0xffff) << 16]);
  return new Float32Array(scratch.buffer)[0];
}

/** Decodes `count` little-endian f16 values starting at bytes[0]. */
export function decodeF16(bytes: Uint8Array, count: number): Float32Array {
  // A 65,536-entry table (256 KB, built once) makes decoding a lookup per element.
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let b = 0; b < 65536; b++) f16Table[b] = f16ToNumber(b);
  }
  const table = f16Table;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = table[bytes[2 * i] | (bytes[2 * i + 1] << 8)];
  return out;
}

/** Decodes `count` little-endian bf16 values starting at bytes[0]. */
export function decodeBF16(bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < count; i++) bits[i] = ((bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16) >>> 0;
  return out;
}
