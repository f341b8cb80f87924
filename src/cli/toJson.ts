/**
 * `inspect --json` output. Summaries are plain data, but numbers may be NaN or ±Infinity (Hugging
 * Face logs them) and a few ints may be bigints; JSON holds neither, so they become the strings
 * `"NaN"`, `"Infinity"`, `"-Infinity"` and the decimal text of the integer.
 */
import type { InspectResult } from './analyzeInputs';
import type { ExitCode } from './exitCodes';

/** Version of the JSON shape (bump when fields are removed or renamed). */
export const JSON_FORMAT_VERSION = 1;

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** The whole inspect result as one JSON document (2-space indented). */
export function inspectJson(result: InspectResult, exitCode: ExitCode): string {
  return JSON.stringify(
    {
      format: 'ckptview-inspect',
      version: JSON_FORMAT_VERSION,
      exitCode,
      checkpoints: result.summaries,
      findings: result.findings,
      otherFolders: result.otherFolders,
      bytesRead: result.reads.bytesRead,
    },
    replacer,
    2,
  );
}
