/**
 * The checkpoints named on a command line with their tensor files opened for reading, for
 * `health` and `diff`: the same analysis as `inspect` (summaries, in plan order), then each
 * summary's torch.save / safetensors files opened from disk.
 */
import type { CheckpointSummary } from '../core/conventions/summary';
import { isTensorFile, type HealthInput } from '../core/health/checkHealth';
import { openFileSource, type NodeFileSource } from '../node/fileSource';
import { analyzeInputs } from './analyzeInputs';
import { collectInputs } from './collectInputs';
import { CliError, EXIT } from './exitCodes';

/** A checkpoint and its open tensor files. */
export interface TensorCheckpoint {
  readonly summary: CheckpointSummary;
  readonly files: HealthInput[];
  /** Tensor files that are not on disk as themselves (inside a zipped folder): not read. */
  readonly unavailable: string[];
}

/**
 * Analyse `paths` and open every checkpoint's tensor files. Call `close()` when done.
 * @throws CliError (exit 2) for a missing path or input without a checkpoint
 */
export async function openTensorCheckpoints(paths: readonly string[], command: string): Promise<{ checkpoints: TensorCheckpoint[]; close: () => Promise<void> }> {
  if (paths.length === 0) throw new CliError(EXIT.badInput, `${command}: give at least one checkpoint folder or file.`);
  const inputs = collectInputs(paths);
  const result = await analyzeInputs(inputs);
  if (result.summaries.length === 0) throw new CliError(EXIT.badInput, `${paths.join(', ')}: no checkpoint found.`);
  const opened: NodeFileSource[] = [];
  const checkpoints: TensorCheckpoint[] = [];
  for (const summary of result.summaries) {
    const files: HealthInput[] = [];
    const unavailable: string[] = [];
    for (const f of summary.files.filter(isTensorFile)) {
      const abs = inputs.absolute.get(f.path);
      if (!abs) {
        unavailable.push(f.path);
        continue;
      }
      const src = await openFileSource(abs, f.path);
      opened.push(src);
      files.push({ path: f.path, src });
    }
    checkpoints.push({ summary, files, unavailable });
  }
  return { checkpoints, close: async () => void (await Promise.all(opened.map((s) => s.close()))) };
}
