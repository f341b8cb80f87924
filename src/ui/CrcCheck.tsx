/**
 * "Check every byte": the CRC-32 of every entry of a torch zip, tensor data included. A summary
 * reads only metadata, so damage inside a tensor shows only here (or when repairing).
 */
import { useRef, useState } from 'react';
import type { CrcReport } from '../core/zip/verifyCrcs';
import type { TensorJob } from '../worker/client';
import { bytes } from './format';
import { JobProgress } from './JobProgress';
import { parserClient } from './useParser';

type Phase = { kind: 'idle' } | { kind: 'working'; done: number; total: number } | { kind: 'done'; report: CrcReport } | { kind: 'error'; message: string };

export function CrcCheck({ path }: { path: string }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const job = useRef<TensorJob<CrcReport> | undefined>(undefined);
  const name = path.split('/').pop();
  const start = (): void => {
    setPhase({ kind: 'working', done: 0, total: 0 });
    const j = parserClient().verifyCrcs(path, (done, total) => setPhase({ kind: 'working', done, total }));
    job.current = j;
    j.result.then(
      (report) => setPhase({ kind: 'done', report }),
      (e: unknown) => setPhase({ kind: 'error', message: (e as Error).message }),
    );
  };
  return (
    <div className="crc-check" data-testid="crc-check">
      {phase.kind === 'working' ? (
        <JobProgress done={phase.done} total={phase.total} label={`Bytes of ${name} checked`} onStop={() => job.current?.stop()} stopTestId="crc-stop" />
      ) : (
        <button type="button" onClick={start}>
          Check every byte of {name} (CRC-32)
        </button>
      )}
      {phase.kind === 'done' && phase.report.stopped ? (
        <p className="warning small" role="status" data-testid="crc-stopped">
          Stopped: {phase.report.checked} entries checked ({bytes(phase.report.bytes)} read), {phase.report.unchecked} not checked.{' '}
          {phase.report.bad.length === 0 ? 'No mismatch in the entries checked; the others are not vouched for.' : ''}
        </p>
      ) : null}
      {phase.kind === 'done' ? (
        phase.report.bad.length === 0 ? (
          phase.report.stopped ? null : (
          <p className="ok small" role="status" data-testid="crc-ok">
            All {phase.report.checked} entries match their CRC-32 ({bytes(phase.report.bytes)} read).
          </p>
          )
        ) : (
          <ul className="problems" role="alert" data-testid="crc-bad">
            {phase.report.bad.map((b) => <li key={b.name} className="problem">{b.message}</li>)}
          </ul>
        )
      ) : null}
      {phase.kind === 'error' ? <p className="problem" role="alert">{phase.message}</p> : null}
    </div>
  );
}
