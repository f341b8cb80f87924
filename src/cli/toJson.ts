/**
 * `inspect --json` output: a documented contract (docs/inspect-json.md) that scripts can rely on.
 * Summaries are plain data, but numbers may be NaN or ±Infinity (Hugging Face logs them) and a few
 * ints may be bigints; JSON holds neither, so they become the strings `"NaN"`, `"Infinity"`,
 * `"-Infinity"` and the decimal text of the integer.
 */
import { conventionLabel } from '../core/conventions/registry';
import type { CheckpointSummary } from '../core/conventions/summary';
import { analyzeRuns } from '../core/findings/runFindings';
import type { InspectResult } from './analyzeInputs';
import type { ExitCode } from './exitCodes';

/**
 * Version of the JSON shape: bumped when a documented field is removed or renamed (adding fields
 * does not bump it). 2: `schemaVersion`, and per checkpoint `convention`, `conventionLabel`,
 * `position`, `metrics`, `model`, `safety` as documented.
 */
export const JSON_FORMAT_VERSION = 2;

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** One checkpoint in the documented shape: the contract's fields first, then the whole summary. */
export function checkpointJson(s: CheckpointSummary): Record<string, unknown> {
  const { id, name, path, ...rest } = s;
  return {
    id,
    name,
    path,
    convention: s.kind,
    conventionLabel: s.kind === 'unreadable' ? 'unreadable' : conventionLabel(s.kind),
    position: s.position ?? null,
    metrics: s.metrics ?? (s.bestMetric ? [{ ...s.bestMetric, best: true }] : []),
    model: s.model ? { file: s.model.file, parameters: s.model.parameters, tensors: s.model.tensors, dtypes: s.model.dtypes } : null,
    safety: s.safety ?? null,
    ...rest,
  };
}

/** The whole inspect result as one JSON document (2-space indented). */
export function inspectJson(result: InspectResult, exitCode: ExitCode): string {
  return JSON.stringify(
    {
      format: 'ckptview-inspect',
      schemaVersion: JSON_FORMAT_VERSION,
      version: JSON_FORMAT_VERSION,
      exitCode,
      runs: analyzeRuns({ summaries: result.summaries, otherFolders: result.otherFolders, files: result.files }).runs.map(({ run, verdict }) => ({ ...run, verdict })),
      checkpoints: result.summaries.map(checkpointJson),
      findings: result.findings,
      otherFolders: result.otherFolders,
      bytesRead: result.reads.bytesRead,
    },
    replacer,
    2,
  );
}
