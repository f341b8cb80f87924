/**
 * "Mark epoch N complete": preview of the changed fields and the resume afterwards, the verified
 * repair from the worker, and the downloads (repaired file, original as .backup, repaired folder).
 */
import { useId, useState } from 'react';
import type { CheckpointSummary } from '../core/conventions/summary';
import { parseEpochInput } from '../core/repair/markEpochComplete';
import { useCheckpoints } from '../store/checkpointStore';
import type { RepairOutcome } from '../worker/protocol';
import { downloadBlob, FOLDER_ZIP_LIMIT, zipFolder } from './downloads';
import { bytes } from './format';
import { requestRepair } from './useParser';
import { useRunsReport } from './useRunsReport';

type Phase = { kind: 'idle' } | { kind: 'working' } | { kind: 'done'; outcome: RepairOutcome } | { kind: 'error'; message: string };

export function RepairPanel({ s }: { s: CheckpointSummary }) {
  const inputId = useId();
  const p = s.progress;
  const [text, setText] = useState(String(p?.epoch ?? 1));
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const files = useCheckpoints((st) => st.files);
  const { runs } = useRunsReport();
  // the run's verdict: when it recommends something else, the repair is the second choice, and the preview says why
  const verdict = runs.find((r) => r.run.checkpointIds.includes(s.id))?.verdict;
  const otherFirst = verdict && verdict.severity !== 'ok' && verdict.target !== undefined && verdict.target !== s.id ? verdict : undefined;
  if (!s.repair.eligible || !p || !s.repair.file) {
    return <p className="muted repair-absent" data-testid="repair-absent">Mark epoch complete is not available: {s.repair.reason}.</p>;
  }
  const path = s.repair.file;
  const parsed = parseEpochInput(text);
  const nothingToDo = parsed.ok && parsed.value === p.epoch && p.step === 0;
  const stateName = path.split('/').pop() ?? 'training_state.pth';
  // the checkpoint's own files (a loose file at the top of a drop is bundled alone, not with the whole drop)
  const folderFiles = new Map(s.files.flatMap((f) => (files.has(f.path) ? [[f.path, files.get(f.path) as Blob] as const] : [])));
  const folderBytes = [...folderFiles.values()].reduce((n, b) => n + b.size, 0);
  const run = (): void => {
    if (!parsed.ok) return;
    setPhase({ kind: 'working' });
    requestRepair(path, parsed.value).then(
      (outcome) => setPhase({ kind: 'done', outcome }),
      (e: unknown) => setPhase({ kind: 'error', message: (e as Error).message }),
    );
  };
  const original = files.get(path);
  return (
    <section className="repair" aria-label={`Repair ${s.name}`}>
      <h3>Mark an epoch complete</h3>
      <p className="muted">
        Sets <code>epoch</code> to N and <code>step</code> to 0, as EnStack's repair script <code>fix_checkpoint_epoch.py</code> does, but by
        patching only those two numbers: every other byte of content stays as it is, and the result is checked before you can download it.
      </p>
      {otherFirst ? (
        <p className="problem small" role="note" data-testid="repair-second-choice">
          <strong>Recommended first:</strong> {otherFirst.action} {otherFirst.secondChoice ? <>This repair is the second choice: {otherFirst.secondChoice}</> : null}
        </p>
      ) : null}
      <div className="repair-form">
        <label htmlFor={inputId}>Epoch N</label>
        <input
          id={inputId}
          data-testid="repair-epoch"
          inputMode="numeric"
          value={text}
          aria-invalid={!parsed.ok}
          aria-describedby={parsed.ok ? undefined : `${inputId}-err`}
          onChange={(e) => {
            setText(e.currentTarget.value);
            setPhase({ kind: 'idle' });
          }}
        />
        <button type="button" className="primary" disabled={!parsed.ok || nothingToDo || phase.kind === 'working'} onClick={run} data-testid="repair-button">
          {phase.kind === 'working' ? 'Repairing…' : `Mark epoch ${parsed.ok ? parsed.value : 'N'} complete`}
        </button>
      </div>
      {!parsed.ok ? <p id={`${inputId}-err`} className="problem" role="alert">{parsed.message}</p> : null}
      {parsed.ok && nothingToDo ? <p className="muted" data-testid="repair-noop">Epoch {p.epoch} is already marked complete (step 0): there is nothing to change.</p> : null}
      {parsed.ok && !nothingToDo && parsed.value < p.epoch ? (
        <p className="warning" role="status">Epoch {parsed.value} is before the saved epoch {p.epoch}: a resume would train epochs {parsed.value + 1} to {p.epoch} again.</p>
      ) : null}
      {parsed.ok && parsed.value > p.epoch ? (
        <p className="warning" role="status">Epoch {parsed.value} is after the saved epoch {p.epoch}: a resume would skip {parsed.value - p.epoch === 1 ? `epoch ${p.epoch + 1}` : `epochs ${p.epoch + 1} to ${parsed.value}`}, which {parsed.value - p.epoch === 1 ? 'was' : 'were'} never trained from this state.</p>
      ) : null}
      {parsed.ok ? (
        <table className="preview" data-testid="repair-preview">
          <caption className="muted">Preview</caption>
          <thead>
            <tr><th scope="col">Field</th><th scope="col">Now</th><th scope="col">After</th></tr>
          </thead>
          <tbody>
            <tr><th scope="row">epoch</th><td>{p.epoch}</td><td>{parsed.value}</td></tr>
            <tr><th scope="row">step</th><td>{p.step}</td><td>0</td></tr>
            <tr><th scope="row">resume</th><td>{p.resume.text}</td><td>start epoch {parsed.value + 1}</td></tr>
          </tbody>
        </table>
      ) : null}
      {phase.kind === 'error' ? <p className="problem" role="alert" data-testid="repair-error">{phase.message}</p> : null}
      {phase.kind === 'done' ? (
        <div className="repair-done" data-testid="repair-done">
          <p>
            <strong>Verified.</strong> The repaired file resumes at: <strong>{phase.outcome.resumeAfter}</strong> ({phase.outcome.mode === 'in-place' ? 'patched in place' : 'a wider number was spliced in and the archive re-laid'}).
          </p>
          <ul className="checks">
            {phase.outcome.checks.map((c, i) => <li key={i}>{c}</li>)}
          </ul>
          <div className="toolbar">
            <button type="button" className="primary" data-testid="download-repaired" onClick={() => downloadBlob(phase.outcome.blob, stateName)}>
              Download repaired {stateName}
            </button>
            {original ? (
              <button type="button" data-testid="download-backup" onClick={() => downloadBlob(original, `${stateName}.backup`)}>
                Download original as {stateName}.backup
              </button>
            ) : null}
            <button
              type="button"
              data-testid="download-folder"
              disabled={folderBytes > FOLDER_ZIP_LIMIT || !original}
              title={folderBytes > FOLDER_ZIP_LIMIT ? `The folder is ${bytes(folderBytes)}; a .zip is built in memory, so only folders up to ${bytes(FOLDER_ZIP_LIMIT)} are bundled. Download the repaired file instead.` : undefined}
              onClick={() => {
                if (!original) return;
                void zipFolder(folderFiles, s.path, new Map([[path, phase.outcome.blob]]), new Map([[`${path}.backup`, original]])).then((zip) =>
                  downloadBlob(zip, `${s.path.split('/').pop() || 'checkpoint'}-repaired.zip`),
                );
              }}
            >
              Download repaired folder (.zip)
            </button>
          </div>
          {folderBytes > FOLDER_ZIP_LIMIT ? (
            <p className="muted">The folder ({bytes(folderBytes)}) is too large to bundle in memory; download the repaired file and put it in place of the original.</p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
