/** PyTorch Lightning details: loop counters with Lightning's reading, callbacks, hyper-parameters. */
import type { LightningSummary } from '../core/conventions/lightning/readLightning';
import { FieldList } from './FieldList';
import { int } from './format';

export function LightningDetails({ l }: { l: LightningSummary }) {
  const b = l.batchProgress?.current;
  const e = l.epochProgress?.current;
  return (
    <div className="framework" data-testid="lightning-details">
      <p className="resume" data-testid="lightning-resume">Lightning: resume will {l.position.resume}.</p>
      <p className="muted small">{l.position.explanation}</p>
      <FieldList
        items={[
          { label: 'epoch (0-based)', value: int(l.epoch), testId: 'lightning-epoch' },
          { label: 'global_step', value: int(l.globalStep), testId: 'lightning-global-step' },
          { label: 'Lightning version', value: l.lightningVersion ?? '—' },
          { label: 'Saved at', value: l.position.savedAt },
          { label: 'Batches done in epoch', value: int(l.position.batchesDoneInEpoch) },
          { label: 'Epoch progress (ready/started/processed/completed)', value: e ? `${e.ready}/${e.started}/${e.processed}/${e.completed}` : '—' },
          { label: 'Batch progress (ready/started/processed/completed)', value: b ? `${b.ready}/${b.started}/${b.processed}/${b.completed}` : '—' },
          { label: 'Monitor', value: l.monitor ?? '—' },
          { label: 'best_model_score', value: l.bestModelScore === undefined ? '—' : l.bestModelScore.toFixed(4), testId: 'lightning-best-score' },
          { label: 'best_model_path', value: l.bestModelPath ?? '—' },
        ]}
      />
      {l.earlyStopping.length ? (
        <p className="small">
          EarlyStopping: {l.earlyStopping.map((s) => `${s.monitor ?? '?'} wait ${s.waitCount ?? '?'}/${s.patience ?? '?'}, best ${s.bestScore ?? '?'}`).join('; ')}
        </p>
      ) : null}
      {l.hyperParameters.length ? (
        <details>
          <summary>Hyper-parameters ({l.hyperParameters.length})</summary>
          <table className="preview kv">
            <tbody>
              {l.hyperParameters.map((f) => (
                <tr key={f.key}><th scope="row">{f.key}</th><td>{String(f.value)}</td></tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </div>
  );
}
