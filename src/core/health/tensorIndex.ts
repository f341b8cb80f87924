/**
 * Where every tensor of a checkpoint file is, by name, without reading tensor bytes: the tensors of
 * a torch.save file (zip or legacy; PyTorch torch/serialization.py) named by their key path in the
 * saved object, or the entries of a safetensors header. Each tensor gets a role (model weights,
 * optimizer state, grad-scaler state, other) and, when its elements are one contiguous range of its
 * storage, the byte range to read. Used by the health scan and by the diff.
 */
import type { ByteSource } from '../bytes/byteSource';
import { u64 } from '../bytes/binary';
import { keyText } from '../conventions/plainValues';
import { largestStateDict } from '../conventions/shared/stateDictTensors';
import { CheckpointFormatError } from '../errors';
import { dictGet, type PyValue, type TensorValue } from '../pickle/values';
import { readSafetensorsHeader } from '../safetensors/header';
import { loadTorchFile } from '../torch/loadTorchFile';
import type { TorchFile } from '../torch/torchFile';
import { sniff } from '../torch/sniff';
import { readLocalHeader } from '../zip/zipReader';

/** What a tensor is for in a training checkpoint. */
export type TensorRole = 'model' | 'optimizer' | 'scaler' | 'other';

/** One tensor of a file and where its bytes are. */
export interface IndexedTensor {
  /** Key path in the saved object (`model.fc1.weight`, `optimizer.state.0.exp_avg`), or the safetensors name. */
  readonly name: string;
  readonly role: TensorRole;
  /** torch dtype name (`float32`, `bfloat16`, `float8_e4m3fn`, `int64`...). */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Strides in elements (row-major for safetensors). */
  readonly stride: readonly number[];
  /** Elements (product of the shape). */
  readonly numel: number;
  /** Element size in bytes. */
  readonly itemSize: number;
  /** The storage's identity in the file: zip member name, legacy storage key, or `safetensors:<name>`. */
  readonly storage: string;
  /** Elements of the whole storage. */
  readonly storageNumel: number;
  /**
   * File offset of the first byte of the tensor's elements when they are one contiguous range of
   * the storage in some dimension order (a transpose qualifies: statistics and hashes do not
   * depend on order); undefined otherwise, with `unreadable` saying why.
   */
  readonly byteOffset: number | undefined;
  /** Why the bytes are not read, when `byteOffset` is undefined. */
  readonly unreadable?: string;
  /** Bytes of the tensor's elements (numel x itemSize). */
  readonly byteLength: number;
  /** For zip storages: the central directory's CRC-32 and size of the storage record. */
  readonly storageCrc?: { readonly crc32: number; readonly size: number };
  /** True when the tensor's elements are exactly its whole storage (offset 0, numel = storage numel). */
  readonly wholeStorage: boolean;
  /** For optimizer state: the parameter index (`state` key) and the slot (`exp_avg`, `exp_avg_sq`, `step`...). */
  readonly optimizer?: { readonly path: string; readonly param: number; readonly slot: string };
}

/** An optimizer state dict found in the file (torch/optim/optimizer.py `state_dict`). */
export interface IndexedOptimizer {
  /** Key path of the dict (`optimizer_state_dict`, or `''` for a file that is one). */
  readonly path: string;
  /** Parameter indices in `param_groups[*].params` order. */
  readonly paramIds: number[];
}

/** Every tensor of one file. */
export interface TensorFileIndex {
  readonly file: string;
  readonly format: 'torch.save zip' | 'torch.save legacy' | 'safetensors';
  /** False only for a torch zip whose `byteorder` record says `big`. */
  readonly littleEndian: boolean;
  readonly tensors: IndexedTensor[];
  readonly optimizers: IndexedOptimizer[];
  /**
   * Names of the model's tensors in saved order (the state dict's order, which is the parameters'
   * registration order); empty for safetensors, whose header order is not the parameter order.
   */
  readonly modelOrder: string[];
}

/** safetensors dtype codes (huggingface/safetensors README) to torch names and sizes in bytes. */
const SAFETENSORS_DTYPES: Record<string, [string, number]> = {
  F64: ['float64', 8], F32: ['float32', 4], F16: ['float16', 2], BF16: ['bfloat16', 2], F8_E4M3: ['float8_e4m3fn', 1], F8_E5M2: ['float8_e5m2', 1],
  I64: ['int64', 8], I32: ['int32', 4], I16: ['int16', 2], I8: ['int8', 1], U64: ['uint64', 8], U32: ['uint32', 4], U16: ['uint16', 2], U8: ['uint8', 1], BOOL: ['bool', 1], C64: ['complex64', 8],
};

/** Largest number of tensors indexed per file (a pathological pickle cannot make the index unbounded). */
export const MAX_INDEXED_TENSORS = 1_000_000;

/**
 * First element of a tensor whose elements form one contiguous range of its storage in some
 * dimension order (strides, sorted, each equal to the product of the sizes below it), or a
 * sentence saying why not (gaps, overlap, a broadcast stride of 0).
 */
