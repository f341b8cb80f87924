/**
 * One checkpoint's detail view: status and resume decision, epoch/step/progress, best metrics,
 * optimizer/scheduler/scaler, then sections for the framework's own reading, the model, the
 * safety verdict, the files, the whole value tree, and the repair.
 */
import { conventionLabel } from '../core/conventions/registry';
import { NOT_READ, type CheckpointSummary } from '../core/conventions/summary';
import { useCheckpoints, type CheckpointEntry } from '../store/checkpointStore';
import { CrcCheck } from './CrcCheck';
import { FieldList } from './FieldList';
import { HealthCheck } from './HealthCheck';
import { bytes, count, int, lr, metric4, percent } from './format';
import { HfDetails } from './HfDetails';
import { LightningDetails } from './LightningDetails';
import { ModelDetails } from './ModelDetails';
import { ProblemList } from './ProblemList';
import { ProgressBar } from './ProgressBar';
import { RepairOffersPanel, RepairPanel } from './RepairPanel';
import { SafetyBadge } from './SafetyBadge';
import { SafetyDetails } from './SafetyDetails';
import { ValueTree } from './ValueTree';

function StatusBadge({ s }: { s: CheckpointSummary }) {
  const status = s.progress?.status ?? 'unknown';
  const finished = s.position?.finished === true;
  const label = s.kind === NOT_READ ? 'Not read' : s.safety?.verdict === 'dangerous' && !s.progress ? 'Dangerous' : finished ? 'Finished' : status === 'complete' ? `Epoch ${s.progress?.epoch} complete` : status === 'incomplete' ? `Epoch ${s.progress?.epoch} incomplete` : s.kind === 'weights' ? 'Weights only' : 'Status unknown';
  return <span className={`badge status-${status}`} data-testid="status">{label}</span>;
}

