/**
 * Running statistics of a tensor's elements, fed chunk by chunk: memory stays constant whatever
 * the tensor size. Floats follow IEEE 754 (NaN is the only value unequal to itself; ±Infinity are
 * counted apart and left out of min, max, mean and RMS). Accumulation is in float64.
 */
import { bfloat16Table, e4m3fnTable, e5m2Table, halfTable } from './floatDecoders';

/** dtypes whose NaN / Inf / mean / RMS are computed. */
export const FLOAT_DTYPES: ReadonlySet<string> = new Set(['float64', 'float32', 'float16', 'bfloat16', 'float8_e4m3fn', 'float8_e5m2']);
/** dtypes with min / max / zeros only. */
export const INT_DTYPES: ReadonlySet<string> = new Set(['int64', 'int32', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'uint64', 'bool']);

/** Element size in bytes of a dtype {@link accumulate} reads; undefined for others (complex, quantized). */
export function statItemSize(dtype: string): number | undefined {
  switch (dtype) {
    case 'float64': case 'int64': case 'uint64': return 8;
    case 'float32': case 'int32': case 'uint32': return 4;
    case 'float16': case 'bfloat16': case 'int16': case 'uint16': return 2;
    case 'float8_e4m3fn': case 'float8_e5m2': case 'int8': case 'uint8': case 'bool': return 1;
    default: return undefined;
  }
}

/** Running counts of one tensor. Units: elements (counts), the tensor's values (min, max, sums). */
export interface StatsAccumulator {
  elements: number;
  nan: number;
  posInf: number;
  negInf: number;
  zeros: number;
  /** Finite elements (those in min, max, sum, sumSquares). */
  finite: number;
  min: number;
  max: number;
  sum: number;
  sumSquares: number;
}

/** A fresh accumulator. */
export function newAccumulator(): StatsAccumulator {
  return { elements: 0, nan: 0, posInf: 0, negInf: 0, zeros: 0, finite: 0, min: Infinity, max: -Infinity, sum: 0, sumSquares: 0 };
}

/** The table-decoded float kinds: bit pattern -> value. */
function tableOf(dtype: string): Float32Array | undefined {
  switch (dtype) {
    case 'float16': return halfTable();
    case 'bfloat16': return bfloat16Table();
    case 'float8_e4m3fn': return e4m3fnTable();
    case 'float8_e5m2': return e5m2Table();
    default: return undefined;
  }
}

/** Accumulate floats (any array of numbers) into `a`. */
function addFloats(a: StatsAccumulator, xs: ArrayLike<number>, table?: Float32Array): void {
  let { nan, posInf, negInf, zeros, finite, min, max, sum, sumSquares } = a;
  for (let i = 0; i < xs.length; i++) {
    const v = table ? table[xs[i]] : xs[i];
    if (v !== v) nan++;
    else if (v === Infinity) posInf++;
    else if (v === -Infinity) negInf++;
    else {
      if (v === 0) zeros++;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      sumSquares += v * v;
      finite++;
    }
  }
  Object.assign(a, { nan, posInf, negInf, zeros, finite, min, max, sum, sumSquares, elements: a.elements + xs.length });
}

/** Accumulate integers (min, max, zeros; sums too, for a mean). */
function addInts(a: StatsAccumulator, xs: ArrayLike<number | bigint>): void {
  let { zeros, min, max, sum, sumSquares } = a;
  for (let i = 0; i < xs.length; i++) {
    const v = Number(xs[i]);
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  Object.assign(a, { zeros, min, max, sum, sumSquares, finite: a.finite + xs.length, elements: a.elements + xs.length });
}

/** A typed-array view of `bytes` (copied when its offset is not a multiple of `size`). */
function aligned(bytes: Uint8Array, size: number): ArrayBuffer {
  if (bytes.byteOffset % size === 0) return bytes.buffer as ArrayBuffer;
  const copy = bytes.slice();
  return copy.buffer;
}

/**
 * Add the elements in `bytes` (whole elements of `dtype`, stored little-endian unless
 * `littleEndian` is false) to `a`.
 * @throws Error for a dtype without an element size ({@link statItemSize}) or a byte count that is
 *         not a whole number of elements
 */
export function accumulate(a: StatsAccumulator, dtype: string, bytes: Uint8Array, littleEndian = true): void {
  const size = statItemSize(dtype);
  if (size === undefined) throw new Error(`dtype ${dtype} has no statistics`);
  if (bytes.length % size !== 0) throw new Error(`${bytes.length} bytes are not a whole number of ${dtype} elements`);
  const n = bytes.length / size;
  if (!littleEndian && size > 1) return accumulateBigEndian(a, dtype, bytes, n);
  const off = bytes.byteOffset % size === 0 ? bytes.byteOffset : 0;
  const buf = aligned(bytes, size);
  switch (dtype) {
    case 'float64': return addFloats(a, new Float64Array(buf, off, n));
    case 'float32': return addFloats(a, new Float32Array(buf, off, n));
    case 'float16': case 'bfloat16': return addFloats(a, new Uint16Array(buf, off, n), tableOf(dtype));
    case 'float8_e4m3fn': case 'float8_e5m2': return addFloats(a, bytes, tableOf(dtype));
    case 'int64': return addInts(a, new BigInt64Array(buf, off, n));
    case 'uint64': return addInts(a, new BigUint64Array(buf, off, n));
    case 'int32': return addInts(a, new Int32Array(buf, off, n));
    case 'uint32': return addInts(a, new Uint32Array(buf, off, n));
    case 'int16': return addInts(a, new Int16Array(buf, off, n));
    case 'uint16': return addInts(a, new Uint16Array(buf, off, n));
    case 'int8': return addInts(a, new Int8Array(buf, off, n));
    default: return addInts(a, bytes); // uint8, bool (0 / 1)
  }
}

/** Big-endian data (a torch zip with `byteorder` = `big`): element by element through a DataView. */
function accumulateBigEndian(a: StatsAccumulator, dtype: string, bytes: Uint8Array, n: number): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const size = bytes.length / n;
  const out: (number | bigint)[] = new Array<number | bigint>(n);
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (dtype) {
      case 'float64': out[i] = dv.getFloat64(o); break;
      case 'float32': out[i] = dv.getFloat32(o); break;
      case 'float16': case 'bfloat16': out[i] = dv.getUint16(o); break;
      case 'int64': out[i] = dv.getBigInt64(o); break;
      case 'uint64': out[i] = dv.getBigUint64(o); break;
      case 'int32': out[i] = dv.getInt32(o); break;
      case 'uint32': out[i] = dv.getUint32(o); break;
      case 'int16': out[i] = dv.getInt16(o); break;
      default: out[i] = dv.getUint16(o); break;
    }
  }
  if (FLOAT_DTYPES.has(dtype)) addFloats(a, out as number[], tableOf(dtype));
  else addInts(a, out);
}
