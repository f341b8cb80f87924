/**
 * numpy pieces that appear in checkpoints, interpreted without numpy: `numpy.dtype(...)` plus its
 * BUILD state, `numpy.core.multiarray.scalar(dtype, bytes)` (numpy 2: `numpy._core.multiarray`)
 * and `numpy.core.multiarray._reconstruct` + BUILD for ndarrays. Rules from numpy
 * `numpy/core/src/multiarray/scalarapi.c` (scalar reduce) and `descriptor.c` (`arraydescr_setstate`).
 */
import type { PyValue } from './values';

/** numpy type codes (kind + item size) -> numpy dtype names. */
const CODE_NAMES: Record<string, string> = {
  f2: 'float16', f4: 'float32', f8: 'float64', f16: 'float128',
  i1: 'int8', i2: 'int16', i4: 'int32', i8: 'int64',
  u1: 'uint8', u2: 'uint16', u4: 'uint32', u8: 'uint64',
  b1: 'bool', c8: 'complex64', c16: 'complex128',
};

/** Normalise a dtype spec (`'f8'`, `'<f8'`, `'float64'`) to a numpy dtype name. */
export function numpyDtypeName(spec: string): string {
  const s = spec.replace(/^[<>|=]/, '');
  return CODE_NAMES[s] ?? s;
}

/** Item size in bytes of a numpy dtype name, or undefined for unknown or variable-size dtypes. */
export function numpyItemSize(name: string): number | undefined {
  const m = /^(float|int|uint|complex)(\d+)$/.exec(name);
  if (m) return Number(m[2]) / 8;
  return name === 'bool' ? 1 : undefined;
}

/**
 * Decode the raw little-endian bytes of a numpy scalar. Returns null for dtypes that are not plain
 * numbers (strings, structured, float128...). Big-endian dtypes (`>f8`) are honoured.
 */
export function decodeNumpyScalar(dtype: string, bytes: Uint8Array, bigEndian = false): number | bigint | boolean | null {
  const size = numpyItemSize(dtype);
  if (size === undefined || bytes.length < size) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const le = !bigEndian;
  switch (dtype) {
    case 'float64': return dv.getFloat64(0, le);
    case 'float32': return dv.getFloat32(0, le);
    case 'float16': return halfToNumber(dv.getUint16(0, le));
    case 'int8': return dv.getInt8(0);
    case 'int16': return dv.getInt16(0, le);
    case 'int32': return dv.getInt32(0, le);
    case 'int64': return safeBig(dv.getBigInt64(0, le));
    case 'uint8': return dv.getUint8(0);
    case 'uint16': return dv.getUint16(0, le);
    case 'uint32': return dv.getUint32(0, le);
    case 'uint64': return safeBig(dv.getBigUint64(0, le));
    case 'bool': return dv.getUint8(0) !== 0;
    default: return null;
  }
}

function safeBig(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** IEEE 754 binary16 -> number. */
export function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 0x1f) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** bfloat16 -> number (the upper half of a float32). */
export function bfloat16ToNumber(h: number): number {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setUint32(0, h << 16, true);
  return dv.getFloat32(0, true);
}

/** The numpy dtype value a `numpy.dtype(spec, align, copy)` call makes. */
export function makeNumpyDtype(args: PyValue[]): PyValue | undefined {
  const spec = args[0];
  if (!spec || spec.kind !== 'str') return undefined;
  return { kind: 'numpy-dtype', dtype: numpyDtypeName(spec.value) };
}

/** Apply the BUILD state tuple of a numpy dtype: (version, byteorder, ...). Big-endian is kept as `>` prefix. */
export function buildNumpyDtype(target: PyValue & { kind: 'numpy-dtype' }, state: PyValue): PyValue {
  if (state.kind === 'tuple' && state.items[1]?.kind === 'str' && state.items[1].value === '>') {
    return { ...target, dtype: `>${target.dtype.replace(/^>/, '')}` };
  }
  return target;
}

/** `numpy.core.multiarray.scalar(dtype, data)`: data is bytes (protocol 3+) or latin-1 text (from `_codecs.encode`). */
export function makeNumpyScalar(args: PyValue[]): PyValue | undefined {
  const [dt, data] = args;
  if (!dt || dt.kind !== 'numpy-dtype' || !data) return undefined;
  const bytes = data.kind === 'bytes' ? data.value : data.kind === 'str' ? latin1Bytes(data.value) : undefined;
  if (!bytes) return undefined;
  const bigEndian = dt.dtype.startsWith('>');
  const name = dt.dtype.replace(/^>/, '');
  return { kind: 'numpy-scalar', dtype: name, value: decodeNumpyScalar(name, bytes, bigEndian) };
}

/** Apply the BUILD state of `_reconstruct`: (version, shape, dtype, is_fortran, data). */
export function buildNdarray(state: PyValue): PyValue | undefined {
  if (state.kind !== 'tuple' || state.items.length < 5) return undefined;
  const [, shape, dtype] = state.items;
  const dims = shape.kind === 'tuple' ? shape.items.map((d) => (d.kind === 'int' ? Number(d.value) : 0)) : [];
  return { kind: 'ndarray', dtype: dtype.kind === 'numpy-dtype' ? dtype.dtype : 'object', shape: dims };
}

/** Latin-1 encode (one byte per char), as `_codecs.encode(s, 'latin1')` does. */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
