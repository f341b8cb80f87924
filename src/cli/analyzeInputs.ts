/**
 * `inspect`'s analysis in Node: the core pipeline (`core/pipeline/runPipeline.ts`, the same one the
 * page's worker runs: zipped folders, sniffing, planning, per-checkpoint analysis, TensorBoard
 * event files, findings) over files on disk, with the bytes read counted.
 * Used by `ckptview inspect` and, in-process, by the benchmark.
 */
import { countingSource, type ByteSource, type ReadStats } from '../core/bytes/byteSource';
import type { CheckpointSummary } from '../core/conventions/summary';
import type { Finding } from '../core/findings/types';
import type { DroppedFile, OtherFolder } from '../core/folder/plan';
import { runPipeline } from '../core/pipeline/runPipeline';
import type { EventFileScalars } from '../core/tensorboard/eventFile';
import type { CollectedInputs } from './collectInputs';
import { diskAccess, diskFile } from './diskAccess';
import { wrapSources } from '../core/pipeline/wrapSources';

/** Everything `inspect` shows. */
export interface InspectResult {
  /** Unreadable archives first, then one summary per planned checkpoint, in plan order. */
  readonly summaries: CheckpointSummary[];
  readonly findings: Finding[];
  readonly otherFolders: OtherFolder[];
  /** The files analysed: zipped folders are replaced by the files inside them. */
  readonly files: DroppedFile[];
  /** TensorBoard event files found, with their scalars. */
  readonly scalars: { readonly path: string; readonly scalars: EventFileScalars }[];
  /** Reads and bytes read from disk over all files (the benchmark's "bytes read"). */
  readonly reads: ReadStats;
}

/** Options of {@link analyzeInputs}. */
export interface AnalyzeOptions {
  /** Batches per epoch of the current dataset (the page's "Current batches per epoch" field). */
  readonly currentBatchesPerEpoch?: number;
}

/**
 * Analyse collected files: one summary per planned checkpoint (in plan order), then the findings.
 * Never throws for a bad file: problems are in each summary's `problems`, as on the page.
 */
export async function analyzeInputs(inputs: CollectedInputs, options: AnalyzeOptions = {}): Promise<InspectResult> {
  const counted: ReadStats[] = [];
  const count = (s: ByteSource): ByteSource => {
    const c = countingSource(s);
    counted.push(c.stats);
    return c.source;
  };
  const files = inputs.files.map((f) => ({ path: f.path, size: f.size, handle: diskFile(inputs.absolute.get(f.path) as string, f.size) }));
  const r = await runPipeline(files, wrapSources(diskAccess(), count), undefined, { currentBatchesPerEpoch: options.currentBatchesPerEpoch });
  const reads: ReadStats = { reads: counted.reduce((n, c) => n + c.reads, 0), bytesRead: counted.reduce((n, c) => n + c.bytesRead, 0) };
  return { summaries: r.summaries, findings: r.findings, otherFolders: r.otherFolders, files: r.files.map((f) => ({ path: f.path, size: f.size })), scalars: r.scalars, reads };
}