/** The card for one checkpoint (pending: a placeholder while the worker reads it). */
export function StatusCard({ entry, onRemove }: { entry: CheckpointEntry; onRemove?: () => void }) {
  const s = entry.summary;
  const titleId = `title-${entry.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  return (
    <article className="card" data-testid="status-card" data-checkpoint={entry.id} aria-labelledby={titleId}>
      <header className="card-head">
        <h2 id={titleId} title={entry.path || entry.name}>{entry.name}</h2>
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

function ResumeLine({ s }: { s: CheckpointSummary }) {
  const p = s.progress;
  if (!p) return null;
  const pos = s.position;
  // finished, not resumable, or a mid-epoch save the trainer resumes at another epoch (timm recovery files): the trainer's own words
  const own = pos && (pos.finished || pos.resumable === false || (p.status === 'incomplete' && p.resume.epoch !== p.epoch)) ? pos : undefined;
  return (
    <>
      <p className={`resume resume-${p.status}`} data-testid="resume">
        {own ? (
          <>{p.status === 'incomplete' ? `Epoch ${p.epoch} is incomplete` : own.finished ? 'Finished' : 'Not resumable'}: a resume would <strong>{own.resume}</strong>.</>
        ) : p.status === 'complete' ? (
          <>Epoch {p.epoch} is complete: a resume <strong>starts epoch {p.resume.epoch}</strong>.</>
        ) : p.status === 'incomplete' ? (
          <>Epoch {p.epoch} is incomplete: a resume <strong>continues epoch {p.epoch} from step {p.step}</strong>.</>
        ) : (
          <>A resume will <strong>{p.resume.text}</strong>.</>
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
  );
}

function CardBody({ s }: { s: CheckpointSummary }) {
  const p = s.progress;
  const pos = s.position;
  // metrics not already shown as best F1 / accuracy / the framework's best metric
  const otherMetrics = (s.metrics ?? []).filter((m) => m.name !== 'best_val_f1' && m.name !== 'best_val_acc' && m.name !== s.bestMetric?.name);
  const loaded = useCheckpoints((st) => st.files);
  const torchFiles = s.files.filter((f) => f.pickleProtocol !== undefined && loaded.has(f.path)).map((f) => f.path);
  const dangerous = s.safety?.verdict === 'dangerous';
  return (
    <>
      {dangerous ? (
        <div className="danger-banner" role="alert" data-testid="danger-banner">
          <strong>Do not load this file in Python.</strong> It imports{' '}
          {[...new Set(s.safety!.findings.filter((f) => f.verdict === 'dangerous').map((f) => f.name))].join(', ')}, which{' '}
          <code>torch.load(weights_only=False)</code> would run. Its harmless fields are shown below; nothing was executed here.
        </div>
      ) : null}
      <ResumeLine s={s} />
      <FieldList
        items={[
          { label: 'Epoch', value: p && pos?.epochBase === 0 ? `${int(p.epoch)} (from 0)` : int(p?.epoch), testId: 'epoch' },
          { label: 'Step', value: p?.stepSaved === false ? 'not saved' : int(p?.step), testId: 'step' },
          { label: pos?.stepUnit === 'optimizer steps' ? 'Update steps per epoch' : pos?.stepUnit === 'iterations' ? 'Iterations per epoch' : 'Batches per epoch', value: p?.totalBatches ? int(p.totalBatches) : p ? 'not saved' : '—', testId: 'total-batches' },
          { label: 'Progress', value: percent(p?.progressPercent) },
          { label: pos?.stepUnit === 'optimizer steps' ? 'Remaining steps' : pos?.stepUnit === 'iterations' ? 'Remaining iterations' : 'Remaining batches', value: int(p?.remainingBatches), testId: 'remaining' },
          ...(s.kind === 'enstack' || s.bestValF1 !== undefined || s.bestValAcc !== undefined
            ? [
                { label: 'Best F1', value: metric4(s.bestValF1), testId: 'best-f1' },
                { label: 'Best accuracy', value: metric4(s.bestValAcc), testId: 'best-acc' },
              ]
            : []),
          ...(s.bestMetric ? [{ label: /^best/i.test(s.bestMetric.name) ? s.bestMetric.name : `Best ${s.bestMetric.name}`, value: metric4(s.bestMetric.value), testId: 'best-metric' }] : []),
          ...otherMetrics.map((m) => ({ label: `${m.best && !/^best/i.test(m.name) ? 'Best ' : ''}${m.name}`, value: metric4(m.value), testId: `metric-${m.name}` })),
          ...(pos?.globalStep !== undefined ? [{ label: pos.stepUnit === 'iterations' ? 'Iterations' : 'Global step', value: int(pos.globalStep), testId: 'global-step' }] : []),
          ...(pos?.plannedEpochs !== undefined ? [{ label: 'Planned epochs', value: int(pos.plannedEpochs), testId: 'planned-epochs' }] : []),
          ...(pos && (pos.finished || pos.resumable === false)
            ? [{ label: 'Resumable', value: pos.finished ? 'finished: a resume trains nothing' : 'no: the files a resume needs are missing', testId: 'resumable' }]
            : []),
          ...(s.kind === 'unreadable' ? [] : [{
            label: 'Optimizer',
            value: s.optimizer ? `present: ${s.optimizer.paramStates} parameter states, ${s.optimizer.steps !== undefined ? `${s.optimizer.steps} steps` : 'step count unknown'}` : 'absent',
            testId: 'optimizer',
          },
          { label: 'Scheduler', value: s.scheduler ? `present: last_epoch ${int(s.scheduler.lastEpoch)}, lr ${lr(s.scheduler.lastLr)}` : 'absent', testId: 'scheduler' },
          { label: 'Grad scaler', value: s.scaler ? `present: scale ${s.scaler.scale ?? '—'}` : 'absent', testId: 'scaler' }]),
          ...(s.model
            ? [{ wide: true, label: 'Model', value: `${s.model.architecture ?? s.model.modelType ?? s.model.file.split('/').pop()}: ${count(s.model.parameters)} parameters (${s.model.dtypes.join(', ')})`, testId: 'model' }]
            : []),
        ]}
      />
      <ProblemList problems={s.problems} />
      {s.warnings.length ? (
        <ul className="warnings" aria-label="Warnings">
          {s.warnings.map((w, i) => <li key={i}>{w}</li>)}
        </ul>
      ) : null}
      {s.facts?.length ? (
        <details className="section" open>
          <summary>What {conventionLabel(s.kind)} saved</summary>
          <FieldList items={s.facts.map((f) => ({ label: f.label, value: f.value }))} />
        </details>
      ) : null}
      {s.hf ? (
        <details className="section" open>
          <summary>Hugging Face Trainer</summary>
          <HfDetails hf={s.hf} />
        </details>
      ) : null}
      {s.lightning ? (
        <details className="section" open>
          <summary>PyTorch Lightning</summary>
          <LightningDetails l={s.lightning} />
        </details>
      ) : null}
      {s.model ? (
        <details className="section" open={s.kind === 'weights'}>
          <summary>Model weights</summary>
          <ModelDetails m={s.model} />
        </details>
      ) : null}
      {s.safety ? (
        <details className="section" open={s.safety.mayRunCode}>
          <summary>Safety: will torch.load(weights_only=True) accept it?</summary>
          <SafetyDetails safety={s.safety} />
        </details>
      ) : null}
      <details className="section">
        <summary>Files ({s.files.length}, {bytes(s.totalBytes)})</summary>
        <table className="preview kv" data-testid="file-list">
          <tbody>
            {s.files.map((f) => (
              <tr key={f.path}>
                <th scope="row">{f.path.split('/').pop()}</th>
                <td>{f.role}</td>
                <td>{f.format ?? ''}{f.pickleProtocol !== undefined ? `, pickle protocol ${f.pickleProtocol}` : ''}</td>
                <td>{bytes(f.size)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {s.files.filter((f) => f.format === 'torch.save zip' && loaded.has(f.path)).map((f) => <CrcCheck key={f.path} path={f.path} />)}
        <HealthCheck s={s} loaded={loaded} />
      </details>
      {torchFiles.length ? (
        <details className="section">
          <summary>Contents (every key and value, read without running anything)</summary>
          <ValueTree files={torchFiles} />
        </details>
      ) : null}
      {s.repair.offers?.length && s.repair.offers.every((o) => loaded.has(o.file)) ? <RepairOffersPanel s={s} /> : p && s.repair.eligible && s.repair.file && loaded.has(s.repair.file) ? <RepairPanel s={s} /> : s.progress ? <p className="muted repair-absent" data-testid="repair-absent">Mark epoch complete is not available: {s.repair.reason}.</p> : null}
    </>
  );
}
