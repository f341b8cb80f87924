/**
 * One answer per run, first on the page: what a resume does now, whether that is what you want,
 * and the one recommended action (with the second choice), from `core/runs/verdict.ts`.
 */
import { useState } from 'react';
import { conventionLabel } from '../core/conventions/registry';
import { openCheckpoint } from './openCheckpoint';
import { useLoaded } from './useLoaded';
import { useRunsReport } from './useRunsReport';

const HEADLINE = { ok: 'Resume as it is', warning: 'Check before resuming', error: 'Act before resuming' } as const;
const RANK = { error: 0, warning: 1, ok: 2 } as const;

/**
 * Verdicts shown before "Show all": a drop of 150 runs would put 150 cards (thousands of DOM nodes)
 * first on the page; the runs that need action come first and the rest are counted (issue 15).
 */
export const MAX_VERDICTS = 12;

export function RunVerdicts() {
  const { runs: all } = useRunsReport();
  const { entries } = useLoaded();
  const [showAll, setShowAll] = useState(false);
  if (!all.length) return null;
  const capped = !showAll && all.length > MAX_VERDICTS;
  // many runs: the ones to act on first (stable within a severity), shown all or cut
  const ordered = all.length > MAX_VERDICTS ? [...all].sort((a, b) => RANK[a.verdict.severity] - RANK[b.verdict.severity]) : all;
  const runs = capped ? ordered.slice(0, MAX_VERDICTS) : ordered;
  const count = (sev: keyof typeof RANK): number => all.filter((r) => r.verdict.severity === sev).length;
  return (
    <section className="panel runs" aria-labelledby="runs-title" data-testid="runs">
      <div className="panel-head">
        <h2 id="runs-title">{all.length === 1 ? 'Where this run resumes' : `Where each of the ${all.length} runs resumes`}</h2>
      </div>
      {all.length > MAX_VERDICTS ? (
        <p className="muted small" data-testid="verdict-counts">
          {count('error')} to act on, {count('warning')} to check, {count('ok')} to resume as they are.{' '}
          <button type="button" className="link" aria-expanded={!capped} onClick={() => setShowAll(capped)}>
            {capped ? `Show all ${all.length} runs` : 'Show fewer'}
          </button>
        </p>
      ) : null}
      <ul className="verdicts">
        {runs.map(({ run, verdict }) => (
          <li key={run.id} className={`verdict verdict-${verdict.severity}`} data-testid="verdict" data-run={run.id}>
            <p className="verdict-head">
              <span className={`badge verdict-badge-${verdict.severity}`}>{HEADLINE[verdict.severity]}</span>{' '}
              <strong>{run.label}</strong> <span className="muted small">{conventionLabel(run.convention)}, {run.checkpointIds.length} checkpoint{run.checkpointIds.length === 1 ? '' : 's'}</span>
            </p>
            <p data-testid="verdict-happens">{verdict.happens}</p>
            <p className="muted">{verdict.assessment}</p>
            <p className="verdict-action" data-testid="verdict-action">
              <strong>Do:</strong> {verdict.action}
              {verdict.target && entries[verdict.target] ? (
                <>
                  {' '}
                  <button type="button" className="link" onClick={() => openCheckpoint(verdict.target as string)}>Open {entries[verdict.target]?.name}</button>
                </>
              ) : null}
            </p>
            {verdict.secondChoice ? <p className="small" data-testid="verdict-second"><strong>Second choice:</strong> {verdict.secondChoice}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
