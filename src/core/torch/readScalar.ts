/**
 * Read the value of a one-element tensor by fetching only its element's bytes from its storage
 * (the optimizer's per-parameter `step`, Lightning's `best_model_score`). Storage locations:
 * zip `<top>/data/<key>`; legacy: storages follow the pickles in storage-key order, each an int64
 * element count plus raw data (PyTorch torch/serialization.py `_legacy_save`).
 */
import type { ByteSource } from '../bytes/byteSource';
import { u64 } from '../bytes/binary';
import { CheckpointFormatError } from '../errors';
import { bfloat16ToNumber, decodeNumpyScalar, halfToNumber } from '../pickle/numpyValues';
import type { TensorValue } from '../pickle/values';
import { readLocalHeader } from '../zip/zipReader';
import type { TorchFile } from './torchFile';

/** Number of elements of a tensor (product of its shape; 1 for 0-d). */
export function numelOf(t: TensorValue): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

/**
 * File offset of the first byte of a storage's data, or undefined when the storage is unknown.
 * @throws CheckpointFormatError when the storage record is damaged.
 */
export async function storageDataOffset(src: ByteSource, file: TorchFile, key: string): Promise<number | undefined> {
  if (file.zip) {
    const entry = file.zip.index.entries.find((e) => e.name === `${file.zip!.prefix}data/${key}`);
    if (!entry) return undefined;
    if (entry.method !== 0) return undefined;
    return (await readLocalHeader(src, entry)).dataOffset;
  }
  if (file.legacy) {
    let offset = file.legacy.storagesOffset;
    for (const k of file.legacy.storageKeys) {
      const s = file.storages.get(k);
      if (!s) return undefined;
      if (k === key) return offset + 8;
      const countBytes = await src.read(offset, 8);
      if (countBytes.length < 8) throw new CheckpointFormatError('truncated', src.name, 'the file ends inside the storage records.', { offset });
      offset += 8 + u64(countBytes, 0) * s.itemSize;
    }
  }
  return undefined;
}

/** Storages closer than this (bytes between one's end and the next's header) are fetched in one read. */
const PREFETCH_GAP = 64 * 1024;
/** Largest span fetched by one prefetch read, in bytes. */
const PREFETCH_SPAN = 256 * 1024;
/** Room left for a local header's name and extra field (torch pads data to 64 bytes), in bytes. */
const LOCAL_HEADER_ROOM = 30 + 256 + 128;

/**
 * Fetch the storages of several one-element tensors of a torch zip in as few reads as possible,
 * before they are read one by one through the same (caching) source: storages near each other (a
 * model's scalar buffers, consecutive `step` tensors) come in one read of their span, so the
 * per-parameter steps of an optimizer cost a few reads, not one each (issue 15). A source without a
 * cache gains nothing and loses nothing but the read. Never throws: a failed prefetch leaves the
 * exact reads to report the problem.
 */
export async function prefetchScalars(src: ByteSource, file: TorchFile, tensors: readonly TensorValue[]): Promise<void> {
  const zip = file.zip;
  if (!zip) return;
  const byName = new Map(zip.index.entries.map((e) => [e.name, e] as const));
  const spans = tensors
    .filter((t) => numelOf(t) === 1)
    .flatMap((t) => {
      const e = byName.get(`${zip.prefix}data/${t.storage.key}`);
      return e && e.method === 0 && e.compressedSize <= PREFETCH_SPAN ? [{ start: e.localHeaderOffset, end: e.localHeaderOffset + LOCAL_HEADER_ROOM + e.compressedSize }] : [];
    })
    .sort((a, b) => a.start - b.start);
  const groups: { start: number; end: number }[] = [];
  for (const s of spans) {
    const g = groups[groups.length - 1];
    if (g && s.start - g.end <= PREFETCH_GAP && Math.max(g.end, s.end) - g.start <= PREFETCH_SPAN) g.end = Math.max(g.end, s.end);
    else groups.push({ ...s });
  }
  await Promise.all(groups.map((g) => src.read(g.start, Math.min(src.size, g.end) - g.start).catch(() => undefined)));
}

/**
 * The value of a one-element tensor, reading `itemSize` bytes. Returns undefined for tensors with
 * more than one element, unknown storages and dtypes without a plain numeric value.
 */
export async function readTensorScalar(src: ByteSource, file: TorchFile, t: TensorValue): Promise<number | bigint | boolean | undefined> {
  if (numelOf(t) !== 1) return undefined;
  const base = await storageDataOffset(src, file, t.storage.key);
  if (base === undefined) return undefined;
  const size = t.storage.itemSize;
  const b = await src.read(base + t.storageOffset * size, size);
  if (b.length < size) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  const little = file.zip?.byteorder !== 'big';
  switch (t.dtype) {
    case 'float16':
      return halfToNumber(dv.getUint16(0, little));
    case 'bfloat16':
      return bfloat16ToNumber(dv.getUint16(0, little));
    default: {
      const v = decodeNumpyScalar(t.dtype, b, !little);
      return v === null ? undefined : v;
    }
  }
}
