/**
 * `ckptview diff <A> <B> [more...] [--json] [--all]`: compare checkpoints (`core/diff`). With two
 * checkpoints, A against B; with more (or one folder holding several), each with the next in
 * training order, plus the layers that never changed across them.
 */
import { diffCheckpoints, diffRun, type DiffInput } from '../core/diff/diffCheckpoints';
import type { CheckpointDiff } from '../core/diff/types';
import type { Finding } from '../core/findings/types';
import { CliError, EXIT, type ExitCode } from './exitCodes';
import { bytes } from './format';
import { formatFindings } from './formatFindings';
import type { CliIo } from './io';
import { openTensorCheckpoints } from './tensorInputs';

/** Options of the diff command. */
export interface DiffCommandOptions {
  readonly paths: readonly string[];
  readonly json: boolean;
  /** List identical fields and tensors too (default: only what differs). */
  readonly all: boolean;
}

/** The text of one comparison. */
export function formatDiff(d: CheckpointDiff, all: boolean): string[] {
  const lines = [`${d.a.name} -> ${d.b.name}`];
  const rows = all ? d.fields : d.fields.filter((r) => !r.same);
  const w = Math.max(10, ...rows.map((r) => r.label.length));
  for (const r of rows) lines.push(`  ${r.label.padEnd(w)}  ${r.a ?? '-'}  ->  ${r.b ?? '-'}${r.same ? '' : '   (changed)'}`);
  if (!all && rows.length < d.fields.length) lines.push(`  (${d.fields.length - rows.length} fields equal; --all lists them)`);
  const c = d.counts;
  lines.push(`  tensors: ${c.identical} identical, ${c.changed} changed, ${c.onlyA} only in ${d.a.name}, ${c.onlyB} only in ${d.b.name}${c.notCompared ? `, ${c.notCompared} not compared` : ''}; ${bytes(d.bytesHashed)} hashed`);
  for (const t of d.tensors) {
    if (!all && t.status === 'identical') continue;
    lines.push(`    ${t.status.padEnd(12)} ${t.name}${t.note ? ` (${t.note})` : ''}  [${t.method}]`);
  }
  return lines;
}

/**
 * Run `diff`.
 * @returns 1 when a finding is an error or warning (weights not written, optimizer unchanged while
 *          counters moved, frozen layers), 0 otherwise
 * @throws CliError (exit 2) when fewer than two checkpoints are given, or an argument that is one
 *         of several given holds more than one checkpoint
 */
export async function diffCommand(o: DiffCommandOptions, io: CliIo): Promise<ExitCode> {
  const inputs: DiffInput[] = [];
  const closers: (() => Promise<void>)[] = [];
  try {
    for (const p of o.paths) {
      const { checkpoints, close } = await openTensorCheckpoints([p], 'diff');
      closers.push(close);
      if (o.paths.length > 1 && checkpoints.length > 1) throw new CliError(EXIT.badInput, `diff: ${p} holds ${checkpoints.length} checkpoints; give one checkpoint per argument, or one run folder alone.`);
      inputs.push(...checkpoints.map((c) => ({ summary: c.summary, files: c.files })));
    }
    if (inputs.length < 2) throw new CliError(EXIT.badInput, `diff: give two checkpoints (or a folder holding several); found ${inputs.length}.`);
    // two arguments keep their order (A -> B); a run is put in training order
    let results: CheckpointDiff[];
    let findings: Finding[];
    if (o.paths.length === 2 && inputs.length === 2) {
      const d = await diffCheckpoints(inputs[0], inputs[1]);
      results = [d];
      findings = d.findings;
    } else {
      const run = await diffRun(inputs);
      results = run.diffs;
      findings = run.findings;
    }
    const code = findings.some((f) => f.severity !== 'info') ? EXIT.attention : EXIT.ok;
    if (o.json) io.out(JSON.stringify({ exitCode: code, diffs: results, findings }, null, 2));
    else {
      for (const d of results) {
        for (const l of formatDiff(d, o.all)) io.out(l);
        io.out('');
      }
      for (const l of formatFindings(findings)) io.out(l.replace('Nothing contradicts itself in what was loaded.', 'Nothing unexpected: the weights changed between the checkpoints.'));
    }
    return code;
  } finally {
    for (const c of closers) await c();
  }
}
