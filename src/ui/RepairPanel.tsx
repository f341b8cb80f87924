/**
 * "Mark epoch N complete": preview of the changed fields and the resume afterwards, the verified
 * repair from the worker, and the downloads (repaired file, original as .backup, repaired folder).
 * `RepairOffersPanel`: the same for each repair the checkpoint's trainer offers (CONVENTIONS.md §15),
 * with the side effects, the alternative and the refusals.
 */
import { useId, useState } from 'react';
import type { CheckpointSummary } from '../core/conventions/summary';
import { parseEpochInput } from '../core/repair/markEpochComplete';
import { useCheckpoints } from '../store/checkpointStore';
import type { RepairOutcome } from '../worker/protocol';
import type { RepairOffer } from '../core/repair/offers';
import { repairSubjectOf } from '../core/repair/runRepair';
import type { OfferOutcome } from '../worker/repairFile';
import type { OfferJob, OfferReply } from '../worker/repairOffer.worker';
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
    requestRepair(path, parsed.value, s.repair.read).then(
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

type OfferPhase = { kind: 'idle' } | { kind: 'working' } | { kind: 'done'; outcome: OfferOutcome } | { kind: 'error'; message: string };

/** Run one convention repair in its own worker (`worker/repairOffer.worker.ts`). */
function runOffer(job: OfferJob): Promise<OfferOutcome> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('../worker/repairOffer.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<OfferReply>) => {
      w.terminate();
      if (e.data.ok) resolve(e.data.outcome);
      else reject(new Error(e.data.message));
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new Error(e.message || 'the repair worker failed'));
    };
    w.postMessage(job);
  });
}

