/**
 * safetensors header reader (the safetensors format spec, huggingface/safetensors README
 * "Format"): 8 bytes little-endian u64 N, then N bytes of UTF-8 JSON mapping tensor names to
 * `{dtype, shape, data_offsets: [begin, end]}` (offsets relative to the byte buffer after the
 * header) and an optional `__metadata__` string map. Only the header is read.
 */
import type { ByteSource } from '../bytes/byteSource';
import { u64 } from '../bytes/binary';
import { rejectPlaceholder } from '../torch/sniff';
import { CheckpointFormatError } from '../errors';

/** One tensor entry of a safetensors header. */
export interface SafetensorsTensor {
  readonly name: string;
  /** safetensors dtype code: F32, F16, BF16, I64, BOOL, ... */
  readonly dtype: string;
  readonly shape: number[];
  /** [begin, end) in bytes, relative to the data buffer. */
  readonly dataOffsets: [number, number];
}

/** A parsed safetensors header. */
export interface SafetensorsHeader {
  /** Header JSON length in bytes (N). */
  readonly headerBytes: number;
  readonly tensors: SafetensorsTensor[];
  readonly metadata: Record<string, string>;
}

/** Headers larger than this (bytes) are refused (the reference implementation caps at 100 MB). */
export const MAX_SAFETENSORS_HEADER = 100_000_000;

const ITEM_SIZES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1, C64: 8 };

/**
 * Read the header of a safetensors file.
 * @throws CheckpointFormatError `bad-safetensors` for a header length larger than the file or the
 *         cap, JSON that does not parse, entries that are not objects with dtype, shape and
 *         integer data_offsets, or whose byte ranges do not match dtype x shape;
 *         `empty-file` for a 0-byte file.
 */
export async function readSafetensorsHeader(src: ByteSource): Promise<SafetensorsHeader> {
  if (src.size === 0) throw new CheckpointFormatError('empty-file', src.name, 'the file is empty (0 bytes).');
  rejectPlaceholder(await src.read(0, Math.min(src.size, 512)), src.size, src.name);
  const lenBytes = await src.read(0, 8);
  if (lenBytes.length < 8) throw new CheckpointFormatError('truncated', src.name, 'the file is shorter than the 8-byte safetensors header length.');
  const n = u64(lenBytes, 0);
  if (n > MAX_SAFETENSORS_HEADER || 8 + n > src.size) {
    const exact = new DataView(lenBytes.buffer, lenBytes.byteOffset, 8).getBigUint64(0, true); // printed exactly, not rounded
    throw new CheckpointFormatError('bad-safetensors', src.name, `the safetensors header claims ${exact} bytes, more than the file holds: the file is truncated or not safetensors.`);
  }
  const text = new TextDecoder().decode(await src.read(8, n));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CheckpointFormatError('bad-safetensors', src.name, `the safetensors header is not valid JSON (${(e as Error).message}).`, { offset: 8 });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new CheckpointFormatError('bad-safetensors', src.name, 'the safetensors header is not a JSON object.', { offset: 8 });
  }
  const tensors: SafetensorsTensor[] = [];
  let metadata: Record<string, string> = {};
  const dataSize = src.size - 8 - n;
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      // A string -> string map by the spec; other JSON values are shown as JSON text (String() of
      // an object whose `toString` key is not a function would throw).
      if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
        metadata = Object.fromEntries(Object.entries(entry as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : String(JSON.stringify(v))]));
      }
      continue;
    }
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new CheckpointFormatError('bad-safetensors', src.name, `tensor ${JSON.stringify(name)} is described by ${entry === null ? 'null' : Array.isArray(entry) ? 'an array' : `a ${typeof entry}`}, not by an object with dtype, shape and data_offsets.`, { offset: 8 });
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const shape = Array.isArray(e.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0) ? (e.shape as number[]) : undefined;
    const offsets =
      Array.isArray(e.data_offsets) && e.data_offsets.length === 2 && e.data_offsets.every((d) => Number.isSafeInteger(d) && d >= 0)
        ? (e.data_offsets as [number, number])
        : undefined;
    if (typeof e.dtype !== 'string' || !shape || !offsets) {
      throw new CheckpointFormatError('bad-safetensors', src.name, `tensor ${JSON.stringify(name)} lacks dtype, shape or data_offsets (as non-negative integers).`, { offset: 8 });
    }
    const item = ITEM_SIZES[e.dtype];
    const numel = shape.reduce((a, b) => a * b, 1);
    if (offsets[1] < offsets[0] || offsets[1] > dataSize || (item !== undefined && (offsets[1] - offsets[0]) !== numel * item)) {
      throw new CheckpointFormatError('bad-safetensors', src.name, `tensor ${JSON.stringify(name)} has byte range [${offsets[0]}, ${offsets[1]}) that does not fit its ${e.dtype} ${JSON.stringify(shape)} or the file.`);
    }
    tensors.push({ name, dtype: e.dtype, shape, dataOffsets: offsets });
  }
  return { headerBytes: n, tensors, metadata };
}
