/**
 * The page's pipeline for one drop, in Node: plan the checkpoints from the paths, analyse each
 * through the core (reading only the bytes it needs), then the findings across checkpoints.
 * Used by `ckptview inspect` and, in-process, by the benchmark.
 */
import { analyzeCheckpoint } from '../core/analyze/analyzeCheckpoint';
import { countingSource, type ByteSource, type ReadStats } from '../core/bytes/byteSource';
import type { CheckpointSummary } from '../core/conventions/summary';
import { planDrop, type DroppedFile, type OtherFolder } from '../core/folder/plan';
import { sniffDrop } from '../core/folder/sniffDrop';
import { runFindings } from '../core/findings/runFindings';
import type { Finding } from '../core/findings/types';
import type { CollectedInputs } from './collectInputs';
import { filePool } from './lazyFileSource';

/** Everything `inspect` shows. */
export interface InspectResult {
  readonly summaries: CheckpointSummary[];
  readonly findings: Finding[];
  readonly otherFolders: OtherFolder[];
  readonly files: DroppedFile[];
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
  const sizes = new Map(inputs.files.map((f) => [f.path, f.size]));
  // one countingSource per opened file; summed at the end
  const counted: ReadStats[] = [];
  const count = (s: ByteSource): ByteSource => {
    const c = countingSource(s);
    counted.push(c.stats);
    return c.source;
  };
  const sniffPool = filePool(inputs.absolute, sizes, count);
  let sniffed;
  try {
    sniffed = await sniffDrop(inputs.files, (p) => sniffPool.open(p));
  } finally {
    await sniffPool.closeAll();
  }
  const plan = planDrop(inputs.files, sniffed);
  const summaries: CheckpointSummary[] = [];
  for (const c of plan.checkpoints) {
    const pool = filePool(inputs.absolute, sizes, count);
    try {
      summaries.push(await analyzeCheckpoint(c, (p) => pool.open(p), sizes));
    } finally {
      await pool.closeAll();
    }
  }
  const reads: ReadStats = { reads: counted.reduce((n, c) => n + c.reads, 0), bytesRead: counted.reduce((n, c) => n + c.bytesRead, 0) };
  const findings = runFindings({ summaries, otherFolders: plan.otherFolders, files: inputs.files, currentBatchesPerEpoch: options.currentBatchesPerEpoch });
  return { summaries, findings, otherFolders: plan.otherFolders, files: inputs.files, reads };
}
