import type { SafetySummary } from '../core/conventions/summary';

const LABELS: Record<SafetySummary['verdict'], string> = {
  safe: 'Safe: loads with weights_only',
  'weights-only-rejects': 'No code, but weights_only rejects it',
  dangerous: 'Dangerous: runs code when loaded',
};

/** The safety verdict of a checkpoint's pickles as a badge, with the findings in its tooltip. */
export function SafetyBadge({ safety }: { safety: SafetySummary }) {
  const rejected = safety.findings.filter((f) => f.verdict !== 'allowed').map((f) => f.name);
  const title = rejected.length ? `Globals outside the weights_only allowlist: ${[...new Set(rejected)].join(', ')}` : 'Every global is on the weights_only allowlist';
  return (
    <span className={`badge safety-${safety.verdict}`} title={title} data-testid="safety">
      {LABELS[safety.verdict]}
    </span>
  );
}
