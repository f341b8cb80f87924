/**
 * One answer per run, first on the page: what a resume does now, whether that is what you want,
 * and the one recommended action (with the second choice), from `core/runs/verdict.ts`.
 */
import { conventionLabel } from '../core/conventions/registry';
import { useCheckpoints } from '../store/checkpointStore';
import { useRunsReport } from './useRunsReport';

const HEADLINE = { ok: 'Resume as it is', warning: 'Check before resuming', error: 'Act before resuming' } as const;

export function RunVerdicts() {
  const { runs } = useRunsReport();
  const select = useCheckpoints((s) => s.select);
  const entries = useCheckpoints((s) => s.entries);
  if (!runs.length) return null;
  return (
    <section className="panel runs" aria-labelledby="runs-title" data-testid="runs">
      <div className="panel-head">
        <h2 id="runs-title">{runs.length === 1 ? 'Where this run resumes' : `Where each of the ${runs.length} runs resumes`}</h2>
      </div>
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
                  <button type="button" className="link" onClick={() => select(verdict.target as string)}>Open {entries[verdict.target]?.name}</button>
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
