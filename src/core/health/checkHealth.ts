/**
 * The tensor health scan of one checkpoint: every tensor of its torch.save and safetensors files
 * is streamed in bounded chunks (memory stays near one chunk, whatever the file size) and
 * summarised ({@link TensorHealth}); then the findings ({@link healthFindings}). Modelled on the
 * CRC check (`zip/verifyCrcs.ts`): an explicit action that reads every tensor byte once.
 */
import type { ByteSource } from '../bytes/byteSource';
import { healthFindings } from './healthFindings';
import { indexTensors, type IndexedTensor, type TensorFileIndex } from './tensorIndex';
import { accumulate, newAccumulator, statItemSize, type StatsAccumulator } from './tensorStats';
import { DEFAULT_HEALTH_CHUNK, type FileHealth, type HealthOptions, type HealthReport, type TensorHealth } from './types';

/** A file of a checkpoint: its path as dropped and its bytes. */
export interface HealthInput {
  readonly path: string;
  readonly src: ByteSource;
}

/**
 * True for a checkpoint file whose tensors the scan and the diff read: a summary's file with format
 * `torch.save zip`, `torch.save legacy (pre-1.6)` or `safetensors` (`conventions/summary.ts` FileSummary).
 */
export function isTensorFile(f: { readonly format?: string }): boolean {
  return f.format === 'torch.save zip' || f.format?.startsWith('torch.save legacy') === true || f.format === 'safetensors';
}

function statsOf(a: StatsAccumulator): Pick<TensorHealth, 'nan' | 'posInf' | 'negInf' | 'zeros' | 'min' | 'max' | 'mean' | 'rms'> {
  const some = a.finite > 0;
  return {
    nan: a.nan, posInf: a.posInf, negInf: a.negInf, zeros: a.zeros,
    min: some ? a.min : undefined, max: some ? a.max : undefined,
    mean: some ? a.sum / a.finite : undefined, rms: some ? Math.sqrt(a.sumSquares / a.finite) : undefined,
  };
}

const EMPTY = { nan: 0, posInf: 0, negInf: 0, zeros: 0, min: undefined, max: undefined, mean: undefined, rms: undefined };

/** Why a tensor is not read, or undefined when it is. */
function skipReason(t: IndexedTensor): string | undefined {
  if (t.unreadable) return t.unreadable;
  if (statItemSize(t.dtype) === undefined) return `${t.dtype} tensors are not summarised`;
  if (statItemSize(t.dtype) !== t.itemSize) return `its storage holds ${t.itemSize}-byte elements, not ${t.dtype}`;
  return undefined;
}

/**
 * Scan every tensor of a checkpoint's files.
 * A file whose tensors cannot be listed (damaged, not torch.save) is reported with `error` and
 * the others are still scanned; a read error inside a tensor marks that tensor skipped.
 * @param files the checkpoint's torch.save / safetensors files (others are reported with an error)
 * @returns the report; `complete` is false when `options.signal` stopped it
 */
export async function checkHealth(files: readonly HealthInput[], options: HealthOptions = {}): Promise<HealthReport> {
  const started = Date.now();
  const chunk = Math.max(8, Math.floor((options.chunkBytes ?? DEFAULT_HEALTH_CHUNK) / 8) * 8);
  const indexed: { input: HealthInput; index?: TensorFileIndex; error?: string }[] = [];
  for (const input of files) {
    try {
      indexed.push({ input, index: await indexTensors(input.src) });
    } catch (e) {
      indexed.push({ input, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const bytesTotal = indexed.reduce((n, f) => n + (f.index?.tensors ?? []).reduce((m, t) => m + (skipReason(t) ? 0 : t.byteLength), 0), 0);
  let done = 0;
  let read = 0;
  let skipped = 0;
  let stopped = false;
  const out: FileHealth[] = [];
  for (const f of indexed) {
    if (!f.index) {
      out.push({ file: f.input.path, format: 'unreadable', tensors: [], error: f.error });
      continue;
    }
    const results = new Map<IndexedTensor, TensorHealth>();
    // read in file order, so the reads go forward through the file
    const order = [...f.index.tensors].sort((a, b) => (a.byteOffset ?? 0) - (b.byteOffset ?? 0));
    for (const t of order) {
      const base = { name: t.name, file: f.input.path, role: t.role, dtype: t.dtype, shape: t.shape, numel: t.numel };
      const why = skipReason(t);
      if (why || t.byteOffset === undefined) {
        skipped++;
        results.set(t, { ...base, status: 'skipped', reason: why, ...EMPTY });
        continue;
      }
      if (stopped || options.signal?.aborted) {
        stopped = true;
        results.set(t, { ...base, status: 'stopped', ...EMPTY });
        continue;
      }
      const acc = newAccumulator();
      try {
        for (let o = 0; o < t.byteLength; o += chunk) {
          if (options.signal?.aborted) throw new StopScan();
          const want = Math.min(chunk, t.byteLength - o);
          const part = await f.input.src.read(t.byteOffset + o, want);
          if (part.length < want) throw new Error('the file ends inside this tensor');
          accumulate(acc, t.dtype, part, f.index.littleEndian);
          done += part.length;
          options.onProgress?.(done, bytesTotal);
        }
        read++;
        results.set(t, { ...base, status: 'read', ...statsOf(acc) });
      } catch (e) {
        if (e instanceof StopScan) {
          stopped = true;
          results.set(t, { ...base, status: 'stopped', ...EMPTY });
        } else {
          skipped++;
          results.set(t, { ...base, status: 'skipped', reason: `could not be read: ${(e as Error).message}`, ...EMPTY });
        }
      }
    }
    out.push({ file: f.input.path, format: f.index.format, tensors: f.index.tensors.map((t) => results.get(t) as TensorHealth) });
  }
  const report = { files: out, bytesRead: done, bytesTotal, tensorsRead: read, tensorsSkipped: skipped, complete: !stopped, elapsedMs: Date.now() - started };
  return { ...report, findings: healthFindings(out, indexed.flatMap((f) => (f.index ? [f.index] : [])), options.checkpoint ?? '') };
}

/** Thrown inside the scan loop when the signal aborts. */
class StopScan extends Error {}
