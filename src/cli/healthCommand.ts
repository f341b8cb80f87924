/**
 * `ckptview health <folder-or-files...> [--json] [--tensors] [--stats]`: read every tensor of each
 * checkpoint (in bounded chunks) and report NaN / Inf / zeros / min / max / mean / RMS and the
 * health findings (`core/health`).
 */
import { checkHealth } from '../core/health/checkHealth';
import type { HealthReport, TensorHealth } from '../core/health/types';
import { CliError, EXIT, type ExitCode } from './exitCodes';
import { bytes } from './format';
import { formatFindings } from './formatFindings';
import type { CliIo } from './io';
import { openTensorCheckpoints } from './tensorInputs';

/** Options of the health command. */
export interface HealthCommandOptions {
  readonly paths: readonly string[];
  readonly json: boolean;
  /** List every tensor (default: only tensors with NaN, Inf or all zeros, and skipped ones). */
  readonly tensors: boolean;
  /** Print bytes read and time to stderr. */
  readonly stats: boolean;
}

const num = (v: number | undefined): string => (v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toPrecision(5));

/** One tensor as a line. */
export function tensorLine(t: TensorHealth): string {
  const head = `${t.name} ${t.dtype} [${t.shape.join(', ')}]`;
  if (t.status !== 'read') return `    ${head}: ${t.status === 'stopped' ? 'not read (stopped)' : `skipped: ${t.reason}`}`;
  const bad = [t.nan ? `${t.nan} NaN` : '', t.posInf ? `${t.posInf} +Inf` : '', t.negInf ? `${t.negInf} -Inf` : ''].filter(Boolean).join(', ');
  return `    ${head}: ${bad ? `${bad}, ` : ''}${t.zeros} zeros of ${t.numel}, min ${num(t.min)}, max ${num(t.max)}, mean ${num(t.mean)}, rms ${num(t.rms)}`;
}

const interesting = (t: TensorHealth): boolean => t.status !== 'read' || t.nan > 0 || t.posInf + t.negInf > 0 || (t.numel > 1 && t.zeros === t.numel);

/** The text report of one checkpoint. */
export function formatHealth(name: string, r: HealthReport, all: boolean): string[] {
  const lines = [`${name}: ${r.tensorsRead} tensors read, ${r.tensorsSkipped} skipped, ${bytes(r.bytesRead)} of tensor data${r.complete ? '' : ' (stopped)'}`];
  for (const f of r.files) {
    if (f.error) {
      lines.push(`  ${f.file}: not read: ${f.error}`);
      continue;
    }
    const shown = all ? f.tensors : f.tensors.filter(interesting);
    lines.push(`  ${f.file} (${f.format}, ${f.tensors.length} tensors${all || shown.length === f.tensors.length ? '' : `; ${shown.length} shown, --tensors lists all`})`);
    for (const t of shown) lines.push(tensorLine(t));
  }
  return lines;
}

/**
 * Run `health`.
 * @returns 1 when a finding is an error or a warning (NaN, Inf, all-zero weights, corrupted
 *          optimizer state), 0 otherwise
 * @throws CliError (exit 2) for a missing path, no checkpoint, or no tensor file
 */
export async function healthCommand(o: HealthCommandOptions, io: CliIo): Promise<ExitCode> {
  const started = performance.now();
  const { checkpoints, close } = await openTensorCheckpoints(o.paths, 'health');
  try {
    const withFiles = checkpoints.filter((c) => c.files.length > 0);
    if (withFiles.length === 0) throw new CliError(EXIT.badInput, `${o.paths.join(', ')}: no torch.save or safetensors file to read.`);
    const reports: { id: string; name: string; report: HealthReport }[] = [];
    for (const c of withFiles) reports.push({ id: c.summary.id, name: c.summary.id, report: await checkHealth(c.files, { checkpoint: c.summary.id }) });
    const findings = reports.flatMap((r) => r.report.findings);
    const code = findings.some((f) => f.severity !== 'info') ? EXIT.attention : EXIT.ok;
    if (o.json) {
      io.out(JSON.stringify({ exitCode: code, checkpoints: reports.map((r) => ({ id: r.id, ...r.report })) }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2));
    } else {
      for (const r of reports) {
        for (const l of formatHealth(r.name, r.report, o.tensors)) io.out(l);
        io.out('');
      }
      for (const l of formatFindings(findings)) io.out(l.replace('Nothing contradicts itself in what was loaded.', 'No NaN, Inf, all-zero weights or corrupted optimizer state found.'));
    }
    if (o.stats) {
      const read = reports.reduce((n, r) => n + r.report.bytesRead, 0);
      const ms = performance.now() - started;
      io.err(`ckptview: ${bytes(read)} of tensor data read in ${(ms / 1000).toFixed(2)} s (${(read / 1e6 / (ms / 1000)).toFixed(0)} MB/s)`);
    }
    return code;
  } finally {
    await close();
  }
}
