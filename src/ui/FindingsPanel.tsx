/** Findings across the loaded checkpoints, with the evidence and what to do, and the dataset-size input. */
import { useId, useState, type ReactNode } from 'react';
import { useCheckpoints } from '../store/checkpointStore';
import { openCheckpoint } from './openCheckpoint';
import { useLoaded } from './useLoaded';
import { useRunsReport } from './useRunsReport';

/** Findings listed before "Show all" (they are sorted most important first). */
const FIRST_FINDINGS = 50;

/** A finding's evidence behind a disclosure; its content is built only once opened (50 findings stay a few nodes each). */
function Evidence({ evidence, children }: { evidence: readonly string[]; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Evidence</summary>
      {open ? (
        <>
          <ul>
            {evidence.map((e, i) => <li key={i}>{e}</li>)}
          </ul>
          {children}
        </>
      ) : null}
    </details>
  );
}

export function FindingsPanel() {
  const { entries } = useLoaded();
  const current = useCheckpoints((s) => s.currentBatchesPerEpoch);
  const setCurrent = useCheckpoints((s) => s.setCurrentBatchesPerEpoch);
  const inputId = useId();
  const [text, setText] = useState(current === undefined ? '' : String(current));
  const invalid = text.trim() !== '' && !/^\d+$/.test(text.trim()) ? 'Enter a whole number of batches, e.g. 1270.' : text.trim() !== '' && Number(text) === 0 ? 'Batches per epoch must be 1 or more.' : undefined;
  const { findings, runs } = useRunsReport();
  // hundreds of runs make thousands of findings: the most important come first, the rest on request
  const [showAll, setShowAll] = useState(false);
  const runLabel = new Map(runs.map((r) => [r.run.id, r.run.label]));
  return (
    <section className="panel" aria-labelledby="findings-title" data-testid="findings">
      <div className="panel-head">
        <h2 id="findings-title">Findings</h2>
        <label htmlFor={inputId} className="muted small">Current batches per epoch</label>
        <input
          id={inputId}
          className="small-input"
          inputMode="numeric"
          placeholder="optional"
          value={text}
          aria-invalid={invalid !== undefined}
          aria-describedby={invalid ? `${inputId}-err` : undefined}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setText(v);
            setCurrent(/^\d+$/.test(v.trim()) && Number(v) > 0 ? Number(v) : undefined);
          }}
        />
      </div>
      {invalid ? <p id={`${inputId}-err`} className="problem small" role="alert">{invalid}</p> : null}
      {findings.length === 0 ? <p className="muted">Nothing contradicts itself in what was loaded.</p> : null}
      <ul className="findings">
        {findings.slice(0, showAll ? findings.length : FIRST_FINDINGS).map((f) => (
          <li key={f.id} className={`finding finding-${f.severity}`} data-testid="finding" data-finding={f.id.split(':')[0]}>
            <p className="finding-title">
              {f.run && runs.length > 1 ? <span className="run-tag">{runLabel.get(f.run)}</span> : null}
              <strong>{f.title}.</strong> {f.sentence}
            </p>
            {f.suggestion ? <p className="suggestion">{f.suggestion}</p> : null}
            <Evidence evidence={f.evidence}>
              {f.checkpoints.length ? (
                <p className="small">
                  Open:{' '}
                  {f.checkpoints.map((id) => (
                    <button type="button" className="link" key={id} onClick={() => openCheckpoint(id)}>{entries[id]?.name ?? id}</button>
                  ))}
                </p>
              ) : null}
            </Evidence>
          </li>
        ))}
      </ul>
      {findings.length > FIRST_FINDINGS && !showAll ? (
        <button type="button" className="subtle" onClick={() => setShowAll(true)} data-testid="findings-show-all">
          Show all {findings.length} findings
        </button>
      ) : null}
    </section>
  );
}
