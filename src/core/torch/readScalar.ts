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
