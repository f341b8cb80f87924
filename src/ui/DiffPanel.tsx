/**
 * "Compare with…": the selected checkpoint against another loaded one. Counters, metrics and
 * hyper-parameters side by side, tensors identical / changed / missing (torch.save zips decided
 * from their CRC-32 records without reading tensor bytes, others hashed in the worker with a
 * progress bar and Stop), and the findings. In a shared snapshot, the link's diffs are shown.
 */
import { useRef, useState } from 'react';
import type { CheckpointSummary } from '../core/conventions/summary';
import type { CheckpointDiff, DiffSummary, FieldRow } from '../core/diff/types';
import { isTensorFile } from '../core/health/checkHealth';
import { loadedSummaries, useCheckpoints } from '../store/checkpointStore';
import type { TensorJob } from '../worker/client';
import { bytes } from './format';
import { FindingList } from './HealthCheck';
import { JobProgress } from './JobProgress';
import { sharedTensorReports, useTensorReports } from './tensorReports';
import { useLoaded } from './useLoaded';
import { parserClient } from './useParser';

function Fields({ rows, a, b }: { rows: readonly FieldRow[]; a: string; b: string }) {
  const sorted = [...rows.filter((r) => !r.same), ...rows.filter((r) => r.same)];
  return (
    <table className="preview" data-testid="diff-fields">
      <thead><tr><th>Field</th><th>{a}</th><th>{b}</th></tr></thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={`${r.group}|${r.label}`} className={r.same ? 'muted' : undefined}>
            <th scope="row">{r.label}</th><td>{r.a ?? '–'}</td><td>{r.b ?? '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Counts({ d }: { d: DiffSummary | CheckpointDiff }) {
  const c = d.counts;
  return (
    <p className="small" data-testid="diff-counts">
      Tensors: {c.identical} identical, {c.changed} changed{c.onlyA ? `, ${c.onlyA} only in the first` : ''}{c.onlyB ? `, ${c.onlyB} only in the second` : ''}
      {c.notCompared ? `, ${c.notCompared} not compared` : ''}; {bytes(d.bytesHashed)} of tensor data hashed.
    </p>
  );
}

function DiffResult({ d }: { d: CheckpointDiff }) {
  const changed = d.tensors.filter((t) => t.status !== 'identical');
  return (
    <div data-testid="diff-result">
      <FindingList findings={d.findings} testId="diff-findings" />
      <Counts d={d} />
      {changed.length ? (
        <ul className="small" data-testid="diff-changed">
          {changed.slice(0, 200).map((t) => (
            <li key={t.name}><code>{t.name}</code>: {t.status === 'only-a' ? `only in ${d.a.name}` : t.status === 'only-b' ? `only in ${d.b.name}` : t.status}{t.note ? ` (${t.note})` : ''}</li>
          ))}
        </ul>
      ) : null}
      <Fields rows={d.fields} a={d.a.name} b={d.b.name} />
    </div>
  );
}

type Phase = { kind: 'idle' } | { kind: 'working'; done: number; total: number } | { kind: 'error'; message: string };

/** The compare panel for the selected checkpoint. */
export function DiffPanel({ selectedId }: { selectedId: string }) {
  const { order: summaries, entries } = useLoaded();
  const files = useCheckpoints((s) => s.files);
  const shared = useCheckpoints((s) => s.shared);
  const diffs = useTensorReports((s) => s.diffs);
  const setDiff = useTensorReports((s) => s.setDiff);
  const [other, setOther] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const job = useRef<TensorJob<CheckpointDiff> | undefined>(undefined);
  if (shared) {
    const list = sharedTensorReports().diffs.filter((d) => d.a === selectedId || d.b === selectedId);
    if (!list.length) return null;
    return (
      <section className="card" data-testid="diff-shared" aria-label="Comparisons">
        <h3>Comparisons (shared)</h3>
        {list.map((d) => (
          <div key={`${d.a}|${d.b}`}>
            <p className="small">{d.a} → {d.b}{d.changed.length ? `: changed ${d.changed.join(', ')}` : ''}</p>
            <FindingList findings={d.findings} testId="diff-findings" />
            <Counts d={d} />
            <Fields rows={d.fields} a={d.a} b={d.b} />
          </div>
        ))}
      </section>
    );
  }
  const all = loadedSummaries({ order: summaries, entries });
  const paths = (s: CheckpointSummary): string[] => s.files.filter((f) => isTensorFile(f) && files.has(f.path)).map((f) => f.path);
  const me = all.find((s) => s.id === selectedId);
  const others = all.filter((s) => s.id !== selectedId && paths(s).length > 0);
  if (!me || paths(me).length === 0 || others.length === 0) return null;
  const result = other ? diffs[`${other}|${selectedId}`] : undefined;
  const compare = (): void => {
    const o = others.find((s) => s.id === other);
    if (!o) return;
    setPhase({ kind: 'working', done: 0, total: 0 });
    const j = parserClient().diff({ summary: o, paths: paths(o) }, { summary: me, paths: paths(me) }, (done, total) => setPhase({ kind: 'working', done, total }));
    job.current = j;
    j.result.then(
      (d) => {
        setDiff(d);
        setPhase({ kind: 'idle' });
      },
      (e: unknown) => setPhase({ kind: 'error', message: (e as Error).message }),
    );
  };
  return (
    <section className="card diff-panel" data-testid="diff-panel" aria-label="Compare checkpoints">
      <div className="progress-row">
        <label className="small">
          Compare {me.name} with{' '}
          <select className="long-list" value={other} onChange={(e) => setOther(e.currentTarget.value)} data-testid="diff-select">
            <option value="">choose a checkpoint…</option>
            {others.map((s) => <option key={s.id} value={s.id}>{s.path || s.name}{s.path && !s.path.endsWith(s.name) ? ` › ${s.name}` : ''}</option>)}
          </select>
        </label>
        <button type="button" disabled={!other || phase.kind === 'working'} onClick={compare} data-testid="diff-start">Compare</button>
      </div>
      {phase.kind === 'working' ? (
        <JobProgress done={phase.done} total={phase.total} label="Tensor bytes hashed" onStop={() => job.current?.stop()} stopTestId="diff-stop" />
      ) : null}
      {phase.kind === 'error' ? <p className="problem" role="alert">{phase.message}</p> : null}
      {result ? <DiffResult d={result} /> : null}
    </section>
  );
}
