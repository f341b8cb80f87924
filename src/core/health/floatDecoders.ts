/**
 * Decoding tables for the narrow float formats a checkpoint may hold, built once on first use:
 * IEEE 754-2008 binary16 (`float16`), bfloat16 (the upper 16 bits of an IEEE 754 binary32), and the
 * two OCP 8-bit floats PyTorch calls `float8_e4m3fn` and `float8_e5m2` (OCP "8-bit Floating Point
 * Specification (OFP8)" 1.0; torch/csrc c10/util/Float8_e4m3fn.h, Float8_e5m2.h):
 *
 * - e5m2: 1 sign, 5 exponent (bias 15), 2 mantissa bits; IEEE-like: exponent 31 with mantissa 0 is
 *   ±Inf, with mantissa != 0 NaN; exponent 0 subnormal.
 * - e4m3fn ("finite, NaN"): 1 sign, 4 exponent (bias 7), 3 mantissa bits; no infinities; only
 *   S.1111.111 is NaN, so the largest finite value is 448; exponent 0 subnormal.
 */

import { halfToNumber } from '../pickle/numpyValues';

let half: Float32Array | undefined;
let bf16: Float32Array | undefined;
let e4m3: Float32Array | undefined;
let e5m2: Float32Array | undefined;

/** One float8_e4m3fn bit pattern (0..255) as a number. */
export function decodeE4m3fnBits(b: number): number {
  const s = b & 0x80 ? -1 : 1;
  const e = (b >> 3) & 0xf;
  const m = b & 0x7;
  if (e === 0xf && m === 0x7) return NaN;
  if (e === 0) return s * 2 ** -6 * (m / 8);
  return s * 2 ** (e - 7) * (1 + m / 8);
}

/** One float8_e5m2 bit pattern (0..255) as a number. */
export function decodeE5m2Bits(b: number): number {
  const s = b & 0x80 ? -1 : 1;
  const e = (b >> 2) & 0x1f;
  const m = b & 0x3;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  if (e === 0) return s * 2 ** -14 * (m / 4);
  return s * 2 ** (e - 15) * (1 + m / 4);
}

/** float16 bit pattern -> value, 65536 entries (256 KiB). */
export function halfTable(): Float32Array {
  if (!half) {
    half = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) half[i] = halfToNumber(i);
  }
  return half;
}

/** bfloat16 bit pattern -> value, 65536 entries (256 KiB): the pattern shifted into a binary32. */
export function bfloat16Table(): Float32Array {
  if (!bf16) {
    const bits = new Uint32Array(65536);
    for (let i = 0; i < 65536; i++) bits[i] = i << 16;
    bf16 = new Float32Array(bits.buffer);
  }
  return bf16;
}

/** float8_e4m3fn bit pattern -> value, 256 entries. */
export function e4m3fnTable(): Float32Array {
  if (!e4m3) {
    e4m3 = new Float32Array(256);
    for (let i = 0; i < 256; i++) e4m3[i] = decodeE4m3fnBits(i);
  }
  return e4m3;
}

/** float8_e5m2 bit pattern -> value, 256 entries. */
export function e5m2Table(): Float32Array {
  if (!e5m2) {
    e5m2 = new Float32Array(256);
    for (let i = 0; i < 256; i++) e5m2[i] = decodeE5m2Bits(i);
  }
  return e5m2;
}