/** One offered repair: its input, the field-by-field preview, side effects, then the verified downloads. */
function OfferCard({ s, offer }: { s: CheckpointSummary; offer: RepairOffer }) {
  const inputId = useId();
  const [value, setValue] = useState(offer.input?.default ?? '');
  const [phase, setPhase] = useState<OfferPhase>({ kind: 'idle' });
  const files = useCheckpoints((st) => st.files);
  const own = new Map(s.files.flatMap((f) => (files.has(f.path) ? [[f.path, files.get(f.path) as Blob] as const] : [])));
  const folderBytes = [...own.values()].reduce((n, b) => n + b.size, 0);
  const badInt = offer.input?.kind === 'int' && (!/^\d+$/.test(value.trim()) || Number(value) < (offer.input.min ?? 0));
  const run = (): void => {
    setPhase({ kind: 'working' });
    runOffer({ subject: repairSubjectOf(s), request: { offerId: offer.id, value: offer.input ? value : undefined }, files: [...own] }).then(
      (outcome) => setPhase({ kind: 'done', outcome }),
      (e: unknown) => setPhase({ kind: 'error', message: (e as Error).message }),
    );
  };
  const fields = phase.kind === 'done' ? phase.outcome.fields : offer.fields;
  const name = (p: string): string => p.split('/').pop() ?? p;
  return (
    <section className="repair" aria-label={offer.label} data-testid={`offer-${offer.id}`}>
      <h3>{offer.label}{offer.safety === 'guarded' ? <span className="warning small"> (guarded)</span> : null}</h3>
      {offer.refusal ? (
        <p className="muted repair-absent" data-testid="offer-refused">Not offered: {offer.refusal}.</p>
      ) : (
        <>
          {offer.input ? (
            <div className="repair-form">
              <label htmlFor={inputId}>{offer.input.label}</label>
              {offer.input.kind === 'choice' ? (
                <select id={inputId} data-testid="offer-input" value={value} onChange={(e) => { setValue(e.currentTarget.value); setPhase({ kind: 'idle' }); }}>
                  {(offer.input.choices ?? []).map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              ) : (
                <input id={inputId} data-testid="offer-input" inputMode="numeric" value={value} aria-invalid={badInt} onChange={(e) => { setValue(e.currentTarget.value); setPhase({ kind: 'idle' }); }} />
              )}
            </div>
          ) : null}
          <table className="preview" data-testid="offer-preview">
            <caption className="muted">{phase.kind === 'done' ? 'Changes (verified)' : value === (offer.input?.default ?? '') ? 'Preview' : 'Preview at the default; prepare to see yours'}</caption>
            <thead><tr><th scope="col">File</th><th scope="col">Field</th><th scope="col">Now</th><th scope="col">After</th></tr></thead>
            <tbody>
              {fields.map((f) => <tr key={`${f.file}:${f.field}`}><td>{name(f.file)}</td><th scope="row">{f.field}</th><td>{f.before}</td><td>{f.after}</td></tr>)}
              <tr><td /><th scope="row">resume</th><td colSpan={2}>{phase.kind === 'done' ? phase.outcome.resumeAfter : offer.resumeAfter}</td></tr>
            </tbody>
          </table>
          {offer.sideEffects.length ? <ul className="side-effects small" data-testid="offer-side-effects">{offer.sideEffects.map((x, i) => <li key={i}>{x}</li>)}</ul> : null}
          {offer.alternative ? <p className="small" data-testid="offer-alternative"><strong>Alternative without editing:</strong> {offer.alternative}.</p> : null}
          <button type="button" className="primary" disabled={badInt || phase.kind === 'working'} onClick={run} data-testid="offer-button">
            {phase.kind === 'working' ? 'Preparing…' : 'Prepare the repaired files'}
          </button>
        </>
      )}
      {phase.kind === 'error' ? <p className="problem" role="alert" data-testid="offer-error">{phase.message}</p> : null}
      {phase.kind === 'done' ? (
        <div className="repair-done" data-testid="offer-done">
          <p><strong>Verified.</strong> A resume: <strong>{phase.outcome.resumeAfter}</strong>.</p>
          <ul className="checks">{phase.outcome.files.flatMap((f) => f.checks.map((c, i) => <li key={`${f.path}:${i}`}>{name(f.path)}: {c}</li>))}</ul>
          <div className="toolbar">
            {phase.outcome.files.map((f) => (
              <span key={f.path}>
                <button type="button" className="primary" data-testid="offer-download" onClick={() => downloadBlob(f.blob, name(f.path))}>Download repaired {name(f.path)}</button>
                {own.has(f.path) ? <button type="button" data-testid="offer-download-backup" onClick={() => downloadBlob(own.get(f.path) as Blob, `${name(f.path)}.backup`)}>Download original as {name(f.path)}.backup</button> : null}
              </span>
            ))}
            <button
              type="button"
              data-testid="offer-download-folder"
              disabled={folderBytes > FOLDER_ZIP_LIMIT || !s.path}
              title={folderBytes > FOLDER_ZIP_LIMIT ? `The folder is ${bytes(folderBytes)}; only folders up to ${bytes(FOLDER_ZIP_LIMIT)} are bundled.` : undefined}
              onClick={() => {
                const out = phase.outcome;
                const rename = out.renames.find((r) => r.from === s.path)?.to;
                void zipFolder(own, s.path, new Map(out.files.map((f) => [f.path, f.blob])), new Map(out.files.filter((f) => own.has(f.path)).map((f) => [`${f.path}.backup`, own.get(f.path) as Blob])), rename ? name(rename) : undefined).then((zip) =>
                  downloadBlob(zip, `${name(rename ?? s.path) || 'checkpoint'}-repaired.zip`),
                );
              }}
            >
              Download repaired folder (.zip{phase.outcome.renames.length ? `, as ${name(phase.outcome.renames[0].to)}` : ''})
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** The repairs the checkpoint's trainer offers (`s.repair.offers`), refused ones with their reason. */
export function RepairOffersPanel({ s }: { s: CheckpointSummary }) {
  const offers = s.repair.offers ?? [];
  if (!offers.length) return null;
  return (
    <div className="repair-offers" data-testid="repair-offers">
      {offers.map((o) => <OfferCard key={o.id} s={s} offer={o} />)}
    </div>
  );
}
