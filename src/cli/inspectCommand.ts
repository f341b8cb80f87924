/**
 * `ckptview inspect <folder-or-files...> [--json] [--batches-per-epoch N] [--stats]`: the page's
 * status cards and findings for everything given, read through the same core.
 */
import type { CheckpointSummary } from '../core/conventions/summary';
import { analyzeInputs, type InspectResult } from './analyzeInputs';
import { collectInputs } from './collectInputs';
import { CliError, EXIT, type ExitCode } from './exitCodes';
import { bytes } from './format';
import { formatFindings } from './formatFindings';
import { formatVerdicts } from './formatVerdicts';
import { analyzeRuns } from '../core/findings/runFindings';
import { formatScalars } from './formatScalars';
import { formatSummary } from './formatSummary';
import type { CliIo } from './io';
import { inspectJson } from './toJson';

/** Options of the inspect command. */
export interface InspectOptions {
  readonly paths: readonly string[];
  readonly json: boolean;
  /** The current dataset's batches per epoch (the page's optional field), for the dataset-size finding. */
  readonly batchesPerEpoch?: number;
  /** Print bytes read and elapsed time to stderr. */
  readonly stats: boolean;
}

/** A summary the page would show with a red problem (a file that could not be read cleanly). */
function hasProblem(s: CheckpointSummary): boolean {
  return s.problems.length > 0;
}

/**
 * Exit code of an inspection: 1 when a pickle may run code (dangerous or unknown imports, even in a
 * file that is also broken), else 2 when a file could not be read (bad input), else 1 when a
 * finding is a warning or an error, else 0 (info findings such as "where a resume
 * starts" do not count).
 */
export function inspectExitCode(r: InspectResult): ExitCode {
  // a file that may run code is 1 even when it is also broken: what it ran before breaking counts
  if (r.summaries.some((s) => s.safety?.mayRunCode || s.safety?.verdict === 'dangerous' || s.safety?.verdict === 'unknown')) return EXIT.attention;
  if (r.summaries.some(hasProblem)) return EXIT.badInput;
  if (r.findings.some((f) => f.severity !== 'info')) return EXIT.attention;
  return EXIT.ok;
}

/**
 * Run `inspect`.
 * @returns the exit code
 * @throws CliError (exit 2) for a missing path or an input with nothing checkpoint-like in it
 */
export async function inspectCommand(o: InspectOptions, io: CliIo): Promise<ExitCode> {
  if (o.paths.length === 0) throw new CliError(EXIT.badInput, 'inspect: give at least one checkpoint folder or file.');
  const started = performance.now();
  const inputs = collectInputs(o.paths);
  const result = await analyzeInputs(inputs, { currentBatchesPerEpoch: o.batchesPerEpoch });
  for (const sk of inputs.skipped) io.err(`ckptview: skipped ${sk}`);
  if (result.summaries.length === 0) {
    throw new CliError(
      EXIT.badInput,
      `${o.paths.join(', ')}: no checkpoint found (looked for training_state.pth, trainer_state.json, .pth/.pt/.bin/.ckpt/.safetensors files) in ${inputs.files.length} file${inputs.files.length === 1 ? '' : 's'}.`,
    );
  }
  const code = inspectExitCode(result);
  if (o.json) io.out(inspectJson(result, code));
  else {
    for (const s of result.summaries) {
      for (const line of formatSummary(s)) io.out(line);
      io.out('');
    }
    for (const f of result.otherFolders) io.out(`Folder without a checkpoint: ${f.path} (${f.files.join(', ')})`);
    if (result.otherFolders.length) io.out('');
    for (const line of formatScalars(result.scalars)) io.out(line);
    for (const line of formatVerdicts(analyzeRuns({ summaries: result.summaries, otherFolders: result.otherFolders, files: result.files }).runs)) io.out(line);
    for (const line of formatFindings(result.findings)) io.out(line);
  }
  if (code === EXIT.badInput) {
    const bad = result.summaries.flatMap((s) => s.problems.map((p) => `${p.file}${p.member ? ` (${p.member})` : ''}: ${p.message}`));
    io.err(`ckptview: ${bad.length} problem${bad.length === 1 ? '' : 's'} reading the input:`);
    for (const b of bad) io.err(`  ${b}`);
  }
  if (o.stats) {
    io.err(`ckptview: ${result.summaries.length} checkpoint${result.summaries.length === 1 ? '' : 's'} from ${inputs.files.length} files (${bytes(inputs.files.reduce((n, f) => n + f.size, 0))}): read ${result.reads.bytesRead} bytes in ${result.reads.reads} reads, ${(performance.now() - started).toFixed(1)} ms`);
  }
  return code;
}
