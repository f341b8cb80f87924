/**
 * "Check every byte": the CRC-32 of every entry of a torch zip, tensor data included. A summary
 * reads only metadata, so damage inside a tensor shows only here (or when repairing).
 */
import { useState } from 'react';
import type { CrcReport } from '../core/zip/verifyCrcs';
import { bytes } from './format';
import { parserClient } from './useParser';

type Phase = { kind: 'idle' } | { kind: 'working' } | { kind: 'done'; report: CrcReport } | { kind: 'error'; message: string };

export function CrcCheck({ path }: { path: string }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const name = path.split('/').pop();
  return (
    <div className="crc-check" data-testid="crc-check">
      <button
        type="button"
        disabled={phase.kind === 'working'}
        onClick={() => {
          setPhase({ kind: 'working' });
          parserClient()
            .verifyCrcs(path)
            .then(
              (report) => setPhase({ kind: 'done', report }),
              (e: unknown) => setPhase({ kind: 'error', message: (e as Error).message }),
            );
        }}
      >
        {phase.kind === 'working' ? `Checking ${name}…` : `Check every byte of ${name} (CRC-32)`}
      </button>
      {phase.kind === 'done' ? (
        phase.report.bad.length === 0 ? (
          <p className="ok small" role="status" data-testid="crc-ok">
            All {phase.report.checked} entries match their CRC-32 ({bytes(phase.report.bytes)} read).
          </p>
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
