/**
 * Which tensors of two checkpoints are identical, changed or missing. Where both sides are whole
 * storages of torch.save zip files, the CRC-32 and size in the zip central directory (PKWARE
 * APPNOTE.TXT 4.4.7; torch writes every storage as a stored `data/<key>` record) decide without
 * reading a tensor byte. Otherwise the tensor's bytes are read in bounded chunks and CRC-32 hashed,
 * so the hash of a safetensors or legacy tensor compares directly with a zip record's CRC.
 * "Identical" therefore means equal dtype, shape, strides, byte length and CRC-32 (a CRC-32
 * collision between two different tensors of one name has probability 2^-32).
 */
import type { ByteSource } from '../bytes/byteSource';
import type { IndexedTensor, TensorFileIndex } from '../health/tensorIndex';
import { crc32Update } from '../zip/crc32';
import type { DiffCounts, TensorDiff } from './types';

/** A checkpoint's tensor files, indexed. */
export interface IndexedCheckpoint {
  readonly files: readonly { readonly path: string; readonly src: ByteSource; readonly index: TensorFileIndex }[];
}

/** A named tensor and the file it is read from. */
interface Located {
  readonly t: IndexedTensor;
  readonly src: ByteSource;
}

/** Options of {@link diffTensors}. */
export interface TensorDiffOptions {
  /** Bytes per read when hashing (default 4 MiB). */
  readonly chunkBytes?: number;
  /** Called with bytes hashed so far and the most that may be hashed. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/**
 * Tensors of a checkpoint by name: the key path, prefixed with `<file name> › ` when the
 * checkpoint has more than one tensor file (so `model.safetensors › fc.weight` and
 * `optimizer.pt › state.0.exp_avg` stay apart, and two single-file checkpoints match by key path).
 */
export function tensorsByName(c: IndexedCheckpoint): Map<string, Located> {
  const out = new Map<string, Located>();
  const many = c.files.length > 1;
  for (const f of c.files) for (const t of f.index.tensors) out.set(many ? `${base(f.path)} › ${t.name}` : t.name, { t, src: f.src });
  return out;
}

const same = (x: readonly number[], y: readonly number[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);

/** CRC-32 of a tensor: the zip record's when the tensor is its whole storage, else hashed from its bytes. */
async function fingerprint(l: Located, chunk: number, count: (n: number) => void, signal?: AbortSignal): Promise<number | undefined> {
  const t = l.t;
  if (t.wholeStorage && t.storageCrc && t.storageCrc.size === t.byteLength) return t.storageCrc.crc32;
  if (t.byteOffset === undefined) return undefined;
  let crc = 0;
  for (let o = 0; o < t.byteLength; o += chunk) {
    if (signal?.aborted) return undefined;
    const want = Math.min(chunk, t.byteLength - o);
    const part = await l.src.read(t.byteOffset + o, want);
    if (part.length < want) return undefined;
    crc = crc32Update(crc, part);
    count(part.length);
  }
  return crc;
}

/** True when a tensor's CRC comes from the central directory (no read). */
const fromDirectory = (t: IndexedTensor): boolean => t.wholeStorage && !!t.storageCrc && t.storageCrc.size === t.byteLength;

/**
 * Compare every tensor name of `a` and `b`.
 * @returns the per-name results (a's order, then names only in b), counts, bytes hashed, and
 *          whether it ran to the end (false when `signal` stopped it)
 */
export async function diffTensors(a: IndexedCheckpoint, b: IndexedCheckpoint, options: TensorDiffOptions = {}): Promise<{ tensors: TensorDiff[]; counts: DiffCounts; bytesHashed: number; complete: boolean }> {
  const chunk = options.chunkBytes ?? 4 * 1024 * 1024;
  const A = tensorsByName(a);
  const B = tensorsByName(b);
  const pairs = [...A].filter(([n]) => B.has(n));
  const total = pairs.reduce((s, [n, x]) => {
    const y = B.get(n) as Located;
    return s + (fromDirectory(x.t) ? 0 : x.t.byteLength) + (fromDirectory(y.t) ? 0 : y.t.byteLength);
  }, 0);
  let hashed = 0;
  const count = (n: number): void => {
    hashed += n;
    options.onProgress?.(hashed, total);
  };
  const out: TensorDiff[] = [];
  let complete = true;
  for (const [name, x] of A) {
    const y = B.get(name);
    const da = { dtype: x.t.dtype, shape: x.t.shape };
    if (!y) {
      out.push({ name, role: x.t.role, status: 'only-a', method: 'missing', a: da });
      continue;
    }
    const db = { dtype: y.t.dtype, shape: y.t.shape };
    const role = x.t.role === 'other' ? y.t.role : x.t.role;
    if (x.t.dtype !== y.t.dtype || !same(x.t.shape, y.t.shape) || (x.t.numel > 1 && !same(x.t.stride, y.t.stride))) {
      const note = x.t.dtype !== y.t.dtype ? `dtype ${x.t.dtype} -> ${y.t.dtype}` : !same(x.t.shape, y.t.shape) ? `shape [${x.t.shape.join(', ')}] -> [${y.t.shape.join(', ')}]` : 'strides differ (values not compared)';
      out.push({ name, role, status: 'changed', method: 'layout', a: da, b: db, note });
      continue;
    }
    if (options.signal?.aborted) {
      complete = false;
      out.push({ name, role, status: 'not-compared', method: 'not compared', a: da, b: db, note: 'stopped' });
      continue;
    }
    const fa = await fingerprint(x, chunk, count, options.signal);
    const fb = fa === undefined ? undefined : await fingerprint(y, chunk, count, options.signal);
    if (fa === undefined || fb === undefined) {
      if (options.signal?.aborted) complete = false;
      out.push({ name, role, status: 'not-compared', method: 'not compared', a: da, b: db, note: options.signal?.aborted ? 'stopped' : (x.t.unreadable ?? y.t.unreadable ?? 'its bytes could not be read') });
      continue;
    }
    const method = fromDirectory(x.t) && fromDirectory(y.t) ? 'zip CRC-32' : 'hashed';
    out.push({ name, role, status: fa === fb ? 'identical' : 'changed', method, a: da, b: db });
  }
  for (const [name, y] of B) if (!A.has(name)) out.push({ name, role: y.t.role, status: 'only-b', method: 'missing', b: { dtype: y.t.dtype, shape: y.t.shape } });
  const n = (s: TensorDiff['status']): number => out.filter((t) => t.status === s).length;
  return { tensors: out, counts: { identical: n('identical'), changed: n('changed'), onlyA: n('only-a'), onlyB: n('only-b'), notCompared: n('not-compared') }, bytesHashed: hashed, complete };
}
