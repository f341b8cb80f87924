/**
 * The verdict of each run as text, as the page's run panel shows it: the run, what a resume does
 * now, whether that is what you want, and the one recommended action (with the second choice).
 */
import { conventionLabel } from '../core/conventions/registry';
import type { RunReport } from '../core/findings/runFindings';

const MARK = { ok: 'ok', warning: 'check', error: 'act' } as const;

/** The runs block, as lines (nothing when there are no runs). */
export function formatVerdicts(runs: readonly RunReport[]): string[] {
  if (!runs.length) return [];
  const lines = [`Runs (${runs.length})`];
  for (const { run, verdict } of runs) {
    lines.push(`  [${MARK[verdict.severity]}] ${run.label} (${conventionLabel(run.convention)}, ${run.checkpointIds.length} checkpoint${run.checkpointIds.length === 1 ? '' : 's'})`);
    lines.push(`    now: ${verdict.happens}`);
    lines.push(`    ${verdict.assessment}`);
    lines.push(`    do: ${verdict.action}`);
    if (verdict.secondChoice) lines.push(`    or: ${verdict.secondChoice}`);
  }
  lines.push('');
  return lines;
}
