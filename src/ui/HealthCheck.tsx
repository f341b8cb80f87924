/**
 * "Check tensor health": reads every tensor of the checkpoint's torch.save and safetensors files in
 * the worker (4 MiB at a time) with a progress bar and Stop, then shows the findings (NaN, Inf,
 * all-zero weights, corrupted optimizer state) and a table of the tensors, problems first. In a
 * shared snapshot, the scan's summary from the link is shown instead.
 */
import { useRef, useState } from 'react';
import type { CheckpointSummary } from '../core/conventions/summary';
import type { Finding } from '../core/findings/types';
import { isTensorFile } from '../core/health/checkHealth';
import type { HealthReport, TensorHealth } from '../core/health/types';
import type { TensorJob } from '../worker/client';
import { bytes } from './format';
import { JobProgress } from './JobProgress';
import { sharedTensorReports, useTensorReports } from './tensorReports';
import { parserClient } from './useParser';

/** Rows of the tensor table shown at most. */
const MAX_ROWS = 500;

const num = (v: number | undefined): string => (v === undefined ? '–' : Number.isInteger(v) ? String(v) : v.toPrecision(5));
const problem = (t: TensorHealth): boolean => t.nan > 0 || t.posInf + t.negInf > 0 || t.status !== 'read';

/** Findings as the findings panel lists them. */
export function FindingList({ findings, testId }: { findings: readonly Finding[]; testId: string }) {
  if (findings.length === 0) return null;
  return (
    <ul className="problems" data-testid={testId}>
      {findings.map((f) => (
        <li key={f.id} className={f.severity === 'info' ? 'muted' : 'problem'}>
          <strong>{f.title}.</strong> {f.sentence}
          {f.suggestion ? <> {f.suggestion}</> : null}
        </li>
      ))}
    </ul>
  );
}

function TensorTable({ report }: { report: HealthReport }) {
  const all = report.files.flatMap((f) => f.tensors);
  const rows = [...all.filter(problem), ...all.filter((t) => !problem(t))].slice(0, MAX_ROWS);
  return (
    <details className="section">
      <summary>Tensors ({all.length}{all.length > MAX_ROWS ? `, first ${MAX_ROWS} shown` : ''})</summary>
      <table className="preview" data-testid="health-table">
        <thead>
          <tr><th>Tensor</th><th>dtype</th><th>shape</th><th>NaN</th><th>+Inf</th><th>−Inf</th><th>zeros</th><th>min</th><th>max</th><th>mean</th><th>RMS</th></tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={`${t.file}|${t.name}`} className={problem(t) ? 'problem' : undefined}>
              <th scope="row" title={t.file}>{t.name}</th>
              <td>{t.dtype}</td>
              <td>[{t.shape.join(', ')}]</td>
              {t.status === 'read' ? (
                <>
                  <td>{t.nan}</td><td>{t.posInf}</td><td>{t.negInf}</td><td>{t.zeros}</td>
                  <td>{num(t.min)}</td><td>{num(t.max)}</td><td>{num(t.mean)}</td><td>{num(t.rms)}</td>
                </>
              ) : (
                <td colSpan={8} className="muted">{t.status === 'stopped' ? 'not read (stopped)' : `not read: ${t.reason}`}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

type Phase = { kind: 'idle' } | { kind: 'working'; done: number; total: number } | { kind: 'error'; message: string };

/** The health check of one checkpoint (renders nothing when it has no tensor file loaded). */
export function HealthCheck({ s, loaded }: { s: CheckpointSummary; loaded: ReadonlyMap<string, Blob> }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const job = useRef<TensorJob<HealthReport> | undefined>(undefined);
  const report = useTensorReports((st) => st.health[s.id]);
  const setHealth = useTensorReports((st) => st.setHealth);
  const paths = s.files.filter((f) => isTensorFile(f) && loaded.has(f.path)).map((f) => f.path);
  if (paths.length === 0) {
    const shared = sharedTensorReports().health.find((h) => h.checkpoint === s.id);
    if (!shared) return null;
    return (
      <div className="health-check" data-testid="health-shared">
        <p className="small">Tensor health (shared): {shared.tensorsRead} tensors read, {shared.nanTensors} with NaN, {shared.infTensors} with ±Inf.</p>
        <FindingList findings={shared.findings} testId="health-findings" />
      </div>
    );
  }
  const start = (): void => {
    setPhase({ kind: 'working', done: 0, total: 0 });
    const j = parserClient().checkHealth(s.id, paths, (done, total) => setPhase({ kind: 'working', done, total }));
    job.current = j;
    j.result.then(
      (r) => {
        setHealth(s.id, r);
        setPhase({ kind: 'idle' });
      },
      (e: unknown) => setPhase({ kind: 'error', message: (e as Error).message }),
    );
  };
  return (
    <div className="health-check" data-testid="health-check">
      {phase.kind === 'working' ? (
        <JobProgress done={phase.done} total={phase.total} label="Tensor bytes read" onStop={() => job.current?.stop()} stopTestId="health-stop" />
      ) : (
        <button type="button" onClick={start} data-testid="health-start">
          {report ? 'Check tensor health again' : 'Check tensor health'} (NaN, Inf, zeros: reads every tensor)
        </button>
      )}
      {report ? (
        <>
          <p className={report.findings.some((f) => f.severity !== 'info') ? 'small' : 'ok small'} role="status" data-testid="health-status">
            {report.complete ? '' : 'Stopped: '}{report.tensorsRead} tensors read{report.tensorsSkipped ? `, ${report.tensorsSkipped} not read` : ''} ({bytes(report.bytesRead)} in {(report.elapsedMs / 1000).toFixed(1)} s)
            {report.findings.length === 0 ? ': no NaN, Inf, all-zero weights or corrupted optimizer state.' : '.'}
          </p>
          <FindingList findings={report.findings} testId="health-findings" />
          <TensorTable report={report} />
        </>
      ) : null}
      {phase.kind === 'error' ? <p className="problem" role="alert">{phase.message}</p> : null}
    </div>
  );
}
