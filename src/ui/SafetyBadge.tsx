/**
 * The safety verdict as a badge: green only when weights_only loads the file, a plain outlined
 * badge for "no code runs", amber for "may run code: unknown imports", red for "runs code".
 */
import type { SafetySummary } from '../core/conventions/summary';
import { SAFETY_LABELS } from '../core/safety/labels';

/** Badge labels, the same words as the CLI. */
const BADGE_LABELS: Readonly<Record<string, string>> = SAFETY_LABELS;

/** The safety verdict of a checkpoint's pickles as a badge, with the names behind it in its tooltip. */
export function SafetyBadge({ safety }: { safety: SafetySummary }) {
  const of = (v: string) => [...new Set(safety.findings.filter((f) => f.verdict === v).map((f) => f.name))];
  const title =
    safety.verdict === 'dangerous'
      ? `Runs code: ${of('dangerous').join(', ')}`
      : safety.verdict === 'unknown'
        ? `Not known to this viewer, treat as code: ${of('unknown').join(', ')}`
        : safety.verdict === 'no-code'
          ? `Reviewed, no code runs; outside the weights_only allowlist: ${of('harmless').join(', ') || 'a plain pickle, which torch.load rejects'}`
          : 'Every global is on the weights_only allowlist';
  return (
    <span className={`badge safety-${safety.verdict}`} title={title} data-testid="safety" role={safety.mayRunCode ? 'alert' : undefined}>
      {BADGE_LABELS[safety.verdict] ?? safety.verdict}
    </span>
  );
}