export function denseStart(t: { shape: readonly number[]; stride: readonly number[]; storageOffset: number }): number | string {
  const dims = t.shape.map((size, i) => ({ size, stride: t.stride[i] ?? 0 })).filter((d) => d.size !== 1);
  if (dims.some((d) => d.size === 0)) return t.storageOffset;
  dims.sort((a, b) => a.stride - b.stride);
  let expect = 1;
  for (const d of dims) {
    if (d.stride !== expect) return `its elements are not one contiguous range of its storage (strides ${JSON.stringify(t.stride)} for shape ${JSON.stringify(t.shape)})`;
    expect *= d.size;
  }
  return t.storageOffset;
}

/**
 * Index the tensors of a file: torch.save zip or legacy, or safetensors.
 * @throws CheckpointFormatError from the torch or safetensors readers (damaged file), or
 *         `not-a-checkpoint` for a file that is neither (JSON, TorchScript text...)
 */
export async function indexTensors(src: ByteSource): Promise<TensorFileIndex> {
  const head = await src.read(0, 512);
  if (sniff(head, src.size) === 'safetensors') return indexSafetensors(src);
  const file = await loadTorchFile(src);
  return indexTorchFile(src, file);
}

async function indexSafetensors(src: ByteSource): Promise<TensorFileIndex> {
  const h = await readSafetensorsHeader(src);
  const base = 8 + h.headerBytes;
  const tensors: IndexedTensor[] = h.tensors.map((t) => {
    const [dtype, itemSize] = SAFETENSORS_DTYPES[t.dtype] ?? [t.dtype, 0];
    const numel = t.shape.reduce((a, b) => a * b, 1);
    const stride = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const known = itemSize > 0;
    return {
      name: t.name, role: 'model', dtype, shape: t.shape, stride, numel, itemSize, storage: `safetensors:${t.name}`, storageNumel: numel,
      byteOffset: known ? base + t.dataOffsets[0] : undefined,
      unreadable: known ? undefined : `safetensors dtype ${t.dtype} is not read`,
      byteLength: t.dataOffsets[1] - t.dataOffsets[0], wholeStorage: true,
    };
  });
  return { file: src.name, format: 'safetensors', littleEndian: true, tensors, optimizers: [], modelOrder: [] };
}

/**
 * Index the tensors of an already parsed torch.save file (reads one local header per zip storage,
 * or 8 bytes per legacy storage record, never tensor bytes).
 * @throws CheckpointFormatError `not-a-checkpoint` for a tar or bare-pickle file, `truncated` when a
 *         legacy storage record runs past the end of the file
 */
