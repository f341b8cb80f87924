/**
 * One checkpoint's status: epoch, step, batches per epoch, % of the epoch, remaining batches, the
 * resume decision in words, best metrics, optimizer/scheduler/scaler, model, safety, problems.
 */
import type { CheckpointSummary } from '../core/conventions/summary';
import type { CheckpointEntry } from '../store/checkpointStore';
import { count, int, lr, metric4, percent } from './format';
import { ProblemList } from './ProblemList';
import { ProgressBar } from './ProgressBar';
import { RepairPanel } from './RepairPanel';
import { SafetyBadge } from './SafetyBadge';

function StatusBadge({ s }: { s: CheckpointSummary }) {
  const status = s.progress?.status ?? 'unknown';
  const label = status === 'complete' ? `Epoch ${s.progress?.epoch} complete` : status === 'incomplete' ? `Epoch ${s.progress?.epoch} incomplete` : 'Status unknown';
  return <span className={`badge status-${status}`} data-testid="status">{label}</span>;
}

function Field({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** The card for one checkpoint (pending: a placeholder while the worker reads it). */
export function StatusCard({ entry, onRemove }: { entry: CheckpointEntry; onRemove?: () => void }) {
  const s = entry.summary;
  return (
    <article className="card" data-testid="status-card" data-checkpoint={entry.id} aria-labelledby={`title-${cssId(entry.id)}`}>
      <header className="card-head">
        <h2 id={`title-${cssId(entry.id)}`} title={entry.path || entry.name}>{entry.name}</h2>
        {entry.path && entry.path !== entry.name ? <span className="muted path">{entry.path}</span> : null}
        <span className="spacer" />
        {s ? <StatusBadge s={s} /> : <span className="badge" aria-live="polite">Reading…</span>}
        {s?.safety ? <SafetyBadge safety={s.safety} /> : null}
        {onRemove ? (
          <button type="button" className="icon" onClick={onRemove} aria-label={`Remove ${entry.name}`} title="Remove">×</button>
        ) : null}
      </header>
      {s ? <CardBody s={s} /> : null}
    </article>
  );
}

function CardBody({ s }: { s: CheckpointSummary }) {
  const p = s.progress;
  return (
    <>
      {p ? (
        <>
          <p className={`resume resume-${p.status}`} data-testid="resume">
            {p.status === 'complete' ? (
              <>Epoch {p.epoch} is complete: a resume <strong>starts epoch {p.resume.epoch}</strong>.</>
            ) : (
              <>Epoch {p.epoch} is incomplete: a resume <strong>continues epoch {p.epoch} from step {p.step}</strong>.</>
            )}
          </p>
          {p.status === 'incomplete' ? (
            <div className="progress-row">
              <ProgressBar percent={p.progressPercent} label={`Progress through epoch ${p.epoch}`} />
              <span data-testid="progress-percent">{p.progressPercent !== undefined ? percent(p.progressPercent) : 'progress unknown'}</span>
            </div>
          ) : null}
          {p.note ? <p className="muted note">{p.note}</p> : null}
        </>
      ) : null}
      <dl className="fields">
        <Field label="Epoch" value={int(p?.epoch)} testId="epoch" />
        <Field label="Step" value={int(p?.step)} testId="step" />
        <Field label="Batches per epoch" value={p?.totalBatches ? int(p.totalBatches) : 'not saved'} testId="total-batches" />
        <Field label="Progress" value={percent(p?.progressPercent)} />
        <Field label="Remaining batches" value={int(p?.remainingBatches)} testId="remaining" />
        <Field label="Best F1" value={metric4(s.bestValF1)} testId="best-f1" />
        <Field label="Best accuracy" value={metric4(s.bestValAcc)} testId="best-acc" />
        <Field
          label="Optimizer"
          value={s.optimizer ? `present: ${s.optimizer.paramStates} parameter states, ${s.optimizer.steps !== undefined ? `${s.optimizer.steps} steps` : 'step count unknown'}` : 'absent'}
          testId="optimizer"
        />
        <Field label="Scheduler" value={s.scheduler ? `present: last_epoch ${int(s.scheduler.lastEpoch)}, lr ${lr(s.scheduler.lastLr)}` : 'absent'} testId="scheduler" />
        <Field label="Grad scaler" value={s.scaler ? `present: scale ${s.scaler.scale ?? '—'}` : 'absent'} testId="scaler" />
        {s.model ? (
          <Field
            label="Model"
            value={`${s.model.architecture ?? s.model.modelType ?? s.model.file.split('/').pop()}: ${count(s.model.parameters)} parameters (${s.model.dtypes.join(', ')})`}
            testId="model"
          />
        ) : null}
      </dl>
      <ProblemList problems={s.problems} />
      {p ? <RepairPanel s={s} /> : null}
      {s.warnings.length ? (
        <ul className="warnings" aria-label="Warnings">
          {s.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function cssId(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_');
}
