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
const PREFETCH_GAP = 16 * 1024;
/**
 * Largest span fetched by one group read, in bytes: steps further apart are not worth the bytes
 * between them (a 1 GB file's neighbouring steps have 46 KB of bias moments between them).
 */
const PREFETCH_SPAN = 32 * 1024;
/** Room left for a local header's name and extra field (torch pads data to 64 bytes), in bytes. */
const LOCAL_HEADER_ROOM = 30 + 256 + 128;

/**
 * Of several one-element tensors of a torch zip, fetch in one read the storages of the largest
 * group lying near each other (their span at most {@link PREFETCH_SPAN} bytes, neighbours at most
 * {@link PREFETCH_GAP} apart; the first such group on a tie), so they are then read one by one from
 * the same (caching) source without another read. Used for the optimizer's per-parameter `step`
 * tensors, whose storages torch.save interleaves with each parameter's large `exp_avg` /
 * `exp_avg_sq`: a 1 GB checkpoint's steps lie in 3 places, and one read of one of them keeps the
 * whole summary at 3 reads (issue 15).
 * @returns the tensors whose storages the read covered, in the order given; all of `tensors` when
 *   the file is not a zip or no storage is a stored (uncompressed) zip entry, as nothing is grouped
 *   then. Never throws: a failed read leaves the exact reads to report the problem.
 */
export async function fetchScalarGroup(src: ByteSource, file: TorchFile, tensors: readonly TensorValue[]): Promise<readonly TensorValue[]> {
  const zip = file.zip;
  if (!zip) return tensors;
  const byName = new Map(zip.index.entries.map((e) => [e.name, e] as const));
  const spans = tensors
    .flatMap((t, i) => {
      const e = numelOf(t) === 1 ? byName.get(`${zip.prefix}data/${t.storage.key}`) : undefined;
      return e && e.method === 0 && e.compressedSize <= PREFETCH_SPAN ? [{ i, start: e.localHeaderOffset, end: e.localHeaderOffset + LOCAL_HEADER_ROOM + e.compressedSize }] : [];
    })
    .sort((a, b) => a.start - b.start);
  if (spans.length === 0) return tensors;
  const groups: { start: number; end: number; members: number[] }[] = [];
  for (const s of spans) {
    const g = groups[groups.length - 1];
    if (g && s.start - g.end <= PREFETCH_GAP && Math.max(g.end, s.end) - g.start <= PREFETCH_SPAN) {
      g.end = Math.max(g.end, s.end);
      g.members.push(s.i);
    } else groups.push({ start: s.start, end: s.end, members: [s.i] });
  }
  const best = groups.reduce((a, b) => (b.members.length > a.members.length ? b : a));
  await src.read(best.start, Math.min(src.size, best.end) - best.start).catch(() => undefined);
  const chosen = new Set(best.members);
  return tensors.filter((_, i) => chosen.has(i));
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