export async function indexTorchFile(src: ByteSource, file: TorchFile): Promise<TensorFileIndex> {
  if (file.format !== 'zip' && file.format !== 'legacy') {
    throw new CheckpointFormatError('not-a-checkpoint', file.file, `its tensors are not read: a ${file.format === 'tar' ? 'pre-0.4 tar archive' : 'bare pickle (not written by torch.save)'}.`);
  }
  const offsets = await storageOffsets(src, file);
  const crcs = new Map<string, { crc32: number; size: number }>();
  if (file.zip) {
    for (const e of file.zip.index.entries) if (e.name.startsWith(`${file.zip.prefix}data/`)) crcs.set(e.name.slice(file.zip.prefix.length + 5), { crc32: e.crc32, size: e.uncompressedSize });
  }
  const model = largestStateDict(file.value);
  const modelTensors = new Map<TensorValue, string>();
  const optimizers: IndexedOptimizer[] = [];
  const tensors: IndexedTensor[] = [];
  const seen = new Set<TensorValue>();
  const add = (name: string, t: TensorValue, role: TensorRole, optimizer?: IndexedTensor['optimizer']): void => {
    if (seen.has(t) || tensors.length >= MAX_INDEXED_TENSORS) return;
    seen.add(t);
    const numel = t.shape.reduce((a, b) => a * b, 1);
    const dataOffset = offsets.get(t.storage.key);
    const start = denseStart(t);
    const crc = crcs.get(t.storage.key);
    let unreadable: string | undefined;
    if (typeof start === 'string') unreadable = start;
    else if (dataOffset === undefined) unreadable = file.zip ? 'its storage record is missing or compressed' : 'its storage is not in the file';
    else if (start + numel > t.storage.numel) unreadable = `its view runs past the end of its storage (${start + numel} of ${t.storage.numel} elements)`;
    tensors.push({
      name, role: modelTensors.has(t) ? 'model' : role, dtype: t.dtype, shape: t.shape, stride: t.stride, numel, itemSize: t.storage.itemSize,
      storage: file.zip ? `${file.zip.prefix}data/${t.storage.key}` : t.storage.key, storageNumel: t.storage.numel,
      byteOffset: unreadable === undefined && typeof start === 'number' && dataOffset !== undefined ? dataOffset + start * t.storage.itemSize : undefined,
      unreadable, byteLength: numel * t.storage.itemSize, storageCrc: crc,
      wholeStorage: t.storageOffset === 0 && numel === t.storage.numel && typeof start === 'number', optimizer,
    });
  };
  if (model) for (const [name, t] of model.tensors) modelTensors.set(t, model.key ? `${model.key}.${name}` : name);
  walk(file.value, '', 'other', add, optimizers, 0);
  const modelOrder = model ? model.tensors.map(([name]) => (model.key ? `${model.key}.${name}` : name)) : [];
  return { file: file.file, format: file.zip ? 'torch.save zip' : 'torch.save legacy', littleEndian: file.zip?.byteorder !== 'big', tensors, optimizers, modelOrder };
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** True for a torch optimizer state dict: a `state` dict and (usually) a `param_groups` list. */
function isOptimizerDict(v: PyValue): boolean {
  const state = dictGet(v, 'state');
  const groups = dictGet(v, 'param_groups');
  return !!state && state.kind === 'dict' && (groups?.kind === 'list' || (!groups && state.entries.some(([, s]) => dictGet(s, 'exp_avg') !== undefined || dictGet(s, 'momentum_buffer') !== undefined)));
}

/** Depth-first walk naming every tensor by key path. */
function walk(
  v: PyValue, path: string, role: TensorRole,
  add: (name: string, t: TensorValue, role: TensorRole, optimizer?: IndexedTensor['optimizer']) => void,
  optimizers: IndexedOptimizer[], depth: number,
): void {
  if (depth > 64) return;
  switch (v.kind) {
    case 'tensor':
      add(path, v, role);
      return;
    case 'dict': {
      if (isOptimizerDict(v)) {
        walkOptimizer(v, path, add, optimizers);
        return;
      }
      const r: TensorRole = role === 'other' && dictGet(v, 'scale') !== undefined && dictGet(v, '_growth_tracker') !== undefined ? 'scaler' : role;
      for (const [k, x] of v.entries) walk(x, join(path, keyText(k)), r, add, optimizers, depth + 1);
      return;
    }
    case 'list':
    case 'tuple':
      v.items.forEach((x, i) => walk(x, join(path, String(i)), role, add, optimizers, depth + 1));
      return;
    case 'object':
      for (const [k, x] of v.dictItems ?? []) walk(x, join(path, keyText(k)), role, add, optimizers, depth + 1);
      (v.listItems ?? []).forEach((x, i) => walk(x, join(path, String(i)), role, add, optimizers, depth + 1));
      if (v.state) walk(v.state, path, role, add, optimizers, depth + 1);
      return;
    default:
      return;
  }
}

function walkOptimizer(
  v: Extract<PyValue, { kind: 'dict' }>, path: string,
  add: (name: string, t: TensorValue, role: TensorRole, optimizer?: IndexedTensor['optimizer']) => void,
  optimizers: IndexedOptimizer[],
): void {
  const groups = dictGet(v, 'param_groups');
  const paramIds: number[] = [];
  for (const g of groups?.kind === 'list' ? groups.items : []) {
    const ps = dictGet(g, 'params');
    if (ps?.kind === 'list') for (const p of ps.items) if (p.kind === 'int') paramIds.push(Number(p.value));
  }
  optimizers.push({ path, paramIds });
  const state = dictGet(v, 'state');
  for (const [k, s] of state?.kind === 'dict' ? state.entries : []) {
    const param = k.kind === 'int' ? Number(k.value) : Number.NaN;
    if (s.kind !== 'dict') continue;
    for (const [sk, x] of s.entries) {
      const slot = keyText(sk);
      const name = join(path, `state.${keyText(k)}.${slot}`);
      if (x.kind === 'tensor') add(name, x, 'optimizer', { path, param, slot });
      else walk(x, name, 'optimizer', add, optimizers, 1);
    }
  }
  for (const [k, x] of v.entries) {
    const key = keyText(k);
    if (key !== 'state') walk(x, join(path, key), 'other', add, optimizers, 1);
  }
}

/**
 * File offset of each storage's first data byte. Zip: from each `data/<key>` local header (stored
 * entries only). Legacy: storages follow the pickles in storage-key order, each an int64 element
 * count then the raw data (PyTorch torch/serialization.py `_legacy_save`).
 */
async function storageOffsets(src: ByteSource, file: TorchFile): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (file.zip) {
    const prefix = `${file.zip.prefix}data/`;
    for (const e of file.zip.index.entries) {
      if (!e.name.startsWith(prefix) || e.method !== 0) continue;
      const key = e.name.slice(prefix.length);
      if (!file.storages.has(key) || out.has(key)) continue;
      out.set(key, (await readLocalHeader(src, e)).dataOffset);
    }
    return out;
  }
  if (file.legacy) {
    let offset = file.legacy.storagesOffset;
    for (const k of file.legacy.storageKeys) {
      const s = file.storages.get(k);
      if (!s) break;
      const countBytes = await src.read(offset, 8);
      if (countBytes.length < 8) throw new CheckpointFormatError('truncated', src.name, 'the file ends inside the storage records.', { offset });
      out.set(k, offset + 8);
      offset += 8 + u64(countBytes, 0) * s.itemSize;
    }
  }
  return out;
}
